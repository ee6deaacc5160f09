package search

import (
	"context"
	"fmt"
	"slices"
)

// SyncStats counts what Sync changed.
type SyncStats struct {
	Upserted, Deleted, Unchanged int
}

// syncBatch is how many documents Sync sends to the index at once.
const syncBatch = 1000

// Sync makes idx hold exactly docs (the store's view): it upserts documents
// that are new or whose content hash differs from the indexed one and deletes
// indexed documents that are not in docs. Running it twice changes nothing
// the second time. It returns the index's errors, wrapped.
func Sync(ctx context.Context, idx Index, docs []Document) (SyncStats, error) {
	var st SyncStats
	have, err := idx.Hashes(ctx)
	if err != nil {
		return st, fmt.Errorf("sync: list indexed documents: %w", err)
	}
	var changed []Document
	want := make(map[string]bool, len(docs))
	for _, d := range docs {
		want[d.ID] = true
		if h, ok := have[d.ID]; ok && h == d.Hash() {
			st.Unchanged++
			continue
		}
		changed = append(changed, d)
	}
	for batch := range slices.Chunk(changed, syncBatch) {
		if err := idx.Upsert(ctx, batch...); err != nil {
			return st, fmt.Errorf("sync: upsert: %w", err)
		}
		st.Upserted += len(batch)
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
