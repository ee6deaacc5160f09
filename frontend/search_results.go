package frontend

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/search"
)

// The pieces of the search page built from a result: removable filters, pagination
// and result cards.

// appliedFilters lists the filters chosen in the panel, each with a link that removes it.
func appliedFilters(params url.Values) []Link {
	var out []Link
	remove := func(name, value string, also ...string) string {
		next := cloneValues(params)
		next.Del("page")
		vals := slices.DeleteFunc(slices.Clone(next[name]), func(v string) bool { return v == value })
		next[name] = vals
		if len(vals) == 0 {
			next.Del(name)
		}
		for _, a := range also {
			next.Del(a)
		}
		return searchURL(next)
	}
	labels := []struct {
		param, prefix string
		vocab         []marketplace.Term
	}{
		{"type", "", typeTerms}, {"kind", "", marketplace.Kinds}, {"category", "", marketplace.Categories}, {"day", "", dayTerms},
		{"time", "", timeTerms}, {"budget_form", "Accepts ", marketplace.BudgetForms},
		{"access", "", marketplace.AccessibilityFeatures}, {"language", "In ", marketplace.Languages},
	}
	for _, l := range labels {
		for _, v := range params[l.param] {
			out = append(out, Link{URL: remove(l.param, v), Label: l.prefix + marketplace.Label(l.vocab, v)})
		}
	}
	if near := params.Get("near"); near != "" {
		within := params.Get("within")
		if within == "" {
			within = strconv.Itoa(search.DefaultRadiusMiles)
		}
		out = append(out, Link{URL: remove("near", near, "within", "sort"), Label: "Within " + within + " miles of " + strings.ToUpper(near)})
	}
	if mp := params.Get("max_price"); mp != "" {
		label := "Up to " + mp + " per person"
		if pence, ok := parsePounds(mp); ok {
			label = "Up to " + pounds(pence) + " per person"
		}
		out = append(out, Link{URL: remove("max_price", mp), Label: label})
	}
	if params.Get("verified") == "true" {
		out = append(out, Link{URL: remove("verified", "true"), Label: "Verified providers only"})
	}
	return out
}

// pagination builds the GOV.UK pagination: first, last, and the pages around the
// current one, with ellipses between.
func pagination(params url.Values, current, pages int) Pagination {
	var pg Pagination
	if pages <= 1 {
		return pg
	}
	link := func(n int) string {
		next := cloneValues(params)
		next.Del("page")
		if n > 1 {
			next.Set("page", strconv.Itoa(n))
		}
		return searchURL(next)
	}
	if current > 1 {
		pg.Prev = link(current - 1)
	}
	if current < pages {
		pg.Next = link(current + 1)
	}
	gap := false
	for n := 1; n <= pages; n++ {
		if n == 1 || n == pages || (n >= current-1 && n <= current+1) {
			pg.Items = append(pg.Items, PageLink{Number: n, URL: link(n), Current: n == current})
			gap = false
		} else if !gap {
			pg.Items = append(pg.Items, PageLink{Ellipsis: true})
			gap = true
		}
	}
	return pg
}

// GroupCard is what a result card says of a pool: a group forming, what one more
// person would pay a session now and at how many people, the places left and the
// deadline.
type GroupCard struct {
	Share      string
	People     int // 0 when not known
	PlacesLeft int
	Closes     string
}

// poolIDOfHit returns the pool id of a pool's search hit ("pool_<id>").
func poolIDOfHit(d search.Document) string { return strings.TrimPrefix(d.ID, "pool_") }

// hitCard turns a search hit into a result card. A pool's card says what its document
// knows; poolCards adds what the pool says now.
func hitCard(hit search.Hit) ResultCard {
	d := hit.Document
	card := ResultCard{
		URL: "/offers/" + url.PathEscape(d.ID), Title: hit.Title, Provider: d.ProviderName,
		Kind: search.Label("kind", d.Kind), Price: hitPrice(d.PricePence, d.PriceUnit), Verified: d.Verified, Snippet: hit.Snippet,
	}
	if d.Type == search.TypePool {
		card.URL, card.Group = poolURL(poolIDOfHit(d)), &GroupCard{Share: pounds(d.PricePence)}
	}
	if d.ProviderID != "" {
		card.ProviderURL = "/providers/" + url.PathEscape(d.ProviderID)
	}
	if len(card.Title) == 0 {
		card.Title = []search.Span{{Text: d.Title}}
	}
	if len(card.Snippet) == 0 && d.Description != "" {
		card.Snippet = []search.Span{{Text: truncateWords(d.Description, 160)}}
	}
	switch {
	case d.Online:
		card.Where = "Online"
	case len(d.Outcodes) > 0:
		card.Where = joinWords(d.Outcodes, "and")
	}
	if hit.DistanceMiles != nil {
		card.Where += fmt.Sprintf(" (about %s away)", milesText(*hit.DistanceMiles))
	}
	card.When = whenText(d.Days, d.TimesOfDay)
	for _, f := range d.BudgetForms {
		card.BudgetForms = append(card.BudgetForms, search.Label("budget_form", f))
	}
	for _, a := range d.Accessibility {
		card.Access = append(card.Access, search.Label("accessibility", a))
	}
	return card
}

func milesText(m float64) string {
	switch {
	case m < 0.5:
		return "half a mile"
	case m < 1.5:
		return "1 mile"
	}
	return fmt.Sprintf("%.0f miles", m)
}

// whenText says when something happens from its days and times of day: "Tuesday and
// Thursday, mornings", or "By arrangement" when it has no set times.
func whenText(days, times []string) string {
	if len(days) == 0 {
		return "By arrangement"
	}
	s := daysText(days)
	if len(times) > 0 && len(times) < 3 {
		ts := make([]string, len(times))
		for i, t := range times {
			ts[i] = strings.ToLower(search.Label("time", t))
		}
		s += ", in the " + joinWords(ts, "and")
	}
	return s
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}

// searchURL is the search page's address with these parameters, in a stable order.
func searchURL(v url.Values) string {
	if len(v) == 0 {
		return "/search"
	}
	return "/search?" + v.Encode()
}
