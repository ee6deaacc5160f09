package bleveindex

import (
	"fmt"
	"math"
	"sort"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/geo"
	"github.com/blevesearch/bleve/v2/numeric"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// Queries are answered segment by segment with roaring bitmaps (see
// plan.go). Bleve's segments are immutable, so what a query needs of a
// segment beyond its postings lists (the numbers and points used to filter
// and sort, the text vocabulary, the facet values) is read once, on first
// use, and kept with it: segData. A segment lives until a merge replaces it,
// and segCache forgets it then.

// segData is what is kept of one immutable segment.
type segData struct {
	seg segment.Segment
	n   uint32 // documents in the segment, deleted ones included

	once sync.Once
	err  error
	// Columns by local document number.
	lat, lng []float64 // NaN when the document has no point
	price    []int64   // pence per person
	created  []int64   // Unix seconds
	vocab    *vocab    // the text field's terms

	fmu    sync.Mutex
	facets map[string][]facetTerm // field → its values, read on first use
}

// facetTerm is one value of a facet field with the documents that hold it
// (deleted ones included: the matches a facet is counted over exclude them).
type facetTerm struct {
	term string
	docs *roaring.Bitmap
}

// segCache keeps segData for the segments of the current snapshots.
type segCache struct {
	mu   sync.Mutex
	segs map[segment.Segment]*segData
}

// get returns the data of seg, loading it on first use.
func (c *segCache) get(seg segment.Segment) (*segData, error) {
	c.mu.Lock()
	if c.segs == nil {
		c.segs = map[segment.Segment]*segData{}
	}
	d := c.segs[seg]
	if d == nil {
		d = &segData{seg: seg, n: uint32(seg.Count())}
		c.segs[seg] = d
	}
	c.mu.Unlock()
	d.once.Do(d.load)
	return d, d.err
}

// retain forgets the segments that are not in live (merged away). Only the
// warmer calls it, with the newest snapshot: a query on an older one may
// still use what it forgets, and holds its own references.
func (c *segCache) retain(live []segment.Segment) {
	c.mu.Lock()
	defer c.mu.Unlock()
	keep := make(map[segment.Segment]*segData, len(live))
	for _, s := range live {
		if d, ok := c.segs[s]; ok {
			keep[s] = d
		}
	}
	c.segs = keep
}

// reset forgets every segment (the index was replaced).
func (c *segCache) reset() {
	c.mu.Lock()
	c.segs = nil
	c.mu.Unlock()
}

// load reads the columns and the vocabulary of the segment.
func (d *segData) load() {
	n := int(d.n)
	d.lat, d.lng = make([]float64, n), make([]float64, n)
	d.price, d.created = make([]int64, n), make([]int64, n)
	for i := range d.lat {
		d.lat[i], d.lng[i] = math.NaN(), math.NaN()
	}
	if dv, ok := d.seg.(segment.DocValueVisitable); ok && n > 0 {
		fields := []string{fGeo, fPrice, fCreated}
		var state segment.DocVisitState
		var doc int
		visit := func(field string, term []byte) {
			p := numeric.PrefixCoded(term)
			if shift, err := p.Shift(); err != nil || shift != 0 {
				return
			}
			v, err := p.Int64()
			if err != nil {
				return
			}
			switch field {
			case fGeo:
				d.lng[doc], d.lat[doc] = geo.MortonUnhashLon(uint64(v)), geo.MortonUnhashLat(uint64(v))
			case fPrice:
				d.price[doc] = int64(numeric.Int64ToFloat64(v))
			case fCreated:
				d.created[doc] = int64(numeric.Int64ToFloat64(v))
			}
		}
		for doc = 0; doc < n; doc++ {
			var err error
			if state, err = dv.VisitDocValues(uint64(doc), fields, visit, state); err != nil {
				d.err = fmt.Errorf("read document values: %w", err)
				return
			}
		}
	}
	v, err := d.readVocab()
	if err != nil {
		d.err = err
		return
	}
	d.vocab = v
}

func (d *segData) readVocab() (*vocab, error) {
	dict, err := d.seg.Dictionary(fText)
	if err != nil {
		return nil, fmt.Errorf("read term dictionary: %w", err)
	}
	v := &vocab{}
	it := dict.AutomatonIterator(nil, nil, nil)
	for {
		e, err := it.Next()
		if err != nil {
			return nil, fmt.Errorf("read term dictionary: %w", err)
		}
		if e == nil {
			break
		}
		v.terms = append(v.terms, e.Term)
		v.counts = append(v.counts, e.Count)
	}
	if !sort.StringsAreSorted(v.terms) {
		sort.Sort(v)
	}
	return v, nil
}

// facetTerms returns the values of a facet field in the segment.
func (d *segData) facetTerms(field string) ([]facetTerm, error) {
	d.fmu.Lock()
	defer d.fmu.Unlock()
	if ft, ok := d.facets[field]; ok {
		return ft, nil
	}
	dict, err := d.seg.Dictionary(field)
	if err != nil {
		return nil, fmt.Errorf("read %s values: %w", field, err)
	}
	var out []facetTerm
	it := dict.AutomatonIterator(nil, nil, nil)
	for {
		e, err := it.Next()
		if err != nil {
			return nil, fmt.Errorf("read %s values: %w", field, err)
		}
		if e == nil {
			break
		}
		bm, err := postings(dict, e.Term)
		if err != nil {
			return nil, err
		}
		out = append(out, facetTerm{term: e.Term, docs: bm})
	}
	if d.facets == nil {
		d.facets = map[string][]facetTerm{}
	}
	d.facets[field] = out
	return out, nil
}

// postings returns the documents of the segment that hold term, deleted ones
// included. The bitmap may share memory with the segment: never modify it.
func postings(dict segment.TermDictionary, term string) (*roaring.Bitmap, error) {
	pl, err := dict.PostingsList([]byte(term), nil, nil)
	if err != nil {
		return nil, fmt.Errorf("read postings of %q: %w", term, err)
	}
	if pl == nil {
		return empty, nil
	}
	it := pl.Iterator(false, false, false, nil)
	o, ok := it.(segment.OptimizablePostingsIterator)
	if !ok {
		return nil, fmt.Errorf("read postings of %q: unsupported segment type %T", term, it)
	}
	if n, ok := o.DocNum1Hit(); ok {
		return roaring.BitmapOf(uint32(n)), nil
	}
	if bm := o.ActualBitmap(); bm != nil {
		return bm, nil
	}
	return empty, nil
}

// empty is a shared empty bitmap; never modify it.
var empty = roaring.New()
