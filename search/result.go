package search

import (
	"slices"
	"strings"
)

// Result is one page of hits for a query.
type Result struct {
	Hits     []Hit
	Total    int // documents matching the query (all pages)
	Page     int
	PageSize int
	// Facets holds the counts asked for in Query.Facets, in that order.
	Facets []FacetCounts
	// Applied lists the filters taken from the text (query understanding),
	// each with the text to search instead to undo it.
	Applied []Applied
	// Text is the text that was searched, after query understanding.
	Text string
}

// Hit is one matching document.
type Hit struct {
	Document Document
	// DistanceMiles is the distance from Query.Filter.Near to the document's
	// Geo, when both are known.
	DistanceMiles *float64
	Title         []Span // the title, with the words that matched marked
	Snippet       []Span // part of the description around the first match
}

// Span is a piece of highlighted text. Templates render Match spans in <mark>;
// the text is plain, not HTML.
type Span struct {
	Text  string
	Match bool
}

// FacetCounts counts the matching documents by the values of one facet.
type FacetCounts struct {
	Facet  Facet
	Values []FacetValue // most frequent first, then by value
}

// FacetValue is one value of a facet: "Wheelchair accessible (12)".
type FacetValue struct {
	Value string
	Label string
	Count int
}

// Applied is a filter that query understanding took from the text, shown to
// the person as a filter they can remove.
type Applied struct {
	Param   string   // URL parameter it stands for: "near", "day", "time" or "language"
	Values  []string // e.g. ["LS6"], ["saturday", "sunday"]
	Label   string   // e.g. "Within 10 miles of LS6", "Saturday or Sunday"
	Text    string   // the words it came from, e.g. "near LS6"
	Without string   // the query text with those words removed: search it with Literal unset to undo
}

// Facet param names, as used for labels.
func (f Facet) vocab() string {
	if f == FacetAccessibility {
		return "accessibility"
	}
	return string(f)
}

// Label is the plain-English label of one value of the facet.
func (f Facet) Label(value string) string { return Label(f.vocab(), value) }

// SortFacetValues puts facet values in display order: most frequent first,
// then by value. Adapters call it so that both order facets alike.
func SortFacetValues(vs []FacetValue) {
	slices.SortFunc(vs, func(a, b FacetValue) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Value, b.Value)
	})
}
