package frontend

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
)

// The dashboard: first the sections a person's roles give them (the pools they
// organise, approvals, where people are pooling for commissioners, who acts for them),
// then the offers of each provider organisation they belong to, by status, with the
// actions each status allows and links to the pools on its offers (and, for ISF
// providers, the funds it holds). The services check every action again; the page only
// offers what makes sense.

// DashboardSection is one part of the dashboard a person's roles give them.
type DashboardSection struct {
	URL, Label, Hint string
}

// dashboardSections are the sections for the caller, in the order of the page.
func (h *Handler) dashboardSections(a *account.Actor) []DashboardSection {
	var out []DashboardSection
	if h.pools != nil {
		out = append(out,
			DashboardSection{URL: "/dashboard/pools", Label: "Pools you organise",
				Hint: "Propose a pool on an activity, open it for people to join, see who still needs approval, and confirm it."},
			DashboardSection{URL: "/approvals", Label: "Pledges waiting for your approval",
				Hint: "For ISF providers, commissioners, trustees, and people asked to agree a large pledge made for them."})
		if _, ok := h.pools.(Invoicing); ok {
			out = append(out, DashboardSection{URL: "/invoices", Label: "Invoices",
				Hint: "Invoices your organisation issued or must pay, and your own: print them, record payments, correct them."})
		}
		if commissioner(a) {
			out = append(out, DashboardSection{URL: "/dashboard/demand", Label: "Where people are pooling",
				Hint: "For commissioners: groups forming and groups that did not go ahead, by area and category."})
		}
	}
	return append(out, DashboardSection{URL: "/account/delegations", Label: "People who act for you",
		Hint: "Let a family member, friend, trustee or broker manage your budget for you, or stop them."})
}

var dashboardTerms = func() []Term { return terms("dbs", "cqc", "pa", "isf", "pool", "outward-code") }

// statusActions are the buttons each status shows, as the status to move to.
var statusActions = map[marketplace.Status][]Option{
	marketplace.StatusDraft:     {{Value: "published", Label: "Publish"}, {Value: "archived", Label: "Archive"}},
	marketplace.StatusPublished: {{Value: "paused", Label: "Pause"}, {Value: "archived", Label: "Archive"}},
	marketplace.StatusPaused:    {{Value: "published", Label: "Publish again"}, {Value: "archived", Label: "Archive"}},
}

func (h *Handler) dashboard(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	ctx := c.Request().Context()
	p := &DashboardPage{Base: Base{Title: "Your dashboard", Section: "dashboard", Terms: dashboardTerms()},
		Sections: h.dashboardSections(actor(c))}
	for _, m := range providerOrgs(actor(c)) {
		base := "/dashboard/providers/" + url.PathEscape(m.OrgID)
		dp := DashboardProvider{ID: m.OrgID, Name: m.OrgName, Suspended: m.OrgSuspended, NewURL: base + "/offers/new"}
		if h.providerPayments != nil {
			dp.CardsURL = providerCardsURL(m.OrgID)
		}
		if h.pools != nil {
			dp.PoolsURL = base + "/pools"
			if slices.Contains(m.OrgKinds, account.KindISFProvider) {
				dp.ISFURL = base + "/isf-accounts"
			}
		}
		var offers []marketplace.Offer
		for _, st := range []marketplace.Status{marketplace.StatusDraft, marketplace.StatusPublished, marketplace.StatusPaused, marketplace.StatusArchived} {
			page, err := h.market.Offers(ctx, marketplace.OfferFilter{ProviderID: m.OrgID, Status: st, Limit: marketplace.MaxLimit})
			if err != nil {
				return err
			}
			offers = append(offers, page.Items...)
		}
		slices.SortStableFunc(offers, func(a, b marketplace.Offer) int { return b.UpdatedAt.Compare(a.UpdatedAt) })
		for _, o := range offers {
			dp.Offers = append(dp.Offers, dashboardOffer(o, m.OrgSuspended))
		}
		p.Providers = append(p.Providers, dp)
	}
	return h.render(c, http.StatusOK, p)
}

func dashboardOffer(o marketplace.Offer, suspended bool) DashboardOffer {
	st := statusViews[o.Status]
	d := DashboardOffer{ID: o.ID, Title: o.Title, URL: "/offers/" + url.PathEscape(o.ID), Status: string(o.Status),
		StatusLabel: st.label, StatusClass: st.class, Updated: shortDate(o.UpdatedAt), Version: o.Version,
		StatusURL: "/dashboard/offers/" + url.PathEscape(o.ID) + "/status"}
	if o.Status != marketplace.StatusArchived && !suspended {
		d.EditURL = "/dashboard/offers/" + url.PathEscape(o.ID) + "/edit"
		d.Actions = statusActions[o.Status]
	}
	return d
}

// membership returns the caller's membership of a provider organisation, or a 404 for
// one they do not belong to (as the API does, so the page tells nothing of others).
func membership(c echo.Context, orgID string) (account.Membership, error) {
	m, ok := actor(c).Membership(orgID)
	if !ok || !slices.ContainsFunc(m.OrgKinds, account.OrgKind.IsProvider) {
		return account.Membership{}, apperr.NotFoundf("provider")
	}
	return m, nil
}

func (h *Handler) newOfferForm(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	m, err := membership(c, c.Param("id"))
	if err != nil {
		return err
	}
	raw := offerRaw{Languages: []string{"en"}}
	return h.render(c, http.StatusOK, h.offerFormPage(m.OrgName, "/dashboard/providers/"+url.PathEscape(m.OrgID)+"/offers", false, 0, raw, nil))
}

func (h *Handler) offerFormPage(provider, action string, editing bool, version int64, raw offerRaw, errs FormErrors) *OfferFormPage {
	title := "Add an offer"
	if editing {
		title = "Change your offer"
	}
	return &OfferFormPage{Base: Base{Title: title, Section: "dashboard", Errors: errs, Terms: terms("pa", "dp", "isf", "pool", "outward-code", "respite")},
		Action: action, ProviderName: provider, Editing: editing, Version: version, Form: raw.form()}
}

func (h *Handler) createOffer(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	m, err := membership(c, c.Param("id"))
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	raw := rawFromValues(form)
	in, rows, parsed := raw.input()
	var o marketplace.Offer
	if len(parsed) > 0 {
		// Check the rest too, so every mistake is listed at once.
		in.Normalize()
		err = in.Validate()
	} else {
		o, err = h.market.CreateOffer(c.Request().Context(), m.OrgID, in)
	}
	if fe, ok := offerFormErrors(parsed, err, rows); ok {
		return h.render(c, http.StatusUnprocessableEntity,
			h.offerFormPage(m.OrgName, "/dashboard/providers/"+url.PathEscape(m.OrgID)+"/offers", false, 0, raw, fe))
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/dashboard?done=offer-created#offer-"+o.ID)
}

func (h *Handler) editOfferForm(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	o, m, err := h.offerToManage(c)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, h.offerFormPage(m.OrgName, "/dashboard/offers/"+url.PathEscape(o.ID), true, o.Version, rawFromOffer(o), nil))
}

// offerToManage loads the offer of the request for one of its provider's members: a
// 404 for an offer the caller may not see, a 403 for one they may see but not change.
func (h *Handler) offerToManage(c echo.Context) (marketplace.Offer, account.Membership, error) {
	o, err := h.market.Offer(c.Request().Context(), c.Param("id"))
	if err != nil {
		return marketplace.Offer{}, account.Membership{}, err
	}
	m, ok := actor(c).Membership(o.ProviderID)
	if !ok {
		return marketplace.Offer{}, account.Membership{}, apperr.Forbiddenf("Only members of the provider can change this offer.")
	}
	return o, m, nil
}

func (h *Handler) updateOffer(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	o, m, err := h.offerToManage(c)
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	version, _ := strconv.ParseInt(form.Get("version"), 10, 64)
	raw := rawFromValues(form)
	in, rows, parsed := raw.input()
	if len(parsed) > 0 {
		in.Normalize()
		err = in.Validate()
	} else {
		_, err = h.market.ReplaceOffer(c.Request().Context(), o.ID, version, in)
	}
	action := "/dashboard/offers/" + url.PathEscape(o.ID)
	if apperr.Is(err, apperr.PreconditionFailed) {
		// Someone else saved first: show their version's number so that saving again
		// overwrites knowingly, and keep what this person typed.
		fe := FormErrors{{ID: "title", Message: "Someone else changed this offer while you were editing it. Check the details and save again"}}
		return h.render(c, http.StatusConflict, h.offerFormPage(m.OrgName, action, true, o.Version, raw, fe))
	}
	if fe, ok := offerFormErrors(parsed, err, rows); ok {
		return h.render(c, http.StatusUnprocessableEntity, h.offerFormPage(m.OrgName, action, true, version, raw, fe))
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/dashboard?done=offer-saved#offer-"+o.ID)
}

func (h *Handler) setOfferStatus(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	to := marketplace.Status(c.FormValue("status"))
	if !slices.Contains([]marketplace.Status{marketplace.StatusPublished, marketplace.StatusPaused, marketplace.StatusArchived}, to) {
		return apperr.InvalidFields(apperr.FieldError{Field: "status", Message: "must be published, paused or archived"})
	}
	version, _ := strconv.ParseInt(c.FormValue("version"), 10, 64)
	o, err := h.market.SetOfferStatus(c.Request().Context(), c.Param("id"), to, version)
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/dashboard?done=offer-"+string(to)+"#offer-"+o.ID)
}
