package search

import (
	"context"
	"fmt"
	"slices"
)

// Catalog lists every document the public may find, from the store, for
// rebuilding and reconciling an index. Its methods return the store's
// errors.
type Catalog interface {
	// CountDocuments returns about how many documents Documents lists, for
	// progress reports.
	CountDocuments(ctx context.Context) (int, error)
	// Documents calls fn with every document the public may find, a page at
	// a time, in no particular order, and stops at fn's first error, which
	// it returns.
	Documents(ctx context.Context, fn func(page []Document) error) error
}

// Compacter is implemented by an Index that can reorganise itself for
// faster queries after a bulk load (the Bleve adapter merges its segments
// into one). Rebuild calls it.
type Compacter interface {
	Compact(ctx context.Context) error
}

// Progress is told how many documents of about how many are done.
type Progress func(done, total int)

// SyncStats counts what Sync changed.
type SyncStats struct {
	Upserted, Deleted, Unchanged int
}

// syncBatch is how many documents Sync and Rebuild send to the index at once.
const syncBatch = 1000

// Sync makes idx hold exactly docs (the store's view): it upserts documents
// that are new or whose content hash differs from the indexed one and deletes
// indexed documents that are not in docs. Running it twice changes nothing
// the second time. It returns the index's errors, wrapped.
func Sync(ctx context.Context, idx Index, docs []Document) (SyncStats, error) {
	return syncFrom(ctx, idx, func(_ context.Context, fn func([]Document) error) error { return fn(docs) })
}

// Reconcile is Sync with the catalog's documents, read a page at a time: it
// repairs whatever the outbox missed (a document that changed with time,
// such as a provider's verification expiring) without rebuilding.
func Reconcile(ctx context.Context, idx Index, c Catalog) (SyncStats, error) {
	return syncFrom(ctx, idx, c.Documents)
}

func syncFrom(ctx context.Context, idx Index, each func(context.Context, func([]Document) error) error) (SyncStats, error) {
	var st SyncStats
	have, err := idx.Hashes(ctx)
	if err != nil {
		return st, fmt.Errorf("sync: list indexed documents: %w", err)
	}
	want := map[string]bool{}
	var changed []Document
	flush := func(all bool) error {
		for len(changed) >= syncBatch || all && len(changed) > 0 {
			n := min(len(changed), syncBatch)
			if err := idx.Upsert(ctx, changed[:n]...); err != nil {
				return fmt.Errorf("sync: upsert: %w", err)
			}
			st.Upserted += n
			changed = changed[n:]
		}
		return nil
	}
	err = each(ctx, func(page []Document) error {
		for _, d := range page {
			want[d.ID] = true
			if h, ok := have[d.ID]; ok && h == d.Hash() {
				st.Unchanged++
				continue
			}
			changed = append(changed, d)
		}
		return flush(false)
	})
	if err == nil {
		err = flush(true)
	}
	if err != nil {
		return st, fmt.Errorf("sync: %w", err)
	}
	var gone []string
	for id := range have {
		if !want[id] {
			gone = append(gone, id)
		}
	}
	slices.Sort(gone)
	for batch := range slices.Chunk(gone, syncBatch) {
		if err := idx.Delete(ctx, batch...); err != nil {
			return st, fmt.Errorf("sync: delete: %w", err)
		}
		st.Deleted += len(batch)
	}
	return st, nil
}

// Rebuild empties idx and fills it with the catalog's documents, telling
// progress (which may be nil) as it goes, then compacts it when it can. It
// returns how many documents it indexed. Searches meanwhile see a partial
// index, never one of an older schema.
func Rebuild(ctx context.Context, idx Index, c Catalog, progress Progress) (int, error) {
	total, err := c.CountDocuments(ctx)
	if err != nil {
		return 0, fmt.Errorf("rebuild: count documents: %w", err)
	}
	if err := idx.Reset(ctx); err != nil {
		return 0, fmt.Errorf("rebuild: %w", err)
	}
	done := 0
	if progress != nil {
		progress(0, total)
	}
	err = c.Documents(ctx, func(page []Document) error {
		for batch := range slices.Chunk(page, syncBatch) {
			if err := idx.Upsert(ctx, batch...); err != nil {
				return fmt.Errorf("upsert: %w", err)
			}
			done += len(batch)
			if progress != nil {
				progress(done, max(total, done))
			}
		}
		return nil
	})
	if err != nil {
		return done, fmt.Errorf("rebuild: %w", err)
	}
	if cp, ok := idx.(Compacter); ok {
		if err := cp.Compact(ctx); err != nil {
			return done, fmt.Errorf("rebuild: %w", err)
		}
	}
	return done, nil
}
