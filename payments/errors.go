package payments

import (
	"fmt"

	"github.com/carepool/carepool/infra/apperr"
)

// ErrNotConfigured is the answer of every card route when the site has no
// STRIPE_SECRET_KEY: card payments are switched off, everything else works.
var ErrNotConfigured = apperr.New(apperr.Unavailable, "card-payments-not-set-up",
	"Card payments are not set up on this site. Budgets paid by invoice (through an ISF provider, a council, a broker or a trust) still work.")

// ErrUnavailable is wrapped by the Gateway when Stripe cannot be reached or is failing
// (network errors, timeouts, 5xx, 429). It is not a decline: nothing says the card is
// at fault, and retrying later with the same idempotency key is safe.
var ErrUnavailable = apperr.New(apperr.Unavailable, "card-payments-unavailable",
	"We could not reach our card payment provider just now. Please try again in a few minutes: trying again will not take a payment twice.")

// ErrIdempotencyKeyReused is returned when an idempotency key was already used for a
// request with other details (Stripe's idempotency_error).
var ErrIdempotencyKeyReused = apperr.Conflictf("payment-idempotency-key-reused",
	"This payment request was already made with different details, so it was not sent again.")

// ErrNotFound is returned when Stripe has no object with the id asked for.
var ErrNotFound = apperr.NotFoundf("card payment record")

// DeclineError says the card was declined (or the bank wants the person to confirm the
// payment themselves): the card is at fault, not Stripe's availability. The domain
// gives the person a grace period and a link to pay, and never retries the same card
// blindly.
type DeclineError struct {
	Code            string // Stripe's error code: card_declined, authentication_required, expired_card, ...
	DeclineCode     string // the bank's reason, when given: insufficient_funds, lost_card, ...
	PaymentIntentID string // the PaymentIntent that failed, when Stripe made one
	Message         string // plain English, safe to show to the card holder
}

// NewDeclineError returns a DeclineError with the plain-English message for its codes.
func NewDeclineError(code, declineCode, paymentIntentID string) *DeclineError {
	return &DeclineError{Code: code, DeclineCode: declineCode, PaymentIntentID: paymentIntentID,
		Message: DeclineMessage(code, declineCode)}
}

func (e *DeclineError) Error() string {
	if e.DeclineCode != "" {
		return fmt.Sprintf("card declined: %s (%s)", e.Code, e.DeclineCode)
	}
	return "card declined: " + e.Code
}

// Unwrap returns the apperr.Error a client sees: a conflict with the plain message.
func (e *DeclineError) Unwrap() error {
	return &apperr.Error{Kind: apperr.Conflict, Code: "card-declined", Message: e.Message}
}

// NeedsAuthentication reports whether the bank wants the card holder to confirm the
// payment themselves (strong customer authentication): only they can fix it, on the
// payment link.
func (e *DeclineError) NeedsAuthentication() bool {
	return e.Code == "authentication_required" || e.DeclineCode == "authentication_required"
}

// Plain-English messages for the decline codes a card holder can act on. Codes that
// point at fraud (lost_card, stolen_card, fraudulent, ...) get the general message, as
// Stripe advises: the person learns the reason from their bank, not from us.
var declineMessages = map[string]string{
	"authentication_required": "Your bank wants you to confirm this payment yourself. Please use the payment link we sent you.",
	"insufficient_funds":      "Your card was declined because there was not enough money in the account. Please add money or use another card.",
	"expired_card":            "Your card has expired. Please add a card that is still valid.",
	"incorrect_cvc":           "The security code (the 3 digits on the back of the card) was not right. Please add the card again.",
	"incorrect_number":        "The card number was not right. Please add the card again.",
	"card_velocity_exceeded":  "Your card has reached its spending limit for now. Please try again later or use another card.",
	"processing_error":        "There was a problem processing your card. Please try again in a little while.",
	"currency_not_supported":  "Your card cannot pay in pounds sterling. Please use another card.",
}

// DeclineMessage returns the plain-English message for a decline: the decline code's
// if we have one, else the error code's, else the general one.
func DeclineMessage(code, declineCode string) string {
	if m, ok := declineMessages[declineCode]; ok {
		return m
	}
	if m, ok := declineMessages[code]; ok {
		return m
	}
	return "Your card was declined. Please contact your bank or use another card."
}
