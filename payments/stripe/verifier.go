package stripe

import (
	"encoding/json"
	"errors"
	"fmt"

	stripego "github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"

	"github.com/carepool/carepool/payments"
)

// Verifier checks webhook deliveries with an endpoint's signing secret.
type Verifier struct{ secret string }

var _ payments.Verifier = Verifier{}

// NewVerifier returns a Verifier for the signing secret (STRIPE_WEBHOOK_SECRET).
func NewVerifier(secret string) Verifier { return Verifier{secret: secret} }

// Verify implements payments.Verifier for the Client's webhook secret.
func (c *Client) Verify(payload []byte, signatureHeader string) (payments.Event, error) {
	return NewVerifier(c.cfg.WebhookSecret).Verify(payload, signatureHeader)
}

// Verify implements payments.Verifier with stripe-go's webhook.ConstructEvent: the
// signature must match the exact bytes and be at most 5 minutes old, and the event must
// be rendered at API version 2023-10-16.
func (v Verifier) Verify(payload []byte, signatureHeader string) (payments.Event, error) {
	if v.secret == "" {
		return payments.Event{}, payments.ErrNotConfigured
	}
	ev, err := webhook.ConstructEvent(payload, signatureHeader, v.secret)
	if err != nil {
		return payments.Event{}, classify(payload, err)
	}
	if ev.ID == "" || ev.Type == "" || ev.Data == nil {
		return payments.Event{}, payments.ErrMalformedEvent
	}
	out := payments.Event{ID: ev.ID, Type: string(ev.Type), Created: unix(ev.Created), ConnectedAccount: ev.Account, Livemode: ev.Livemode}
	if err := decodeObject(ev.Data.Raw, &out); err != nil {
		return payments.Event{}, fmt.Errorf("%w: %v", payments.ErrMalformedEvent, err)
	}
	return out, nil
}

// classify tells a bad signature from an event stripe-go could not accept after the
// signature matched: ConstructEvent reports a wrong API version and bad JSON with
// untyped errors, so the payload (now known to be Stripe's) is read for its version.
func classify(payload []byte, err error) error {
	for _, sig := range []error{webhook.ErrNotSigned, webhook.ErrInvalidHeader, webhook.ErrNoValidSignature, webhook.ErrTooOld} {
		if errors.Is(err, sig) {
			return fmt.Errorf("%w: %v", payments.ErrBadSignature, err)
		}
	}
	var head struct {
		APIVersion string `json:"api_version"`
	}
	if json.Unmarshal(payload, &head) == nil && head.APIVersion != stripego.APIVersion {
		return fmt.Errorf("%w: got %q", payments.ErrWrongAPIVersion, head.APIVersion)
	}
	return fmt.Errorf("%w: %v", payments.ErrMalformedEvent, err)
}

// decodeObject decodes the event's object into the field matching its kind. Objects of
// other kinds are left out: their events are stored and ignored.
func decodeObject(raw json.RawMessage, e *payments.Event) error {
	var kind struct {
		Object string `json:"object"`
	}
	if err := json.Unmarshal(raw, &kind); err != nil {
		return err
	}
	switch kind.Object {
	case "account":
		var a stripego.Account
		if err := json.Unmarshal(raw, &a); err != nil {
			return err
		}
		acct := accountOf(&a, e.Created)
		e.Account = &acct
	case "setup_intent":
		var si stripego.SetupIntent
		if err := json.Unmarshal(raw, &si); err != nil {
			return err
		}
		out := setupIntentOf(&si)
		e.SetupIntent = &out
	case "payment_intent":
		var pi stripego.PaymentIntent
		if err := json.Unmarshal(raw, &pi); err != nil {
			return err
		}
		out := paymentIntentOf(&pi)
		e.PaymentIntent = &out
	default:
		return decodeMoneyObject(kind.Object, raw, e)
	}
	return nil
}

func decodeMoneyObject(kind string, raw json.RawMessage, e *payments.Event) error {
	switch kind {
	case "charge":
		var ch stripego.Charge
		if err := json.Unmarshal(raw, &ch); err != nil {
			return err
		}
		out := chargeOf(&ch)
		e.Charge = &out
	case "refund":
		var r stripego.Refund
		if err := json.Unmarshal(raw, &r); err != nil {
			return err
		}
		out := refundOf(&r)
		e.Refund = &out
	case "transfer":
		var t stripego.Transfer
		if err := json.Unmarshal(raw, &t); err != nil {
			return err
		}
		out := transferOf(&t)
		e.Transfer = &out
	}
	return nil
}
