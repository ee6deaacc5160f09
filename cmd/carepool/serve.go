package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
)

// serve opens the store, loads the demo data into an empty one, and serves until ctx
// ends (SIGINT or SIGTERM), then shuts down gracefully and closes the store.
func serve(ctx context.Context, cfg Config, logger *slog.Logger, stdout io.Writer) (err error) {
	m, err := Open(ctx, cfg, logger, Options{})
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, m.Close(context.WithoutCancel(ctx))) }()
	if _, err := m.seedIfEmpty(ctx, stdout); err != nil {
		return err
	}
	logger.Info("starting", "config", cfg.String())
	return m.Serve(ctx, func(addr string) {
		fmt.Fprintf(stdout, "Carepool is running at %s (metrics at http://%s/metrics). Press Ctrl+C to stop.\n", cfg.BaseURL, cfg.MetricsAddr)
	})
}

// seedCommand loads the demo data into an empty store and exits.
func seedCommand(ctx context.Context, cfg Config, logger *slog.Logger, stdout io.Writer) (err error) {
	m, err := Open(ctx, cfg, logger, Options{})
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, m.Close(context.WithoutCancel(ctx))) }()
	seeded, err := m.seedIfEmpty(ctx, stdout)
	if err == nil && !seeded {
		fmt.Fprintln(stdout, "The store already has data; the demo data was not loaded.")
	}
	return err
}
