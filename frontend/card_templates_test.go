package frontend

import (
	"strings"
	"time"

	"golang.org/x/net/html"

	"github.com/carepool/carepool/payments"
)

// sampleCardPages are the card pages with every branch filled in: the card page with
// the form and the way to pay by invoice instead, back from Stripe while the webhook is
// awaited, after a failed charge; the pledge page of a card pledge; and a provider's card
// payments page for an owner, for a member, and on a site without card payments.
func sampleCardPages() []page {
	base := func(title string) Base {
		return Base{Title: title, User: &NavUser{Name: "Alice Holder"}, CSRF: "token", Path: "/pledges/pl1/card", Terms: poolTerms()}
	}
	grace := time.Date(2026, 5, 4, 9, 30, 0, 0, time.UTC)
	saved := time.Date(2026, 5, 1, 9, 30, 0, 0, time.UTC)
	form := &CardForm{ClientSecret: "seti_1_secret_2", PublishableKey: "pk_test_1", ReturnURL: "https://carepool.test/pledges/pl1/card?checking=1", StripeJS: stripeJS}
	withdraw := &WithdrawForm{Action: "/pledges/pl1/withdraw", Key: "k1", Back: "/pools/p1/join"}
	card := func(st payments.CardStatus, checking bool, f *CardForm, w *WithdrawForm) *CardPage {
		return &CardPage{Base: base("Pay by card for Friday art"), Pledge: Link{URL: "/pledges/pl1", Label: "your pledge"},
			Pool: Link{URL: "/pools/p1", Label: "Friday art"}, Limit: "£80", Card: cardStateSummary(st, "pl1", false), Checking: checking, Form: f, Withdraw: w}
	}
	pledge := &PledgePage{Base: base("Your pledge to Friday art"), Pool: Link{URL: "/pools/p1", Label: "Friday art"},
		Pledge: PledgeRow{ID: "pl1", Whose: "Yours", Form: "Direct payment", Limit: "£80", Status: "Confirmed", SetAside: "£0", Spent: "£0"},
		Lines:  []string{"You offered to pay up to £80 for each session."},
		Card:   cardStateSummary(payments.CardStatus{State: payments.CardStateChargeFailed, GraceUntil: &grace, Failure: "Your card was declined."}, "pl1", true)}
	status := payments.ProviderStatus{OnboardingStarted: true, Summary: "Stripe is checking the provider's details.", UpdatedAt: &saved}
	provider := func(owner, notConfigured bool) *ProviderCardsPage {
		p := &ProviderCardsPage{Base: base("Card payments"), Provider: "Headingley Arts", Owner: owner, NotConfigured: notConfigured,
			Action: "/dashboard/providers/o1/card-payments/onboarding", Button: "Carry on setting up with Stripe", Back: "/dashboard"}
		if !notConfigured {
			p.Status, p.Rows = status, providerCardRows(status)
		}
		return p
	}
	return []page{
		card(payments.CardStatus{State: payments.CardStateNeeded}, false, form, withdraw),
		card(payments.CardStatus{State: payments.CardStateNeeded}, true, nil, withdraw),
		card(payments.CardStatus{State: payments.CardStateChargeFailed, GraceUntil: &grace, Failure: "Your card was declined."}, false, form, nil),
		card(payments.CardStatus{State: payments.CardStatePaid, PaidPence: 8_000, RefundedPence: 2_000, CardSavedAt: &saved}, false, nil, nil),
		card(payments.CardStatus{State: payments.CardStateLapsed}, false, nil, nil),
		card(payments.CardStatus{State: payments.CardStatePaid, RefundedPence: 8_000}, false, nil, nil),
		card(payments.CardStatus{State: payments.CardStateSaved, CardSavedAt: &saved}, false, form, withdraw),
		pledge,
		provider(true, false), provider(false, false), provider(false, true),
	}
}

// cardPageScript reports whether a <script> is one the card page may have: Stripe.js
// from js.stripe.com or our own file under /static/, by src, with nothing inline.
func cardPageScript(page string, n *html.Node) bool {
	if page != "pledge-card" || n.Data != "script" || n.FirstChild != nil {
		return false
	}
	src := attr(n, "src")
	return src == stripeJS || strings.HasPrefix(src, "/static/")
}
