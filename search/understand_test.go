package search

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPrepareTurnsPlacesDaysAndLanguagesIntoFilters(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		text     string
		wantText string
		want     Filter
		params   []string
	}{
		{"swimming near LS6", "swimming ", Filter{Near: &Near{Outcode: "LS6", Lat: 53.81928, Lng: -1.56704, Miles: 10}}, []string{"near"}},
		{"art within 5 miles of ls6 2ab", "art ", Filter{Near: &Near{Outcode: "LS6", Lat: 53.81928, Lng: -1.56704, Miles: 5}}, []string{"near"}},
		{"yoga on weekends", "yoga ", Filter{Days: []string{"saturday", "sunday"}}, []string{"day"}},
		{"choir saturday mornings", "choir ", Filter{Days: []string{"saturday"}, TimesOfDay: []string{"morning"}}, []string{"day", "time"}},
		{"cooking in the evening", "cooking ", Filter{TimesOfDay: []string{"evening"}}, []string{"time"}},
		{"PA who speaks Punjabi", "PA ", Filter{Languages: []string{"pa"}}, []string{"language"}},
		{"morning coffee club", "morning coffee club", Filter{}, nil},
		{"near ZZ99", "near ZZ99", Filter{}, nil},
		{"speaks klingon", "speaks klingon", Filter{}, nil},
	} {
		t.Run(c.text, func(t *testing.T) {
			q, applied, err := Prepare(Query{Text: c.text})
			if err != nil {
				t.Fatalf("Prepare: %v", err)
			}
			if q.Text != c.wantText {
				t.Errorf("Text = %q, want %q", q.Text, c.wantText)
			}
			if diff := cmp.Diff(c.want, q.Filter); diff != "" {
				t.Errorf("Filter (-want +got):\n%s", diff)
			}
			var params []string
			for _, a := range applied {
				params = append(params, a.Param)
			}
			if diff := cmp.Diff(c.params, params); diff != "" {
				t.Errorf("applied (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPrepareKeepsAnExplicitPlace(t *testing.T) {
	t.Parallel()
	q, applied, err := Prepare(Query{Text: "swimming near LS1", Filter: Filter{Near: &Near{Outcode: "LS6"}}})
	if err != nil {
		t.Fatalf("Prepare: %v", err)
	}
	if q.Filter.Near.Outcode != "LS6" || len(applied) != 0 || q.Text != "swimming " {
		t.Errorf("Prepare = %+v, %+v; want LS6 kept, LS1 dropped from the text and not applied", q, applied)
	}
}

func TestEmbeddedSynonymsAreSymmetric(t *testing.T) {
	t.Parallel()
	syn := Synonyms()
	for _, pair := range [][2]string{{"pa", "personal assistant"}, {"respite", "short break"}, {"day centre", "day service"}, {"ld", "learning disability"}} {
		for _, p := range [][2]string{pair, {pair[1], pair[0]}} {
			found := false
			for _, v := range syn[p[0]] {
				found = found || v == p[1]
			}
			if !found {
				t.Errorf("synonyms of %q lack %q", p[0], p[1])
			}
		}
	}
}
