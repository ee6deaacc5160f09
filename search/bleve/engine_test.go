package bleveindex

import (
	"cmp"
	"context"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/carepool/carepool/marketplace/outcode"
	"github.com/carepool/carepool/search"
	"github.com/carepool/carepool/search/internal/relevance"
	"github.com/carepool/carepool/search/searchtest"
)

// TestAnswersAgreeWithAReferenceEvaluation checks the segment and bitmap
// query evaluation against a direct reading of the rules, document by
// document, on generated offers spread over several segments with updates
// and deletions: the same totals, the same facet counts, and the same ids
// where the order is defined.
func TestAnswersAgreeWithAReferenceEvaluation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	x, err := OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	docs := searchtest.Generate(1200, 11)
	for batch := range slices.Chunk(docs, 200) {
		if err := x.Upsert(ctx, batch...); err != nil {
			t.Fatal(err)
		}
	}
	// Updates and deletions leave deleted documents in older segments.
	store := map[string]search.Document{}
	for _, d := range docs {
		store[d.ID] = d
	}
	r := rand.New(rand.NewPCG(3, 4))
	var changed []search.Document
	var gone []string
	for i := 0; i < 150; i++ {
		d := docs[r.IntN(len(docs))]
		if i%3 == 0 {
			gone = append(gone, d.ID)
			continue
		}
		d.PricePence += 100
		d.Title = "Changed " + d.Title
		changed = append(changed, d)
	}
	for _, d := range changed {
		store[d.ID] = d
	}
	for _, id := range gone { // deleted after the changes, below too
		delete(store, id)
	}
	if err := x.Upsert(ctx, changed...); err != nil {
		t.Fatal(err)
	}
	if err := x.Delete(ctx, gone...); err != nil {
		t.Fatal(err)
	}
	all := slices.Collect(maps.Values(store))

	var queries []search.Query
	for i, q := range searchtest.MixedQueries(150, 5) {
		// Centre the radius on an offer, so that most queries match some.
		d := docs[r.IntN(len(docs))]
		if len(d.Outcodes) > 0 {
			q.Filter.Near.Outcode = d.Outcodes[0]
		}
		q.PageSize = search.MaxPageSize
		switch i % 5 {
		case 1:
			q.Sort = search.SortPrice
		case 2:
			q.Text = "" // browsing: newest first
		case 3:
			q.Sort = search.SortDistance
		}
		queries = append(queries, q)
	}
	queries = append(queries,
		search.Query{PageSize: 50, Facets: search.AllFacets},
		search.Query{Text: "personal assistant", PageSize: 100, Facets: []search.Facet{search.FacetLanguage}},
		search.Query{Text: "respite", PageSize: 100, Filter: search.Filter{Types: []string{search.TypePool}}},
		search.Query{Text: "day", Page: 3, PageSize: 7, Sort: search.SortNewest},
	)
	for i, q := range queries {
		got, err := x.Search(ctx, q)
		if err != nil {
			t.Fatalf("query %d: %v", i, err)
		}
		pq, _, err := search.Prepare(q)
		if err != nil {
			t.Fatal(err)
		}
		tq := relevance.ParseQuery(pq.Text, x.synonyms, x.stop)
		var match []search.Document
		for _, d := range all {
			if refMatch(d, pq, tq) {
				match = append(match, d)
			}
		}
		if got.Total != len(match) {
			t.Errorf("query %d %+v: Total = %d, want %d", i, q, got.Total, len(match))
			continue
		}
		if diff := gocmp.Diff(refFacets(pq.Facets, match), got.Facets); diff != "" {
			t.Errorf("query %d: facets (-want +got):\n%s", i, diff)
		}
		ids := searchtest.IDs(got)
		switch {
		case pq.Text == "" || pq.Sort == search.SortNewest && !tq.Empty():
			// Defined order: by key, then (without words) by id.
			want := refOrder(pq, match, tq)
			if diff := gocmp.Diff(want, ids, cmpopts.EquateEmpty()); diff != "" && pq.Text == "" {
				t.Errorf("query %d %+v: ids (-want +got):\n%s", i, q, diff)
			}
		case len(match) <= search.MaxPageSize:
			// Every match, in any order beyond the ranking rules'.
			want := make([]string, len(match))
			for k, d := range match {
				want[k] = d.ID
			}
			if diff := gocmp.Diff(sorted(want), sorted(ids)); diff != "" {
				t.Errorf("query %d %+v: ids (-want +got):\n%s", i, q, diff)
			}
		}
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// refMatch reads the filter and word rules directly.
func refMatch(d search.Document, q search.Query, tq relevance.Query) bool {
	f := q.Filter
	anyOf := func(want, have []string) bool {
		return len(want) == 0 || slices.ContainsFunc(want, func(w string) bool { return slices.Contains(have, w) })
	}
	if !anyOf(f.Types, []string{d.Type}) || !anyOf(f.Kinds, []string{d.Kind}) || !anyOf(f.Categories, d.Categories) ||
		!anyOf(f.BudgetForms, d.BudgetForms) || !anyOf(f.Languages, d.Languages) || !anyOf(f.Days, d.Days) ||
		!anyOf(f.TimesOfDay, d.TimesOfDay) {
		return false
	}
	for _, a := range f.Accessibility {
		if !slices.Contains(d.Accessibility, a) {
			return false
		}
	}
	if f.VerifiedOnly && !d.Verified || f.MaxPricePence != nil && d.PricePence > *f.MaxPricePence {
		return false
	}
	if n := f.Near; n != nil {
		serves := n.Outcode != "" && slices.Contains(d.Outcodes, n.Outcode)
		near := d.Geo != nil && outcode.DistanceMiles(n.Lat, n.Lng, d.Geo.Lat, d.Geo.Lng) <= n.Miles
		if !serves && !near {
			return false
		}
	}
	_, ok := relevance.Match(tq, textOf(d))
	return ok
}

func refFacets(facets []search.Facet, match []search.Document) []search.FacetCounts {
	var out []search.FacetCounts
	for _, f := range facets {
		counts := map[string]int{}
		for _, d := range match {
			var vs []string
			switch f {
			case search.FacetType:
				vs = []string{d.Type}
			case search.FacetKind:
				vs = []string{d.Kind}
			case search.FacetCategory:
				vs = d.Categories
			case search.FacetBudgetForm:
				vs = d.BudgetForms
			case search.FacetLanguage:
				vs = d.Languages
			case search.FacetAccessibility:
				vs = d.Accessibility
			case search.FacetDay:
				vs = d.Days
			}
			for _, v := range vs {
				counts[v]++
			}
		}
		fc := search.FacetCounts{Facet: f}
		for v, n := range counts {
			fc.Values = append(fc.Values, search.FacetValue{Value: v, Label: f.Label(v), Count: n})
		}
		search.SortFacetValues(fc.Values)
		out = append(out, fc)
	}
	return out
}

// refOrder is the page of an explicit sort (or, without words, newest
// first), ties by id.
func refOrder(q search.Query, match []search.Document, tq relevance.Query) []string {
	key := func(d search.Document) (float64, int64) {
		switch q.Sort {
		case search.SortPrice:
			return float64(d.PricePence), -d.CreatedAt.Unix()
		case search.SortDistance:
			if d.Geo == nil {
				return math.Inf(1), 0
			}
			return outcode.DistanceMiles(q.Filter.Near.Lat, q.Filter.Near.Lng, d.Geo.Lat, d.Geo.Lng), 0
		}
		return -float64(d.CreatedAt.Unix()), 0
	}
	s := slices.Clone(match)
	slices.SortFunc(s, func(a, b search.Document) int {
		a1, a2 := key(a)
		b1, b2 := key(b)
		if c := cmp.Compare(a1, b1); c != 0 {
			return c
		}
		if c := cmp.Compare(a2, b2); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	var ids []string
	for _, d := range s[min(q.Offset(), len(s)):min(q.Offset()+q.PageSize, len(s))] {
		ids = append(ids, d.ID)
	}
	return ids
}

// TestSearchesRunWhileTheIndexChanges runs queries from several goroutines while
// documents are written and deleted (run it with -race).
func TestSearchesRunWhileTheIndexChanges(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	x, err := Open(t.TempDir() + "/index")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	docs := searchtest.Generate(600, 9)
	if err := x.Upsert(ctx, docs[:300]...); err != nil {
		t.Fatal(err)
	}
	qs := searchtest.MixedQueries(200, 3)
	done := make(chan struct{})
	errs := make(chan error, 4)
	for g := range 3 {
		go func() {
			for i := g; ; i += 3 {
				select {
				case <-done:
					errs <- nil
					return
				default:
				}
				q := qs[i%len(qs)]
				q.Filter.Near.Miles = 200
				if _, err := x.Search(ctx, q); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for batch := range slices.Chunk(docs[300:], 50) {
		if err := x.Upsert(ctx, batch...); err != nil {
			t.Fatal(err)
		}
		if err := x.Delete(ctx, batch[0].ID); err != nil {
			t.Fatal(err)
		}
	}
	close(done)
	for range 3 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	res, err := x.Search(ctx, search.Query{PageSize: 1})
	if err != nil || res.Total != len(docs)-6 {
		t.Errorf("Total = %d, %v; want %d", res.Total, err, len(docs)-6)
	}
}

func TestAnIndexOfAnotherSchemaIsReplacedByAnEmptyOne(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir() + "/index"
	x, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := x.Upsert(ctx, searchtest.Fixture()...); err != nil {
		t.Fatal(err)
	}
	// As if built by an older version: another mapping, synonyms or stop words.
	if err := x.idx.SetInternal([]byte(schemaKey), []byte("an-older-schema")); err != nil {
		t.Fatal(err)
	}
	x.Close()
	x, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	st, err := x.Status(ctx)
	if err != nil || !st.Created || st.Documents != 0 || st.Schema != Schema() {
		t.Errorf("Status = %+v, %v; want a new, empty index of schema %s", st, err, Schema())
	}
}
