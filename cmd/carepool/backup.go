package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/infra/store"
	"github.com/carepool/carepool/marketplace/account"
)

// backup streams a consistent copy of the embedded store to an administrator while the
// server keeps running (GET /api/v1/admin/backup).
func (m *Main) backup(c echo.Context) error {
	actor := account.ActorFrom(c.Request().Context())
	if err := actor.RequireUser(); err != nil {
		return err
	}
	if !actor.IsAdmin() {
		return apperr.Forbiddenf("Only platform administrators can download backups.")
	}
	if m.DB.Engine() != "embedded" {
		return apperr.New(apperr.Unavailable, "backup-unsupported", store.ErrBackupUnsupported.Error())
	}
	name := fmt.Sprintf("carepool-%s.db", time.Now().UTC().Format("20060102T150405Z"))
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, echo.MIMEOctetStream)
	h.Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	h.Set("Cache-Control", "no-store")
	c.Response().WriteHeader(http.StatusOK)
	n, err := m.DB.Backup(c.Response())
	if err != nil {
		// The status is sent; the client sees a truncated download.
		return fmt.Errorf("stream backup after %d bytes: %w", n, err)
	}
	m.Logger.Info("backup downloaded", "bytes", n, "by", actor.UserID)
	return nil
}

// backupCommand writes a backup to a file when no server holds the data directory.
func backupCommand(ctx context.Context, cfg Config, logger *slog.Logger, path string, stdout io.Writer) error {
	if cfg.MongoURI != "" {
		return store.ErrBackupUnsupported
	}
	db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close(ctx)
	tmp := path + ".partial"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("create backup file: %w", err)
	}
	n, err := db.Backup(f)
	err = errors.Join(err, f.Sync(), f.Close())
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("write backup: %w", err)
	}
	logger.Info("backup written", "path", path, "bytes", n)
	fmt.Fprintf(stdout, "Backup written to %s (%d bytes).\n", path, n)
	return nil
}
