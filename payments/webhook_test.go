package payments_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/carepool/carepool/payments"
	"github.com/carepool/carepool/payments/paymentstest"
)

func (e *env) record(t *testing.T, providerID string) payments.ProviderAccount {
	t.Helper()
	rec, err := e.store.ProviderAccount(context.Background(), providerID)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

func TestAnEventAppliesOnceHoweverOftenItIsDelivered(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.provider(t)
	rec := e.onboard(t, p)
	payload := e.accountUpdated(payments.Account{ID: rec.AccountID, ProviderID: p.ID, ChargesEnabled: true, PayoutsEnabled: true, DetailsSubmitted: true},
		epoch.Add(time.Minute))
	for i := range 3 {
		if err := e.deliver(t, payload); err != nil {
			t.Fatalf("delivery %d: %v", i+1, err)
		}
	}
	got := e.record(t, p.ID)
	if !got.CanTakeCards() || got.Version != rec.Version+1 {
		t.Errorf("after three deliveries: %+v (version %d, want %d)", got.AccountStatus, got.Version, rec.Version+1)
	}
}

func TestConcurrentDeliveriesOfOneEventApplyItOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var runs atomic.Int64
	e.svc.Handle("transfer.created", func(ctx context.Context, ev payments.Event) error {
		runs.Add(1)
		return nil
	})
	payload := paymentstest.EventJSON("evt_transfer_1", "transfer.created", epoch, "",
		paymentstest.TransferObject(payments.Transfer{ID: "tr_1", Amount: 100, Currency: "gbp", DestinationAccountID: "acct_1", Created: epoch}))
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := e.deliver(t, payload); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	// The event's record is written before its handler runs, so every delivery but one
	// stops at the record.
	if n := runs.Load(); n != 1 {
		t.Errorf("the handler ran %d times for one event", n)
	}
}

func TestEventsThatArriveOutOfOrderNeverRollTheAccountBack(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.provider(t)
	rec := e.onboard(t, p)
	enabled := payments.Account{ID: rec.AccountID, ProviderID: p.ID, ChargesEnabled: true, PayoutsEnabled: true, DetailsSubmitted: true}
	restricted := payments.Account{ID: rec.AccountID, ProviderID: p.ID, DetailsSubmitted: true}
	newer, older := e.accountUpdated(enabled, epoch.Add(2*time.Minute)), e.accountUpdated(restricted, epoch.Add(time.Minute))
	for _, payload := range [][]byte{newer, older} {
		if err := e.deliver(t, payload); err != nil {
			t.Fatal(err)
		}
	}
	if got := e.record(t, p.ID); !got.CanTakeCards() || !got.StatusAsOf.Equal(epoch.Add(2*time.Minute)) {
		t.Errorf("the older event rolled the account back: %+v as of %v", got.AccountStatus, got.StatusAsOf)
	}
	// Two reports of the same second: the cautious one wins whatever the order.
	sameSecond := epoch.Add(3 * time.Minute)
	if err := e.deliver(t, e.accountUpdated(restricted, sameSecond)); err != nil {
		t.Fatal(err)
	}
	if err := e.deliver(t, e.accountUpdated(enabled, sameSecond)); err != nil {
		t.Fatal(err)
	}
	if got := e.record(t, p.ID); got.ChargesEnabled || got.PayoutsEnabled || !got.DetailsSubmitted {
		t.Errorf("two reports of one second ended in %+v, want charges and payouts off", got.AccountStatus)
	}
}

func TestAnEventThatOvertakesTheAccountsCreationIsKept(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.provider(t)
	// The record exists but the answer naming its account was lost (Stripe unreachable
	// on the way back); the account's event names the provider in its metadata.
	e.double.FailUnreachable(1)
	if _, err := e.svc.StartOnboarding(p.owner.ctx(t), p.ID, returnURL); err == nil {
		t.Fatal("onboarding succeeded while Stripe was unreachable")
	}
	acct := payments.Account{ID: "acct_overtaking", ProviderID: p.ID, DetailsSubmitted: true}
	if err := e.deliver(t, e.accountUpdated(acct, epoch.Add(time.Minute))); err != nil {
		t.Fatal(err)
	}
	if got := e.record(t, p.ID); got.AccountID != "acct_overtaking" || !got.DetailsSubmitted {
		t.Errorf("record %+v, want it to hold the account from the event", got)
	}
	// An account of nobody's (no record, or a provider with another account) is ignored.
	stranger := payments.Account{ID: "acct_stranger", ProviderID: p.ID, ChargesEnabled: true, PayoutsEnabled: true}
	if err := e.deliver(t, e.accountUpdated(stranger, epoch.Add(2*time.Minute))); err != nil {
		t.Fatal(err)
	}
	if got := e.record(t, p.ID); got.AccountID != "acct_overtaking" || got.ChargesEnabled {
		t.Errorf("another account's event changed the record: %+v", got)
	}
}

func TestBadDeliveriesAreRefusedAndStoreNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	payload := paymentstest.EventJSON("evt_bad_1", "account.updated", epoch, "acct_1", paymentstest.AccountObject(payments.Account{ID: "acct_1"}))
	tests := []struct {
		name   string
		header string
		want   error
	}{
		{"no signature", "", payments.ErrBadSignature},
		{"signed with another secret", paymentstest.Sign("whsec_other", payload, time.Now()), payments.ErrBadSignature},
		{"signed too long ago", paymentstest.Sign(secret, payload, time.Now().Add(-time.Hour)), payments.ErrBadSignature},
	}
	for _, tt := range tests {
		if err := e.svc.HandleWebhook(context.Background(), payload, tt.header); !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
	if _, err := e.store.Event(context.Background(), "evt_bad_1"); !errors.Is(err, payments.ErrEventNotFound) {
		t.Errorf("a refused delivery was stored: %v", err)
	}
}

func TestUnknownEventsAreStoredAndIgnored(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	payload := paymentstest.EventJSON("evt_unknown_1", "customer.created", epoch, "", map[string]any{"id": "cus_1", "object": "customer"})
	if err := e.deliver(t, payload); err != nil {
		t.Fatal(err)
	}
	got, err := e.store.Event(context.Background(), "evt_unknown_1")
	if err != nil || got.Outcome != payments.OutcomeUnhandled || got.Type != "customer.created" || !got.Created.Equal(epoch) {
		t.Errorf("stored %+v, %v", got, err)
	}
}

func TestAFailingHandlerLeavesTheEventForStripesRetry(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var runs atomic.Int64
	e.svc.Handle("charge.refunded", func(ctx context.Context, ev payments.Event) error {
		if runs.Add(1) == 1 {
			return errors.New("the ledger is busy")
		}
		if ev.Charge == nil || ev.Charge.AmountRefunded != 700 {
			t.Errorf("handler got %+v", ev.Charge)
		}
		return nil
	})
	payload := paymentstest.EventJSON("evt_refund_1", "charge.refunded", epoch, "",
		paymentstest.ChargeObject(payments.Charge{ID: "ch_1", Amount: 700, AmountRefunded: 700, Currency: "gbp", Status: "succeeded", Created: epoch}))
	if err := e.deliver(t, payload); err == nil {
		t.Fatal("a failing handler answered success, so Stripe would not deliver the event again")
	}
	if _, err := e.store.Event(context.Background(), "evt_refund_1"); !errors.Is(err, payments.ErrEventNotFound) {
		t.Errorf("the failed event was recorded: %v", err)
	}
	for range 2 { // Stripe's retry, then a duplicate
		if err := e.deliver(t, payload); err != nil {
			t.Fatal(err)
		}
	}
	if n := runs.Load(); n != 2 {
		t.Errorf("the handler ran %d times, want 2 (the failure, then once)", n)
	}
	if got, err := e.store.Event(context.Background(), "evt_refund_1"); err != nil || got.Outcome != payments.OutcomeHandled {
		t.Errorf("stored %+v, %v", got, err)
	}
}
