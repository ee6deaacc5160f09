package bleveindex

import (
	"fmt"
	"math"
	"strings"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	segment "github.com/blevesearch/scorch_segment_api/v2"

	"github.com/carepool/carepool/marketplace/outcode"
	"github.com/carepool/carepool/search"
	"github.com/carepool/carepool/search/internal/relevance"
)

// A query is answered without Bleve's searchers, which score and advance
// document by document (a conjunction of a 200-term typo expansion with a
// radius and two filters cost 60 ms at the 99th percentile on 100,000
// offers). Instead each segment is asked for the postings of the terms
// involved as roaring bitmaps, and the set of matches is computed with
// bitmap unions and intersections: keyword filters, the grid cells that
// cover the radius (or the offers serving the outward code), then the words
// (every typo and prefix derivation, synonym and synonym phrase). Only what
// terms cannot say is checked document by document, from the segment's
// columns: the maximum price and the exact distance. Facets are bitmap
// intersection counts, and only the page's documents are loaded.

// plan is a prepared query in the terms the index holds.
type plan struct {
	groups   []termGroup // keyword filters, combined with AND
	maxPrice *int64
	near     *nearPlan
	text     *textPlan // nil when there are no words
}

// termGroup matches documents holding any of terms in field.
type termGroup struct {
	field string
	terms []string
}

// nearPlan is a distance filter: documents in the covering cells within
// miles of the point, or serving the outward code.
type nearPlan struct {
	lat, lng, miles float64
	cells           []string
	serving         string // "" for a point
}

// textPlan is the words of a query: a document matches when every slot of
// one reading matches it.
type textPlan struct {
	q        relevance.Query
	readings [][]*slotPlan
}

// slotPlan is how one slot matches: a word through its derivations (the
// index terms within its typo budget, or extending it as a prefix), a
// one-word synonym exactly, or a synonym phrase (fPhrases).
type slotPlan struct {
	word    *relevance.Word // nil for a multi-word slot
	derivs  []derivation    // over every segment, fewest typos first
	terms   []string        // one-word synonyms
	phrases []string        // multi-word synonyms, words joined by a space
}

func newPlan(q search.Query, tq relevance.Query) *plan {
	p := &plan{maxPrice: q.Filter.MaxPricePence}
	f := q.Filter
	for _, g := range []termGroup{
		{fType, f.Types}, {fKind, f.Kinds}, {fCategories, f.Categories}, {fBudgetForms, f.BudgetForms},
		{fLanguages, f.Languages}, {fDays, f.Days}, {fTimes, f.TimesOfDay},
	} {
		if len(g.terms) > 0 {
			p.groups = append(p.groups, g)
		}
	}
	for _, a := range f.Accessibility {
		p.groups = append(p.groups, termGroup{fAccessibility, []string{a}})
	}
	if f.VerifiedOnly {
		p.groups = append(p.groups, termGroup{fVerified, []string{"true"}})
	}
	if n := f.Near; n != nil {
		p.near = &nearPlan{lat: n.Lat, lng: n.Lng, miles: n.Miles, cells: coverCells(n.Lat, n.Lng, n.Miles),
			serving: strings.ToUpper(n.Outcode)}
	}
	if !tq.Empty() {
		t := &textPlan{q: tq}
		words := map[relevance.Word]*slotPlan{}
		for _, reading := range tq.Readings {
			var slots []*slotPlan
			for i := range reading {
				s := &reading[i]
				if len(s.Words) == 1 && len(s.Synonyms) == 0 {
					// The same word in several readings is looked up once.
					if sp := words[s.Words[0]]; sp != nil {
						slots = append(slots, sp)
						continue
					}
				}
				sp := &slotPlan{}
				if len(s.Words) == 1 {
					w := s.Words[0]
					sp.word = &w
					if len(s.Synonyms) == 0 {
						words[w] = sp
					}
				}
				for _, syn := range s.Synonyms {
					if len(syn) == 1 {
						sp.terms = append(sp.terms, syn[0])
					} else {
						sp.phrases = append(sp.phrases, strings.Join(syn, " "))
					}
				}
				slots = append(slots, sp)
			}
			t.readings = append(t.readings, slots)
		}
		p.text = t
	}
	return p
}

// slots lists every distinct slot of the text plan.
func (t *textPlan) slots() []*slotPlan {
	seen := map[*slotPlan]bool{}
	var out []*slotPlan
	for _, r := range t.readings {
		for _, s := range r {
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}

// expand finds every slot word's derivations over the segments' vocabularies,
// keeping at most maxDerivations per word (exact matches first, then the
// most frequent), so that every segment is asked for the same terms.
func (t *textPlan) expand(segs []*segData) {
	for _, s := range t.slots() {
		if s.word == nil {
			continue
		}
		byTerm := map[string]derivation{}
		for _, d := range segs {
			for _, dv := range d.vocab.expand(*s.word) {
				if have, ok := byTerm[dv.term]; ok {
					dv.count += have.count
				}
				byTerm[dv.term] = dv
			}
		}
		s.derivs = capDerivations(byTerm)
	}
}

// segQuery evaluates a plan on one segment. It is used by one goroutine:
// a segment's dictionaries are not safe for concurrent use.
type segQuery struct {
	d     *segData
	ss    *scorch.SegmentSnapshot
	dicts map[string]segment.TermDictionary
}

func newSegQuery(ss *scorch.SegmentSnapshot, d *segData) *segQuery {
	return &segQuery{d: d, ss: ss, dicts: map[string]segment.TermDictionary{}}
}

// term returns the documents holding term in field; never modify it.
func (s *segQuery) term(field, term string) (*roaring.Bitmap, error) {
	dict, ok := s.dicts[field]
	if !ok {
		var err error
		if dict, err = s.ss.Segment().Dictionary(field); err != nil {
			return nil, fmt.Errorf("read %s terms: %w", field, err)
		}
		s.dicts[field] = dict
	}
	return postings(dict, term)
}

// any returns the documents holding any of terms in field.
func (s *segQuery) any(field string, terms []string) (*roaring.Bitmap, error) {
	if len(terms) == 1 {
		return s.term(field, terms[0])
	}
	bms := make([]*roaring.Bitmap, 0, len(terms))
	for _, t := range terms {
		bm, err := s.term(field, t)
		if err != nil {
			return nil, err
		}
		if !bm.IsEmpty() {
			bms = append(bms, bm)
		}
	}
	return union(bms), nil
}

func union(bms []*roaring.Bitmap) *roaring.Bitmap {
	switch len(bms) {
	case 0:
		return empty
	case 1:
		return bms[0]
	}
	return roaring.FastOr(bms...)
}

// and intersects a with b, where a nil a stands for every document.
func and(a, b *roaring.Bitmap) *roaring.Bitmap {
	if a == nil {
		return b
	}
	return roaring.And(a, b)
}

// segMatch is what a plan matched in one segment.
type segMatch struct {
	*segQuery
	docs *roaring.Bitmap // live matching documents
	// exact holds the matches whose every slot matched without a typo (the
	// first tier of the relevance order); nil when there are no words.
	exact *roaring.Bitmap
}

// match evaluates p on the segment.
func (p *plan) match(s *segQuery) (*segMatch, error) {
	m := &segMatch{segQuery: s}
	var cand *roaring.Bitmap // nil: every document
	for _, g := range p.groups {
		bm, err := s.any(g.field, g.terms)
		if err != nil {
			return nil, err
		}
		if cand = and(cand, bm); cand.IsEmpty() {
			m.docs = empty
			return m, nil
		}
	}
	var serving *roaring.Bitmap
	if n := p.near; n != nil {
		cover, err := s.any(fCells, n.cells)
		if err != nil {
			return nil, err
		}
		if n.serving != "" {
			if serving, err = s.term(fOutcodes, n.serving); err != nil {
				return nil, err
			}
			cover = roaring.Or(cover, serving)
		}
		if cand = and(cand, cover); cand.IsEmpty() {
			m.docs = empty
			return m, nil
		}
	}
	if p.text != nil {
		var err error
		if cand, m.exact, err = p.text.match(s, cand); err != nil {
			return nil, err
		}
	}
	if cand == nil {
		cand = roaring.New()
		cand.AddRange(0, uint64(s.d.n))
	}
	if del := s.ss.Deleted(); del != nil && !del.IsEmpty() {
		cand = roaring.AndNot(cand, del)
	}
	// What terms cannot say: the price and the exact distance.
	if p.maxPrice != nil || p.near != nil {
		keep := make([]uint32, 0, cand.GetCardinality())
		it := cand.Iterator()
		for it.HasNext() {
			doc := it.Next()
			if p.maxPrice != nil && s.d.price[doc] > *p.maxPrice {
				continue
			}
			if n := p.near; n != nil && !(serving != nil && serving.Contains(doc)) {
				lat, lng := s.d.lat[doc], s.d.lng[doc]
				if math.IsNaN(lat) || outcode.DistanceMiles(n.lat, n.lng, lat, lng) > n.miles {
					continue
				}
			}
			keep = append(keep, doc)
		}
		cand = roaring.BitmapOf(keep...)
	}
	m.docs = cand
	if m.exact != nil {
		m.exact = roaring.And(m.exact, cand)
	}
	return m, nil
}

// match intersects cand with the documents matching the words, and returns
// as well those matching them without a typo.
func (t *textPlan) match(s *segQuery, cand *roaring.Bitmap) (all, exact *roaring.Bitmap, err error) {
	slotAll := map[*slotPlan]*roaring.Bitmap{}
	slotExact := map[*slotPlan]*roaring.Bitmap{}
	var alls, exacts []*roaring.Bitmap
	for _, reading := range t.readings {
		r, r0 := cand, cand
		for _, sp := range reading {
			a, ok := slotAll[sp]
			if !ok {
				var e *roaring.Bitmap
				if a, e, err = sp.match(s); err != nil {
					return nil, nil, err
				}
				slotAll[sp], slotExact[sp] = a, e
			}
			if r = and(r, a); r.IsEmpty() {
				break
			}
			r0 = and(r0, slotExact[sp])
		}
		if r != nil && !r.IsEmpty() {
			alls, exacts = append(alls, r), append(exacts, r0)
		}
	}
	return union(alls), union(exacts), nil
}

// match returns the documents matching the slot, and those matching it
// without a typo.
func (sp *slotPlan) match(s *segQuery) (all, exact *roaring.Bitmap, err error) {
	var zero, typos []*roaring.Bitmap
	add := func(field, term string, typo bool) error {
		bm, err := s.term(field, term)
		if err != nil || bm.IsEmpty() {
			return err
		}
		if typo {
			typos = append(typos, bm)
		} else {
			zero = append(zero, bm)
		}
		return nil
	}
	for _, d := range sp.derivs {
		if !s.d.vocab.has(d.term) {
			continue
		}
		if err := add(fText, d.term, d.typos > 0); err != nil {
			return nil, nil, err
		}
	}
	for _, t := range sp.terms {
		if err := add(fText, t, false); err != nil {
			return nil, nil, err
		}
	}
	for _, ph := range sp.phrases {
		if err := add(fPhrases, ph, false); err != nil {
			return nil, nil, err
		}
	}
	exact = union(zero)
	if len(typos) == 0 {
		return exact, exact, nil
	}
	return union(append(typos, exact)), exact, nil
}
