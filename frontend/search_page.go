package frontend

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/pooling"
	"github.com/carepool/carepool/search"
)

// The search page reads the same URL parameters as GET /api/v1/search (see
// search.ParseURLQuery), so a page's address and an API call say the same thing. The
// page is lenient where the API is strict: empty fields are ignored, unknown parameters
// dropped, and a wrong value is shown as an error next to its field while the rest of
// the search still runs.

// searchParams are the parameters the page reads; listParams may repeat.
var (
	searchParams = []string{"q", "type", "kind", "category", "budget_form", "access", "language", "day", "time",
		"near", "within", "max_price", "verified", "sort", "page"}
	listParams = []string{"type", "kind", "category", "budget_form", "access", "language", "day", "time"}
)

const resultsPerPage = 20

// facetsShown are counted for the filter panel, in the panel's order.
var facetsShown = []search.Facet{search.FacetType, search.FacetKind, search.FacetCategory, search.FacetDay, search.FacetBudgetForm,
	search.FacetAccessibility, search.FacetLanguage}

// orFacets are the facets whose values are alternatives (any of them): their counts
// are taken without their own filter, so that choosing "Swimming" does not hide
// "Arts and crafts". Accessibility features are all required, so its counts are those
// of the results as they are.
var orFacets = map[search.Facet]string{search.FacetType: "type", search.FacetKind: "kind", search.FacetCategory: "category",
	search.FacetDay: "day", search.FacetBudgetForm: "budget_form", search.FacetLanguage: "language"}

// cleanSearchParams keeps the parameters the page knows, trimmed and without empty
// values, and drops combinations that mean nothing (a distance without a place).
func cleanSearchParams(in url.Values) url.Values {
	out := url.Values{}
	for _, name := range searchParams {
		for _, v := range in[name] {
			if v = strings.TrimSpace(v); v != "" {
				out.Add(name, v)
			}
		}
		if !slices.Contains(listParams, name) && len(out[name]) > 1 {
			out[name] = out[name][:1]
		}
	}
	if out.Get("near") == "" {
		out.Del("within")
		if out.Get("sort") == string(search.SortDistance) {
			out.Del("sort")
		}
	}
	if out.Get("page") == "1" {
		out.Del("page")
	}
	if out.Get("verified") != "" && out.Get("verified") != "true" {
		out.Del("verified")
	}
	return out
}

// searchErrorIDs maps the search's parameters to the page's inputs.
var searchErrorIDs = map[string]string{"q": "q", "near": "near", "within": "within", "max_price": "max-price", "sort": "sort"}

func searchFieldMessage(field, msg string) string {
	switch field {
	case "near":
		return "Enter a real postcode, or the first half of one, such as LS6"
	case "max_price":
		return "Enter the most you want to pay in pounds, such as 20 or 12.50"
	case "within":
		return "Choose a distance"
	case "q":
		return "Search words " + msg
	}
	return "We could not use a filter you chose (" + field + " " + msg + "), so we left it out"
}

func (h *Handler) searchPage(c echo.Context) error {
	params := cleanSearchParams(c.QueryParams())
	p := &SearchPage{Base: Base{Title: "Search", Section: "search", Terms: terms("pa", "dp", "isf", "dbs", "outward-code", "verified")}}
	if h.search == nil {
		params.Del("type") // the plain list has offers only
		return h.searchList(c, p, params)
	}
	// A wrong value is shown next to its field and left out, and the rest still runs.
	var q search.Query
	for range 3 {
		var err error
		q, err = search.ParseURLQuery(params)
		var ve *search.ValidationError
		if !errors.As(err, &ve) {
			break
		}
		for _, f := range ve.Fields {
			id, ok := searchErrorIDs[f.Field]
			if !ok {
				id = "q"
			}
			p.Errors = p.Errors.add(id, searchFieldMessage(f.Field, f.Message))
			params.Del(f.Field)
			if f.Field == "near" {
				params.Del("within")
				params.Del("sort")
			}
		}
	}
	if q.PageSize == 0 {
		q.PageSize = resultsPerPage
	}
	q.Facets = facetsShown
	res, err := h.search.Search(c.Request().Context(), q)
	var ve *search.ValidationError
	if errors.As(err, &ve) { // ParseURLQuery checks everything Search does; this is a safety net
		p.Errors = p.Errors.add("q", "We could not run this search. Try fewer filters")
		params = url.Values{}
		res = search.Result{Page: 1, PageSize: resultsPerPage}
	} else if err != nil {
		return err
	}
	counts := map[search.Facet][]search.FacetValue{}
	for _, f := range res.Facets {
		counts[f.Facet] = f.Values
	}
	if err := h.orFacetCounts(c, q, params, counts); err != nil {
		return err
	}
	p.fill(params, res, counts)
	if err := h.poolCards(c.Request().Context(), p, res); err != nil {
		return err
	}
	return h.render(c, http.StatusOK, p)
}

// orFacetCounts replaces the counts of each alternative facet that has values chosen
// with its counts over the results without that filter.
func (h *Handler) orFacetCounts(c echo.Context, q search.Query, params url.Values, counts map[search.Facet][]search.FacetValue) error {
	prepared, _, err := search.Prepare(q)
	if err != nil {
		return nil // the main search ran, so this cannot happen; keep its counts
	}
	prepared.Literal, prepared.Page, prepared.PageSize, prepared.Sort = true, 1, 1, search.SortRelevance
	for _, facet := range facetsShown {
		param, ok := orFacets[facet]
		if !ok || len(params[param]) == 0 {
			continue
		}
		fq := prepared
		fq.Facets = []search.Facet{facet}
		switch facet {
		case search.FacetType:
			fq.Filter.Types = nil
		case search.FacetKind:
			fq.Filter.Kinds = nil
		case search.FacetCategory:
			fq.Filter.Categories = nil
		case search.FacetDay:
			fq.Filter.Days = nil
		case search.FacetBudgetForm:
			fq.Filter.BudgetForms = nil
		case search.FacetLanguage:
			fq.Filter.Languages = nil
		}
		res, err := h.search.Search(c.Request().Context(), fq)
		if err != nil {
			return fmt.Errorf("count %s: %w", facet, err)
		}
		if len(res.Facets) == 1 {
			counts[facet] = res.Facets[0].Values
		}
	}
	return nil
}

// fill builds the page from the search's result.
func (p *SearchPage) fill(params url.Values, res search.Result, counts map[search.Facet][]search.FacetValue) {
	p.fillForm(params, counts)
	p.Total = res.Total
	if p.Query != "" {
		p.Title = "Search results for ‘" + p.Query + "’"
	} else if len(params) > 0 {
		p.Title = "Search results"
	}
	for _, hit := range res.Hits {
		p.Results = append(p.Results, hitCard(hit))
	}
	if len(p.Results) > 0 {
		p.From = (res.Page-1)*res.PageSize + 1
		p.To = p.From + len(p.Results) - 1
	}
	pages := (res.Total + res.PageSize - 1) / max(res.PageSize, 1)
	pages = min(pages, search.MaxResults/resultsPerPage)
	p.Pagination = pagination(params, res.Page, pages)
	for _, a := range res.Applied {
		next := cloneValues(params)
		next.Set("q", a.Without)
		if a.Without == "" {
			next.Del("q")
		}
		next.Del("page")
		p.Applied = append(p.Applied, Link{URL: searchURL(next), Label: a.Label})
	}
	p.Applied = append(p.Applied, appliedFilters(params)...)
	if len(p.Applied) > 0 {
		clear := url.Values{}
		if q := params.Get("q"); q != "" {
			clear.Set("q", q)
		}
		p.ClearURL = searchURL(clear)
	}
}

// fillForm sets the filter panel from the parameters and the facet counts.
func (p *SearchPage) fillForm(params url.Values, counts map[search.Facet][]search.FacetValue) {
	p.Query, p.Near, p.MaxPrice = params.Get("q"), params.Get("near"), params.Get("max_price")
	p.Verified = params.Get("verified") == "true"
	within := params.Get("within")
	if within == "" {
		within = strconv.Itoa(search.DefaultRadiusMiles)
	}
	for _, m := range []string{"1", "3", "5", "10", "25", "50"} {
		p.Within = append(p.Within, Option{Value: m, Label: "Within " + m + " miles", Checked: m == within})
	}
	sort := params.Get("sort")
	for _, s := range []Option{{Value: "relevance", Label: "Best match"}, {Value: "price", Label: "Lowest price first"},
		{Value: "newest", Label: "Newest first"}, {Value: "distance", Label: "Nearest first (needs a place)"}} {
		s.Checked = s.Value == sort
		p.Sort = append(p.Sort, s)
	}
	p.Groups = []FilterGroup{
		group(params, counts, "type", search.FacetType, "What to show", "A pool is a group of people sharing the cost of an activity. Choose “Groups forming” to see only groups you can join.", typeTerms, false),
		group(params, counts, "kind", search.FacetKind, "Type of support", "", marketplace.Kinds, false),
		group(params, counts, "category", search.FacetCategory, "What", "Choose as many as you like.", marketplace.Categories, true),
		group(params, counts, "day", search.FacetDay, "Day", "", dayTerms, false),
		group(params, nil, "time", "", "Time of day", "", timeTerms, false),
		group(params, counts, "budget_form", search.FacetBudgetForm, "Kind of budget", "Offers that accept this kind of personal budget.", marketplace.BudgetForms, false),
		group(params, counts, "access", search.FacetAccessibility, "Accessibility", "Offers must have every feature you choose.", marketplace.AccessibilityFeatures, true),
		group(params, counts, "language", search.FacetLanguage, "Language", "", marketplace.Languages, true),
	}
}

var (
	// typeTerms are the kinds of search result, as the filter names them.
	typeTerms = []marketplace.Term{{Slug: search.TypeOffer, Label: "Activities, services and personal assistants"},
		{Slug: search.TypePool, Label: "Groups forming (pools)"}}
	dayTerms  = func() []marketplace.Term { return vocabTerms("day", search.Days) }()
	timeTerms = func() []marketplace.Term { return vocabTerms("time", search.TimesOfDay) }()
)

func vocabTerms(vocab string, values []string) []marketplace.Term {
	out := make([]marketplace.Term, len(values))
	for i, v := range values {
		out[i] = marketplace.Term{Slug: v, Label: search.Label(vocab, v)}
	}
	return out
}

// group builds one set of filter checkboxes. With counts, each option shows how many
// results it has; when hideEmpty, options with none are left out (unless chosen), so
// long lists stay short.
func group(params url.Values, counts map[search.Facet][]search.FacetValue, param string, facet search.Facet,
	legend, hint string, vocab []marketplace.Term, hideEmpty bool) FilterGroup {
	g := FilterGroup{Param: param, Legend: legend, Hint: hint}
	chosen := params[param]
	fc, counted := counts[facet]
	for _, t := range vocab {
		o := Option{Value: t.Slug, Label: t.Label, Checked: slices.Contains(chosen, t.Slug)}
		if counted {
			o.HasCount = true
			if i := slices.IndexFunc(fc, func(v search.FacetValue) bool { return v.Value == t.Slug }); i >= 0 {
				o.Count = fc[i].Count
			}
			if o.Count == 0 && hideEmpty && !o.Checked {
				continue
			}
		}
		g.Options = append(g.Options, o)
		g.Open = g.Open || o.Checked
	}
	return g
}

// poolCards fills in the cards of pool hits from the pools as they are now: what one
// more person would pay a session and at how many people, the places left and the
// deadline. A pool that is no longer taking people (the index follows the store a
// moment later) is left out rather than shown as a dead end.
func (h *Handler) poolCards(ctx context.Context, p *SearchPage, res search.Result) error {
	if h.pools == nil {
		return nil
	}
	kept := p.Results[:0]
	for i, hit := range res.Hits {
		card := p.Results[i]
		if hit.Document.Type == search.TypePool {
			v, err := h.pools.Pool(ctx, poolIDOfHit(hit.Document))
			if apperr.Is(err, apperr.NotFound) || (err == nil && (v.Status != pooling.StatusOpen || v.PlacesLeft == 0)) {
				continue
			}
			if err != nil {
				return err
			}
			pr := v.Pricing
			k := min(max(v.Counted+1, pr.MinPeople), pr.MaxPeople)
			card.Group = &GroupCard{Share: pounds(pr.Share(k)), People: k, PlacesLeft: v.PlacesLeft, Closes: shortDate(v.Deadline)}
		}
		kept = append(kept, card)
	}
	p.Total -= len(p.Results) - len(kept)
	p.Results = kept
	if len(p.Results) > 0 {
		p.To = p.From + len(p.Results) - 1
	} else {
		p.From, p.To = 0, 0
	}
	return nil
}
