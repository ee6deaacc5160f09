package paymentstest_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/carepool/carepool/payments"
	"github.com/carepool/carepool/payments/paymentstest"
)

// doubleSubject is the Double as a suite subject: what reached it is its calls.
func doubleSubject(t *testing.T) paymentstest.Subject {
	d := paymentstest.NewDouble(nil)
	return paymentstest.Subject{Gateway: d, Double: d, Requests: func() []paymentstest.Request {
		var out []paymentstest.Request
		for _, c := range d.Calls() {
			out = append(out, paymentstest.Request{Op: c.Op, IdempotencyKey: c.IdempotencyKey})
		}
		return out
	}}
}

func TestDoublePassesTheGatewaySuite(t *testing.T) {
	t.Parallel()
	paymentstest.RunGatewaySuite(t, doubleSubject)
}

func TestDoubleListsOnlyWhatWasCreatedSinceTheTimeAsked(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); defer mu.Unlock(); now = now.Add(d) }
	d := paymentstest.NewDouble(clock)
	ctx := context.Background()
	cus, err := d.CreateCustomer(ctx, payments.NewCustomer{UserID: "u", IdempotencyKey: "cus"})
	if err != nil {
		t.Fatal(err)
	}
	charge := func(key string) payments.PaymentIntent {
		pi, err := d.ChargeOffSession(ctx, payments.OffSessionCharge{CustomerID: cus.ID, PaymentMethodID: "pm_card_visa",
			Amount: 1_000, Currency: "gbp", TransferGroup: "pool-1", PledgeID: "pl", PoolID: "pool-1", IdempotencyKey: key})
		if err != nil {
			t.Fatal(err)
		}
		return pi
	}
	charge("early")
	advance(time.Hour)
	late := charge("late")
	got, err := d.ChargesSince(ctx, now.Add(-30*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	want := []payments.Charge{{ID: late.LatestChargeID, PaymentIntentID: late.ID, Amount: 1_000, Currency: "gbp",
		Status: "succeeded", TransferGroup: "pool-1", Created: now}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("charges since half an hour ago (-want +got):\n%s", diff)
	}
}

func TestDoubleKeepsEveryChargeUnderConcurrentUse(t *testing.T) {
	t.Parallel()
	d := paymentstest.NewDouble(nil)
	ctx := context.Background()
	cus, _ := d.CreateCustomer(ctx, payments.NewCustomer{UserID: "u", IdempotencyKey: "cus"})
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Two goroutines per key: each key must charge once.
			key := "k" + string(rune('a'+i%25))
			_, _ = d.ChargeOffSession(ctx, payments.OffSessionCharge{CustomerID: cus.ID, PaymentMethodID: "pm_card_visa",
				Amount: 100, Currency: "gbp", TransferGroup: "g", PledgeID: "p", PoolID: "g", IdempotencyKey: key})
		}()
	}
	wg.Wait()
	got, _ := d.ChargesSince(ctx, time.Time{})
	if len(got) != 25 {
		t.Errorf("%d charges for 25 keys", len(got))
	}
}
