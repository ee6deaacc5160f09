package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/carepool/carepool/infra/store"
	"github.com/carepool/carepool/search"
	bleveindex "github.com/carepool/carepool/search/bleve"
	"github.com/carepool/carepool/search/meili"
)

// openSearch opens Meilisearch when MEILI_URL is set, and otherwise the embedded Bleve
// index in DATA_DIR/search (created if missing; rebuilt empty when its schema is old).
func openSearch(ctx context.Context, cfg Config) (search.Index, error) {
	if cfg.MeiliURL != "" {
		return meili.Open(ctx, meili.Config{URL: cfg.MeiliURL, APIKey: cfg.MeiliAPIKey})
	}
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	return bleveindex.Open(filepath.Join(cfg.DataDir, "search"))
}

// searchWorker is the indexer that applies the store's search outbox to the index.
func (m *Main) searchWorker() *search.Worker {
	host, _ := os.Hostname()
	src := store.NewSearchSource(m.DB, nil)
	return &search.Worker{
		Index:  m.Search,
		Outbox: m.DB.NewSearchOutbox(fmt.Sprintf("%s/%d", host, os.Getpid())),
		Source: src,
		More:   map[string]search.Resolve{"pool": src.ResolvePool},
		Logger: m.Logger,
	}
}

// searchReconcileEvery is how often the server compares the whole index with the store,
// for what the outbox cannot announce (a provider's checks expiring, a dated session
// passing) and anything lost.
const searchReconcileEvery = 24 * time.Hour

// runSearchIndexer keeps the index in step with the store until ctx ends: at start-up it
// rebuilds an index of an old schema, or an empty one while the store has offers, and
// reconciles any other; then it applies the outbox, reconciling once a day. Everything
// runs in this one goroutine, so a reconciliation never races the outbox worker.
func (m *Main) runSearchIndexer(ctx context.Context) {
	src := store.NewSearchSource(m.DB, nil)
	if err := m.prepareSearch(ctx, src); err != nil && ctx.Err() == nil {
		m.Logger.Error("search index not brought up to date at start-up; the outbox still applies", "error", err)
	}
	w := m.searchWorker()
	for {
		run, cancel := context.WithTimeout(ctx, searchReconcileEvery)
		_ = w.Run(run) // returns when run ends
		cancel()
		if ctx.Err() != nil {
			return
		}
		st, err := search.Reconcile(ctx, m.Search, src)
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			m.Logger.Error("search index reconciliation failed", "error", err)
		case st.Upserted+st.Deleted > 0:
			m.Logger.Info("search index reconciled", "upserted", st.Upserted, "deleted", st.Deleted, "unchanged", st.Unchanged)
		}
	}
}

// prepareSearch makes the index fit to serve: rebuilt from the store when it was created
// (no index, or one of an older schema) or is empty while the store has offers, and
// reconciled with the store otherwise.
func (m *Main) prepareSearch(ctx context.Context, src *store.SearchSource) error {
	st, err := m.Search.Status(ctx)
	if err != nil {
		return err
	}
	want, err := src.CountDocuments(ctx)
	if err != nil {
		return err
	}
	if st.Created || st.Documents == 0 && want > 0 {
		m.Logger.Info("rebuilding the search index", "schema", st.Schema, "offers", want, "new_schema", st.Created)
		started := time.Now()
		n, err := search.Rebuild(ctx, m.Search, src, logProgress(m.Logger))
		if err != nil {
			return fmt.Errorf("rebuild search index: %w", err)
		}
		m.Logger.Info("search index rebuilt", "documents", n, "took", time.Since(started).Round(time.Millisecond).String())
		return nil
	}
	rs, err := search.Reconcile(ctx, m.Search, src)
	if err != nil {
		return fmt.Errorf("reconcile search index: %w", err)
	}
	m.Logger.Info("search index ready", "documents", st.Documents, "upserted", rs.Upserted, "deleted", rs.Deleted)
	return nil
}

// logProgress logs a rebuild's progress every tenth of the way.
func logProgress(logger *slog.Logger) search.Progress {
	next := 0
	return func(done, total int) {
		if total == 0 || done*10 < next*total {
			return
		}
		logger.Info("rebuilding the search index", "done", done, "of", total)
		next = done*10/total + 1
	}
}

// reindexCommand runs `carepool reindex`: it rebuilds the search index from the store,
// with a progress bar when stderr is a terminal.
func reindexCommand(ctx context.Context, cfg Config, logger *slog.Logger, stdout, stderr io.Writer) error {
	m, err := Open(ctx, cfg, logger, Options{})
	if err != nil {
		return err
	}
	defer m.Close(context.WithoutCancel(ctx))
	started := time.Now()
	bar := newIndexBar(stderr)
	n, err := search.Rebuild(ctx, m.Search, store.NewSearchSource(m.DB, nil), bar.progress)
	bar.finish()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Indexed %d offers in %s.\n", n, time.Since(started).Round(time.Millisecond))
	return nil
}

// indexBar draws a progress bar on a terminal, and nothing elsewhere.
type indexBar struct {
	w   io.Writer
	bar *progressbar.ProgressBar
}

func newIndexBar(w io.Writer) *indexBar {
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return &indexBar{w: w}
	}
	return &indexBar{}
}

func (b *indexBar) progress(done, total int) {
	if b.w == nil {
		return
	}
	if b.bar == nil {
		b.bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(b.w), progressbar.OptionSetDescription("Indexing offers"),
			progressbar.OptionShowCount(), progressbar.OptionClearOnFinish(), progressbar.OptionThrottle(50*time.Millisecond),
			progressbar.OptionSetWidth(30))
	}
	if total > b.bar.GetMax() {
		b.bar.ChangeMax(total)
	}
	_ = b.bar.Set(done)
}

func (b *indexBar) finish() {
	if b.bar != nil {
		_ = b.bar.Finish()
	}
}
