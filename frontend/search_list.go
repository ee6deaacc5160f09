package frontend

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/search"
)

// searchList is the search page without a search index: the marketplace's list of
// published offers, newest first, filtered by what the list can filter on (one type,
// one category, one kind of budget, one area). The page says that search is limited.
func (h *Handler) searchList(c echo.Context, p *SearchPage, params url.Values) error {
	p.Limited = true
	ctx := c.Request().Context()
	for _, name := range []string{"kind", "category", "budget_form"} {
		if len(params[name]) > 1 {
			params[name] = params[name][:1]
		}
	}
	for _, name := range []string{"q", "day", "time", "access", "language", "max_price", "verified", "sort", "page", "within"} {
		params.Del(name)
	}
	cursor := c.QueryParam("cursor")
	f := marketplace.OfferFilter{Kind: marketplace.Kind(params.Get("kind")), Category: params.Get("category"),
		BudgetForm: marketplace.BudgetForm(params.Get("budget_form")), Cursor: cursor, Limit: resultsPerPage}
	if near := params.Get("near"); near != "" {
		f.Outcode = strings.ToUpper(strings.Fields(near)[0])
	}
	page, err := h.market.Offers(ctx, f)
	if e, ok := apperr.As(err); ok && e.Kind == apperr.Invalid {
		// Show what was wrong and list everything instead.
		for _, fe := range e.Fields {
			switch fe.Field {
			case "outcode":
				p.Errors = p.Errors.add("near", "Enter the first half of a postcode, such as LS6")
				params.Del("near")
			case "cursor":
				p.Errors = p.Errors.add("q", "That page of results has gone. Here is the first page")
			default:
				p.Errors = p.Errors.add("q", "We could not use a filter you chose, so we left it out")
				params.Del(fe.Field)
			}
		}
		page, err = h.market.Offers(ctx, marketplace.OfferFilter{Kind: marketplace.Kind(params.Get("kind")),
			Category: params.Get("category"), BudgetForm: marketplace.BudgetForm(params.Get("budget_form")), Limit: resultsPerPage})
	}
	if err != nil {
		return err
	}
	p.fillForm(params, nil)
	var kept []FilterGroup
	for _, g := range p.Groups {
		if slices.Contains([]string{"kind", "category", "budget_form"}, g.Param) {
			g.Radios = true
			g.Options = append([]Option{{Value: "", Label: "Any", Checked: len(params[g.Param]) == 0}}, g.Options...)
			kept = append(kept, g)
		}
	}
	p.Groups = kept
	names := providerNames{h: h, ctx: ctx, names: map[string]providerSummary{}}
	for _, o := range page.Items {
		s := names.get(o.ProviderID)
		p.Results = append(p.Results, offerCard(o, s.Name, s.Verified))
	}
	p.Total = len(p.Results)
	if p.Total > 0 {
		p.From, p.To = 1, p.Total
	}
	if page.NextCursor != "" {
		next := cloneValues(params)
		next.Set("cursor", page.NextCursor)
		p.Pagination.Next = "/search?" + next.Encode()
	}
	if cursor != "" {
		p.Pagination.Prev = searchURL(params)
		p.From, p.To = 0, 0
	}
	p.Applied = appliedFilters(params)
	if len(p.Applied) > 0 {
		p.ClearURL = "/search"
	}
	return h.render(c, http.StatusOK, p)
}

type providerSummary struct {
	Name     string
	Verified bool
}

// providerNames looks up each provider once per page.
type providerNames struct {
	h     *Handler
	ctx   context.Context
	names map[string]providerSummary
}

func (n providerNames) get(id string) providerSummary {
	if s, ok := n.names[id]; ok {
		return s
	}
	var s providerSummary
	if p, err := n.h.market.Provider(n.ctx, id); err == nil {
		s = providerSummary{Name: p.Name, Verified: p.Verification.Verified(time.Now())}
	}
	n.names[id] = s
	return s
}

// offerCard turns an offer into a result card, for the plain list and provider pages.
func offerCard(o marketplace.Offer, providerName string, verified bool) ResultCard {
	card := ResultCard{
		URL: "/offers/" + url.PathEscape(o.ID), Title: []search.Span{{Text: o.Title}},
		Provider: providerName, ProviderURL: "/providers/" + url.PathEscape(o.ProviderID),
		Kind: marketplace.Label(marketplace.Kinds, string(o.Kind)), Price: priceSummary(o.Price), Verified: verified,
		Snippet: []search.Span{{Text: truncateWords(o.Description, 160)}},
	}
	switch o.Where.Mode {
	case marketplace.Online:
		card.Where = "Online"
	case marketplace.InArea:
		card.Where = "Comes to you in " + joinWords(o.Where.AreasServed, "and")
	default:
		if a := o.Where.Address; a != nil {
			card.Where = a.Town + " " + o.Where.Outcode
		}
	}
	var days []string
	for _, w := range o.When.Weekly {
		if !slices.Contains(days, w.Day) {
			days = append(days, w.Day)
		}
	}
	days = orderDays(days)
	switch {
	case len(days) > 0:
		card.When = daysText(days)
	case len(o.When.Dated) > 0:
		card.When = "On set dates"
	default:
		card.When = "By arrangement"
	}
	for _, f := range o.BudgetForms {
		card.BudgetForms = append(card.BudgetForms, marketplace.Label(marketplace.BudgetForms, string(f)))
	}
	for _, a := range o.Accessibility {
		card.Access = append(card.Access, marketplace.Label(marketplace.AccessibilityFeatures, a))
	}
	return card
}

// orderDays puts days in week order.
func orderDays(days []string) []string {
	var out []string
	for _, d := range marketplace.Days {
		if slices.Contains(days, d) {
			out = append(out, d)
		}
	}
	return out
}
