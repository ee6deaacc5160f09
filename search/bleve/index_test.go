package bleveindex_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/carepool/carepool/search"
	bleveindex "github.com/carepool/carepool/search/bleve"
	"github.com/carepool/carepool/search/searchtest"
)

func mustOpenMemory(t *testing.T) search.Index {
	t.Helper()
	idx, err := bleveindex.OpenMemory()
	if err != nil {
		t.Fatalf("OpenMemory: %v", err)
	}
	t.Cleanup(func() { idx.Close() })
	return idx
}

func mustOpenDir(t *testing.T) search.Index {
	t.Helper()
	idx, err := bleveindex.Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { idx.Close() })
	return idx
}

func TestBehaviourSuite(t *testing.T) {
	t.Parallel()
	searchtest.Run(t, mustOpenMemory)
}

func TestBehaviourSuiteOnDisk(t *testing.T) {
	t.Parallel()
	searchtest.Run(t, mustOpenDir)
}

// catalog is a store's documents, for Rebuild.
type catalog []search.Document

func (c catalog) CountDocuments(context.Context) (int, error) { return len(c), nil }
func (c catalog) Documents(ctx context.Context, fn func([]search.Document) error) error {
	for page := range slices.Chunk(c, 300) {
		if err := fn(page); err != nil {
			return err
		}
	}
	return nil
}

func TestRebuildFillsACompactIndexThatOpensAgain(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "index")
	idx, err := bleveindex.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if st, err := idx.Status(ctx); err != nil || !st.Created {
		t.Fatalf("Status of a new index = %+v, %v; want Created", st, err)
	}
	docs := catalog(searchtest.Generate(800, 1))
	var calls [][2]int
	n, err := search.Rebuild(ctx, idx, docs, func(done, total int) { calls = append(calls, [2]int{done, total}) })
	if err != nil || n != len(docs) {
		t.Fatalf("Rebuild = %d, %v", n, err)
	}
	if last := calls[len(calls)-1]; calls[0] != [2]int{0, 800} || last != [2]int{800, 800} {
		t.Errorf("progress = %v, want from 0 to 800 of 800", calls)
	}
	if got := bleveindex.Segments(idx); got != 1 {
		t.Errorf("segments after Rebuild = %d, want 1", got)
	}
	res, err := idx.Search(ctx, search.Query{Text: "swimming", Filter: search.Filter{Near: &search.Near{Outcode: "M1", Miles: 200}}})
	if err != nil || res.Total == 0 {
		t.Fatalf("Search = %d results, %v", res.Total, err)
	}
	if err := idx.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := bleveindex.Open(dir)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer again.Close()
	st, err := again.Status(ctx)
	if err != nil || st.Created || st.Documents != len(docs) {
		t.Errorf("Status after reopening = %+v, %v; want %d documents, not created", st, err, len(docs))
	}
	res2, err := again.Search(ctx, search.Query{Text: "swimming", Filter: search.Filter{Near: &search.Near{Outcode: "M1", Miles: 200}}})
	if err != nil || res2.Total != res.Total {
		t.Errorf("Search after reopening = %d results, %v; want %d", res2.Total, err, res.Total)
	}
	if _, err := bleveindex.Open(dir); err == nil {
		t.Error("a second Open of the same directory succeeded; want it to fail while the first holds it")
	}
}
