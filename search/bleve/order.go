package bleveindex

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/RoaringBitmap/roaring/v2"

	"github.com/carepool/carepool/marketplace/outcode"
	"github.com/carepool/carepool/search"
	"github.com/carepool/carepool/search/internal/relevance"
)

// ref is one matching document: its segment (an index into the matches)
// and its number there.
type ref struct {
	seg int
	doc uint32
}

// page returns the documents of the query's page, in order, loading only
// those it needs.
func page(p *plan, q search.Query, matches []*segMatch, total int) ([]search.Document, error) {
	from, to := q.Offset(), min(q.Offset()+q.PageSize, total)
	if from >= to {
		return nil, nil
	}
	if p.text != nil && q.Sort == search.SortRelevance {
		return byRelevance(p.text, matches, total, from, to)
	}
	return byKey(p, q, matches, from, to)
}

// byRelevance orders the matches by the ranking rules. Candidates are taken
// in tiers, the first matching every word without a typo and in the title,
// then without a typo, then in the title, then the rest (each in index
// order), cut into blocks of rerankWindow, and the blocks holding the page
// are each ranked exactly (relevance.Match), ties by id.
func byRelevance(t *textPlan, matches []*segMatch, total, from, to int) ([]search.Document, error) {
	tiers := [][]*roaring.Bitmap{docsOf(matches)}
	if total > rerankWindow {
		tiers = make([][]*roaring.Bitmap, 4)
		for i := range tiers {
			tiers[i] = make([]*roaring.Bitmap, len(matches))
		}
		for i, m := range matches {
			if m.docs.IsEmpty() {
				for k := range tiers {
					tiers[k][i] = empty
				}
				continue
			}
			title, err := t.title(m.segQuery, m.docs)
			if err != nil {
				return nil, err
			}
			tiers[0][i] = roaring.And(m.exact, title)
			tiers[1][i] = roaring.AndNot(m.exact, title)
			tiers[2][i] = roaring.AndNot(title, m.exact)
			rest := roaring.AndNot(m.docs, m.exact)
			rest.AndNot(title)
			tiers[3][i] = rest
		}
	}
	start := from / rerankWindow * rerankWindow
	end := min(total, ((to-1)/rerankWindow+1)*rerankWindow)
	refs := make([]ref, 0, end-start)
	at := 0
collect:
	for _, tier := range tiers {
		for seg, bm := range tier {
			n := int(bm.GetCardinality())
			if at+n <= start {
				at += n
				continue
			}
			it := bm.Iterator()
			for it.HasNext() {
				doc := it.Next()
				if at >= start {
					refs = append(refs, ref{seg, doc})
				}
				if at++; at == end {
					break collect
				}
			}
		}
	}
	docs, err := load(matches, refs)
	if err != nil {
		return nil, err
	}
	for b := range slices.Chunk(docs, rerankWindow) {
		rankDocs(b, t.q)
	}
	return docs[from-start : to-start], nil
}

func docsOf(matches []*segMatch) []*roaring.Bitmap {
	out := make([]*roaring.Bitmap, len(matches))
	for i, m := range matches {
		out[i] = m.docs
	}
	return out
}

// rankDocs orders documents by the ranking rules, then by id.
func rankDocs(docs []search.Document, tq relevance.Query) {
	type ranked struct {
		rank relevance.Rank
		doc  search.Document
	}
	rs := make([]ranked, len(docs))
	for i, d := range docs {
		rs[i].rank, _ = relevance.Match(tq, textOf(d))
		rs[i].doc = d
	}
	slices.SortStableFunc(rs, func(a, b ranked) int {
		if c := relevance.Compare(a.rank, b.rank); c != 0 {
			return c
		}
		return cmp.Compare(a.doc.ID, b.doc.ID)
	})
	for i := range rs {
		docs[i] = rs[i].doc
	}
}

func textOf(d search.Document) relevance.Doc {
	attrs := search.SearchableAttributes(d)
	doc := make(relevance.Doc, len(attrs))
	for i, a := range attrs {
		doc[i] = relevance.NewAttr(a...)
	}
	return doc
}

// title returns the documents among docs whose title matches every slot of
// a reading (a slot matched only by a synonym phrase never does).
func (t *textPlan) title(s *segQuery, docs *roaring.Bitmap) (*roaring.Bitmap, error) {
	var out []*roaring.Bitmap
	for _, reading := range t.readings {
		r := docs
		for _, sp := range reading {
			var bms []*roaring.Bitmap
			for _, d := range sp.derivs {
				if !s.d.vocab.has(d.term) {
					continue
				}
				bm, err := s.term(fTitle, d.term)
				if err != nil {
					return nil, err
				}
				bms = append(bms, bm)
			}
			for _, term := range sp.terms {
				bm, err := s.term(fTitle, term)
				if err != nil {
					return nil, err
				}
				bms = append(bms, bm)
			}
			if r = roaring.And(r, union(bms)); r.IsEmpty() {
				break
			}
		}
		out = append(out, r)
	}
	return union(out), nil
}

// keyed is a match with its sort key.
type keyed struct {
	ref
	k1 float64
	k2 int64
}

func (a keyed) compare(b keyed) int {
	if c := cmp.Compare(a.k1, b.k1); c != 0 {
		return c
	}
	return cmp.Compare(a.k2, b.k2)
}

// byKey orders the matches by an explicit sort (price, then newest; newest;
// distance) or, without words, newest first; ties are broken by relevance
// and then by id. Only the first to documents are selected, with a bounded
// heap, plus every document tied with the last of them.
func byKey(p *plan, q search.Query, matches []*segMatch, from, to int) ([]search.Document, error) {
	key := func(m *segMatch, seg int, doc uint32) keyed {
		k := keyed{ref: ref{seg, doc}}
		d := m.d
		switch {
		case q.Sort == search.SortPrice:
			k.k1, k.k2 = float64(d.price[doc]), -d.created[doc]
		case q.Sort == search.SortDistance:
			k.k1 = math.Inf(1)
			if n := p.near; n != nil && !math.IsNaN(d.lat[doc]) {
				k.k1 = outcode.DistanceMiles(n.lat, n.lng, d.lat[doc], d.lng[doc])
			}
		default: // newest
			k.k1 = -float64(d.created[doc])
		}
		return k
	}
	h := heap{max: to}
	for seg, m := range matches {
		it := m.docs.Iterator()
		for it.HasNext() {
			h.offer(key(m, seg, it.Next()))
		}
	}
	sel := h.items
	if len(sel) == to {
		// Take in every document tied with the last selected, so that ties
		// are broken the same way whatever the page size.
		worst := h.items[0]
		sel = slices.DeleteFunc(sel, func(k keyed) bool { return k.compare(worst) == 0 })
		for seg, m := range matches {
			it := m.docs.Iterator()
			for it.HasNext() {
				if k := key(m, seg, it.Next()); k.compare(worst) == 0 {
					sel = append(sel, k)
				}
			}
		}
	}
	slices.SortFunc(sel, keyed.compare)
	refs := make([]ref, to-from)
	loaded := map[ref]search.Document{}
	// Order each run of equal keys that reaches into the page.
	for i := 0; i < to; {
		j := i + 1
		for j < len(sel) && sel[j].compare(sel[i]) == 0 {
			j++
		}
		if j > from && j-i > 1 {
			run := make([]ref, j-i)
			for k := range run {
				run[k] = sel[i+k].ref
			}
			docs, err := load(matches, run)
			if err != nil {
				return nil, err
			}
			for k := range docs {
				loaded[run[k]] = docs[k]
			}
			if p.text != nil {
				rankDocs(docs, p.text.q)
			} else {
				slices.SortFunc(docs, func(a, b search.Document) int { return cmp.Compare(a.ID, b.ID) })
			}
			byID := map[string]ref{}
			for _, r := range run {
				byID[loaded[r].ID] = r
			}
			for k, d := range docs {
				sel[i+k].ref = byID[d.ID]
			}
		}
		i = j
	}
	for i := range refs {
		refs[i] = sel[from+i].ref
	}
	var missing []ref
	for _, r := range refs {
		if _, ok := loaded[r]; !ok {
			missing = append(missing, r)
		}
	}
	docs, err := load(matches, missing)
	if err != nil {
		return nil, err
	}
	for i, r := range missing {
		loaded[r] = docs[i]
	}
	out := make([]search.Document, len(refs))
	for i, r := range refs {
		out[i] = loaded[r]
	}
	return out, nil
}

// heap keeps the max smallest keys offered, largest at the root.
type heap struct {
	max   int
	items []keyed
}

func (h *heap) offer(k keyed) {
	if len(h.items) < h.max {
		h.items = append(h.items, k)
		for i := len(h.items) - 1; i > 0; {
			parent := (i - 1) / 2
			if h.items[parent].compare(h.items[i]) >= 0 {
				break
			}
			h.items[parent], h.items[i] = h.items[i], h.items[parent]
			i = parent
		}
		return
	}
	if k.compare(h.items[0]) >= 0 {
		return
	}
	h.items[0] = k
	for i := 0; ; {
		l, r, big := 2*i+1, 2*i+2, i
		if l < len(h.items) && h.items[l].compare(h.items[big]) > 0 {
			big = l
		}
		if r < len(h.items) && h.items[r].compare(h.items[big]) > 0 {
			big = r
		}
		if big == i {
			return
		}
		h.items[i], h.items[big] = h.items[big], h.items[i]
		i = big
	}
}

// load reads the stored documents.
func load(matches []*segMatch, refs []ref) ([]search.Document, error) {
	out := make([]search.Document, len(refs))
	for i, r := range refs {
		// The value is only valid during the visit.
		var derr error
		found := false
		err := matches[r.seg].ss.VisitDocument(uint64(r.doc), func(field string, _ byte, value []byte, _ []uint64) bool {
			if field == fSource {
				found, derr = true, json.Unmarshal(value, &out[i])
				return false
			}
			return true
		})
		if err == nil && !found {
			err = fmt.Errorf("document %d has no source", r.doc)
		}
		if err = errors.Join(err, derr); err != nil {
			return nil, fmt.Errorf("load document: %w", err)
		}
	}
	return out, nil
}
