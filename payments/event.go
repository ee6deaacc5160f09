package payments

import (
	"context"
	"time"

	"github.com/carepool/carepool/infra/apperr"
)

// APIVersion is the Stripe API version Carepool speaks: stripe-go v76's. Webhook events
// rendered at another version are refused, so the webhook endpoint must be pinned to it.
const APIVersion = "2023-10-16"

// Event is a verified Stripe webhook event. The object it carries is decoded into the
// field matching its kind; the others are nil.
type Event struct {
	ID      string // evt_...; stored so that each event applies once
	Type    string // such as "account.updated" or "payment_intent.succeeded"
	Created time.Time
	// ConnectedAccount is the connected account the event happened on, for events from
	// Connect accounts (acct_...); empty for the platform's own events.
	ConnectedAccount string
	Livemode         bool

	Account       *Account
	SetupIntent   *SetupIntent
	PaymentIntent *PaymentIntent
	Charge        *Charge
	Refund        *Refund
	Transfer      *Transfer
}

// Verifier checks a webhook delivery's Stripe-Signature header against the endpoint's
// signing secret and decodes the event. Errors: ErrBadSignature (missing, malformed,
// wrong or too old signature), ErrWrongAPIVersion, ErrMalformedEvent.
type Verifier interface {
	Verify(payload []byte, signatureHeader string) (Event, error)
}

// The errors a Verifier returns. Each answers 400 and stores nothing. The messages are
// for whoever configures the webhook endpoint at Stripe.
var (
	ErrBadSignature = &apperr.Error{Kind: apperr.Invalid, Code: "bad-request",
		Message: "The Stripe-Signature header is missing or does not match this request, or it is more than 5 minutes old.",
		Fields:  []apperr.FieldError{{Field: "Stripe-Signature", Message: "is not a valid signature of this body with the webhook secret"}}}
	ErrWrongAPIVersion = &apperr.Error{Kind: apperr.Invalid, Code: "bad-request",
		Message: "This event was sent with a Stripe API version other than " + APIVersion + ". Pin the webhook endpoint to API version " + APIVersion + ".",
		Fields:  []apperr.FieldError{{Field: "api_version", Message: "must be " + APIVersion}}}
	ErrMalformedEvent = &apperr.Error{Kind: apperr.Invalid, Code: "bad-request",
		Message: "The body is not a Stripe event."}
)

// EventHandler applies one kind of event. It runs inside the transaction that records
// the event id, so it must be safe to run more than once, make every store call with the
// context it receives (on any store adapter of the same database, so its changes commit
// or abort with the record) and have no effect outside the store: no calls to Stripe, no
// email. Returning an error aborts the transaction, answers 500, and Stripe delivers the
// event again later.
type EventHandler func(ctx context.Context, e Event) error

// Outcomes of an event, as recorded.
const (
	OutcomeHandled   = "handled"   // a handler ran
	OutcomeUnhandled = "unhandled" // no handler for its type: stored and ignored
)
