package relevance

// MaxProximity is the proximity cost of two slots found in different
// attributes, or further apart than this many positions.
const MaxProximity = 8

// Rank is how well a document matches a query under the ranking rules; lower
// is better in every field but Exact.
type Rank struct {
	Typos     int // typo: total typos over the slots
	Proximity int // proximity: summed distance between consecutive slots
	Attribute int // attribute: summed index of the best attribute per slot
	WordPos   int // attribute (tie-break): summed position in that attribute
	Exact     int // exactness: slots matched by the query word exactly
}

// Compare orders ranks by typo, proximity, attribute and exactness, returning
// a negative number when a ranks before b.
func Compare(a, b Rank) int {
	switch {
	case a.Typos != b.Typos:
		return a.Typos - b.Typos
	case a.Proximity != b.Proximity:
		return a.Proximity - b.Proximity
	case a.Attribute != b.Attribute:
		return a.Attribute - b.Attribute
	case a.WordPos != b.WordPos:
		return a.WordPos - b.WordPos
	}
	return b.Exact - a.Exact
}

// occ is one place where a slot matches a document.
type occ struct {
	attr, start, end int // positions, end inclusive
	typos            int
	exact            bool
}

// Match reports whether doc matches every slot of one of q's readings, and
// the best rank over those readings. An empty query matches every document.
func Match(q Query, doc Doc) (Rank, bool) {
	if q.Empty() {
		return Rank{}, true
	}
	var best Rank
	found := false
	cache := map[*Slot][]occ{}
	for ri := range q.Readings {
		reading := q.Readings[ri]
		occs := make([][]occ, len(reading))
		ok := true
		for si := range reading {
			s := &reading[si]
			o, seen := cache[s]
			if !seen {
				o = slotOccs(s, doc)
				cache[s] = o
			}
			if len(o) == 0 {
				ok = false
				break
			}
			occs[si] = o
		}
		if !ok {
			continue
		}
		r := rank(occs)
		if !found || Compare(r, best) < 0 {
			best, found = r, true
		}
	}
	return best, found
}

func rank(occs [][]occ) Rank {
	var r Rank
	for i, os := range occs {
		typos, attr, pos, exact := 1<<30, 1<<30, 1<<30, false
		for _, o := range os {
			typos = min(typos, o.typos)
			exact = exact || o.exact
			if o.attr < attr {
				attr, pos = o.attr, o.start
			} else if o.attr == attr {
				pos = min(pos, o.start)
			}
		}
		r.Typos += typos
		r.Attribute += attr
		r.WordPos += pos
		if exact {
			r.Exact++
		}
		if i > 0 {
			r.Proximity += proximity(occs[i-1], os)
		}
	}
	return r
}

func proximity(a, b []occ) int {
	best := MaxProximity
	for _, x := range a {
		for _, y := range b {
			if x.attr != y.attr {
				continue
			}
			var d int
			if y.start > x.end {
				d = y.start - x.end
			} else {
				d = x.start - y.end + 1 // reversed order costs one more
				if d < 1 {
					d = 1
				}
			}
			best = min(best, d)
		}
	}
	return best
}

// slotOccs finds where slot s matches doc.
func slotOccs(s *Slot, doc Doc) []occ {
	var out []occ
	for ai, attr := range doc {
		for ti, t := range attr {
			if len(s.Words) == 1 {
				w := s.Words[0]
				if n, ok := Typos(w.Term, t.Term, w.MaxTypos, w.Prefix); ok {
					out = append(out, occ{attr: ai, start: t.Pos, end: t.Pos, typos: n, exact: t.Term == w.Term})
					continue
				}
			}
			for _, phrase := range s.Synonyms {
				if end, ok := phraseAt(attr, ti, phrase); ok {
					out = append(out, occ{attr: ai, start: t.Pos, end: end})
					break
				}
			}
		}
	}
	return out
}

// phraseAt reports whether the phrase's words occur at consecutive positions
// from attr[i], and the position of its last word.
func phraseAt(attr Attr, i int, phrase []string) (int, bool) {
	if i+len(phrase) > len(attr) {
		return 0, false
	}
	for k, w := range phrase {
		t := attr[i+k]
		if t.Term != w || t.Pos != attr[i].Pos+k {
			return 0, false
		}
	}
	return attr[i+len(phrase)-1].Pos, true
}
