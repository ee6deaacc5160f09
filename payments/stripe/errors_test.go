package stripe_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/payments"
	"github.com/carepool/carepool/payments/stripe"
	"github.com/carepool/carepool/payments/stripe/stripemock"
)

func errorAs[T error](err error) (T, bool) {
	var t T
	ok := errors.As(err, &t)
	return t, ok
}

func charge(key string) payments.OffSessionCharge {
	return payments.OffSessionCharge{CustomerID: "cus_1", PaymentMethodID: "pm_1", Amount: 1_234, Currency: "gbp",
		TransferGroup: "pool-1", PledgeID: "pledge-1", PoolID: "pool-1", IdempotencyKey: key}
}

// TestStripeErrorsBecomeTheDomainsErrors answers in stripe-mock's place with the error
// bodies Stripe documents (stripe-mock cannot decline or fail), and checks the domain can
// tell a decline from an outage from a fault of ours.
func TestStripeErrorsBecomeTheDomainsErrors(t *testing.T) {
	t.Parallel()
	srv := stripemock.Start(t)
	c := newClient(t, srv, 0)
	cardError := func(code, declineCode string) string {
		return `{"error":{"type":"card_error","code":"` + code + `","decline_code":"` + declineCode + `","message":"Your card was declined.",` +
			`"payment_intent":{"id":"pi_declined","object":"payment_intent","status":"requires_payment_method","amount":1234,"currency":"gbp"}}}`
	}
	tests := []struct {
		name  string
		fault stripemock.Fault
		check func(t *testing.T, pi payments.PaymentIntent, err error)
	}{
		{"insufficient funds", stripemock.Fault{Status: 402, Body: cardError("card_declined", "insufficient_funds")},
			func(t *testing.T, pi payments.PaymentIntent, err error) {
				d, ok := asDecline(err)
				if !ok || d.DeclineCode != "insufficient_funds" || d.PaymentIntentID != "pi_declined" || pi.ID != "pi_declined" || d.NeedsAuthentication() {
					t.Errorf("got %+v, %v", pi, err)
				}
				if errors.Is(err, payments.ErrUnavailable) || apperr.KindOf(err) != apperr.Conflict {
					t.Errorf("a decline is kind %v", apperr.KindOf(err))
				}
			}},
		{"authentication required", stripemock.Fault{Status: 402, Body: cardError("authentication_required", "authentication_required")},
			func(t *testing.T, _ payments.PaymentIntent, err error) {
				if d, ok := asDecline(err); !ok || !d.NeedsAuthentication() {
					t.Errorf("got %v", err)
				}
			}},
		{"idempotency key reused", stripemock.Fault{Status: 400, Body: `{"error":{"type":"idempotency_error","message":"Keys for idempotent requests can only be used with the same parameters they were first used with."}}`},
			wantIs(payments.ErrIdempotencyKeyReused)},
		{"rate limited", stripemock.Fault{Status: 429, Body: `{"error":{"type":"invalid_request_error","code":"rate_limit","message":"Too many requests"}}`},
			wantIs(payments.ErrUnavailable)},
		{"Stripe failing", stripemock.Fault{Status: 500, Body: `{"error":{"type":"api_error","message":"Something went wrong"}}`},
			wantIs(payments.ErrUnavailable)},
		// Go's transport itself retries a request with an Idempotency-Key once when a
		// reused connection drops, so the outage must outlast that retry.
		{"unreachable", stripemock.Fault{Drop: true, Times: 3}, wantIs(payments.ErrUnavailable)},
		{"no such customer", stripemock.Fault{Status: 400, Body: `{"error":{"type":"invalid_request_error","code":"resource_missing","param":"customer","message":"No such customer: 'cus_1'"}}`},
			wantIs(payments.ErrNotFound)},
		{"wrong secret key", stripemock.Fault{Status: 401, Body: `{"error":{"type":"invalid_request_error","message":"Invalid API Key provided: sk_test_********Mock"}}`},
			func(t *testing.T, _ payments.PaymentIntent, err error) {
				if err == nil || apperr.KindOf(err) != apperr.Internal || errors.Is(err, payments.ErrUnavailable) {
					t.Errorf("got %v, want an internal error", err)
				}
				if strings.Contains(err.Error(), stripemock.SecretKey) {
					t.Errorf("the error shows the secret key: %v", err)
				}
			}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.fault.Path = "/v1/payment_intents"
			srv.Inject(tt.fault)
			defer srv.ClearFaults()
			pi, err := c.ChargeOffSession(context.Background(), charge("errors-"+string(rune('a'+i))))
			tt.check(t, pi, err)
		})
	}
}

func wantIs(target error) func(t *testing.T, _ payments.PaymentIntent, err error) {
	return func(t *testing.T, _ payments.PaymentIntent, err error) {
		t.Helper()
		if !errors.Is(err, target) {
			t.Errorf("got %v, want %v", err, target)
		}
		if _, declined := asDecline(err); declined {
			t.Errorf("%v reads as a decline", err)
		}
	}
}

// TestARetryAfterANetworkFailureResendsTheSameKey lets stripe-go retry a dropped
// connection, and checks both attempts carried the caller's idempotency key, so that
// Stripe charges once.
func TestARetryAfterANetworkFailureResendsTheSameKey(t *testing.T) {
	t.Parallel()
	srv := stripemock.Start(t)
	c := newClient(t, srv, 2)
	srv.Inject(stripemock.Fault{Path: "/v1/transfers", Drop: true})
	tr, err := c.Transfer(context.Background(), payments.TransferRequest{Amount: 500, Currency: "gbp", DestinationAccountID: "acct_1",
		TransferGroup: "pool-1", IdempotencyKey: "retry-key"})
	if err != nil || tr.Amount != 500 {
		t.Fatalf("transfer after one dropped attempt: %+v, %v", tr, err)
	}
	var keys []string
	for _, r := range srv.Requests() {
		if r.Op() == "POST /v1/transfers" {
			keys = append(keys, r.IdempotencyKey)
		}
	}
	if len(keys) != 2 || keys[0] != "retry-key" || keys[1] != "retry-key" {
		t.Errorf("attempts sent keys %q, want retry-key twice", keys)
	}
}

// rewrite returns a Fault that changes fields of stripe-mock's JSON answer.
func rewrite(path string, fields map[string]any) stripemock.Fault {
	return stripemock.Fault{Path: path, Rewrite: func(body []byte) []byte {
		var obj map[string]any
		if err := json.Unmarshal(body, &obj); err != nil {
			return body
		}
		for k, v := range fields {
			obj[k] = v
		}
		out, _ := json.Marshal(obj)
		return out
	}}
}

func TestAnAnswerWithAnotherAmountIsAnError(t *testing.T) {
	t.Parallel()
	srv := stripemock.Start(t)
	c := newClient(t, srv, 0)
	ctx := context.Background()
	calls := []struct {
		name  string
		fault stripemock.Fault
		call  func() error
	}{
		{"charge amount", rewrite("/v1/payment_intents", map[string]any{"amount": 1_243, "status": "succeeded"}), func() error {
			_, err := c.ChargeOffSession(ctx, charge("mismatch-charge"))
			return err
		}},
		{"charge currency", rewrite("/v1/payment_intents", map[string]any{"currency": "eur", "status": "succeeded"}), func() error {
			_, err := c.ChargeOffSession(ctx, charge("mismatch-currency"))
			return err
		}},
		{"refund amount", rewrite("/v1/refunds", map[string]any{"amount": 99}), func() error {
			_, err := c.Refund(ctx, payments.RefundRequest{PaymentIntentID: "pi_1", Amount: 100, Currency: "gbp", IdempotencyKey: "mismatch-refund"})
			return err
		}},
		{"transfer amount", rewrite("/v1/transfers", map[string]any{"amount": 10_000}), func() error {
			_, err := c.Transfer(ctx, payments.TransferRequest{Amount: 1_000, Currency: "gbp", DestinationAccountID: "acct_1",
				TransferGroup: "pool-1", IdempotencyKey: "mismatch-transfer"})
			return err
		}},
	}
	for _, tt := range calls {
		srv.Inject(tt.fault)
		err := tt.call()
		ae, ok := errorAs[*payments.AmountError](err)
		if !ok || ae.Problem != payments.AmountMismatch || apperr.KindOf(err) != apperr.Internal {
			t.Errorf("%s: %v, want an internal AmountMismatch", tt.name, err)
		}
	}
}

// TestTheStatusOfAConfirmedChargeDecidesItsOutcome rewrites the status stripe-mock
// answers with (always requires_payment_method there) to each a confirmed off-session
// PaymentIntent can have.
func TestTheStatusOfAConfirmedChargeDecidesItsOutcome(t *testing.T) {
	t.Parallel()
	srv := stripemock.Start(t)
	c := newClient(t, srv, 0)
	expired := map[string]any{"type": "card_error", "code": "expired_card", "message": "Your card has expired."}
	tests := []struct {
		name        string
		fields      map[string]any
		wantErr     bool
		wantDecline string // the DeclineError's code, if one
	}{
		{"succeeded", map[string]any{"status": "succeeded", "latest_charge": "ch_1"}, false, ""},
		{"processing", map[string]any{"status": "processing"}, false, ""},
		{"requires action", map[string]any{"status": "requires_action"}, true, "authentication_required"},
		{"failed with a card error", map[string]any{"status": "requires_payment_method", "last_payment_error": expired}, true, "expired_card"},
		{"failed without a reason", map[string]any{"status": "requires_payment_method", "last_payment_error": nil}, true, "card_declined"},
		{"canceled", map[string]any{"status": "canceled"}, true, ""},
	}
	for i, tt := range tests {
		srv.Inject(rewrite("/v1/payment_intents", tt.fields))
		pi, err := c.ChargeOffSession(context.Background(), charge("status-"+string(rune('a'+i))))
		d, declined := asDecline(err)
		switch {
		case (err != nil) != tt.wantErr:
			t.Errorf("%s: error %v", tt.name, err)
		case tt.wantDecline != "" && (!declined || d.Code != tt.wantDecline || d.PaymentIntentID != pi.ID):
			t.Errorf("%s: %v, want a %s decline of %s", tt.name, err, tt.wantDecline, pi.ID)
		case tt.wantDecline == "" && declined:
			t.Errorf("%s: %v reads as a decline", tt.name, err)
		}
		if pi.ID == "" {
			t.Errorf("%s: no PaymentIntent returned", tt.name)
		}
	}
}

func TestConfigRefusesWhatCannotWork(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  stripe.Config
		want string // in the error; "" means valid
	}{
		{"test key", stripe.Config{SecretKey: "sk_test_1", WebhookSecret: "whsec_1"}, ""},
		{"restricted key and stripe-mock", stripe.Config{SecretKey: "rk_live_1", WebhookSecret: "whsec_1", APIBase: "http://127.0.0.1:12111"}, ""},
		{"no key", stripe.Config{WebhookSecret: "whsec_1"}, "STRIPE_SECRET_KEY is empty"},
		{"publishable key", stripe.Config{SecretKey: "pk_live_secretish", WebhookSecret: "whsec_1"}, "not a publishable key"},
		{"no webhook secret", stripe.Config{SecretKey: "sk_test_1"}, "STRIPE_WEBHOOK_SECRET is required"},
		{"relative API base", stripe.Config{SecretKey: "sk_test_1", WebhookSecret: "whsec_1", APIBase: "localhost:12111"}, "STRIPE_API_BASE"},
	}
	for _, tt := range tests {
		err := tt.cfg.Validate()
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		case err != nil && strings.Contains(err.Error(), "secretish"):
			t.Errorf("%s: the error shows the key: %v", tt.name, err)
		}
	}
}
