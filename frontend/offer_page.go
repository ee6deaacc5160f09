package frontend

import (
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
)

// offerPage shows an offer. The service decides who may see it: a published offer of
// an active provider to anyone, any offer to its provider's members and administrators,
// and a 404 to everyone else, so a draft cannot be discovered.
func (h *Handler) offerPage(c echo.Context) error {
	ctx := c.Request().Context()
	o, err := h.market.Offer(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	prov, err := h.market.Provider(ctx, o.ProviderID)
	if err != nil {
		return err
	}
	a := actor(c)
	p := &OfferPage{Base: Base{Title: o.Title, Section: "search", Terms: offerTerms(o)},
		Offer: offerView(o), Provider: providerView(prov, time.Now()), Manage: a.MemberOf(o.ProviderID)}
	return h.render(c, http.StatusOK, p)
}

// offerTerms are the glossary terms an offer's page uses.
func offerTerms(o marketplace.Offer) []Term {
	ids := []string{"pb"}
	for _, f := range o.BudgetForms {
		ids = append(ids, budgetTermIDs[f])
	}
	if o.Kind == marketplace.KindPersonalAssistant {
		ids = append(ids, "pa")
	}
	if o.Price.Unit == marketplace.GroupSession {
		ids = append(ids, "pool")
	}
	if o.Where.Mode == marketplace.InArea {
		ids = append(ids, "outward-code")
	}
	return terms(append(ids, "dbs", "cqc", "verified")...)
}

var budgetTermIDs = map[marketplace.BudgetForm]string{
	marketplace.DirectPayment: "dp", marketplace.IndirectPayment: "indirect-payment", marketplace.TrustFund: "trust-fund",
	marketplace.BrokeredFund: "brokered-fund", marketplace.ISF: "isf", marketplace.CouncilManaged: "council-managed",
}

var statusViews = map[marketplace.Status]struct{ label, class string }{
	marketplace.StatusDraft:     {"Draft", "govuk-tag--grey"},
	marketplace.StatusPublished: {"Published", "govuk-tag--green"},
	marketplace.StatusPaused:    {"Paused", "govuk-tag--yellow"},
	marketplace.StatusArchived:  {"Archived", "govuk-tag--red"},
}

func offerView(o marketplace.Offer) OfferView {
	st := statusViews[o.Status]
	v := OfferView{ID: o.ID, Title: o.Title, Description: o.Description, Status: string(o.Status), StatusLabel: st.label,
		StatusClass: st.class, Version: o.Version, Price: priceSummary(o.Price), WhenNotes: o.When.Notes}
	for _, k := range marketplace.Kinds {
		if k.Slug == string(o.Kind) {
			v.Kind, v.KindHint = k.Label, k.Help
		}
	}
	for _, c := range o.Categories {
		v.Categories = append(v.Categories, marketplace.Label(marketplace.Categories, c))
	}
	switch o.Where.Mode {
	case marketplace.Online:
		v.Online = true
		v.Where = []string{"Online"}
	case marketplace.InArea:
		v.Where = []string{"Comes to you in " + joinWords(o.Where.AreasServed, "and")}
	default:
		if a := o.Where.Address; a != nil {
			v.Where = append(v.Where, a.Line1)
			if a.Line2 != "" {
				v.Where = append(v.Where, a.Line2)
			}
			v.Where = append(v.Where, a.Town, a.Postcode)
		}
		if len(o.Where.AreasServed) > 0 {
			v.Where = append(v.Where, "Also serves "+joinWords(o.Where.AreasServed, "and"))
		}
	}
	for _, w := range o.When.Weekly {
		v.When = append(v.When, weeklyText(w))
	}
	for _, d := range o.When.Dated {
		v.When = append(v.When, datedText(d))
	}
	if len(v.When) == 0 {
		v.When = []string{"By arrangement: contact the provider to agree times"}
	}
	if g := o.Price.Group; o.Price.Unit == marketplace.GroupSession && g != nil {
		v.GroupMin, v.GroupMax = g.MinPeople, g.MaxPeople
		for _, n := range groupSizes(g.MinPeople, g.MaxPeople) {
			v.GroupPrices = append(v.GroupPrices, GroupPrice{People: n, PerPerson: pounds(o.Price.PerPersonAt(n))})
		}
	}
	for _, f := range o.BudgetForms {
		for _, t := range marketplace.BudgetForms {
			if t.Slug == string(f) {
				v.BudgetForms = append(v.BudgetForms, Option{Value: t.Slug, Label: t.Label, Hint: t.Help})
			}
		}
	}
	for _, a := range o.Accessibility {
		for _, t := range marketplace.AccessibilityFeatures {
			if t.Slug == a {
				v.Accessibility = append(v.Accessibility, Option{Value: t.Slug, Label: t.Label, Hint: t.Help})
			}
		}
	}
	for _, l := range o.Languages {
		v.Languages = append(v.Languages, marketplace.Label(marketplace.Languages, l))
	}
	return v
}

// groupSizes picks at most 8 group sizes from min to max to show prices for: all of
// them for a small range, otherwise both ends and evenly spaced sizes between.
func groupSizes(lo, hi int) []int {
	if lo < 1 || hi < lo {
		return nil
	}
	const most = 8
	if hi-lo+1 <= most {
		out := make([]int, 0, hi-lo+1)
		for n := lo; n <= hi; n++ {
			out = append(out, n)
		}
		return out
	}
	out := []int{lo}
	for i := 1; i < most-1; i++ {
		n := lo + (hi-lo)*i/(most-1)
		if n != out[len(out)-1] {
			out = append(out, n)
		}
	}
	return append(out, hi)
}

func (h *Handler) providerPage(c echo.Context) error {
	ctx := c.Request().Context()
	prov, err := h.market.Provider(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	offers, err := h.market.Offers(ctx, marketplace.OfferFilter{ProviderID: prov.ID, Limit: marketplace.MaxLimit})
	if err != nil {
		return err
	}
	view := providerView(prov, time.Now())
	p := &ProviderPage{Base: Base{Title: prov.Name, Section: "search", Terms: terms("dbs", "cqc", "verified", "outward-code", "pa", "isf")}, Provider: view}
	for _, o := range offers.Items {
		p.Offers = append(p.Offers, offerCard(o, prov.Name, view.Verified))
	}
	return h.render(c, http.StatusOK, p)
}

var providerKindLabels = map[string]string{
	string(account.KindSmallProvider):  "Small provider",
	string(account.KindSoleTraderPA):   "Personal assistant working for themselves",
	string(account.KindCommunityGroup): "Community group",
	string(account.KindISFProvider):    "Holds individual service funds (ISF)",
}

func providerView(p marketplace.Provider, now time.Time) ProviderView {
	v := ProviderView{ID: p.ID, Name: p.Name, URL: "/providers/" + url.PathEscape(p.ID), Description: p.Description,
		AreasServed: p.AreasServed, Email: p.Contact.Email, Phone: p.Contact.Phone, Website: p.Contact.Website,
		Verified: p.Verification.Verified(now)}
	for _, k := range p.Kinds {
		v.Kinds = append(v.Kinds, providerKindLabels[k])
	}
	for _, l := range p.Languages {
		v.Languages = append(v.Languages, marketplace.Label(marketplace.Languages, l))
	}
	ver := p.Verification
	today := now.UTC().Format(time.DateOnly)
	dbs := Check{Name: "DBS checks", TermID: "dbs", Detail: "No DBS check stated"}
	if ver.DBSCheckedOn != "" {
		dbs.Detail, dbs.Verified = "Checked on "+plainDate(ver.DBSCheckedOn), ver.DBSVerified
	}
	ins := Check{Name: "Insurance", Detail: "No insurance stated"}
	if ver.InsuranceExpires != "" {
		ins.Detail, ins.Verified = "Insured until "+plainDate(ver.InsuranceExpires), ver.InsuranceVerified && ver.InsuranceExpires >= today
		if ver.InsuranceExpires < today {
			ins.Detail = "Insurance ran out on " + plainDate(ver.InsuranceExpires)
		}
	}
	cqc := Check{Name: "CQC registration", TermID: "cqc",
		Detail: "Not registered. Community activities and most personal assistants do not need to be."}
	if ver.CQCNumber != "" {
		cqc.Detail, cqc.Verified = "Registration number "+ver.CQCNumber, ver.CQCVerified
	}
	v.Checks = []Check{dbs, ins, cqc}
	return v
}
