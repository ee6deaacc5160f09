// Package meili is the search adapter for a Meilisearch server, used when
// MEILI_URL is set. It keeps one index per schema version (see Schema), sets
// its settings from the search port (synonyms, stop words, typo tolerance,
// filterable and sortable attributes) and waits for every task it starts.
package meili

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"

	meilisearch "github.com/meilisearch/meilisearch-go"

	"github.com/carepool/carepool/search"
)

// Config says which server and index to use.
type Config struct {
	URL          string        // e.g. http://127.0.0.1:7700 (MEILI_URL)
	APIKey       string        // MEILI_API_KEY; may be empty on a server without keys
	IndexPrefix  string        // "carepool" when empty; the uid is prefix_schema
	PollInterval time.Duration // task polling; 50ms when zero
	HTTPClient   *http.Client  // http.DefaultClient when nil
}

// Index is a search.Index on a Meilisearch index.
type Index struct {
	client  meilisearch.ServiceManager
	index   meilisearch.IndexManager
	uid     string
	poll    time.Duration
	created bool
	closed  atomic.Bool
}

var _ search.Index = (*Index)(nil)

// Open connects to the server and makes sure the index for the current
// schema exists with the current settings, creating it when missing (Status
// then reports Created: fill it from the store). Indexes of older schemas
// are left alone, for a rollback; delete them by hand.
func Open(ctx context.Context, cfg Config) (*Index, error) {
	if cfg.URL == "" {
		return nil, errors.New("meilisearch: no URL")
	}
	if cfg.IndexPrefix == "" {
		cfg.IndexPrefix = "carepool"
	}
	if cfg.PollInterval == 0 {
		cfg.PollInterval = 50 * time.Millisecond
	}
	opts := []meilisearch.Option{meilisearch.WithAPIKey(cfg.APIKey)}
	if cfg.HTTPClient != nil {
		opts = append(opts, meilisearch.WithCustomClient(cfg.HTTPClient))
	}
	client := meilisearch.New(cfg.URL, opts...)
	x := &Index{client: client, uid: cfg.IndexPrefix + "_" + sanitize(Schema()), poll: cfg.PollInterval}
	x.index = client.Index(x.uid)
	if _, err := client.GetIndexWithContext(ctx, x.uid); err != nil {
		if apiCode(err) != "index_not_found" {
			return nil, fmt.Errorf("meilisearch: get index %s: %w", x.uid, err)
		}
		t, err := client.CreateIndexWithContext(ctx, &meilisearch.IndexConfig{Uid: x.uid, PrimaryKey: "id"})
		if err := x.wait(ctx, t, err); err != nil && apiCode(err) != "index_already_exists" {
			return nil, fmt.Errorf("meilisearch: create index %s: %w", x.uid, err)
		}
		x.created = true
	}
	// Settings are applied on every start: a no-op when unchanged, and a
	// repair when someone changed them by hand.
	t, err := x.index.UpdateSettingsWithContext(ctx, settings())
	if err := x.wait(ctx, t, err); err != nil {
		return nil, fmt.Errorf("meilisearch: update settings of %s: %w", x.uid, err)
	}
	return x, nil
}

// UID is the name of the Meilisearch index in use.
func (x *Index) UID() string { return x.uid }

func sanitize(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			b[i] = '_'
		}
	}
	return string(b)
}

// apiCode returns the Meilisearch error code ("index_not_found", ...) of an
// error from the client, or "".
func apiCode(err error) string {
	var me *meilisearch.Error
	if errors.As(err, &me) {
		return me.MeilisearchApiError.Code
	}
	var te *taskError
	if errors.As(err, &te) {
		return te.code
	}
	return ""
}

// taskError is a task that Meilisearch reports as failed.
type taskError struct {
	uid           int64
	code, message string
}

func (e *taskError) Error() string {
	return fmt.Sprintf("task %d failed: %s (%s)", e.uid, e.message, e.code)
}

// wait waits for the task an asynchronous call started and returns its
// failure, if any.
func (x *Index) wait(ctx context.Context, t *meilisearch.TaskInfo, err error) error {
	if err != nil {
		return err
	}
	task, err := x.client.WaitForTaskWithContext(ctx, t.TaskUID, x.poll)
	if err != nil {
		return err
	}
	if task.Status != meilisearch.TaskStatusSucceeded {
		return &taskError{uid: t.TaskUID, code: task.Error.Code, message: task.Error.Message}
	}
	return nil
}

// Upsert adds or replaces documents and waits until they are searchable. See
// search.Index.
func (x *Index) Upsert(ctx context.Context, docs ...search.Document) error {
	if x.closed.Load() {
		return search.ErrClosed
	}
	var v search.ValidationError
	out := make([]document, len(docs))
	for i, d := range docs {
		if err := d.Validate(); err != nil {
			for _, f := range err.(*search.ValidationError).Fields {
				v.Add(fmt.Sprintf("documents[%d].%s", i, f.Field), f.Message)
			}
		}
		out[i] = toDocument(d)
	}
	if err := v.Err(); err != nil {
		return err
	}
	if len(out) == 0 {
		return nil
	}
	pk := "id"
	t, err := x.index.AddDocumentsWithContext(ctx, out, &meilisearch.DocumentOptions{PrimaryKey: &pk})
	if err := x.wait(ctx, t, err); err != nil {
		return fmt.Errorf("meilisearch: add documents: %w", err)
	}
	return nil
}

// Delete removes documents and waits until they are gone. See search.Index.
func (x *Index) Delete(ctx context.Context, ids ...string) error {
	if x.closed.Load() {
		return search.ErrClosed
	}
	if len(ids) == 0 {
		return nil
	}
	t, err := x.index.DeleteDocumentsWithContext(ctx, ids, nil)
	if err := x.wait(ctx, t, err); err != nil {
		return fmt.Errorf("meilisearch: delete documents: %w", err)
	}
	return nil
}

// hashPage is how many documents Hashes fetches at once.
const hashPage = 1000

// Hashes lists the indexed documents' content hashes. See search.Index.
func (x *Index) Hashes(ctx context.Context) (map[string]string, error) {
	if x.closed.Load() {
		return nil, search.ErrClosed
	}
	out := map[string]string{}
	for offset := int64(0); ; offset += hashPage {
		var res meilisearch.DocumentsResult
		err := x.index.GetDocumentsWithContext(ctx, &meilisearch.DocumentsQuery{
			Offset: offset, Limit: hashPage, Fields: []string{"id", "hash"},
		}, &res)
		if err != nil {
			return nil, fmt.Errorf("meilisearch: list documents: %w", err)
		}
		var page []struct {
			ID   string `json:"id"`
			Hash string `json:"hash"`
		}
		if err := res.Results.DecodeInto(&page); err != nil {
			return nil, fmt.Errorf("meilisearch: list documents: %w", err)
		}
		for _, d := range page {
			out[d.ID] = d.Hash
		}
		if len(page) < hashPage {
			return out, nil
		}
	}
}

// Status describes the index. See search.Index.
func (x *Index) Status(ctx context.Context) (search.Status, error) {
	if x.closed.Load() {
		return search.Status{}, search.ErrClosed
	}
	st, err := x.index.GetStatsWithContext(ctx, nil)
	if err != nil {
		return search.Status{}, fmt.Errorf("meilisearch: stats: %w", err)
	}
	return search.Status{Schema: Schema(), Documents: int(st.NumberOfDocuments), Created: x.created}, nil
}

// Reset removes every document. See search.Index.
func (x *Index) Reset(ctx context.Context) error {
	if x.closed.Load() {
		return search.ErrClosed
	}
	t, err := x.index.DeleteAllDocumentsWithContext(ctx, nil)
	if err := x.wait(ctx, t, err); err != nil {
		return fmt.Errorf("meilisearch: delete all documents: %w", err)
	}
	return nil
}

// Close stops using the index; the server keeps it.
func (x *Index) Close() error {
	if x.closed.Swap(true) {
		return nil
	}
	x.client.Close()
	return nil
}
