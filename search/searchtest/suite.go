// Package searchtest is the behaviour suite every search.Index adapter must
// pass, with its fixed data set, and a generator of synthetic offers for
// benchmarks.
package searchtest

import (
	"context"
	"errors"
	"slices"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/carepool/carepool/search"
)

// NewIndex returns an empty index for one test; it should register its own
// cleanup.
type NewIndex func(t *testing.T) search.Index

// Run runs the behaviour suite against the indexes newIndex returns. Every
// adapter must give the same ids for every query, in the same order where an
// explicit sort or the ranking rules define the order.
func Run(t *testing.T, newIndex NewIndex) {
	ctx := context.Background()
	t.Run("Queries", func(t *testing.T) {
		idx := newIndex(t)
		if err := idx.Upsert(ctx, Fixture()...); err != nil {
			t.Fatalf("Upsert(fixture): %v", err)
		}
		for _, c := range searchCases() {
			t.Run(c.name, func(t *testing.T) {
				t.Parallel()
				c.check(t, idx)
			})
		}
		t.Run("facets count the matching documents", func(t *testing.T) {
			t.Parallel()
			testFacets(t, idx)
		})
		t.Run("query understanding returns the filters it applied", func(t *testing.T) {
			t.Parallel()
			testApplied(t, idx)
		})
		t.Run("hits carry highlights and distance", func(t *testing.T) {
			t.Parallel()
			testHits(t, idx)
		})
		t.Run("invalid queries name the fields at fault", func(t *testing.T) {
			t.Parallel()
			testInvalid(t, idx)
		})
	})
	t.Run("Writes", func(t *testing.T) {
		t.Parallel()
		testWrites(t, newIndex(t))
	})
	t.Run("Sync converges on the store's documents", func(t *testing.T) {
		t.Parallel()
		testSync(t, newIndex(t))
	})
	t.Run("Closed index returns ErrClosed", func(t *testing.T) {
		t.Parallel()
		idx := newIndex(t)
		if err := idx.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
		if _, err := idx.Search(ctx, search.Query{Text: "swimming"}); !errors.Is(err, search.ErrClosed) {
			t.Errorf("Search after Close: err = %v, want ErrClosed", err)
		}
		if err := idx.Upsert(ctx, Fixture()[0]); !errors.Is(err, search.ErrClosed) {
			t.Errorf("Upsert after Close: err = %v, want ErrClosed", err)
		}
		if err := idx.Close(); err != nil {
			t.Errorf("second Close: %v", err)
		}
	})
}

// searchCase is one query and the ids it must return. With order set, hits
// must come in that order of groups (ids within a group in any order: a tie
// the ranking rules leave open); otherwise only the set is checked.
type searchCase struct {
	name  string
	q     search.Query
	want  []string
	order [][]string
}

func (c searchCase) check(t *testing.T, idx search.Index) {
	t.Helper()
	q := c.q
	if q.PageSize == 0 {
		q.PageSize = search.MaxPageSize
	}
	res, err := idx.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("Search(%+v): %v", q, err)
	}
	got := IDs(res)
	want := c.want
	if c.order != nil {
		want = slices.Concat(c.order...)
	}
	if diff := cmp.Diff(sorted(want), sorted(got)); diff != "" {
		t.Fatalf("Search(%q) ids (-want +got):\n%s", q.Text, diff)
	}
	if res.Total != len(want) && q.Page <= 1 {
		t.Errorf("Search(%q) Total = %d, want %d", q.Text, res.Total, len(want))
	}
	at := 0
	for gi, g := range c.order {
		part := got[at : at+len(g)]
		if diff := cmp.Diff(sorted(g), sorted(part)); diff != "" {
			t.Fatalf("Search(%q) order: group %d (-want +got):\n%s\nall hits: %v", q.Text, gi, diff, got)
		}
		at += len(g)
	}
}

// IDs lists the ids of a result's hits in order.
func IDs(r search.Result) []string {
	out := make([]string, len(r.Hits))
	for i, h := range r.Hits {
		out[i] = h.Document.ID
	}
	return out
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	sort.Strings(s)
	if s == nil {
		s = []string{}
	}
	return s
}

func one(ids ...string) [][]string {
	out := make([][]string, len(ids))
	for i, id := range ids {
		out[i] = []string{id}
	}
	return out
}

func pence(p int64) *int64 { return &p }
