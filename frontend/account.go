package frontend

import (
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/marketplace/account"
)

func (h *Handler) accountPage(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	ctx := c.Request().Context()
	me, err := h.accounts.Me(ctx)
	if err != nil {
		return err
	}
	granted, err := h.accounts.DelegationsGranted(ctx)
	if err != nil {
		return err
	}
	toMe, err := h.accounts.DelegationsToMe(ctx)
	if err != nil {
		return err
	}
	p := &AccountPage{Base: Base{Title: "Your account", Section: "account", Terms: terms("trusted-other", "broker", "ulo", "commissioner", "safeguarding")},
		Name: me.Name, Email: me.Email}
	if p.CalendarFeed, err = h.calendarFeedView(ctx); err != nil {
		return err
	}
	for _, m := range actor(c).Memberships {
		o := OrgView{Name: m.OrgName, Kinds: orgKindsText(m.OrgKinds), Role: roleLabels[m.Role], Suspended: m.OrgSuspended}
		if slices.ContainsFunc(m.OrgKinds, account.OrgKind.IsProvider) {
			o.Provider, o.URL = true, "/providers/"+m.OrgID
		}
		p.Organisations = append(p.Organisations, o)
	}
	for _, d := range granted {
		p.Granted = append(p.Granted, delegationRow(d, d.Representative.Name))
	}
	for _, d := range toMe {
		p.ActingFor = append(p.ActingFor, delegationRow(d, d.Holder.Name))
	}
	return h.render(c, http.StatusOK, p)
}

func delegationRow(d account.DelegationView, person string) DelegationRow {
	r := DelegationRow{Person: person, Kind: delegationLabels[d.Kind], Since: shortDate(d.CreatedAt), Active: d.Active()}
	if d.RevokedAt != nil {
		r.Ended = shortDate(*d.RevokedAt)
	}
	return r
}

var delegationLabels = map[account.DelegationKind]string{
	account.DelegationTrustedOther: "Trusted other (manages an indirect payment)",
	account.DelegationTrustee:      "Trustee",
	account.DelegationBroker:       "Support broker",
}

var roleLabels = map[account.Role]string{
	account.RoleOwner:        "Owner",
	account.RoleMember:       "Member",
	account.RoleCommissioner: "Commissioner",
}

var orgKindLabels = map[account.OrgKind]string{
	account.KindSmallProvider:       "Small provider",
	account.KindSoleTraderPA:        "Personal assistant working for themselves",
	account.KindCommunityGroup:      "Community group",
	account.KindISFProvider:         "Provider holding individual service funds",
	account.KindUserLedOrganisation: "User-led organisation",
	account.KindCouncil:             "Council",
	account.KindBrokerage:           "Brokerage",
	account.KindTrust:               "Trust",
}

func orgKindsText(kinds []account.OrgKind) string {
	labels := make([]string, len(kinds))
	for i, k := range kinds {
		labels[i] = orgKindLabels[k]
	}
	return joinWords(labels, "and")
}

// providerOrgs returns the caller's memberships of provider organisations.
func providerOrgs(a *account.Actor) []account.Membership {
	var out []account.Membership
	for _, m := range a.Memberships {
		if slices.ContainsFunc(m.OrgKinds, account.OrgKind.IsProvider) {
			out = append(out, m)
		}
	}
	return out
}

var organisationFields = fieldSpecs{
	"":      {ID: "name"},
	"name":  {ID: "name", Label: "Name of your organisation", Required: "Enter the name of your organisation"},
	"kinds": {ID: "kinds", Label: "Kind of provider", Required: "Choose what kind of provider you are"},
}

// providerKinds are the kinds a person may register themselves as.
var providerKinds = []Option{
	{Value: string(account.KindCommunityGroup), Label: "Community group", Hint: "A group, club or charity that runs activities."},
	{Value: string(account.KindSmallProvider), Label: "Small provider", Hint: "A small organisation providing care or support."},
	{Value: string(account.KindSoleTraderPA), Label: "Personal assistant working for yourself", Hint: "You are a PA and people employ or pay you directly."},
	{Value: string(account.KindISFProvider), Label: "Provider holding individual service funds", Hint: "You hold people's budgets for them as individual service funds (ISF)."},
}

func kindOptions(checked []string) []Option {
	out := slices.Clone(providerKinds)
	for i := range out {
		out[i].Checked = slices.Contains(checked, out[i].Value)
	}
	return out
}

func (h *Handler) newOrganisationForm(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	return h.render(c, http.StatusOK, &OrganisationFormPage{Base: Base{Title: "Register your organisation", Section: "dashboard",
		Terms: terms("pa", "isf", "dbs", "cqc")}, Kinds: kindOptions(nil)})
}

func (h *Handler) createOrganisation(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	p := &OrganisationFormPage{Base: Base{Title: "Register your organisation", Section: "dashboard", Terms: terms("pa", "isf", "dbs", "cqc")},
		Name: form.Get("name"), Kinds: kindOptions(form["kinds"])}
	in := account.NewOrganisation{Name: p.Name}
	for _, k := range form["kinds"] {
		in.Kinds = append(in.Kinds, account.OrgKind(k))
	}
	// Only provider kinds can be registered here: councils and others are set up by us.
	for _, k := range in.Kinds {
		if !k.IsProvider() {
			p.Errors = FormErrors{{ID: "kinds", Message: "Choose what kind of provider you are"}}
			return h.render(c, http.StatusUnprocessableEntity, p)
		}
	}
	_, err = h.accounts.CreateOrganisation(c.Request().Context(), in)
	if fe, ok := formErrors(err, organisationFields, func(f string) (fieldSpec, bool) { return organisationFields["kinds"], len(f) > 5 && f[:5] == "kinds" }); ok {
		p.Errors = fe
		return h.render(c, http.StatusUnprocessableEntity, p)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/dashboard?done=organisation-created")
}
