package searchtest

import "github.com/carepool/carepool/search"

// near13 is every fixture document within 1.3 miles of LS6's centre (or
// serving LS6), nearest first.
var near13 = []string{"swim-ls6", "daycentre", "art-pool", "art-lunch", "art-class", "garden-club", "bsl-club", "pa-punjabi", "pa-team"}

func nearLS6(miles float64) *search.Near { return &search.Near{Outcode: "LS6", Miles: miles} }

func searchCases() []searchCase {
	return []searchCase{
		// Words, typos and prefixes.
		{name: "a word matches in title, categories, provider and description",
			q:     search.Query{Text: "swimming"},
			order: [][]string{{"swim-ls6", "swim-m1"}, {"swim-ls1"}}},
		{name: "case does not matter", q: search.Query{Text: "SWIMMING"}, want: []string{"swim-ls6", "swim-m1", "swim-ls1"}},
		{name: "one typo is allowed from five letters", q: search.Query{Text: "swiming"}, want: []string{"swim-ls6", "swim-m1", "swim-ls1"}},
		{name: "a transposition is one typo and fewer typos rank first",
			q: search.Query{Text: "singing"}, order: one("choir", "bsl-club")},
		{name: "a transposed word ranks by attribute after typos",
			q: search.Query{Text: "swimmnig lessons"}, order: one("swim-m1", "swim-ls1")},
		{name: "a changed first letter counts as two typos", q: search.Query{Text: "wimming"}, want: nil},
		{name: "two typos are allowed from nine letters", q: search.Query{Text: "photgraphy"}, want: []string{"photo-walks"}},
		{name: "a changed first letter and another typo are too many", q: search.Query{Text: "fotography"}, want: nil},
		{name: "short words allow no typo", q: search.Query{Text: "yoge"}, want: nil},
		{name: "the last word matches as a prefix, with typos before it",
			q: search.Query{Text: "chair yo"}, order: one("yoga-online", "choir")},
		{name: "a word found in the title ranks before one in the description",
			q: search.Query{Text: "garden"}, order: one("garden-club", "short-break")},
		{name: "words close together rank first",
			q: search.Query{Text: "art lunch"}, order: one("art-lunch", "art-class")},
		{name: "every word must match", q: search.Query{Text: "swimming manchester"}, want: []string{"swim-m1"}},
		{name: "stop words are ignored", q: search.Query{Text: "the gardening club for me "}, want: []string{"garden-club"}},

		// Synonyms.
		{name: "respite finds short breaks", q: search.Query{Text: "respite"}, want: []string{"short-break"}},
		{name: "befriending finds companionship", q: search.Query{Text: "befriending"}, want: []string{"befriend"}},
		{name: "a phrase finds its abbreviation",
			q:     search.Query{Text: "personal assistant"},
			order: [][]string{{"pa-punjabi"}, {"pa-polish", "pa-team"}}},
		{name: "day service finds day centres and day activities", q: search.Query{Text: "day service"}, want: []string{"daycentre", "ld-days"}},
		{name: "LD finds learning disabilities", q: search.Query{Text: "LD day activities"}, want: []string{"ld-days"}},
		{name: "an abbreviation finds its phrase", q: search.Query{Text: "bsl "}, want: []string{"bsl-club"}},

		// Query understanding.
		{name: "outward codes and days in the text become filters",
			q: search.Query{Text: "swiming for autistic adults near LS6 on saturdays"}, want: []string{"swim-ls6"}},
		{name: "a language in the text becomes a filter", q: search.Query{Text: "PA who speaks Punjabi"}, want: []string{"pa-punjabi"}},
		{name: "literal queries keep their words", q: search.Query{Text: "swimming saturday", Literal: true}, want: nil},

		// Filters.
		{name: "kind", q: search.Query{Filter: search.Filter{Kinds: []string{search.KindPersonalAssistant}}}, want: []string{"pa-punjabi", "pa-polish"}},
		{name: "category", q: search.Query{Filter: search.Filter{Categories: []string{"arts_and_crafts"}}}, want: []string{"art-lunch", "art-pool", "art-class"}},
		{name: "pools are documents too", q: search.Query{Filter: search.Filter{Types: []string{search.TypePool}}}, want: []string{"art-pool"}},
		{name: "budget form", q: search.Query{Filter: search.Filter{BudgetForms: []string{"trust_fund"}}}, want: []string{"ld-days", "short-break", "art-lunch"}},
		{name: "budget forms are alternatives", q: search.Query{Filter: search.Filter{BudgetForms: []string{"brokered_fund", "indirect_payment"}}},
			want: []string{"short-break", "art-lunch", "pa-punjabi"}},
		{name: "maximum price per person", q: search.Query{Filter: search.Filter{MaxPricePence: pence(500)}},
			want: []string{"garden-club", "choir", "bsl-club", "yoga-online", "befriend"}},
		{name: "languages are alternatives", q: search.Query{Filter: search.Filter{Languages: []string{"pa", "pl"}}},
			want: []string{"pa-punjabi", "pa-polish", "photo-walks"}},
		{name: "accessibility features are all required",
			q:    search.Query{Filter: search.Filter{Accessibility: []string{"wheelchair_accessible", "changing_places"}}},
			want: []string{"swim-m1", "daycentre"}},
		{name: "day", q: search.Query{Filter: search.Filter{Days: []string{"sunday"}}}, want: []string{"swim-ls1", "pa-polish", "short-break", "photo-walks"}},
		{name: "day and time of day", q: search.Query{Filter: search.Filter{Days: []string{"thursday"}, TimesOfDay: []string{"evening"}}},
			want: []string{"short-break", "choir"}},
		{name: "verified providers only",
			q:    search.Query{Filter: search.Filter{VerifiedOnly: true, Kinds: []string{search.KindActivity}}},
			want: []string{"swim-ls6", "swim-m1", "ld-days", "art-lunch", "art-pool", "garden-club", "bsl-club", "yoga-online"}},
		{name: "text and filters combine", q: search.Query{Text: "swimming", Filter: search.Filter{VerifiedOnly: true, Days: []string{"saturday"}}},
			want: []string{"swim-ls6", "swim-m1"}},

		// Distance.
		{name: "within ten miles of an outward code", q: search.Query{Filter: search.Filter{Near: nearLS6(10)}},
			want: []string{"swim-ls6", "swim-ls1", "pa-punjabi", "pa-polish", "pa-team", "daycentre", "ld-days", "art-lunch",
				"art-pool", "art-class", "garden-club", "bsl-club", "photo-walks", "befriend"}},
		{name: "within a short radius", q: search.Query{Filter: search.Filter{Near: nearLS6(1.3)}}, want: near13},
		{name: "offers serving the outward code match wherever they are",
			q: search.Query{Filter: search.Filter{Near: &search.Near{Outcode: "LS8", Miles: 1}}}, want: []string{"pa-punjabi"}},
		{name: "within a radius of a point", q: search.Query{Filter: search.Filter{Near: &search.Near{Lat: 53.96, Lng: -1.08, Miles: 5}}},
			want: []string{"choir"}},

		// Sorting and paging.
		{name: "sort by distance", q: search.Query{Sort: search.SortDistance, Filter: search.Filter{Near: nearLS6(1.3)}}, order: one(near13...)},
		{name: "sort by price, ties newest first", q: search.Query{Sort: search.SortPrice, Filter: search.Filter{Near: nearLS6(1.3)}},
			order: one("bsl-club", "garden-club", "swim-ls6", "pa-punjabi", "art-class", "pa-team", "daycentre", "art-lunch", "art-pool")},
		{name: "sort by price with text", q: search.Query{Text: "swimming", Sort: search.SortPrice}, order: one("swim-ls1", "swim-ls6", "swim-m1")},
		{name: "sort by newest", q: search.Query{Sort: search.SortNewest, Filter: search.Filter{Categories: []string{"arts_and_crafts"}}},
			order: one("art-pool", "art-lunch", "art-class")},
		{name: "pages", q: search.Query{Sort: search.SortPrice, Filter: search.Filter{Near: nearLS6(1.3)}, Page: 2, PageSize: 4},
			order: one("art-class", "pa-team", "daycentre", "art-lunch")},
		{name: "a page past the end is empty", q: search.Query{Sort: search.SortPrice, Filter: search.Filter{Near: nearLS6(1.3)}, Page: 4, PageSize: 4}},
	}
}
