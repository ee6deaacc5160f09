package meilifake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/carepool/carepool/search/internal/relevance"
)

type searchBody struct {
	Q                       *string  `json:"q"`
	Offset                  *int     `json:"offset"`
	Limit                   *int     `json:"limit"`
	Page                    *int     `json:"page"`
	HitsPerPage             *int     `json:"hitsPerPage"`
	Filter                  any      `json:"filter"`
	Sort                    []string `json:"sort"`
	Facets                  []string `json:"facets"`
	AttributesToRetrieve    []string `json:"attributesToRetrieve"`
	AttributesToHighlight   []string `json:"attributesToHighlight"`
	HighlightPreTag         *string  `json:"highlightPreTag"`
	HighlightPostTag        *string  `json:"highlightPostTag"`
	AttributesToCrop        []string `json:"attributesToCrop"`
	CropLength              *int     `json:"cropLength"`
	CropMarker              *string  `json:"cropMarker"`
	MatchingStrategy        string   `json:"matchingStrategy"`
	AttributesToSearchOn    []string `json:"attributesToSearchOn"`
	ShowMatchesPosition     bool     `json:"showMatchesPosition"`
	ShowRankingScore        bool     `json:"showRankingScore"`
	ShowRankingScoreDetails bool     `json:"showRankingScoreDetails"`
	ShowPerformanceDetails  bool     `json:"showPerformanceDetails"`
	Hybrid                  any      `json:"hybrid"`
	Vector                  any      `json:"vector"`
	RetrieveVectors         bool     `json:"retrieveVectors"`
	RankingScoreThreshold   any      `json:"rankingScoreThreshold"`
	Locales                 []string `json:"locales"`
	Distinct                string   `json:"distinct"`
	IndexUID                string   `json:"indexUid"`
	FederationOptions       any      `json:"federationOptions"`
	Media                   any      `json:"media"`
}

var geoPointSort = regexp.MustCompile(`^_geoPoint\(\s*(-?[0-9.]+)\s*,\s*(-?[0-9.]+)\s*\):(asc|desc)$`)

// sortKey is one criterion of the sort parameter.
type sortKey struct {
	attr     string
	desc     bool
	geo      bool
	lat, lng float64
}

// candidate is a matching document with what ranks it.
type candidate struct {
	id    string
	doc   map[string]any
	words int // query words dropped by matchingStrategy last
	rank  relevance.Rank
	order int
}

func (s *Server) search(w http.ResponseWriter, r *http.Request, uid string) *apiError {
	var b searchBody
	if err := decode(r, &b, "bad_request"); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ix, err := s.existing(uid)
	if err != nil {
		return err
	}
	st := ix.settings
	filter, err := parseFilter(b.Filter, st.FilterableAttributes)
	if err != nil {
		return err
	}
	sorts, err := parseSort(b.Sort, st)
	if err != nil {
		return err
	}
	for _, f := range b.Facets {
		if !slices.Contains(st.FilterableAttributes, f) {
			return invalid("invalid_search_facets", "Invalid facet distribution, attribute `%s` is not filterable. The available filterable attributes are `%s`.", f, strings.Join(st.FilterableAttributes, ", "))
		}
	}
	q := ""
	if b.Q != nil {
		q = *b.Q
	}
	strategy := b.MatchingStrategy
	if strategy == "" {
		strategy = "last"
	}
	if strategy != "last" && strategy != "all" && strategy != "frequency" {
		return invalid("invalid_search_matching_strategy", "Unknown value `%s` at `.matchingStrategy`: expected one of `last`, `all`, `frequency`.", strategy)
	}
	queries := ix.parseQueries(q, strategy)

	var cands []candidate
	for i, id := range ix.order {
		d := ix.docs[id]
		if filter != nil && !filter(d) {
			continue
		}
		text := ix.text(d)
		for dropped, pq := range queries {
			if rk, ok := relevance.Match(pq, text); ok {
				cands = append(cands, candidate{id: id, doc: d, words: dropped, rank: rk, order: i})
				break
			}
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return less(cands[i], cands[j], st.RankingRules, sorts, q != "") })

	resp := map[string]any{"query": q, "processingTimeMs": 0}
	if len(b.Facets) > 0 {
		resp["facetDistribution"] = facetDistribution(cands, b.Facets, st)
		resp["facetStats"] = map[string]any{}
	}
	total := min(len(cands), st.Pagination.MaxTotalHits)
	var from, to int
	if b.Page != nil || b.HitsPerPage != nil {
		page, hpp := 1, 20
		if b.Page != nil {
			page = *b.Page
		}
		if b.HitsPerPage != nil {
			hpp = *b.HitsPerPage
		}
		if page < 1 {
			return invalid("invalid_search_page", "Invalid value in parameter `page`: value must be greater than or equal to 1.")
		}
		from, to = min((page-1)*hpp, total), min(page*hpp, total)
		resp["page"], resp["hitsPerPage"], resp["totalHits"] = page, hpp, total
		resp["totalPages"] = 0
		if hpp > 0 {
			resp["totalPages"] = (total + hpp - 1) / hpp
		}
	} else {
		offset, limit := 0, 20
		if b.Offset != nil {
			offset = *b.Offset
		}
		if b.Limit != nil {
			limit = *b.Limit
		}
		from, to = min(offset, total), min(offset+limit, total)
		resp["offset"], resp["limit"], resp["estimatedTotalHits"] = offset, limit, total
	}
	hits := []map[string]any{}
	for _, c := range cands[from:to] {
		hits = append(hits, ix.formatHit(c, &b, queries[c.words], sorts))
	}
	resp["hits"] = hits
	writeJSON(w, 200, resp)
	return nil
}

// parseQueries returns the query and, for matchingStrategy last, the
// queries with 1, 2, ... trailing words dropped.
func (ix *index) parseQueries(q string, strategy string) []relevance.Query {
	st := ix.settings
	syn := relevance.Synonyms{}
	for k, vs := range st.Synonyms {
		key := strings.Join(relevance.Terms(k), " ")
		for _, v := range vs {
			syn[key] = append(syn[key], strings.Join(relevance.Terms(v), " "))
		}
	}
	stop := map[string]bool{}
	for _, w := range st.StopWords {
		stop[strings.ToLower(w)] = true
	}
	parse := func(text string) relevance.Query {
		pq := relevance.ParseQuery(text, syn, stop)
		tt := st.TypoTolerance
		for i := range pq.Words {
			w := &pq.Words[i]
			n := len([]rune(w.Term))
			switch {
			case !tt.Enabled || slices.Contains(tt.DisableOnWords, w.Term):
				w.MaxTypos = 0
			case n >= tt.MinWordSizeForTypos.TwoTypos:
				w.MaxTypos = 2
			case n >= tt.MinWordSizeForTypos.OneTypo:
				w.MaxTypos = 1
			default:
				w.MaxTypos = 0
			}
		}
		return pq
	}
	full := parse(q)
	out := []relevance.Query{full}
	if strategy == "all" {
		return out
	}
	terms := make([]string, len(full.Words))
	for i, w := range full.Words {
		terms[i] = w.Term
	}
	for k := len(terms) - 1; k >= 1; k-- {
		out = append(out, parse(strings.Join(terms[:k], " ")+" "))
	}
	return out
}

// text is a document's searchable attributes, in ranking order.
func (ix *index) text(d map[string]any) relevance.Doc {
	attrs := ix.settings.SearchableAttributes
	if slices.Contains(attrs, "*") {
		attrs = sortedKeys(d)
	}
	doc := make(relevance.Doc, len(attrs))
	for i, a := range attrs {
		doc[i] = relevance.NewAttr(strings_(d[a])...)
	}
	return doc
}

// strings_ flattens a document value into the strings Meilisearch indexes.
func strings_(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case json.Number:
		return []string{x.String()}
	case bool:
		return []string{strconv.FormatBool(x)}
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, strings_(e)...)
		}
		return out
	}
	return nil
}

func parseSort(list []string, st settings) ([]sortKey, *apiError) {
	if len(list) > 0 && !slices.Contains(st.RankingRules, "sort") {
		return nil, invalid("invalid_search_sort", "You must specify where `sort` is listed in the rankingRules setting to use the sort parameter at search time.")
	}
	var out []sortKey
	for _, s := range list {
		if m := geoPointSort.FindStringSubmatch(s); m != nil {
			if !slices.Contains(st.SortableAttributes, "_geo") {
				return nil, invalid("invalid_search_sort", "Attribute `_geo` is not sortable. Available sortable attributes are: `%s`.", strings.Join(st.SortableAttributes, ", "))
			}
			lat, _ := strconv.ParseFloat(m[1], 64)
			lng, _ := strconv.ParseFloat(m[2], 64)
			out = append(out, sortKey{geo: true, lat: lat, lng: lng, desc: m[3] == "desc"})
			continue
		}
		attr, dir, ok := strings.Cut(s, ":")
		if !ok || dir != "asc" && dir != "desc" {
			return nil, invalid("invalid_search_sort", "Invalid syntax for the sort parameter: expected expression ending by `:asc` or `:desc`, found `%s`.", s)
		}
		if !slices.Contains(st.SortableAttributes, attr) {
			return nil, invalid("invalid_search_sort", "Attribute `%s` is not sortable. Available sortable attributes are: `%s`.", attr, strings.Join(st.SortableAttributes, ", "))
		}
		out = append(out, sortKey{attr: attr, desc: dir == "desc"})
	}
	return out, nil
}

// less orders candidates by the ranking rules; ties keep insertion order.
func less(a, b candidate, rules []string, sorts []sortKey, text bool) bool {
	for _, rule := range rules {
		c := 0
		switch rule {
		case "words":
			c = a.words - b.words
		case "typo":
			c = a.rank.Typos - b.rank.Typos
		case "proximity":
			c = a.rank.Proximity - b.rank.Proximity
		case "attribute":
			if c = a.rank.Attribute - b.rank.Attribute; c == 0 {
				c = a.rank.WordPos - b.rank.WordPos
			}
		case "exactness":
			c = b.rank.Exact - a.rank.Exact
		case "sort":
			c = compareSort(a.doc, b.doc, sorts)
		}
		if !text && rule != "sort" {
			c = 0
		}
		if c != 0 {
			return c < 0
		}
	}
	return a.order < b.order
}

func compareSort(a, b map[string]any, sorts []sortKey) int {
	for _, k := range sorts {
		va, oka := sortValue(a, k)
		vb, okb := sortValue(b, k)
		switch {
		case !oka && !okb:
			continue
		case !oka: // missing values last, whatever the direction
			return 1
		case !okb:
			return -1
		case va == vb:
			continue
		case (va < vb) != k.desc:
			return -1
		default:
			return 1
		}
	}
	return 0
}

func sortValue(d map[string]any, k sortKey) (float64, bool) {
	if k.geo {
		lat, lng, ok := geoOf(d)
		return haversineMetres(k.lat, k.lng, lat, lng), ok
	}
	return number(d[k.attr])
}

func facetDistribution(cands []candidate, facets []string, st settings) map[string]map[string]int {
	out := map[string]map[string]int{}
	for _, f := range facets {
		counts := map[string]int{}
		for _, c := range cands {
			seen := map[string]bool{}
			for _, v := range strings_(c.doc[f]) {
				if !seen[v] {
					seen[v] = true
					counts[v]++
				}
			}
		}
		values := sortedKeys(counts)
		if by := st.Faceting.SortFacetValuesBy; by[f] == "count" || by[f] == "" && by["*"] == "count" {
			sort.SliceStable(values, func(i, j int) bool { return counts[values[i]] > counts[values[j]] })
		}
		if max := st.Faceting.MaxValuesPerFacet; len(values) > max {
			for _, v := range values[max:] {
				delete(counts, v)
			}
		}
		out[f] = counts
	}
	return out
}

// formatHit returns a hit's displayed attributes and, when asked,
// _formatted (highlighted and cropped) and _geoDistance.
func (ix *index) formatHit(c candidate, b *searchBody, q relevance.Query, sorts []sortKey) map[string]any {
	hit := map[string]any{}
	for k, v := range project(c.doc, b.AttributesToRetrieve) {
		hit[k] = v
	}
	for _, k := range sorts {
		if k.geo {
			if d, ok := sortValue(c.doc, k); ok {
				hit["_geoDistance"] = int(d + 0.5)
			}
		}
	}
	if len(b.AttributesToHighlight) == 0 && len(b.AttributesToCrop) == 0 {
		return hit
	}
	pre, post, marker, crop := "<em>", "</em>", "…", 10
	if b.HighlightPreTag != nil {
		pre = *b.HighlightPreTag
	}
	if b.HighlightPostTag != nil {
		post = *b.HighlightPostTag
	}
	if b.CropMarker != nil {
		marker = *b.CropMarker
	}
	if b.CropLength != nil {
		crop = *b.CropLength
	}
	formatted := map[string]any{}
	for k, v := range c.doc {
		s, ok := v.(string)
		if !ok {
			formatted[k] = v
			continue
		}
		hl := slices.Contains(b.AttributesToHighlight, k) || slices.Contains(b.AttributesToHighlight, "*")
		cr := slices.Contains(b.AttributesToCrop, k) || slices.Contains(b.AttributesToCrop, "*")
		spans := relevance.Highlight(s, q)
		if cr {
			spans = relevance.Crop(spans, crop)
		}
		var sb strings.Builder
		for _, sp := range spans {
			text := sp.Text
			if cr && marker != relevance.Ellipsis {
				text = strings.ReplaceAll(text, relevance.Ellipsis, marker)
			}
			if sp.Match && hl {
				fmt.Fprintf(&sb, "%s%s%s", pre, text, post)
			} else {
				sb.WriteString(text)
			}
		}
		formatted[k] = sb.String()
	}
	hit["_formatted"] = formatted
	return hit
}
