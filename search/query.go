package search

import (
	"fmt"
	"math"
	"slices"
	"unicode/utf8"

	"github.com/carepool/carepool/marketplace/outcode"
)

// Query is what a person asks for: words, filters, an order and a page.
type Query struct {
	Text     string // free text, e.g. "swiming for autistic adults near LS6 on saturdays"
	Literal  bool   // do not turn outward codes, days and languages in Text into filters
	Filter   Filter
	Sort     Sort    // SortRelevance when empty
	Page     int     // 1-based; 1 when zero
	PageSize int     // DefaultPageSize when zero; at most MaxPageSize
	Facets   []Facet // facets to count over the matching documents
}

// Filter narrows the documents a query matches. Values within one field are
// alternatives (any of them), except Accessibility, where a document must
// have every feature asked for; fields combine with AND.
type Filter struct {
	Types         []string // TypeOffer, TypePool; both when empty
	Kinds         []string
	Categories    []string
	BudgetForms   []string
	MaxPricePence *int64 // per person
	Languages     []string
	Accessibility []string
	Days          []string
	TimesOfDay    []string
	VerifiedOnly  bool
	Near          *Near
}

// Near limits results to a distance from an outward code's centre or from a
// point. Near an outward code, an offer that serves that code (Outcodes)
// matches wherever it is.
type Near struct {
	Outcode string  // e.g. "LS6"; when set, Lat and Lng are filled from it
	Lat     float64 // used when Outcode is empty
	Lng     float64
	Miles   float64 // DefaultRadiusMiles when zero
}

// Sort orders the hits.
type Sort string

// Sorts. Distance needs Filter.Near; price is cheapest first, newest is most
// recently created first; ties fall back to relevance.
const (
	SortRelevance Sort = "relevance"
	SortDistance  Sort = "distance"
	SortPrice     Sort = "price"
	SortNewest    Sort = "newest"
)

// Facet names a field whose values are counted over the matching documents.
type Facet string

// Facets that can be counted.
const (
	FacetType          Facet = "type"
	FacetKind          Facet = "kind"
	FacetCategory      Facet = "category"
	FacetBudgetForm    Facet = "budget_form"
	FacetLanguage      Facet = "language"
	FacetAccessibility Facet = "accessibility"
	FacetDay           Facet = "day"
)

// AllFacets lists every facet, in display order.
var AllFacets = []Facet{FacetType, FacetKind, FacetCategory, FacetBudgetForm, FacetLanguage, FacetAccessibility, FacetDay}

// Limits and defaults.
const (
	DefaultPageSize    = 20
	MaxPageSize        = 100
	MaxResults         = 10000 // deepest result reachable by paging
	DefaultRadiusMiles = 10
	MaxRadiusMiles     = 200
	MaxTextLength      = 500
)

// Offset is the index of the first hit of the query's page.
func (q Query) Offset() int { return (q.Page - 1) * q.PageSize }

// validate checks q and fills defaults; field names are the URL parameters
// of GET /api/v1/search.
func (q *Query) validate() error {
	var v ValidationError
	if utf8.RuneCountInString(q.Text) > MaxTextLength {
		v.Add("q", fmt.Sprintf("must be at most %d characters", MaxTextLength))
	}
	if !utf8.ValidString(q.Text) {
		v.Add("q", "must be valid UTF-8")
	}
	if q.Page == 0 {
		q.Page = 1
	}
	if q.PageSize == 0 {
		q.PageSize = DefaultPageSize
	}
	switch {
	case q.Page < 1:
		v.Add("page", "must be 1 or more")
	case q.PageSize < 1 || q.PageSize > MaxPageSize:
		v.Add("per_page", fmt.Sprintf("must be between 1 and %d", MaxPageSize))
	case q.Page*q.PageSize > MaxResults:
		v.Add("page", fmt.Sprintf("only the first %d results can be paged through", MaxResults))
	}
	if q.Sort == "" {
		q.Sort = SortRelevance
	}
	if !slices.Contains([]Sort{SortRelevance, SortDistance, SortPrice, SortNewest}, q.Sort) {
		v.Add("sort", "must be relevance, distance, price or newest")
	}
	for _, f := range q.Facets {
		if !slices.Contains(AllFacets, f) {
			v.Add("facets", fmt.Sprintf("unknown facet %q", string(f)))
			break
		}
	}
	q.Filter.validate(&v)
	if q.Sort == SortDistance && q.Filter.Near == nil {
		v.Add("sort", "sorting by distance needs near (an outward code) or lat and lng")
	}
	return v.Err()
}

func (f *Filter) validate(v *ValidationError) {
	for _, c := range []struct {
		param, vocab string
		values       []string
	}{
		{"type", "type", f.Types}, {"kind", "kind", f.Kinds}, {"category", "category", f.Categories},
		{"budget_form", "budget_form", f.BudgetForms}, {"language", "language", f.Languages},
		{"access", "accessibility", f.Accessibility}, {"day", "day", f.Days}, {"time", "time", f.TimesOfDay},
	} {
		for _, val := range c.values {
			if !validValue(c.vocab, val) {
				v.Add(c.param, fmt.Sprintf("unknown value %q", val))
				break
			}
		}
	}
	if p := f.MaxPricePence; p != nil && *p < 0 {
		v.Add("max_price", "must not be negative")
	}
	n := f.Near
	if n == nil {
		return
	}
	if n.Miles == 0 {
		n.Miles = DefaultRadiusMiles
	}
	if n.Miles < 0 || n.Miles > MaxRadiusMiles || math.IsNaN(n.Miles) {
		v.Add("within", fmt.Sprintf("must be a distance in miles between 0 and %d", MaxRadiusMiles))
	}
	if n.Outcode != "" {
		p, ok := outcode.Lookup(n.Outcode)
		if !ok {
			v.Add("near", fmt.Sprintf("%q is not a known outward code (the first half of a postcode, like LS6)", n.Outcode))
			return
		}
		n.Outcode, n.Lat, n.Lng = p.Code, p.Lat, p.Lng
		return
	}
	if !(n.Lat >= -90 && n.Lat <= 90) {
		v.Add("lat", "must be a latitude between -90 and 90")
	}
	if !(n.Lng >= -180 && n.Lng <= 180) {
		v.Add("lng", "must be a longitude between -180 and 180")
	}
}
