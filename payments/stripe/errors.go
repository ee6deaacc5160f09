package stripe

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	stripego "github.com/stripe/stripe-go/v76"

	"github.com/carepool/carepool/payments"
)

// mapError turns a stripe-go error into the payments vocabulary, so the domain can tell
// "the card was declined" (DeclineError) from "Stripe is unreachable, retry later"
// (ErrUnavailable) from a fault of ours (anything else, 500). op says what was tried.
func mapError(op string, err error) error {
	var se *stripego.Error
	if !errors.As(err, &se) {
		if errors.Is(err, context.Canceled) {
			return fmt.Errorf("%s: %w", op, err)
		}
		// Network errors and timeouts, after stripe-go's own retries.
		return fmt.Errorf("%s: %w: %w", op, payments.ErrUnavailable, err)
	}
	switch {
	case se.Type == stripego.ErrorTypeCard:
		return fmt.Errorf("%s: %w", op, declineOf(se))
	case se.Type == stripego.ErrorTypeIdempotency:
		return fmt.Errorf("%s: %w: %s", op, payments.ErrIdempotencyKeyReused, se.Msg)
	case se.HTTPStatusCode == http.StatusTooManyRequests, se.HTTPStatusCode >= 500, se.Type == stripego.ErrorTypeAPI,
		se.Code == stripego.ErrorCodeIdempotencyKeyInUse, se.Code == stripego.ErrorCodeLockTimeout:
		return fmt.Errorf("%s: %w: %w", op, payments.ErrUnavailable, err)
	case se.Code == stripego.ErrorCodeResourceMissing, se.HTTPStatusCode == http.StatusNotFound:
		return fmt.Errorf("%s: %w: %s", op, payments.ErrNotFound, se.Msg)
	}
	// Invalid requests and authentication failures are ours to fix: logged, never shown.
	return fmt.Errorf("%s: stripe %s %s (HTTP %d, request %s): %s", op, se.Type, se.Code, se.HTTPStatusCode, se.RequestID, se.Msg)
}

// declineOf reads a card error. Stripe reports a failed off-session charge as a 402
// card_error carrying the PaymentIntent it made.
func declineOf(se *stripego.Error) *payments.DeclineError {
	piID := ""
	if se.PaymentIntent != nil {
		piID = se.PaymentIntent.ID
	}
	code := string(se.Code)
	if code == "" {
		code = string(stripego.ErrorCodeCardDeclined)
	}
	return payments.NewDeclineError(code, string(se.DeclineCode), piID)
}

// statusError turns a PaymentIntent Stripe answered with 200 into the outcome of an
// off-session charge: nil when it succeeded or is processing, a DeclineError when the
// card needs its holder (requires_action) or failed (requires_payment_method), and an
// internal error for a status a confirmed off-session charge cannot have.
func statusError(pi payments.PaymentIntent) error {
	switch pi.Status {
	case payments.StatusSucceeded, payments.StatusProcessing:
		return nil
	case payments.StatusRequiresAction:
		return payments.NewDeclineError("authentication_required", "", pi.ID)
	case payments.StatusRequiresPaymentMethod:
		if pi.LastError != nil {
			return pi.LastError
		}
		return payments.NewDeclineError(string(stripego.ErrorCodeCardDeclined), "", pi.ID)
	}
	return fmt.Errorf("payment intent %s confirmed off-session is %q", pi.ID, pi.Status)
}
