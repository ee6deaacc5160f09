package paymentstest

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/carepool/carepool/payments"
)

// Request is a request that reached the far side of a Gateway: stripe-mock (through
// the recording proxy) or the Double.
type Request struct {
	Op             string // "POST /v1/payment_intents"
	IdempotencyKey string
}

// Subject is one Gateway under test and what the suite may observe of it.
type Subject struct {
	Gateway payments.Gateway
	// Requests returns every request that reached the far side so far, oldest first.
	Requests func() []Request
	// Double is set when Gateway is the Double: the checks that need a gateway with
	// memory (idempotent replays, declines, outages, lists) run only then.
	Double *Double
}

// RunGatewaySuite checks the behaviour every payments.Gateway must have. open returns a
// fresh subject for each check. Against stripe-mock it shows what stripe-mock can: the
// requests Stripe accepts, the amounts refused before any request, the idempotency keys
// sent, the fields Stripe answers with; the checks that need state run on the Double.
func RunGatewaySuite(t *testing.T, open func(t *testing.T) Subject) {
	t.Run("amounts are refused before any request", func(t *testing.T) { checkAmountsRefused(t, open(t)) })
	t.Run("requests without an idempotency key are refused before any request", func(t *testing.T) { checkKeysRequired(t, open(t)) })
	t.Run("every create sends its idempotency key", func(t *testing.T) { checkKeysSent(t, open(t)) })
	t.Run("answers carry what was asked for", func(t *testing.T) { checkShapes(t, open(t)) })
	t.Run("lists come back oldest first", func(t *testing.T) { checkListOrder(t, open(t)) })
	runStatefulChecks(t, open)
}

// world is what a check needs to charge: a connected account and a customer.
type world struct {
	account  payments.Account
	customer payments.Customer
}

var keySeq atomic.Int64

// newKey returns an idempotency key never used before (stripe-mock may run against the
// same process's other tests; Stripe keeps keys for 24 hours).
func newKey(what string) string {
	return fmt.Sprintf("suite-%s-%d-%d", what, time.Now().UnixNano(), keySeq.Add(1))
}

func mustWorld(t *testing.T, g payments.Gateway) world {
	t.Helper()
	ctx := context.Background()
	acct, err := g.CreateConnectedAccount(ctx, payments.NewConnectedAccount{ProviderID: "prov-suite", Type: payments.Express, IdempotencyKey: newKey("acct")})
	if err != nil {
		t.Fatalf("create connected account: %v", err)
	}
	cus, err := g.CreateCustomer(ctx, payments.NewCustomer{UserID: "user-suite", IdempotencyKey: newKey("cus")})
	if err != nil {
		t.Fatalf("create customer: %v", err)
	}
	return world{account: acct, customer: cus}
}

func (w world) charge(amount int64, currency, key string) payments.OffSessionCharge {
	return payments.OffSessionCharge{CustomerID: w.customer.ID, PaymentMethodID: "pm_card_visa", Amount: amount, Currency: currency,
		TransferGroup: "pool-suite", PledgeID: "pledge-suite", PoolID: "pool-suite", IdempotencyKey: key}
}

// mustCharge charges and accepts a DeclineError: stripe-mock answers every charge with a
// canned PaymentIntent whose status (requires_payment_method) reads as a decline.
func mustCharge(t *testing.T, s Subject, req payments.OffSessionCharge) payments.PaymentIntent {
	t.Helper()
	pi, err := s.Gateway.ChargeOffSession(context.Background(), req)
	var decline *payments.DeclineError
	if err != nil && !(s.Double == nil && errors.As(err, &decline)) {
		t.Fatalf("charge %d pence: %v", req.Amount, err)
	}
	return pi
}

func checkAmountsRefused(t *testing.T, s Subject) {
	ctx := context.Background()
	w := mustWorld(t, s.Gateway)
	ops := []struct {
		name string
		call func(amount int64, currency string) error
	}{
		{"charge", func(a int64, c string) error {
			_, err := s.Gateway.ChargeOffSession(ctx, w.charge(a, c, newKey("charge")))
			return err
		}},
		{"refund", func(a int64, c string) error {
			_, err := s.Gateway.Refund(ctx, payments.RefundRequest{PaymentIntentID: "pi_suite", Amount: a, Currency: c, IdempotencyKey: newKey("refund")})
			return err
		}},
		{"transfer", func(a int64, c string) error {
			_, err := s.Gateway.Transfer(ctx, payments.TransferRequest{Amount: a, Currency: c, DestinationAccountID: w.account.ID,
				TransferGroup: "pool-suite", IdempotencyKey: newKey("transfer")})
			return err
		}},
	}
	bad := []struct {
		name     string
		amount   int64
		currency string
		want     payments.AmountProblem
	}{
		{"zero", 0, "gbp", payments.AmountZero},
		{"negative", -500, "gbp", payments.AmountNegative},
		{"most negative", -1 << 63, "gbp", payments.AmountNegative},
		{"a penny over the limit", payments.MaxAmountPence + 1, "gbp", payments.AmountTooLarge},
		{"dollars", 1_000, "usd", payments.CurrencyNotGBP},
		{"no currency", 1_000, "", payments.CurrencyNotGBP},
	}
	for _, op := range ops {
		for _, b := range bad {
			before := len(s.Requests())
			err := op.call(b.amount, b.currency)
			var ae *payments.AmountError
			if !errors.As(err, &ae) || ae.Problem != b.want {
				t.Errorf("%s %s (%d %q): error %v, want an AmountError %q", op.name, b.name, b.amount, b.currency, err, b.want)
			}
			if after := s.Requests(); len(after) != before {
				t.Errorf("%s %s: %d requests reached the far side: %v", op.name, b.name, len(after)-before, after[before:])
			}
		}
	}
	// The limits themselves pass: the check refuses only what it should.
	pi := mustCharge(t, s, w.charge(payments.MaxAmountPence, "GBP", newKey("charge-max")))
	if pi.Amount != payments.MaxAmountPence {
		t.Errorf("charge of the largest amount answered %d pence", pi.Amount)
	}
	if _, err := s.Gateway.Refund(ctx, payments.RefundRequest{PaymentIntentID: pi.ID, Amount: 1, Currency: "gbp", IdempotencyKey: newKey("refund-1p")}); err != nil {
		t.Errorf("refund of 1p: %v", err)
	}
}

func checkKeysRequired(t *testing.T, s Subject) {
	ctx := context.Background()
	w := mustWorld(t, s.Gateway)
	calls := map[string]func() error{
		"account": func() error {
			_, err := s.Gateway.CreateConnectedAccount(ctx, payments.NewConnectedAccount{ProviderID: "p", Type: payments.Express})
			return err
		},
		"customer": func() error { _, err := s.Gateway.CreateCustomer(ctx, payments.NewCustomer{UserID: "u"}); return err },
		"setup intent": func() error {
			_, err := s.Gateway.CreateSetupIntent(ctx, payments.SetupIntentRequest{CustomerID: w.customer.ID, PledgeID: "p"})
			return err
		},
		"charge": func() error { _, err := s.Gateway.ChargeOffSession(ctx, w.charge(100, "gbp", "")); return err },
		"refund": func() error {
			_, err := s.Gateway.Refund(ctx, payments.RefundRequest{PaymentIntentID: "pi_x", Amount: 100, Currency: "gbp"})
			return err
		},
		"transfer": func() error {
			_, err := s.Gateway.Transfer(ctx, payments.TransferRequest{Amount: 100, Currency: "gbp", DestinationAccountID: w.account.ID, TransferGroup: "g"})
			return err
		},
	}
	for _, name := range slices.Sorted(maps.Keys(calls)) {
		before := len(s.Requests())
		if err := calls[name](); !errors.Is(err, payments.ErrNoIdempotencyKey) {
			t.Errorf("%s without a key: %v, want ErrNoIdempotencyKey", name, err)
		}
		if len(s.Requests()) != before {
			t.Errorf("%s without a key reached the far side", name)
		}
	}
}

func checkKeysSent(t *testing.T, s Subject) {
	ctx := context.Background()
	w := mustWorld(t, s.Gateway)
	pi := mustCharge(t, s, w.charge(2_500, "gbp", newKey("charge")))
	steps := []struct {
		op   string
		call func(key string) error
	}{
		{"POST /v1/accounts", func(k string) error {
			_, err := s.Gateway.CreateConnectedAccount(ctx, payments.NewConnectedAccount{ProviderID: "p2", Type: payments.Standard, IdempotencyKey: k})
			return err
		}},
		{"POST /v1/customers", func(k string) error {
			_, err := s.Gateway.CreateCustomer(ctx, payments.NewCustomer{UserID: "u2", IdempotencyKey: k})
			return err
		}},
		{"POST /v1/setup_intents", func(k string) error {
			_, err := s.Gateway.CreateSetupIntent(ctx, payments.SetupIntentRequest{CustomerID: w.customer.ID, PledgeID: "p", IdempotencyKey: k})
			return err
		}},
		{"POST /v1/payment_intents", func(k string) error { mustCharge(t, s, w.charge(1_000, "gbp", k)); return nil }},
		{"POST /v1/refunds", func(k string) error {
			_, err := s.Gateway.Refund(ctx, payments.RefundRequest{PaymentIntentID: pi.ID, Amount: 700, Currency: "gbp", IdempotencyKey: k})
			return err
		}},
		{"POST /v1/transfers", func(k string) error {
			_, err := s.Gateway.Transfer(ctx, payments.TransferRequest{Amount: 700, Currency: "gbp", DestinationAccountID: w.account.ID,
				TransferGroup: "pool-suite", IdempotencyKey: k})
			return err
		}},
	}
	for _, st := range steps {
		key := newKey(strings.ReplaceAll(st.op, "/", "_"))
		if err := st.call(key); err != nil {
			t.Errorf("%s: %v", st.op, err)
			continue
		}
		reqs := s.Requests()
		if len(reqs) == 0 || reqs[len(reqs)-1] != (Request{Op: st.op, IdempotencyKey: key}) {
			t.Errorf("%s: last request %v, want the op with key %q", st.op, reqs[max(0, len(reqs)-1):], key)
		}
	}
}
