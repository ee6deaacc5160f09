package frontend

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"

	"github.com/labstack/echo/v4"
)

// static holds the compiled stylesheet (built by `make assets` and committed) and icons.
//
//go:embed static
var static embed.FS

// asset is one embedded file with its content hash.
type asset struct {
	body        []byte
	hash        string // the first 16 hex digits of its SHA-256
	contentType string
}

// assets serves the embedded static files under /static/<hash>/<name>. The hash is of
// the file's content, so a URL names one version forever: browsers may cache it for a
// year, and a new build's pages link to new URLs.
type assets struct{ files map[string]asset }

func loadAssets() (*assets, error) {
	a := &assets{files: map[string]asset{}}
	err := fs.WalkDir(static, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := static.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		name := path.Base(p)
		ct := mime.TypeByExtension(path.Ext(name))
		if ct == "" {
			ct = "application/octet-stream"
		}
		a.files[name] = asset{body: body, hash: hex.EncodeToString(sum[:8]), contentType: ct}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("frontend: read static assets: %w", err)
	}
	for _, name := range requiredAssets {
		if _, ok := a.files[name]; !ok {
			return nil, fmt.Errorf("frontend: static/%s is missing: run `make assets`", name)
		}
	}
	return a, nil
}

// requiredAssets are the files every page links to.
var requiredAssets = []string{"app.css", "favicon.svg"}

// url returns the content-hashed URL of an asset, for templates. An unknown name is a
// programming error that the template test catches.
func (a *assets) url(name string) (string, error) {
	f, ok := a.files[name]
	if !ok {
		return "", fmt.Errorf("no asset %q", name)
	}
	return "/static/" + f.hash + "/" + name, nil
}

// serve answers GET /static/:hash/:name. A stale hash is a 404, not the new content: a
// cached page asking for an old stylesheet must not get a new one under an old name.
func (a *assets) serve(c echo.Context) error {
	f, ok := a.files[c.Param("name")]
	if !ok || c.Param("hash") != f.hash {
		return echo.ErrNotFound
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("ETag", `"`+f.hash+`"`)
	if c.Request().Header.Get("If-None-Match") == `"`+f.hash+`"` {
		return c.NoContent(http.StatusNotModified)
	}
	return c.Blob(http.StatusOK, f.contentType, f.body)
}
