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

// The provider's dashboard: the offers of each provider organisation the person belongs
// to, by status, with the actions each status allows. The marketplace service checks
// every action again; the page only offers what makes sense.

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
	p := &DashboardPage{Base: Base{Title: "Your offers", Section: "dashboard", Terms: dashboardTerms()}}
	for _, m := range providerOrgs(actor(c)) {
		dp := DashboardProvider{ID: m.OrgID, Name: m.OrgName, Suspended: m.OrgSuspended,
			NewURL: "/dashboard/providers/" + url.PathEscape(m.OrgID) + "/offers/new"}
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
