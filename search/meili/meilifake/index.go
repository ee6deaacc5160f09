package meilifake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// settings is the part of an index's settings the fake honours.
type settings struct {
	RankingRules         []string            `json:"rankingRules"`
	SearchableAttributes []string            `json:"searchableAttributes"`
	DisplayedAttributes  []string            `json:"displayedAttributes"`
	StopWords            []string            `json:"stopWords"`
	Synonyms             map[string][]string `json:"synonyms"`
	FilterableAttributes []string            `json:"filterableAttributes"`
	SortableAttributes   []string            `json:"sortableAttributes"`
	TypoTolerance        typoTolerance       `json:"typoTolerance"`
	Pagination           struct {
		MaxTotalHits int `json:"maxTotalHits"`
	} `json:"pagination"`
	Faceting struct {
		MaxValuesPerFacet int               `json:"maxValuesPerFacet"`
		SortFacetValuesBy map[string]string `json:"sortFacetValuesBy"`
	} `json:"faceting"`
}

type typoTolerance struct {
	Enabled             bool `json:"enabled"`
	MinWordSizeForTypos struct {
		OneTypo  int `json:"oneTypo"`
		TwoTypos int `json:"twoTypos"`
	} `json:"minWordSizeForTypos"`
	DisableOnWords      []string `json:"disableOnWords"`
	DisableOnAttributes []string `json:"disableOnAttributes"`
	DisableOnNumbers    bool     `json:"disableOnNumbers"`
}

func defaultSettings() settings {
	var s settings
	s.RankingRules = []string{"words", "typo", "proximity", "attribute", "sort", "exactness"}
	s.SearchableAttributes, s.DisplayedAttributes = []string{"*"}, []string{"*"}
	s.StopWords, s.Synonyms = []string{}, map[string][]string{}
	s.FilterableAttributes, s.SortableAttributes = []string{}, []string{}
	s.TypoTolerance.Enabled = true
	s.TypoTolerance.MinWordSizeForTypos.OneTypo, s.TypoTolerance.MinWordSizeForTypos.TwoTypos = 5, 9
	s.Pagination.MaxTotalHits = 1000
	s.Faceting.MaxValuesPerFacet = 100
	s.Faceting.SortFacetValuesBy = map[string]string{"*": "alpha"}
	return s
}

// index is one Meilisearch index.
type index struct {
	exists               bool
	primaryKey           string
	createdAt, updatedAt time.Time
	settings             settings
	docs                 map[string]map[string]any
	order                []string // internal ids: insertion order, Meilisearch's final tie-break
}

func newIndex() *index {
	now := time.Now().UTC()
	return &index{createdAt: now, updatedAt: now, settings: defaultSettings(), docs: map[string]map[string]any{}}
}

func (ix *index) clear() {
	ix.docs, ix.order = map[string]map[string]any{}, nil
}

func (s *Server) getSettings(w http.ResponseWriter, uid string) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	ix, err := s.existing(uid)
	if err != nil {
		return err
	}
	writeJSON(w, 200, ix.settings)
	return nil
}

var rankingRuleNames = []string{"words", "typo", "proximity", "attribute", "sort", "exactness"}

// updateSettings checks the body now (a malformed setting is a 400, as in
// Meilisearch) and applies it in a task. Fields left out keep their value;
// null resets a field to its default.
func (s *Server) updateSettings(w http.ResponseWriter, r *http.Request, uid string) *apiError {
	var raw map[string]json.RawMessage
	if err := decode(r, &raw, "bad_request"); err != nil {
		return err
	}
	known := map[string]bool{"rankingRules": true, "searchableAttributes": true, "displayedAttributes": true,
		"stopWords": true, "synonyms": true, "filterableAttributes": true, "sortableAttributes": true,
		"typoTolerance": true, "pagination": true, "faceting": true, "distinctAttribute": true,
		"proximityPrecision": true, "separatorTokens": true, "nonSeparatorTokens": true, "dictionary": true,
		"searchCutoffMs": true, "prefixSearch": true, "facetSearch": true, "localizedAttributes": true, "embedders": true}
	for k := range raw {
		if !known[k] {
			return invalid("bad_request", "Unknown field `%s`: expected one of %s", k, strings.Join(sortedKeys(known), ", "))
		}
	}
	next := defaultSettings()
	if rr, ok := raw["rankingRules"]; ok {
		var rules []string
		if err := json.Unmarshal(rr, &rules); err != nil {
			return invalid("invalid_settings_ranking_rules", "Invalid value type at `.rankingRules`: %v", err)
		}
		for _, rule := range rules {
			if !slices.Contains(rankingRuleNames, rule) && !strings.HasSuffix(rule, ":asc") && !strings.HasSuffix(rule, ":desc") {
				return invalid("invalid_settings_ranking_rules", "`%s` ranking rule is invalid. Valid ranking rules are words, typo, sort, proximity, attribute, exactness and custom ranking rules.", rule)
			}
		}
	}
	if tt, ok := raw["typoTolerance"]; ok && string(tt) != "null" {
		var t typoTolerance
		t.MinWordSizeForTypos.OneTypo, t.MinWordSizeForTypos.TwoTypos = 5, 9
		if err := json.Unmarshal(tt, &t); err != nil {
			return invalid("invalid_settings_typo_tolerance", "Invalid value type at `.typoTolerance`: %v", err)
		}
		if t.MinWordSizeForTypos.OneTypo > t.MinWordSizeForTypos.TwoTypos {
			return invalid("invalid_settings_typo_tolerance", "`minWordSizeForTypos` setting is invalid. `oneTypo` and `twoTypos` fields should be between `0` and `255`, and `twoTypos` should be greater or equals to `oneTypo` but found `oneTypo: %d` and twoTypos: %d`.",
				t.MinWordSizeForTypos.OneTypo, t.MinWordSizeForTypos.TwoTypos)
		}
	}
	return s.enqueue(w, uid, "settingsUpdate", func(ix *index) *apiError {
		cur, _ := json.Marshal(ix.settings)
		merged := map[string]json.RawMessage{}
		json.Unmarshal(cur, &merged)
		def, _ := json.Marshal(next)
		defaults := map[string]json.RawMessage{}
		json.Unmarshal(def, &defaults)
		for k, v := range raw {
			if string(v) == "null" {
				v = defaults[k]
			}
			merged[k] = v
		}
		b, _ := json.Marshal(merged)
		var out settings
		if err := json.Unmarshal(b, &out); err != nil {
			return invalid("invalid_settings", "%v", err)
		}
		ix.settings = out
		return nil
	})
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func (s *Server) addDocuments(w http.ResponseWriter, r *http.Request, uid string) *apiError {
	var docs []map[string]any
	if err := decode(r, &docs, "malformed_payload"); err != nil {
		return err
	}
	pk := r.URL.Query().Get("primaryKey")
	return s.enqueue(w, uid, "documentAdditionOrUpdate", func(ix *index) *apiError {
		if ix.primaryKey == "" {
			ix.primaryKey = pk
		}
		if ix.primaryKey == "" {
			return invalid("index_primary_key_no_candidate_found", "The primary key inference failed as the engine did not find any field ending with `id` in its name. Please specify the primary key manually using the `primaryKey` query parameter.")
		}
		for _, d := range docs { // all or nothing
			id, err := docID(d, ix.primaryKey)
			if err != nil {
				return err
			}
			if err := checkGeo(d, id); err != nil {
				return err
			}
		}
		for _, d := range docs {
			id, _ := docID(d, ix.primaryKey)
			if _, ok := ix.docs[id]; !ok {
				ix.order = append(ix.order, id)
			}
			ix.docs[id] = d
		}
		return nil
	})
}

func docID(d map[string]any, pk string) (string, *apiError) {
	v, ok := d[pk]
	if !ok {
		return "", invalid("missing_document_id", "Document doesn't have a `%s` attribute: `%v`.", pk, d)
	}
	id := fmt.Sprint(v)
	if !validUID(id) || len(id) > 511 {
		return "", invalid("invalid_document_id", "Document identifier `%v` is invalid. A document identifier can be of type integer or string, only composed of alphanumeric characters (a-z A-Z 0-9), hyphens (-) and underscores (_), and can not be more than 511 bytes.", v)
	}
	return id, nil
}

func checkGeo(d map[string]any, id string) *apiError {
	g, ok := d["_geo"]
	if !ok || g == nil {
		return nil
	}
	m, ok := g.(map[string]any)
	lat, okLat := number(m["lat"])
	lng, okLng := number(m["lng"])
	if !ok || !okLat || !okLng || lat < -90 || lat > 90 || lng < -180 || lng > 180 {
		return invalid("invalid_document_geo_field", "The `_geo` field in the document with the id: `%s` is not a valid geo point: %v.", id, g)
	}
	return nil
}

func (s *Server) deleteDocuments(w http.ResponseWriter, r *http.Request, uid string) *apiError {
	var ids []any
	if err := decode(r, &ids, "bad_request"); err != nil {
		return err
	}
	return s.enqueue(w, uid, "documentDeletion", func(ix *index) *apiError {
		for _, v := range ids {
			id := fmt.Sprint(v)
			if _, ok := ix.docs[id]; ok {
				delete(ix.docs, id)
				ix.order = slices.DeleteFunc(ix.order, func(x string) bool { return x == id })
			}
		}
		return nil
	})
}

func (s *Server) fetchDocuments(w http.ResponseWriter, r *http.Request, uid string) *apiError {
	var body struct {
		Offset          int      `json:"offset"`
		Limit           *int     `json:"limit"`
		Fields          []string `json:"fields"`
		Filter          any      `json:"filter"`
		Ids             []string `json:"ids"`
		Sort            []string `json:"sort"`
		RetrieveVectors bool     `json:"retrieveVectors"`
	}
	if err := decode(r, &body, "bad_request"); err != nil {
		return err
	}
	limit := 20
	if body.Limit != nil {
		limit = *body.Limit
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ix, err := s.existing(uid)
	if err != nil {
		return err
	}
	results := []map[string]any{}
	for i := body.Offset; i < len(ix.order) && i < body.Offset+limit; i++ {
		results = append(results, project(ix.docs[ix.order[i]], body.Fields))
	}
	writeJSON(w, 200, map[string]any{"results": results, "offset": body.Offset, "limit": limit, "total": len(ix.order)})
	return nil
}

// project keeps the named fields of d (all when fields is empty or "*").
func project(d map[string]any, fields []string) map[string]any {
	if len(fields) == 0 || slices.Contains(fields, "*") {
		return d
	}
	out := map[string]any{}
	for _, f := range fields {
		if v, ok := d[f]; ok {
			out[f] = v
		}
	}
	return out
}
