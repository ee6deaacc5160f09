package searchtest

import (
	"math/rand/v2"

	"github.com/carepool/carepool/search"
)

// queryWords are things people type, some with the typos people make.
var queryWords = []string{
	"swimming", "swiming", "art", "painting", "choir", "singing", "gardening", "gardning", "yoga",
	"exercise", "cooking", "lunch club", "social", "day centre", "day service", "respite", "short break",
	"home care", "personal assistant", "befriending", "dementia", "autistic", "autism", "learning disabilities",
	"walking football", "pottery", "music", "coffee morning", "PA", "carers", "wheelchair", "mental health",
}

// MixedQueries returns n realistic queries, the same for the same seed: text
// (a third with a typo), two filters, a radius of 5 to 15 miles around an
// English outward code, and facets on kind, category and budget form.
func MixedQueries(n int, seed uint64) []search.Query {
	r := rand.New(rand.NewPCG(seed, seed+1))
	places := EnglishOutcodes()
	qs := make([]search.Query, n)
	for i := range qs {
		text := queryWords[r.IntN(len(queryWords))]
		if r.IntN(3) == 0 && len(text) > 6 {
			j := 1 + r.IntN(len(text)-3)
			b := []byte(text)
			b[j], b[j+1] = b[j+1], b[j]
			text = string(b)
		}
		q := search.Query{
			Text:   text,
			Facets: []search.Facet{search.FacetKind, search.FacetCategory, search.FacetBudgetForm},
			Filter: search.Filter{Near: &search.Near{Outcode: places[r.IntN(len(places))].Code, Miles: float64(5 + r.IntN(11))}},
		}
		for _, f := range r.Perm(5)[:2] {
			switch f {
			case 0:
				q.Filter.Days = []string{search.Days[r.IntN(7)]}
			case 1:
				q.Filter.BudgetForms = []string{genForms[r.IntN(len(genForms))]}
			case 2:
				q.Filter.VerifiedOnly = true
			case 3:
				q.Filter.Accessibility = []string{genAccess[r.IntN(3)]}
			case 4:
				p := int64(1000 + 500*r.IntN(8))
				q.Filter.MaxPricePence = &p
			}
		}
		qs[i] = q
	}
	return qs
}
