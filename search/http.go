package search

import (
	_ "embed"
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/apperr"
)

// OpenAPI is the OpenAPI 3.1 fragment documenting GET /api/v1/search; the
// server merges it into /api/v1/openapi.json.
//
//go:embed openapi.json
var OpenAPI []byte

// Handler serves the search API. The index holds only what the public may
// see (published offers of active providers), so there is nothing to check
// per caller.
type Handler struct{ idx Index }

// NewHandler returns the search API handler on idx.
func NewHandler(idx Index) *Handler { return &Handler{idx: idx} }

// Register mounts GET /search on the /api/v1 group.
func (h *Handler) Register(g *echo.Group) {
	g.GET("/search", h.search)
}

func (h *Handler) search(c echo.Context) error {
	q, err := ParseURLQuery(c.QueryParams())
	if err != nil {
		return problem(err)
	}
	res, err := h.idx.Search(c.Request().Context(), q)
	if err != nil {
		return problem(err)
	}
	return c.JSON(http.StatusOK, resultJSON(res))
}

// problem turns a search error into the error vocabulary of infra/apperr.
func problem(err error) error {
	var ve *ValidationError
	switch {
	case errors.As(err, &ve):
		fields := make([]apperr.FieldError, len(ve.Fields))
		for i, f := range ve.Fields {
			fields[i] = apperr.FieldError{Field: f.Field, Message: f.Message}
		}
		return apperr.InvalidFields(fields...)
	case errors.Is(err, ErrClosed):
		return &apperr.Error{Kind: apperr.Unavailable, Code: "search-unavailable",
			Message: "Search is not available at the moment. Please try again shortly.", Err: err}
	}
	return err
}

// The JSON of a result: snake_case, as the rest of the API.
type (
	resultBody struct {
		Hits    []hitBody     `json:"hits"`
		Total   int           `json:"total"`
		Page    int           `json:"page"`
		PerPage int           `json:"per_page"`
		Facets  []facetBody   `json:"facets"`
		Applied []appliedBody `json:"applied"`
		Text    string        `json:"text"`
	}
	hitBody struct {
		ID            string     `json:"id"`
		Type          string     `json:"type"`
		Title         string     `json:"title"`
		Description   string     `json:"description"`
		Categories    []string   `json:"categories"`
		ProviderID    string     `json:"provider_id"`
		ProviderName  string     `json:"provider_name"`
		Kind          string     `json:"kind"`
		BudgetForms   []string   `json:"budget_forms"`
		PricePence    int64      `json:"price_pence"`
		PriceUnit     string     `json:"price_unit"`
		Languages     []string   `json:"languages"`
		Accessibility []string   `json:"accessibility"`
		Days          []string   `json:"days"`
		TimesOfDay    []string   `json:"times_of_day"`
		Verified      bool       `json:"verified"`
		Outcodes      []string   `json:"outcodes"`
		Location      *pointBody `json:"location,omitempty"`
		Online        bool       `json:"online"`
		CreatedAt     time.Time  `json:"created_at"`
		DistanceMiles *float64   `json:"distance_miles,omitempty"`
		Highlight     struct {
			Title   []spanBody `json:"title"`
			Snippet []spanBody `json:"snippet"`
		} `json:"highlight"`
	}
	pointBody struct {
		Latitude  float64 `json:"latitude"`
		Longitude float64 `json:"longitude"`
	}
	spanBody struct {
		Text  string `json:"text"`
		Match bool   `json:"match"`
	}
	facetBody struct {
		Facet  Facet            `json:"facet"`
		Values []facetValueBody `json:"values"`
	}
	facetValueBody struct {
		Value string `json:"value"`
		Label string `json:"label"`
		Count int    `json:"count"`
	}
	appliedBody struct {
		Param   string   `json:"param"`
		Values  []string `json:"values"`
		Label   string   `json:"label"`
		Text    string   `json:"text"`
		Without string   `json:"without"`
	}
)

func resultJSON(r Result) resultBody {
	b := resultBody{Hits: []hitBody{}, Total: r.Total, Page: r.Page, PerPage: r.PageSize,
		Facets: []facetBody{}, Applied: []appliedBody{}, Text: r.Text}
	for _, h := range r.Hits {
		d := h.Document
		hb := hitBody{ID: d.ID, Type: d.Type, Title: d.Title, Description: d.Description,
			Categories: list(d.Categories), ProviderID: d.ProviderID, ProviderName: d.ProviderName, Kind: d.Kind,
			BudgetForms: list(d.BudgetForms), PricePence: d.PricePence, PriceUnit: d.PriceUnit,
			Languages: list(d.Languages), Accessibility: list(d.Accessibility), Days: list(d.Days),
			TimesOfDay: list(d.TimesOfDay), Verified: d.Verified, Outcodes: list(d.Outcodes), Online: d.Online,
			CreatedAt: d.CreatedAt.UTC(), DistanceMiles: h.DistanceMiles}
		if d.Geo != nil {
			hb.Location = &pointBody{Latitude: d.Geo.Lat, Longitude: d.Geo.Lng}
		}
		hb.Highlight.Title, hb.Highlight.Snippet = spansJSON(h.Title), spansJSON(h.Snippet)
		b.Hits = append(b.Hits, hb)
	}
	for _, f := range r.Facets {
		fb := facetBody{Facet: f.Facet, Values: []facetValueBody{}}
		for _, v := range f.Values {
			fb.Values = append(fb.Values, facetValueBody(v))
		}
		b.Facets = append(b.Facets, fb)
	}
	for _, a := range r.Applied {
		b.Applied = append(b.Applied, appliedBody(a))
	}
	return b
}

func spansJSON(ss []Span) []spanBody {
	out := make([]spanBody, len(ss))
	for i, s := range ss {
		out[i] = spanBody(s)
	}
	return out
}

func list(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
