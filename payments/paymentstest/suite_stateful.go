package paymentstest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/payments"
)

// runStatefulChecks are the checks that need a gateway with memory and failures on
// demand: the Double. stripe-mock keeps no state, so against it they are skipped.
func runStatefulChecks(t *testing.T, open func(t *testing.T) Subject) {
	checks := []struct {
		name string
		run  func(t *testing.T, s Subject, w world)
	}{
		{"the same key and request return the first result", checkReplay},
		{"the same key with another request is refused", checkKeyReuse},
		{"a declined card is a decline, not an outage", checkDecline},
		{"a card that needs its holder says so", checkAuthenticationRequired},
		{"an outage is not a decline and a retry charges once", checkOutage},
		{"refunds never exceed the charge", checkRefundLimit},
		{"transfers go only to known accounts", checkTransferDestination},
		{"lists show what was created, with metadata", checkListsRemember},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			s := open(t)
			if s.Double == nil {
				t.Skip("needs a gateway with memory: stripe-mock keeps no state, so this runs on the Double")
			}
			c.run(t, s, mustWorld(t, s.Gateway))
		})
	}
}

func checkReplay(t *testing.T, s Subject, w world) {
	req := w.charge(1_500, "gbp", newKey("replay"))
	first := mustCharge(t, s, req)
	again := mustCharge(t, s, req)
	if again.ID != first.ID || again.LatestChargeID != first.LatestChargeID {
		t.Errorf("the retry made %s/%s, want the first %s/%s", again.ID, again.LatestChargeID, first.ID, first.LatestChargeID)
	}
	charges, err := s.Gateway.ChargesSince(context.Background(), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if n := countCharges(charges, first.ID); n != 1 {
		t.Errorf("%d charges for %s, want 1", n, first.ID)
	}
}

func countCharges(charges []payments.Charge, piID string) int {
	n := 0
	for _, c := range charges {
		if c.PaymentIntentID == piID {
			n++
		}
	}
	return n
}

func checkKeyReuse(t *testing.T, s Subject, w world) {
	key := newKey("reuse")
	mustCharge(t, s, w.charge(1_500, "gbp", key))
	_, err := s.Gateway.ChargeOffSession(context.Background(), w.charge(1_501, "gbp", key))
	if !errors.Is(err, payments.ErrIdempotencyKeyReused) {
		t.Errorf("same key, other amount: %v, want ErrIdempotencyKeyReused", err)
	}
}

func checkDecline(t *testing.T, s Subject, w world) {
	ctx := context.Background()
	s.Double.DeclineNext("card_declined", "insufficient_funds")
	req := w.charge(2_000, "gbp", newKey("decline"))
	pi, err := s.Gateway.ChargeOffSession(ctx, req)
	var dec *payments.DeclineError
	if !errors.As(err, &dec) || dec.DeclineCode != "insufficient_funds" || dec.PaymentIntentID != pi.ID || pi.ID == "" {
		t.Fatalf("declined charge: %+v, %v; want a DeclineError for the PaymentIntent", pi, err)
	}
	if errors.Is(err, payments.ErrUnavailable) || apperr.KindOf(err) != apperr.Conflict || dec.NeedsAuthentication() {
		t.Errorf("a decline reads as kind %v (unavailable: %v)", apperr.KindOf(err), errors.Is(err, payments.ErrUnavailable))
	}
	if dec.Message != payments.DeclineMessage("card_declined", "insufficient_funds") || dec.Message == "" {
		t.Errorf("message %q", dec.Message)
	}
	if got, _ := s.Gateway.PaymentIntent(ctx, pi.ID); got.Status != payments.StatusRequiresPaymentMethod || got.LastError == nil {
		t.Errorf("the declined PaymentIntent is %+v", got)
	}
	if _, again := s.Gateway.ChargeOffSession(ctx, req); !errors.As(again, &dec) {
		t.Errorf("retrying a declined charge with its key: %v, want the same decline", again)
	}
	if _, err := s.Gateway.ChargeOffSession(ctx, w.charge(2_000, "gbp", newKey("after-decline"))); err != nil {
		t.Errorf("a new attempt after the decline: %v", err)
	}
}

func checkAuthenticationRequired(t *testing.T, s Subject, w world) {
	s.Double.DeclinePaymentMethod("pm_card_authenticationRequired", "authentication_required", "")
	req := w.charge(3_000, "gbp", newKey("sca"))
	req.PaymentMethodID = "pm_card_authenticationRequired"
	_, err := s.Gateway.ChargeOffSession(context.Background(), req)
	var dec *payments.DeclineError
	if !errors.As(err, &dec) || !dec.NeedsAuthentication() {
		t.Errorf("charge needing authentication: %v", err)
	}
	if _, err := s.Gateway.ChargeOffSession(context.Background(), w.charge(3_000, "gbp", newKey("other-card"))); err != nil {
		t.Errorf("another card: %v", err)
	}
}

func checkOutage(t *testing.T, s Subject, w world) {
	ctx := context.Background()
	s.Double.FailUnreachable(1)
	req := w.charge(4_000, "gbp", newKey("outage"))
	_, err := s.Gateway.ChargeOffSession(ctx, req)
	var dec *payments.DeclineError
	if !errors.Is(err, payments.ErrUnavailable) || apperr.KindOf(err) != apperr.Unavailable || errors.As(err, &dec) {
		t.Fatalf("charge while unreachable: %v, want ErrUnavailable and no decline", err)
	}
	pi := mustCharge(t, s, req)
	mustCharge(t, s, req)
	charges, _ := s.Gateway.ChargesSince(ctx, time.Time{})
	if n := countCharges(charges, pi.ID); n != 1 || pi.Status != payments.StatusSucceeded {
		t.Errorf("after the outage the retries made %d charges (status %s), want 1 succeeded", n, pi.Status)
	}
}

func checkRefundLimit(t *testing.T, s Subject, w world) {
	ctx := context.Background()
	pi := mustCharge(t, s, w.charge(1_000, "gbp", newKey("to-refund")))
	refund := func(amount int64) error {
		_, err := s.Gateway.Refund(ctx, payments.RefundRequest{PaymentIntentID: pi.ID, Amount: amount, Currency: "gbp", IdempotencyKey: newKey("refund")})
		return err
	}
	if err := refund(600); err != nil {
		t.Fatal(err)
	}
	if err := refund(401); err == nil {
		t.Error("refunding 401p of the 400p left was accepted")
	}
	if err := refund(400); err != nil {
		t.Errorf("refunding the 400p left: %v", err)
	}
	charges, _ := s.Gateway.ChargesSince(ctx, time.Time{})
	for _, c := range charges {
		if c.PaymentIntentID == pi.ID && c.AmountRefunded != 1_000 {
			t.Errorf("charge %s refunded %dp, want 1000p", c.ID, c.AmountRefunded)
		}
	}
}

func checkTransferDestination(t *testing.T, s Subject, w world) {
	_, err := s.Gateway.Transfer(context.Background(), payments.TransferRequest{Amount: 100, Currency: "gbp",
		DestinationAccountID: "acct_nobody", TransferGroup: "g", IdempotencyKey: newKey("transfer")})
	if err == nil {
		t.Error("a transfer to an unknown account was accepted")
	}
}

func checkListsRemember(t *testing.T, s Subject, w world) {
	ctx := context.Background()
	start := time.Now()
	pi := mustCharge(t, s, w.charge(5_000, "gbp", newKey("listed")))
	if pi.PledgeID != "pledge-suite" || pi.PoolID != "pool-suite" {
		t.Errorf("metadata: pledge %q, pool %q", pi.PledgeID, pi.PoolID)
	}
	tr, err := s.Gateway.Transfer(ctx, payments.TransferRequest{Amount: 4_000, Currency: "gbp", DestinationAccountID: w.account.ID,
		TransferGroup: "pool-suite", IdempotencyKey: newKey("listed-transfer")})
	if err != nil {
		t.Fatal(err)
	}
	charges, _ := s.Gateway.ChargesSince(ctx, start)
	transfers, _ := s.Gateway.TransfersSince(ctx, start)
	if countCharges(charges, pi.ID) != 1 || len(transfers) == 0 || transfers[len(transfers)-1] != tr {
		t.Errorf("since %v: charges %+v, transfers %+v", start, charges, transfers)
	}
	if later, _ := s.Gateway.ChargesSince(ctx, start.Add(time.Hour)); len(later) != 0 {
		t.Errorf("charges since an hour from now: %+v", later)
	}
}
