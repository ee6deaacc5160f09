package frontend

import (
	"context"
	"net/http"
	"net/url"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/payments"
	"github.com/carepool/carepool/pooling"
)

// Card payments on the pages: the join form offers "Pay by card" where it is possible,
// and the card page saves the card with Stripe Elements. That page is the only one
// with JavaScript: card numbers must be typed into Stripe's own frame, never into ours
// (so Carepool never sees them, as the card industry's PCI rules want), and that frame
// needs Stripe's script. Whatever the browser says afterwards proves nothing: a pledge
// counts only when Stripe's webhook says the card is saved.

// CardPayments is what the pages need of card payments; payments.Cards has it. Errors
// are apperr errors (NotFound for a pledge the caller may not pay for).
type CardPayments interface {
	// CanTakeCards reports whether a provider can be paid by card now.
	CanTakeCards(ctx context.Context, providerID string) (bool, error)
	// StartCardSetup starts saving a card for a card pledge: a SetupIntent whose client
	// secret the card page gives Stripe Elements.
	StartCardSetup(ctx context.Context, pledgeID string) (payments.CardSetup, error)
	// CardStatus says where a card pledge's card stands.
	CardStatus(ctx context.Context, pledgeID string) (payments.CardStatus, error)
}

var _ CardPayments = (*payments.Cards)(nil)

// stripeJS is Stripe.js. Stripe asks that it is always loaded from js.stripe.com, never
// bundled or copied, so its fraud checks stay current.
const stripeJS = "https://js.stripe.com/v3/"

func cardURL(pledgeID string) string { return pledgeURL(pledgeID) + "/card" }

func (h *Handler) registerCards(get, post func(path, name string, fn echo.HandlerFunc)) {
	if h.pools != nil && h.cards != nil {
		get("/pledges/:id/card", "pledge-card", h.cardPage)
	}
	if h.providerPayments != nil {
		get("/dashboard/providers/:id/card-payments", "provider-card-payments", h.providerCardPayments)
		post("/dashboard/providers/:id/card-payments/onboarding", "provider-card-onboarding", h.startCardOnboarding)
	}
}

// cardsPossible reports whether people joining the pool may choose to pay by card: card
// payments are set up, the pool takes a budget that can pay by card, and its provider
// can take cards.
func (h *Handler) cardsPossible(ctx context.Context, v pooling.PoolView) (bool, error) {
	if h.cards == nil || !slices.ContainsFunc(v.BudgetForms, func(f marketplace.BudgetForm) bool { return slices.Contains(pooling.CardForms, f) }) {
		return false, nil
	}
	return h.cards.CanTakeCards(ctx, v.ProviderID)
}

// payByOptions are the two ways to pay, explained.
func payByOptions(chosen string) []Option {
	return []Option{
		{Value: string(pooling.PayByCard), Label: "Pay by card", Checked: chosen == string(pooling.PayByCard),
			Hint: "Your card is saved now and nothing is taken yet. It is charged when the group is confirmed, a period of sessions at a time: the first period then, and each later one when the one before it is done. Only for a direct payment, an indirect payment or a trust fund."},
		{Value: string(pooling.PayByInvoice), Label: "Pay by invoice", Checked: chosen == string(pooling.PayByInvoice),
			Hint: "The provider sends an invoice once the group goes ahead, and it is paid by bank transfer (or by whoever holds your budget). Every kind of budget can pay this way."},
	}
}

func (h *Handler) cardPage(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	ctx := c.Request().Context()
	id := c.Param("id")
	// Stripe comes back here with the SetupIntent and its client secret in the query:
	// drop them from the address bar and history. What they say is not trusted anyway.
	if q := c.QueryParams(); q.Has("setup_intent") || q.Has("setup_intent_client_secret") {
		return c.Redirect(http.StatusSeeOther, cardURL(id)+"?checking=1")
	}
	pl, err := h.pools.MyPledge(ctx, id)
	if err != nil {
		return err
	}
	if pl.PayBy != pooling.PayByCard {
		return apperr.NotFoundf("card payment")
	}
	st, err := h.cards.CardStatus(ctx, id)
	if err != nil {
		return err
	}
	p := &CardPage{Base: Base{Title: "Pay by card for " + pl.PoolTitle, Section: "commitments", Terms: poolTerms()},
		Pledge: Link{URL: pledgeURL(id), Label: "your pledge"}, Pool: Link{URL: poolURL(pl.PoolID), Label: pl.PoolTitle},
		Limit: pounds(pl.LimitPence), Card: cardStateSummary(st, id, false), Checking: c.QueryParam("checking") != ""}
	wantsCard := st.State == payments.CardStateNeeded || st.State == payments.CardStateChargeFailed ||
		(c.QueryParam("change") != "" && st.State != payments.CardStateLapsed)
	if !p.Checking && wantsCard && activePledge(pl) {
		setup, err := h.cards.StartCardSetup(ctx, id)
		if err != nil {
			return err
		}
		p.Form = &CardForm{ClientSecret: setup.ClientSecret, PublishableKey: setup.PublishableKey,
			ReturnURL: h.absolute(c, cardURL(id)+"?checking=1"), StripeJS: stripeJS}
		setCardPageCSP(c)
	}
	if pl.Status == pooling.PledgeWaitingApproval || pl.Status == pooling.PledgePledged {
		// Before the group is confirmed, leaving costs nothing: offer to join again by invoice.
		p.Withdraw = &WithdrawForm{Action: pledgeURL(id) + "/withdraw", Key: newIdempotencyKey(), Back: poolURL(pl.PoolID) + "/join"}
	}
	return h.render(c, http.StatusOK, p)
}

// absolute makes a path on this site a full URL, for Stripe to send the person back to.
func (h *Handler) absolute(c echo.Context, path string) string {
	if h.origin != "" {
		return h.origin + path
	}
	return (&url.URL{Scheme: c.Scheme(), Host: c.Request().Host}).String() + path
}

// cardFormErrors words the service's refusal of a card pledge from a budget that cannot
// pay by card for the join form.
func cardFormErrors(errs FormErrors) FormErrors {
	for i, e := range errs {
		if e.ID == "pay-by" {
			errs[i].Message = "This budget cannot pay by card: only a direct payment, an indirect payment or a trust fund can. Choose to pay by invoice, or another budget."
		}
	}
	return errs
}

// pledgeCard is a card pledge's card for its pledge page, with the link to pay when
// something is needed; nil for people who may see the pledge but not pay for it (an
// approver, someone acting for the holder who did not make the pledge).
func (h *Handler) pledgeCard(ctx context.Context, pl pooling.PledgeView) (*CardSummary, error) {
	if h.cards == nil {
		return &CardSummary{Status: "Card payments unavailable", Tag: "govuk-tag--grey",
			Lines: []string{"Card payments are not available on Carepool at the moment, so nothing will be taken from your card. Leave the pool and join again to pay by invoice."}}, nil
	}
	st, err := h.cards.CardStatus(ctx, pl.ID)
	if apperr.Is(err, apperr.NotFound) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	return cardStateSummary(st, pl.ID, activePledge(pl)), nil
}

// checkPayBy reads the way to pay: asked only when the form offered cards, and then
// required; the service checks the rest (a budget that cannot pay by card).
func checkPayBy(in joinInput, errs FormErrors) (pooling.PayBy, FormErrors) {
	switch {
	case !in.cards:
		return "", errs
	case in.payBy == string(pooling.PayByCard) || in.payBy == string(pooling.PayByInvoice):
		return pooling.PayBy(in.payBy), errs
	}
	return "", errs.add("pay-by", "Choose how you will pay: by card or by invoice")
}
