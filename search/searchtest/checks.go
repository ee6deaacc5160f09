package searchtest

import (
	"context"
	"errors"
	"maps"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/carepool/carepool/search"
)

func testFacets(t *testing.T, idx search.Index) {
	res, err := idx.Search(context.Background(), search.Query{
		Filter: search.Filter{Near: nearLS6(1.3)},
		Facets: []search.Facet{search.FacetKind, search.FacetAccessibility, search.FacetBudgetForm},
	})
	if err != nil {
		t.Fatalf("Search: %v", err)
	}
	v := func(facet search.Facet, value string, n int) search.FacetValue {
		return search.FacetValue{Value: value, Label: facet.Label(value), Count: n}
	}
	want := []search.FacetCounts{
		{Facet: search.FacetKind, Values: []search.FacetValue{
			v(search.FacetKind, "community_activity", 6), v(search.FacetKind, "service", 2), v(search.FacetKind, "personal_assistant", 1)}},
		{Facet: search.FacetAccessibility, Values: []search.FacetValue{
			{Value: "hearing_loop", Label: "Hearing loop", Count: 2}, v(search.FacetAccessibility, "step_free", 2),
			{Value: "wheelchair_accessible", Label: "Wheelchair accessible", Count: 2},
			v(search.FacetAccessibility, "accessible_toilet", 1), v(search.FacetAccessibility, "bsl", 1),
			v(search.FacetAccessibility, "changing_places", 1), v(search.FacetAccessibility, "quiet_space", 1)}},
		{Facet: search.FacetBudgetForm, Values: []search.FacetValue{
			v(search.FacetBudgetForm, "direct_payment", 8), v(search.FacetBudgetForm, "isf", 7),
			v(search.FacetBudgetForm, "council_managed", 5), v(search.FacetBudgetForm, "indirect_payment", 2),
			v(search.FacetBudgetForm, "brokered_fund", 1), v(search.FacetBudgetForm, "trust_fund", 1)}},
	}
	if diff := cmp.Diff(want, res.Facets); diff != "" {
		t.Errorf("facets (-want +got):\n%s", diff)
	}
	// Facets count every match, not only the page.
	res, err = idx.Search(context.Background(), search.Query{Text: "swimming", PageSize: 1, Facets: []search.Facet{search.FacetDay}})
	if err != nil {
		t.Fatalf("Search: %v", err)
	}
	wantDays := []search.FacetCounts{{Facet: search.FacetDay, Values: []search.FacetValue{
		v(search.FacetDay, "saturday", 2), v(search.FacetDay, "sunday", 1)}}}
	if diff := cmp.Diff(wantDays, res.Facets); diff != "" {
		t.Errorf("day facet of a one-hit page (-want +got):\n%s", diff)
	}
}

func testApplied(t *testing.T, idx search.Index) {
	res, err := idx.Search(context.Background(), search.Query{Text: "swiming for autistic adults near LS6 on saturdays"})
	if err != nil {
		t.Fatalf("Search: %v", err)
	}
	want := []search.Applied{
		{Param: "near", Values: []string{"LS6"}, Label: "Within 10 miles of LS6", Text: "near LS6", Without: "swiming for autistic adults on saturdays"},
		{Param: "day", Values: []string{"saturday"}, Label: "Saturday", Text: "on saturdays", Without: "swiming for autistic adults near LS6"},
	}
	if diff := cmp.Diff(want, res.Applied); diff != "" {
		t.Errorf("Applied (-want +got):\n%s", diff)
	}
	if res.Text != "swiming for autistic adults " {
		t.Errorf("Text = %q, want the words left after understanding", res.Text)
	}
}

func testHits(t *testing.T, idx search.Index) {
	res, err := idx.Search(context.Background(), search.Query{Text: "swimming", Sort: search.SortDistance, Filter: search.Filter{Near: nearLS6(50)}})
	if err != nil {
		t.Fatalf("Search: %v", err)
	}
	if got := IDs(res); !cmp.Equal(got, []string{"swim-ls6", "swim-ls1", "swim-m1"}) {
		t.Fatalf("ids = %v", got)
	}
	h := res.Hits[0]
	if diff := cmp.Diff(Fixture()[0], h.Document); diff != "" {
		t.Errorf("document (-want +got):\n%s", diff)
	}
	wantTitle := []search.Span{{Text: "Swimming", Match: true}, {Text: " for autistic adults"}}
	if diff := cmp.Diff(wantTitle, h.Title); diff != "" {
		t.Errorf("title spans (-want +got):\n%s", diff)
	}
	if !hasMatch(h.Snippet, "swimming") {
		t.Errorf("snippet %v does not mark swimming", h.Snippet)
	}
	wantMiles := []float64{0.002, 1.752, 36.151}
	for i, h := range res.Hits {
		if h.DistanceMiles == nil || math.Abs(*h.DistanceMiles-wantMiles[i]) > 0.01 {
			t.Errorf("hit %s: DistanceMiles = %v, want %.3f", h.Document.ID, h.DistanceMiles, wantMiles[i])
		}
	}
}

func hasMatch(spans []search.Span, text string) bool {
	for _, s := range spans {
		if s.Match && equalFold(s.Text, text) {
			return true
		}
	}
	return false
}

func equalFold(a, b string) bool {
	return len(a) == len(b) && (a == b || a[0]|0x20 == b[0]|0x20 && a[1:] == b[1:])
}

func testInvalid(t *testing.T, idx search.Index) {
	for _, c := range []struct {
		name  string
		q     search.Query
		field string
	}{
		{"page size over the maximum", search.Query{PageSize: 101}, "per_page"},
		{"unknown outward code", search.Query{Filter: search.Filter{Near: &search.Near{Outcode: "ZZ99"}}}, "near"},
		{"negative radius", search.Query{Filter: search.Filter{Near: &search.Near{Outcode: "LS6", Miles: -1}}}, "within"},
		{"unknown facet", search.Query{Facets: []search.Facet{"price"}}, "facets"},
		{"distance sort without a place", search.Query{Sort: search.SortDistance}, "sort"},
		{"unknown day", search.Query{Filter: search.Filter{Days: []string{"caturday"}}}, "day"},
	} {
		_, err := idx.Search(context.Background(), c.q)
		var ve *search.ValidationError
		if !errors.As(err, &ve) || len(ve.Fields) != 1 || ve.Fields[0].Field != c.field {
			t.Errorf("%s: err = %v, want a ValidationError on %s", c.name, err, c.field)
		}
	}
}

func hashes(docs []search.Document) map[string]string {
	m := map[string]string{}
	for _, d := range docs {
		m[d.ID] = d.Hash()
	}
	return m
}

func testWrites(t *testing.T, idx search.Index) {
	ctx := context.Background()
	docs := Fixture()
	if err := idx.Upsert(ctx, docs...); err != nil {
		t.Fatalf("Upsert: %v", err)
	}
	if st, err := idx.Status(ctx); err != nil || st.Documents != len(docs) {
		t.Fatalf("Status = %+v, %v; want %d documents", st, err, len(docs))
	}
	bad := docs[0]
	bad.ID, bad.Title, bad.Days = "bad-one", " ", []string{"caturday"}
	var ve *search.ValidationError
	if err := idx.Upsert(ctx, docs[1], bad); !errors.As(err, &ve) || len(ve.Fields) != 2 {
		t.Errorf("Upsert(invalid) = %v, want a ValidationError on title and days", err)
	}
	changed := docs[12] // garden-club
	changed.Title = "Allotment club"
	if err := idx.Upsert(ctx, changed); err != nil {
		t.Fatalf("Upsert(changed): %v", err)
	}
	if err := idx.Delete(ctx, "choir", "no-such-id"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	for _, c := range []searchCase{
		{name: "old title is gone", q: search.Query{Text: "gardening"}},
		{name: "new title is found", q: search.Query{Text: "allotment"}, want: []string{"garden-club"}},
		{name: "deleted document is gone", q: search.Query{Text: "singing"}, want: []string{"bsl-club"}},
	} {
		t.Run(c.name, func(t *testing.T) { c.check(t, idx) })
	}
	want := hashes(docs)
	want["garden-club"] = changed.Hash()
	delete(want, "choir")
	got, err := idx.Hashes(ctx)
	if err != nil {
		t.Fatalf("Hashes: %v", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Hashes (-want +got):\n%s", diff)
	}
	if err := idx.Reset(ctx); err != nil {
		t.Fatalf("Reset: %v", err)
	}
	if st, err := idx.Status(ctx); err != nil || st.Documents != 0 {
		t.Errorf("Status after Reset = %+v, %v; want no documents", st, err)
	}
}

func testSync(t *testing.T, idx search.Index) {
	ctx := context.Background()
	docs := Fixture()
	steps := []struct {
		docs []search.Document
		want search.SyncStats
	}{
		{docs, search.SyncStats{Upserted: len(docs)}},
		{docs, search.SyncStats{Unchanged: len(docs)}},
		{func() []search.Document {
			d := append([]search.Document(nil), docs[2:]...)
			d[0].PricePence++
			return d
		}(), search.SyncStats{Upserted: 1, Deleted: 2, Unchanged: len(docs) - 3}},
	}
	for i, s := range steps {
		got, err := search.Sync(ctx, idx, s.docs)
		if err != nil {
			t.Fatalf("step %d: Sync: %v", i, err)
		}
		if got != s.want {
			t.Errorf("step %d: Sync = %+v, want %+v", i, got, s.want)
		}
		have, err := idx.Hashes(ctx)
		if err != nil {
			t.Fatalf("step %d: Hashes: %v", i, err)
		}
		if !maps.Equal(have, hashes(s.docs)) {
			t.Errorf("step %d: index does not hold the synced documents", i)
		}
	}
}
