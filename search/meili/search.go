package meili

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	meilisearch "github.com/meilisearch/meilisearch-go"

	"github.com/carepool/carepool/marketplace/outcode"
	"github.com/carepool/carepool/search"
)

// Highlight tags: control characters that never occur in indexed text, so
// that highlighted fields can be split back into spans without parsing HTML.
const (
	preTag  = "\x02"
	postTag = "\x03"
)

// snippetWords is the length of the description snippet.
const snippetWords = 24

var facetAttrs = map[search.Facet]string{
	search.FacetType: "type", search.FacetKind: "kind", search.FacetCategory: "categories",
	search.FacetBudgetForm: "budgetForms", search.FacetLanguage: "languages",
	search.FacetAccessibility: "accessibility", search.FacetDay: "days",
}

// Search runs a query. See search.Index.
func (x *Index) Search(ctx context.Context, q search.Query) (search.Result, error) {
	pq, applied, err := search.Prepare(q)
	if err != nil {
		return search.Result{}, err
	}
	if x.closed.Load() {
		return search.Result{}, search.ErrClosed
	}
	req := Request(pq)
	resp, err := x.index.SearchWithContext(ctx, pq.Text, req)
	if err != nil {
		return search.Result{}, fmt.Errorf("meilisearch: search: %w", err)
	}
	res := search.Result{Page: pq.Page, PageSize: pq.PageSize, Total: int(resp.TotalHits), Applied: applied, Text: pq.Text}
	for _, h := range resp.Hits {
		hit, err := decodeHit(h, pq.Filter.Near)
		if err != nil {
			return search.Result{}, fmt.Errorf("meilisearch: search: %w", err)
		}
		res.Hits = append(res.Hits, hit)
	}
	var dist map[string]map[string]int
	if len(resp.FacetDistribution) > 0 {
		if err := json.Unmarshal(resp.FacetDistribution, &dist); err != nil {
			return search.Result{}, fmt.Errorf("meilisearch: facet distribution: %w", err)
		}
	}
	for _, f := range pq.Facets {
		fc := search.FacetCounts{Facet: f}
		for v, n := range dist[facetAttrs[f]] {
			fc.Values = append(fc.Values, search.FacetValue{Value: v, Label: f.Label(v), Count: n})
		}
		search.SortFacetValues(fc.Values)
		res.Facets = append(res.Facets, fc)
	}
	return res, nil
}

// Request is the Meilisearch search request for a prepared query (whose
// Text is sent as q).
func Request(pq search.Query) *meilisearch.SearchRequest {
	size := int64(pq.PageSize)
	req := &meilisearch.SearchRequest{
		Page: int64(pq.Page), HitsPerPage: &size,
		MatchingStrategy:      meilisearch.All,
		AttributesToHighlight: []string{"title", "description"},
		AttributesToCrop:      []string{"description"},
		CropLength:            snippetWords,
		CropMarker:            "…",
		HighlightPreTag:       preTag,
		HighlightPostTag:      postTag,
	}
	if f := FilterExpression(pq.Filter); f != "" {
		req.Filter = f
	}
	switch pq.Sort {
	case search.SortPrice:
		req.Sort = []string{"pricePence:asc", "createdAt:desc"}
	case search.SortNewest:
		req.Sort = []string{"createdAt:desc"}
	case search.SortDistance:
		req.Sort = []string{"_geoPoint(" + num(pq.Filter.Near.Lat) + ", " + num(pq.Filter.Near.Lng) + "):asc"}
	}
	for _, f := range pq.Facets {
		req.Facets = append(req.Facets, facetAttrs[f])
	}
	return req
}

func decodeHit(h meilisearch.Hit, near *search.Near) (search.Hit, error) {
	var d document
	if err := h.DecodeInto(&d); err != nil {
		return search.Hit{}, err
	}
	var formatted struct {
		Title       string `json:"title"`
		Description string `json:"description"`
	}
	if raw, ok := h["_formatted"]; ok {
		if err := json.Unmarshal(raw, &formatted); err != nil {
			return search.Hit{}, err
		}
	} else {
		formatted.Title, formatted.Description = d.Title, d.Description
	}
	hit := search.Hit{Document: d.toSearch(), Title: spans(formatted.Title), Snippet: spans(formatted.Description)}
	if near != nil && d.Geo != nil {
		m := outcode.DistanceMiles(near.Lat, near.Lng, d.Geo.Lat, d.Geo.Lng)
		hit.DistanceMiles = &m
	}
	return hit, nil
}

// spans splits a highlighted field at the highlight tags.
func spans(s string) []search.Span {
	var out []search.Span
	for s != "" {
		i := strings.Index(s, preTag)
		if i < 0 {
			out = append(out, search.Span{Text: s})
			break
		}
		j := strings.Index(s[i:], postTag)
		if j < 0 {
			out = append(out, search.Span{Text: strings.ReplaceAll(s, preTag, "")})
			break
		}
		if i > 0 {
			out = append(out, search.Span{Text: s[:i]})
		}
		out = append(out, search.Span{Text: s[i+len(preTag) : i+j], Match: true})
		s = s[i+j+len(postTag):]
	}
	return out
}
