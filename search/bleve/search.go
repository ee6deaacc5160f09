package bleveindex

import (
	"context"
	"fmt"

	"github.com/carepool/carepool/marketplace/outcode"
	"github.com/carepool/carepool/search"
	"github.com/carepool/carepool/search/internal/relevance"
)

// rerankWindow is how many candidates are ranked together by the ranking
// rules (typo, proximity, attribute, exactness) when sorting by relevance.
// Candidates are taken in blocks of this size, fewest typos and title
// matches first (see order.go), and each block is ranked exactly: results
// are ranked exactly as Meilisearch would when the query matches at most
// this many documents (as in the behaviour suite).
const rerankWindow = 100

// snippetWords is the length of the description snippet.
const snippetWords = 24

var facetFields = map[search.Facet]string{
	search.FacetType: fType, search.FacetKind: fKind, search.FacetCategory: fCategories,
	search.FacetBudgetForm: fBudgetForms, search.FacetLanguage: fLanguages,
	search.FacetAccessibility: fAccessibility, search.FacetDay: fDays,
}

// Search runs a query. See search.Index.
func (x *Index) Search(ctx context.Context, q search.Query) (search.Result, error) {
	pq, applied, err := search.Prepare(q)
	if err != nil {
		return search.Result{}, err
	}
	tq := relevance.ParseQuery(pq.Text, x.synonyms, x.stop)
	res := search.Result{Page: pq.Page, PageSize: pq.PageSize, Applied: applied, Text: pq.Text}
	for _, f := range pq.Facets {
		res.Facets = append(res.Facets, search.FacetCounts{Facet: f})
	}

	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.closed {
		return search.Result{}, search.ErrClosed
	}
	snap, release, err := x.snapshot()
	if err != nil {
		return search.Result{}, err
	}
	defer release()
	sss := snap.Segments()
	segs := make([]*segData, len(sss))
	for i, ss := range sss {
		if segs[i], err = x.segs.get(ss.Segment()); err != nil {
			return search.Result{}, fmt.Errorf("search index: %w", err)
		}
	}

	p := newPlan(pq, tq)
	if p.text != nil {
		p.text.expand(segs)
	}
	matches := make([]*segMatch, len(sss))
	for i, ss := range sss {
		if err := ctx.Err(); err != nil {
			return search.Result{}, err
		}
		if matches[i], err = p.match(newSegQuery(ss, segs[i])); err != nil {
			return search.Result{}, fmt.Errorf("search index: %w", err)
		}
		res.Total += int(matches[i].docs.GetCardinality())
	}
	if err := countFacets(res.Facets, matches); err != nil {
		return search.Result{}, fmt.Errorf("search index: %w", err)
	}
	docs, err := page(p, pq, matches, res.Total)
	if err != nil {
		return search.Result{}, fmt.Errorf("search index: %w", err)
	}
	for _, d := range docs {
		res.Hits = append(res.Hits, hit(d, tq, pq.Filter.Near))
	}
	return res, nil
}

// countFacets counts the matches by the values of each facet: the size of
// the intersection of the matches with each value's documents.
func countFacets(facets []search.FacetCounts, matches []*segMatch) error {
	for i := range facets {
		f := &facets[i]
		counts := map[string]int{}
		for _, m := range matches {
			if m.docs.IsEmpty() {
				continue
			}
			terms, err := m.d.facetTerms(facetFields[f.Facet])
			if err != nil {
				return err
			}
			for _, t := range terms {
				if n := m.docs.AndCardinality(t.docs); n > 0 {
					counts[t.term] += int(n)
				}
			}
		}
		for v, n := range counts {
			f.Values = append(f.Values, search.FacetValue{Value: v, Label: f.Facet.Label(v), Count: n})
		}
		search.SortFacetValues(f.Values)
		if len(f.Values) > maxFacetValues {
			f.Values = f.Values[:maxFacetValues]
		}
	}
	return nil
}

// maxFacetValues is how many values of a facet are returned, most frequent
// first (Meilisearch's maxValuesPerFacet, as the adapter sets it).
const maxFacetValues = 100

func hit(d search.Document, tq relevance.Query, near *search.Near) search.Hit {
	h := search.Hit{Document: d, Title: spans(relevance.Highlight(d.Title, tq))}
	h.Snippet = spans(relevance.Crop(relevance.Highlight(d.Description, tq), snippetWords))
	if near != nil && d.Geo != nil {
		m := outcode.DistanceMiles(near.Lat, near.Lng, d.Geo.Lat, d.Geo.Lng)
		h.DistanceMiles = &m
	}
	return h
}

func spans(ss []relevance.Span) []search.Span {
	out := make([]search.Span, len(ss))
	for i, s := range ss {
		out[i] = search.Span{Text: s.Text, Match: s.Match}
	}
	return out
}
