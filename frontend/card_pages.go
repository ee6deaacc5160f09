package frontend

import (
	"time"

	"github.com/carepool/carepool/payments"
)

// The page structs of card payments (see cards.go and provider_cards.go).

// CardPage saves a card for a card pledge with Stripe Elements, or says where the card
// stands.
type CardPage struct {
	Base
	Pledge   Link
	Pool     Link
	Limit    string       // the most per session, in pounds
	Card     *CardSummary // where the card stands now
	Checking bool         // back from Stripe: the webhook has not been seen yet
	Form     *CardForm    // nil when no card is needed now
	Withdraw *WithdrawForm
}

func (*CardPage) templateName() string { return "pledge-card" }

// CardForm is what Stripe Elements needs in the browser. The client secret lets this
// browser complete this one SetupIntent; the page is never cached (Cache-Control:
// no-store for everyone logged in).
type CardForm struct {
	ClientSecret   string
	PublishableKey string // "" when STRIPE_PUBLISHABLE_KEY is not set: the form cannot load
	ReturnURL      string // where Stripe sends the browser after confirming
	StripeJS       string
}

// WithdrawForm leaves the pool (to join again paying by invoice).
type WithdrawForm struct {
	Action string
	Key    string
	Back   string // where to go afterwards
}

// CardSummary is where a card pledge's card stands, in plain English, with what to do.
type CardSummary struct {
	Status string // "Card needed", "Card payment failed"
	Tag    string // the govuk-tag colour class
	Lines  []string
	Action *Link // save a card, save another card, use a different card
}

// cardStateSummary describes a card's state for the person paying; linked adds the link to
// the card page (the pledge page's "link to pay"), which the card page itself needs not.
func cardStateSummary(st payments.CardStatus, pledgeID string, linked bool) *CardSummary {
	link := func(label, query string) *Link {
		if !linked {
			return nil
		}
		return &Link{URL: cardURL(pledgeID) + query, Label: label}
	}
	switch st.State {
	case payments.CardStateNeeded:
		return &CardSummary{Status: "Card needed", Tag: "govuk-tag--yellow", Action: link("Save your card", ""),
			Lines: []string{"Your pledge counts only once your card is saved. Nothing is taken from it until the group is confirmed."}}
	case payments.CardStateSaved:
		return &CardSummary{Status: "Card saved", Tag: "govuk-tag--green", Action: link("Use a different card", "?change=1"),
			Lines: []string{"Your card is saved with Stripe. Nothing has been taken yet: the first payment is taken when the group is confirmed."}}
	case payments.CardStatePaid:
		if st.PaidPence == 0 {
			return &CardSummary{Status: "Refunded to your card", Tag: "govuk-tag--grey",
				Lines: []string{"Everything your card paid, " + pounds(st.RefundedPence) + ", has gone back to it. Banks can take 5 to 10 working days to show it."}}
		}
		lines := []string{"Your card has paid " + pounds(st.PaidPence) + " so far. Each later period of sessions is paid when the one before it is done."}
		if st.RefundedPence > 0 {
			lines = append(lines, pounds(st.RefundedPence)+" has gone back to your card, for sessions you no longer pay for. Banks can take 5 to 10 working days to show it.")
		}
		return &CardSummary{Status: "Paid by card", Tag: "govuk-tag--green", Lines: lines, Action: link("Use a different card", "?change=1")}
	case payments.CardStateChargeFailed:
		reason := st.Failure
		if reason == "" {
			reason = "The card payment did not go through."
		}
		lines := []string{reason}
		if st.GraceUntil != nil {
			lines = append(lines, "To keep your place, save another card by "+dateAndTime(*st.GraceUntil)+". We will take the payment from it straight away. After that your place is released.")
		}
		return &CardSummary{Status: "Card payment failed", Tag: "govuk-tag--red", Lines: lines, Action: link("Save another card and pay", "")}
	case payments.CardStateLapsed:
		return &CardSummary{Status: "Place released", Tag: "govuk-tag--grey",
			Lines: []string{"No working card was saved in time, so your place was released. Nothing more will be taken from your card."}}
	}
	return nil
}

// dateAndTime is "Friday 4 December 2026 at 10am", in UK time.
func dateAndTime(t time.Time) string {
	t = t.In(ukTime)
	return t.Format("Monday 2 January 2006") + " at " + clock(t.Format("15:04"))
}

// ProviderCardsPage is a provider's card payments set-up: what Stripe last said, and
// for owners the way to start or carry on Stripe's onboarding.
type ProviderCardsPage struct {
	Base
	Provider      string
	NotConfigured bool // the site has no Stripe keys
	Status        payments.ProviderStatus
	Rows          []SummaryRow
	Owner         bool   // may start onboarding
	Action        string // the form that starts onboarding
	Button        string // "Set up card payments with Stripe", "Carry on with Stripe"
	Back          string
}

func (*ProviderCardsPage) templateName() string { return "provider-card-payments" }

// SummaryRow is one row of a summary list.
type SummaryRow struct {
	Key   string
	Value string
}
