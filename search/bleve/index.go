// Package bleveindex is the embedded search adapter: a search.Index on
// Bleve (github.com/blevesearch/bleve/v2), stored in a directory of its own
// or in memory. It is the default when MEILI_URL is not set.
package bleveindex

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/carepool/carepool/search"
	"github.com/carepool/carepool/search/internal/relevance"
)

// Index is a search.Index on Bleve.
type Index struct {
	dir string // "" in memory

	mu      sync.RWMutex // writers (Upsert, Delete, Reset, Close) exclude each other and Reset/Close exclude readers
	idx     bleve.Index
	closed  bool
	created bool

	segs segCache      // what queries keep of each segment
	warm chan struct{} // asks the warmer to load new segments' data
	done chan struct{} // closed by Close: stops the warmer

	synonyms relevance.Synonyms
	phrases  map[string]bool // the multi-word synonyms, indexed as terms of fPhrases
	stop     map[string]bool
}

var _ search.Index = (*Index)(nil)

const schemaKey = "carepool_schema"

// Schema is the schema version this adapter builds indexes with.
func Schema() string { return fmt.Sprintf("%s-bleve%d", search.SchemaVersion(), mappingVersion) }

// Open opens the index in dir, creating it when dir holds none. When dir
// holds an index built with another schema (a changed mapping, synonyms or
// stop words), that index is deleted and an empty one created: Status then
// reports Created, and the caller fills it from the store. A dir that exists
// but holds something other than a Bleve index is an error, never deleted.
func Open(dir string) (*Index, error) {
	x := newIndex(dir)
	register() // the stored mapping names our tokenizer
	if _, err := os.Stat(filepath.Join(dir, "index_meta.json")); err == nil {
		idx, err := bleve.OpenUsing(dir, scorchConfig())
		if err != nil {
			return nil, fmt.Errorf("open search index %s: %w", dir, err)
		}
		v, err := idx.GetInternal([]byte(schemaKey))
		if err == nil && string(v) == Schema() {
			x.idx = idx
			x.follow(idx)
			x.start()
			return x, nil
		}
		idx.Close()
		if err := os.RemoveAll(dir); err != nil {
			return nil, fmt.Errorf("remove stale search index %s: %w", dir, err)
		}
	} else if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return nil, fmt.Errorf("open search index: %s is not empty and holds no search index", dir)
	}
	if err := x.create(); err != nil {
		return nil, err
	}
	x.start()
	return x, nil
}

// OpenMemory returns an empty index held in memory, for tests.
func OpenMemory() (*Index, error) {
	x := newIndex("")
	if err := x.create(); err != nil {
		return nil, err
	}
	x.start()
	return x, nil
}

func newIndex(dir string) *Index {
	stop := map[string]bool{}
	for _, w := range search.StopWords() {
		stop[w] = true
	}
	syn := relevance.Synonyms(search.Synonyms())
	phrases := map[string]bool{}
	for k := range syn {
		if strings.Contains(k, " ") {
			phrases[k] = true
		}
	}
	return &Index{dir: dir, synonyms: syn, phrases: phrases, stop: stop,
		warm: make(chan struct{}, 1), done: make(chan struct{})}
}

// lockTimeout is how long Open waits for another process to let go of the
// index directory.
var lockTimeout = 3 * time.Second

// scorchConfig is the configuration of the index. A second process opening
// the same directory fails after the timeout instead of waiting for the
// lock forever; the event callback keeps the warmer informed.
func scorchConfig() map[string]interface{} {
	return map[string]interface{}{"bolt_timeout": lockTimeout.String(), "eventCallbackName": eventCallbackName}
}

// create makes a new, empty index; the caller holds mu or owns x.
func (x *Index) create() error {
	m, err := newMapping()
	if err != nil {
		return err
	}
	// Scorch in memory too (rather than bleve.NewMemOnly's upsidedown), so
	// that tests run the same segment-based query code as the server.
	var idx bleve.Index
	if x.dir == "" {
		idx, err = bleve.NewUsing("", mapping.IndexMapping(m), scorch.Name, scorch.Name,
			map[string]interface{}{"eventCallbackName": eventCallbackName})
	} else {
		idx, err = bleve.NewUsing(x.dir, mapping.IndexMapping(m), scorch.Name, scorch.Name, scorchConfig())
	}
	if err != nil {
		return fmt.Errorf("create search index: %w", err)
	}
	if err := idx.SetInternal([]byte(schemaKey), []byte(Schema())); err != nil {
		idx.Close()
		return fmt.Errorf("create search index: %w", err)
	}
	x.idx, x.created = idx, true
	x.segs.reset()
	x.follow(idx)
	return nil
}

// Upsert adds or replaces documents in one batch. See search.Index.
func (x *Index) Upsert(ctx context.Context, docs ...search.Document) error {
	var v search.ValidationError
	for i, d := range docs {
		if err := d.Validate(); err != nil {
			for _, f := range err.(*search.ValidationError).Fields {
				v.Add(fmt.Sprintf("documents[%d].%s", i, f.Field), f.Message)
			}
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	return x.write(ctx, func(b *bleve.Batch) error {
		for _, d := range docs {
			src, err := json.Marshal(d)
			if err != nil {
				return err
			}
			if err := b.Index(d.ID, x.fields(d, string(src))); err != nil {
				return fmt.Errorf("index %s: %w", d.ID, err)
			}
		}
		return nil
	})
}

// Delete removes documents. See search.Index.
func (x *Index) Delete(ctx context.Context, ids ...string) error {
	return x.write(ctx, func(b *bleve.Batch) error {
		for _, id := range ids {
			b.Delete(id)
		}
		return nil
	})
}

func (x *Index) write(ctx context.Context, fill func(*bleve.Batch) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.closed {
		return search.ErrClosed
	}
	b := x.idx.NewBatch()
	if err := fill(b); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	if err := x.idx.Batch(b); err != nil {
		return fmt.Errorf("search index batch: %w", err)
	}
	return nil
}

// Compact merges the index's segments into one, for the fastest queries
// after a bulk load (search.Rebuild calls it); it returns when the merge is
// done. An index in memory is left as it is.
func (x *Index) Compact(ctx context.Context) error {
	// The merge runs beside reads and writes: mu is held only to look at
	// the index, so that nothing waits for the merge.
	segments := func() (*scorch.Scorch, int, error) {
		x.mu.RLock()
		defer x.mu.RUnlock()
		if x.closed {
			return nil, 0, search.ErrClosed
		}
		adv, err := x.idx.Advanced()
		if err != nil {
			return nil, 0, fmt.Errorf("compact search index: %w", err)
		}
		s, ok := adv.(*scorch.Scorch)
		if !ok {
			return nil, 0, fmt.Errorf("compact search index: unexpected index type %T", adv)
		}
		snap, release, err := x.snapshot()
		if err != nil {
			return nil, 0, err
		}
		defer release()
		return s, len(snap.Segments()), nil
	}
	if x.dir == "" {
		return nil // scorch merges nothing in memory
	}
	// One force merge merges at most SegmentsPerMergeTask segments at a
	// time; repeat until one is left.
	for range 20 {
		s, n, err := segments()
		if err != nil || n <= 1 {
			return err
		}
		if err := s.ForceMerge(ctx, nil); err != nil {
			return fmt.Errorf("compact search index: %w", err)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return nil
}

// snapshot returns the index's current snapshot; the caller holds mu for
// reading and calls release when done with it.
func (x *Index) snapshot() (snap *scorch.IndexSnapshot, release func(), err error) {
	adv, err := x.idx.Advanced()
	if err != nil {
		return nil, nil, fmt.Errorf("search index: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, nil, fmt.Errorf("search index: %w", err)
	}
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		r.Close()
		return nil, nil, fmt.Errorf("search index: unexpected reader type %T", r)
	}
	return snap, func() { r.Close() }, nil
}

// Hashes lists the indexed documents' content hashes. See search.Index.
func (x *Index) Hashes(ctx context.Context) (map[string]string, error) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.closed {
		return nil, search.ErrClosed
	}
	out := map[string]string{}
	var after []string
	for {
		req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), 5000, 0, false)
		req.Fields = []string{fHash}
		req.SortBy([]string{"_id"})
		req.SearchAfter = after
		req.Score = "none"
		res, err := x.idx.SearchInContext(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("list search index: %w", err)
		}
		for _, h := range res.Hits {
			s, _ := h.Fields[fHash].(string)
			out[h.ID] = s
		}
		if len(res.Hits) < 5000 {
			return out, nil
		}
		after = []string{res.Hits[len(res.Hits)-1].ID}
	}
}

// Status describes the index. See search.Index.
func (x *Index) Status(ctx context.Context) (search.Status, error) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.closed {
		return search.Status{}, search.ErrClosed
	}
	n, err := x.idx.DocCount()
	if err != nil {
		return search.Status{}, fmt.Errorf("count search index: %w", err)
	}
	return search.Status{Schema: Schema(), Documents: int(n), Created: x.created}, nil
}

// Reset empties the index. See search.Index.
func (x *Index) Reset(ctx context.Context) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.closed {
		return search.ErrClosed
	}
	x.unfollow(x.idx)
	if err := x.idx.Close(); err != nil {
		return fmt.Errorf("close search index: %w", err)
	}
	if x.dir != "" {
		if err := os.RemoveAll(x.dir); err != nil {
			return fmt.Errorf("remove search index: %w", err)
		}
	}
	return x.create()
}

// Close closes the index. See search.Index.
func (x *Index) Close() error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.closed {
		return nil
	}
	x.closed = true
	close(x.done)
	x.unfollow(x.idx)
	if err := x.idx.Close(); err != nil {
		return fmt.Errorf("close search index: %w", err)
	}
	return nil
}
