package search

import (
	"errors"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseURLQueryReadsEveryParameter(t *testing.T) {
	t.Parallel()
	price := int64(2550)
	for _, c := range []struct {
		name, raw string
		want      Query
	}{
		{"empty", "", Query{}},
		{"text and lists", "q=swimming&day=saturday,sunday&day=monday&kind=community_activity&facets=kind,category",
			Query{Text: "swimming", Filter: Filter{Days: []string{"saturday", "sunday", "monday"}, Kinds: []string{"community_activity"}},
				Facets: []Facet{FacetKind, FacetCategory}}},
		{"price in pounds", "max_price=%C2%A325.50", Query{Filter: Filter{MaxPricePence: &price}}},
		{"near an outward code", "near=ls6&within=5&sort=distance", Query{Sort: SortDistance, Filter: Filter{Near: &Near{Outcode: "LS6", Miles: 5}}}},
		{"near a full postcode", "near=LS6+2AB", Query{Filter: Filter{Near: &Near{Outcode: "LS6"}}}},
		{"near a point", "lat=53.8&lng=-1.5", Query{Filter: Filter{Near: &Near{Lat: 53.8, Lng: -1.5}}}},
		{"paging and flags", "page=2&per_page=50&verified=true&literal=1&access=bsl&language=PA&budget_form=isf&time=evening&type=pool&category=music",
			Query{Page: 2, PageSize: 50, Literal: true, Filter: Filter{VerifiedOnly: true, Accessibility: []string{"bsl"},
				Languages: []string{"pa"}, BudgetForms: []string{"isf"}, TimesOfDay: []string{"evening"}, Types: []string{"pool"}, Categories: []string{"music"}}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			v, _ := url.ParseQuery(c.raw)
			got, err := ParseURLQuery(v)
			if err != nil {
				t.Fatalf("ParseURLQuery(%q): %v", c.raw, err)
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("ParseURLQuery(%q) (-want +got):\n%s", c.raw, diff)
			}
		})
	}
}

func TestParseURLQueryNamesEveryParameterAtFault(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, raw string
		fields    []string
	}{
		{"unknown parameter", "colour=red", []string{"colour"}},
		{"page size over 100", "per_page=101", []string{"per_page"}},
		{"negative radius", "near=LS6&within=-2", []string{"within"}},
		{"unknown outward code", "near=ZZ99", []string{"near"}},
		{"radius without a place", "within=3", []string{"within"}},
		{"bad values", "day=caturday&kind=robot&sort=cheapest&facets=price&max_price=ten&page=0",
			[]string{"max_price", "page", "sort", "facets", "kind", "day"}},
		{"lat without lng", "lat=53", []string{"lat"}},
		{"both near and a point", "near=LS6&lat=1&lng=1", []string{"near"}},
		{"repeated single parameter", "q=a&q=b", []string{"q"}},
		{"distance sort without a place", "sort=distance", []string{"sort"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			v, _ := url.ParseQuery(c.raw)
			_, err := ParseURLQuery(v)
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("ParseURLQuery(%q) = %v, want a ValidationError", c.raw, err)
			}
			var got []string
			for _, f := range ve.Fields {
				got = append(got, f.Field)
				if f.Message == "" {
					t.Errorf("field %s has no message", f.Field)
				}
			}
			if diff := cmp.Diff(c.fields, got); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
}

func FuzzParseURLQuery(f *testing.F) {
	for _, s := range []string{"q=swimming+near+LS6+on+saturdays", "near=LS6&within=5&sort=distance&page=2",
		"max_price=25.5&day=monday,tuesday", "lat=91&lng=-181", "per_page=-1&page=99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q, err := ParseURLQuery(v)
		if err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) || len(ve.Fields) == 0 {
				t.Fatalf("ParseURLQuery(%q) = %v, want a ValidationError with fields", raw, err)
			}
			return
		}
		// A query the parser accepts must prepare without error.
		if _, _, err := Prepare(q); err != nil {
			t.Fatalf("ParseURLQuery(%q) accepted a query Prepare rejects: %v", raw, err)
		}
	})
}
