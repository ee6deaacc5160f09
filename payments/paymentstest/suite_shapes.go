package paymentstest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/carepool/carepool/payments"
)

// checkShapes creates one of everything and checks the answers carry the ids Stripe
// gives (by prefix) and echo what was asked: the fields stripe-mock reflects from the
// request, and the ones any Stripe answer has.
func checkShapes(t *testing.T, s Subject) {
	ctx := context.Background()
	g := s.Gateway
	w := mustWorld(t, g)
	hasPrefix(t, "account id", w.account.ID, "acct_")
	if w.account.AsOf.IsZero() || time.Since(w.account.AsOf).Abs() > 24*time.Hour {
		t.Errorf("account answered as of %v, want about now (Stripe's Date header)", w.account.AsOf)
	}
	link, err := g.CreateAccountLink(ctx, payments.AccountLinkRequest{AccountID: w.account.ID,
		RefreshURL: "https://carepool.test/dashboard", ReturnURL: "https://carepool.test/dashboard"})
	if err != nil {
		t.Fatalf("account link: %v", err)
	}
	hasPrefix(t, "account link", link.URL, "https://")
	if link.ExpiresAt.IsZero() {
		t.Error("account link has no expiry")
	}
	if got, err := g.Account(ctx, w.account.ID); err != nil || got.ID != w.account.ID {
		t.Errorf("retrieve account %s: %+v, %v", w.account.ID, got, err)
	}
	hasPrefix(t, "customer id", w.customer.ID, "cus_")
	si, err := g.CreateSetupIntent(ctx, payments.SetupIntentRequest{CustomerID: w.customer.ID, PledgeID: "pledge-suite", IdempotencyKey: newKey("seti")})
	if err != nil {
		t.Fatalf("setup intent: %v", err)
	}
	hasPrefix(t, "setup intent id", si.ID, "seti_")
	if si.ClientSecret == "" || si.CustomerID != w.customer.ID || si.Status != payments.SetupRequiresPaymentMethod {
		t.Errorf("setup intent %+v: want a client secret, customer %s, status requires_payment_method", si, w.customer.ID)
	}

	pi := mustCharge(t, s, w.charge(1_234, "gbp", newKey("charge")))
	hasPrefix(t, "payment intent id", pi.ID, "pi_")
	want := payments.PaymentIntent{ID: pi.ID, Amount: 1_234, Currency: payments.GBP, CustomerID: w.customer.ID,
		PaymentMethodID: "pm_card_visa", TransferGroup: "pool-suite"}
	if got := (payments.PaymentIntent{ID: pi.ID, Amount: pi.Amount, Currency: pi.Currency, CustomerID: pi.CustomerID,
		PaymentMethodID: pi.PaymentMethodID, TransferGroup: pi.TransferGroup}); got != want {
		t.Errorf("charge answered %+v, want %+v", got, want)
	}
	if got, err := g.PaymentIntent(ctx, pi.ID); err != nil || got.ID != pi.ID {
		t.Errorf("retrieve payment intent %s: %+v, %v", pi.ID, got, err)
	}

	r, err := g.Refund(ctx, payments.RefundRequest{PaymentIntentID: pi.ID, Amount: 500, Currency: "gbp", IdempotencyKey: newKey("refund")})
	if err != nil {
		t.Fatalf("refund: %v", err)
	}
	hasPrefix(t, "refund id", r.ID, "re_")
	if r.Amount != 500 || r.PaymentIntentID != pi.ID {
		t.Errorf("refund answered %+v, want 500 pence of %s", r, pi.ID)
	}
	tr, err := g.Transfer(ctx, payments.TransferRequest{Amount: 700, Currency: "gbp", DestinationAccountID: w.account.ID,
		TransferGroup: "pool-suite", PoolID: "pool-suite", IdempotencyKey: newKey("transfer")})
	if err != nil {
		t.Fatalf("transfer: %v", err)
	}
	hasPrefix(t, "transfer id", tr.ID, "tr_")
	if tr.Amount != 700 || tr.Currency != payments.GBP || tr.DestinationAccountID != w.account.ID || tr.TransferGroup != "pool-suite" {
		t.Errorf("transfer answered %+v, want 700 gbp to %s in pool-suite", tr, w.account.ID)
	}
}

func hasPrefix(t *testing.T, what, got, prefix string) {
	t.Helper()
	if !strings.HasPrefix(got, prefix) {
		t.Errorf("%s %q does not start with %q", what, got, prefix)
	}
}

// checkListOrder lists what was created in the last hour and checks the order.
func checkListOrder(t *testing.T, s Subject) {
	ctx := context.Background()
	w := mustWorld(t, s.Gateway)
	pi := mustCharge(t, s, w.charge(900, "gbp", newKey("charge")))
	if _, err := s.Gateway.Refund(ctx, payments.RefundRequest{PaymentIntentID: pi.ID, Amount: 100, Currency: "gbp", IdempotencyKey: newKey("refund")}); err != nil {
		t.Fatal(err)
	}
	since := time.Now().Add(-time.Hour)
	charges, err := s.Gateway.ChargesSince(ctx, since)
	if err != nil {
		t.Fatalf("list charges: %v", err)
	}
	refunds, err := s.Gateway.RefundsSince(ctx, since)
	if err != nil {
		t.Fatalf("list refunds: %v", err)
	}
	transfers, err := s.Gateway.TransfersSince(ctx, since)
	if err != nil {
		t.Fatalf("list transfers: %v", err)
	}
	if len(charges) == 0 || len(refunds) == 0 || transfers == nil {
		t.Errorf("lists: %d charges, %d refunds, transfers %v: want some charges and refunds, and never a nil list", len(charges), len(refunds), transfers)
	}
	ordered(t, "charges", charges, func(c payments.Charge) time.Time { return c.Created })
	ordered(t, "refunds", refunds, func(r payments.Refund) time.Time { return r.Created })
	ordered(t, "transfers", transfers, func(x payments.Transfer) time.Time { return x.Created })
}

func ordered[T any](t *testing.T, what string, xs []T, created func(T) time.Time) {
	t.Helper()
	for i := 1; i < len(xs); i++ {
		if created(xs[i]).Before(created(xs[i-1])) {
			t.Errorf("%s are not oldest first: #%d at %v after #%d at %v", what, i, created(xs[i]), i-1, created(xs[i-1]))
		}
	}
}
