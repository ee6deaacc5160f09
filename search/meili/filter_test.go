package meili_test

import (
	"testing"

	"github.com/carepool/carepool/search"
	"github.com/carepool/carepool/search/meili"
	"github.com/carepool/carepool/search/meili/meilifake"
)

var filterable = []string{"type", "kind", "categories", "budgetForms", "languages", "accessibility",
	"days", "timesOfDay", "verified", "outcodes", "pricePence", "_geo"}

func TestFilterExpressionIsWhatMeilisearchExpects(t *testing.T) {
	t.Parallel()
	p := int64(1250)
	for _, c := range []struct {
		name string
		f    search.Filter
		want string
	}{
		{"nothing", search.Filter{}, ""},
		{"one value", search.Filter{Kinds: []string{"community_activity"}}, `kind = "community_activity"`},
		{"alternatives", search.Filter{Days: []string{"saturday", "sunday"}}, `days IN ["saturday", "sunday"]`},
		{"features all required", search.Filter{Accessibility: []string{"bsl", "step_free"}},
			`accessibility = "bsl" AND accessibility = "step_free"`},
		{"verified and price", search.Filter{VerifiedOnly: true, MaxPricePence: &p}, `verified = true AND pricePence <= 1250`},
		{"radius of a point", search.Filter{Near: &search.Near{Lat: 53.8, Lng: -1.5, Miles: 2}}, `_geoRadius(53.8, -1.5, 3218.688)`},
		{"radius of an outward code", search.Filter{Near: &search.Near{Outcode: "LS6", Lat: 53.81928, Lng: -1.56704, Miles: 10}},
			`(_geoRadius(53.81928, -1.56704, 16093.44) OR outcodes = "LS6")`},
		{"quotes are escaped", search.Filter{Categories: []string{`a" OR verified = false OR kind = "x`}},
			`categories = "a\" OR verified = false OR kind = \"x"`},
		{"backslashes are escaped", search.Filter{Categories: []string{`a\`, `b\"`}}, `categories IN ["a\\", "b\\\""]`},
		{"every field", search.Filter{Types: []string{"pool"}, Kinds: []string{"service"}, Categories: []string{"music"},
			BudgetForms: []string{"isf"}, Languages: []string{"pa"}, TimesOfDay: []string{"evening"}},
			`type = "pool" AND kind = "service" AND categories = "music" AND budgetForms = "isf" AND languages = "pa" AND timesOfDay = "evening"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := meili.FilterExpression(c.f); got != c.want {
				t.Errorf("FilterExpression = %s\nwant              %s", got, c.want)
			}
		})
	}
}

// checkQuoted asserts that a value, whatever it holds, reaches Meilisearch's
// filter grammar as exactly that one value and nothing else.
func checkQuoted(t *testing.T, v string) {
	t.Helper()
	expr := meili.FilterExpression(search.Filter{Categories: []string{v}, VerifiedOnly: true})
	doc := map[string]any{"categories": []any{v}, "verified": true}
	ok, err := meilifake.MatchFilter(expr, filterable, doc)
	if err != nil {
		t.Fatalf("filter %s for %q does not parse: %v", expr, v, err)
	}
	if !ok {
		t.Fatalf("filter %s does not match a document with category %q", expr, v)
	}
	doc["verified"] = false
	if ok, _ := meilifake.MatchFilter(expr, filterable, doc); ok {
		t.Fatalf("filter %s for %q escaped its quotes: it matches an unverified document", expr, v)
	}
	doc["verified"], doc["categories"] = true, []any{v + "x"}
	if ok, _ := meilifake.MatchFilter(expr, filterable, doc); ok {
		t.Fatalf("filter %s for %q matches another value", expr, v)
	}
}

func TestQuotedValuesCannotInjectFilters(t *testing.T) {
	t.Parallel()
	for _, v := range []string{`plain`, `a"b`, `a\`, `\"`, `"`, `\\"`, `x" OR verified = false OR "`, `') OR (1=1`,
		`_geoRadius(0, 0, 1)`, `AND`, "new\nline", `ü "ñ" \n`, ``, `\u0041`} {
		checkQuoted(t, v)
	}
}

func FuzzQuote(f *testing.F) {
	for _, s := range []string{"swimming", `a"b`, `a\`, `x" OR verified = false OR "`, "\\'", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) { checkQuoted(t, v) })
}
