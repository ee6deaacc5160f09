package frontend

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/payments"
)

// A provider's card payments: what Stripe last said of its connected account, in plain
// English, and for its owners a button to start or carry on Stripe's onboarding. Coming
// back from Stripe proves nothing; the page shows what Stripe's own reports said.

// ProviderPayments is what the provider's card payments page needs; payments.Service
// has it. Errors are apperr errors, and payments.ErrNotConfigured on a site without
// Stripe keys.
type ProviderPayments interface {
	ProviderStatus(ctx context.Context, providerID string) (payments.ProviderStatus, error)
	StartOnboarding(ctx context.Context, providerID, returnURL string) (payments.Onboarding, error)
}

var _ ProviderPayments = (*payments.Service)(nil)

func providerCardsURL(providerID string) string {
	return "/dashboard/providers/" + url.PathEscape(providerID) + "/card-payments"
}

func (h *Handler) providerCardPayments(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	m, err := membership(c, c.Param("id"))
	if err != nil {
		return err
	}
	p := &ProviderCardsPage{Base: Base{Title: "Card payments", Section: "dashboard"}, Provider: m.OrgName, Back: "/dashboard",
		Owner: m.Role == account.RoleOwner && !m.OrgSuspended, Action: providerCardsURL(m.OrgID) + "/onboarding"}
	st, err := h.providerPayments.ProviderStatus(c.Request().Context(), m.OrgID)
	switch {
	case errors.Is(err, payments.ErrNotConfigured):
		p.NotConfigured, p.Owner = true, false
		return h.render(c, http.StatusOK, p)
	case err != nil:
		return err
	}
	p.Status, p.Rows = st, providerCardRows(st)
	switch {
	case !st.OnboardingStarted:
		p.Button = "Set up card payments with Stripe"
	case st.CanTakeCards:
		p.Button = "Check or change your details at Stripe"
	default:
		p.Button = "Carry on setting up with Stripe"
	}
	setProviderCardsCSP(c)
	return h.render(c, http.StatusOK, p)
}

// providerCardRows says what Stripe last reported, one plain question at a time.
func providerCardRows(st payments.ProviderStatus) []SummaryRow {
	yesNo := func(b bool) string {
		if b {
			return "Yes"
		}
		return "Not yet"
	}
	rows := []SummaryRow{
		{"Set-up with Stripe started", yesNo(st.OnboardingStarted)},
		{"Your details are all given", yesNo(st.DetailsSubmitted)},
		{"People can pay you by card", yesNo(st.ChargesEnabled)},
		{"Stripe can pay the money into your bank account", yesNo(st.PayoutsEnabled)},
	}
	if st.UpdatedAt != nil {
		rows = append(rows, SummaryRow{"Last heard from Stripe", dateAndTime(*st.UpdatedAt)})
	}
	return rows
}

// startCardOnboarding sends an owner to Stripe's hosted onboarding, with a fresh
// single-use link that brings them back to this page.
func (h *Handler) startCardOnboarding(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	m, err := membership(c, c.Param("id"))
	if err != nil {
		return err
	}
	o, err := h.providerPayments.StartOnboarding(c.Request().Context(), m.OrgID, h.absolute(c, providerCardsURL(m.OrgID)))
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, o.URL)
}
