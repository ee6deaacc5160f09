package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/carepool/carepool/infra/store"
	"github.com/carepool/carepool/infra/store/storetest"
	"github.com/carepool/carepool/payments"
)

var paymentsT0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func TestPaymentAccountsRoundTripAndSaveOnlyFromTheVersionRead(t *testing.T) {
	t.Parallel()
	s := store.NewPayments(storetest.Open(t))
	ctx := context.Background()
	waiting := payments.ProviderAccount{ProviderID: "prov-1", Type: payments.Express, CreatedAt: paymentsT0, UpdatedAt: paymentsT0, Version: 1}
	if err := s.CreateProviderAccount(ctx, waiting); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateProviderAccount(ctx, waiting); !errors.Is(err, payments.ErrAccountExists) {
		t.Errorf("second record for the provider: %v, want ErrAccountExists", err)
	}
	if _, err := s.ProviderAccountByStripeID(ctx, ""); !errors.Is(err, payments.ErrAccountNotFound) {
		t.Errorf("a waiting record is found by an empty account id: %v", err)
	}
	ready := waiting
	ready.AccountID, ready.Version, ready.StatusAsOf = "acct_1", 2, paymentsT0.Add(time.Second)
	ready.AccountStatus = payments.AccountStatus{ChargesEnabled: true, PayoutsEnabled: true, DetailsSubmitted: true}
	if err := s.SaveProviderAccount(ctx, ready, 1); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveProviderAccount(ctx, ready, 1); !errors.Is(err, payments.ErrChanged) {
		t.Errorf("save from a stale version: %v, want ErrChanged", err)
	}
	missing := ready
	missing.ProviderID = "prov-none"
	if err := s.SaveProviderAccount(ctx, missing, 1); !errors.Is(err, payments.ErrAccountNotFound) {
		t.Errorf("save of no record: %v, want ErrAccountNotFound", err)
	}
	for name, get := range map[string]func() (payments.ProviderAccount, error){
		"by provider": func() (payments.ProviderAccount, error) { return s.ProviderAccount(ctx, "prov-1") },
		"by account":  func() (payments.ProviderAccount, error) { return s.ProviderAccountByStripeID(ctx, "acct_1") },
	} {
		got, err := get()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if diff := cmp.Diff(ready, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", name, diff)
		}
	}
	if _, err := s.ProviderAccount(ctx, "prov-none"); !errors.Is(err, payments.ErrAccountNotFound) {
		t.Errorf("unknown provider: %v", err)
	}
}

// TestAConnectedAccountBelongsToOneProvider shows the database, not the code, refuses a
// second provider holding the same account, while any number may wait for theirs.
func TestAConnectedAccountBelongsToOneProvider(t *testing.T) {
	t.Parallel()
	s := store.NewPayments(storetest.Open(t))
	ctx := context.Background()
	for _, id := range []string{"prov-1", "prov-2", "prov-3"} {
		if err := s.CreateProviderAccount(ctx, payments.ProviderAccount{ProviderID: id, Version: 1, CreatedAt: paymentsT0}); err != nil {
			t.Fatalf("waiting record %s: %v", id, err)
		}
	}
	first := payments.ProviderAccount{ProviderID: "prov-1", AccountID: "acct_shared", Version: 2}
	if err := s.SaveProviderAccount(ctx, first, 1); err != nil {
		t.Fatal(err)
	}
	second := payments.ProviderAccount{ProviderID: "prov-2", AccountID: "acct_shared", Version: 2}
	if err := s.SaveProviderAccount(ctx, second, 1); !errors.Is(err, payments.ErrAccountExists) {
		t.Errorf("a second provider took acct_shared: %v", err)
	}
}

func TestAnEventIsRecordedOnceEvenUnderConcurrentDeliveries(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	s := store.NewPayments(db)
	ctx := context.Background()
	rec := payments.EventRecord{ID: "evt_1", Type: "account.updated", Created: paymentsT0, ConnectedAccount: "acct_1",
		ReceivedAt: paymentsT0.Add(time.Second), Outcome: payments.OutcomeHandled}
	var wg sync.WaitGroup
	var mu sync.Mutex
	stored, seen := 0, 0
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := s.Tx(ctx, func(ctx context.Context) error { return s.RecordEvent(ctx, rec) })
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				stored++
			case errors.Is(err, payments.ErrEventSeen):
				seen++
			default:
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if stored != 1 || seen != 19 {
		t.Errorf("%d deliveries stored the event and %d found it seen, want 1 and 19", stored, seen)
	}
	got, err := s.Event(ctx, "evt_1")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(rec, got); diff != "" {
		t.Errorf("event (-want +got):\n%s", diff)
	}
	if _, err := s.Event(ctx, "evt_none"); !errors.Is(err, payments.ErrEventNotFound) {
		t.Errorf("unknown event: %v", err)
	}
}

// TestAnAbortedTransactionLeavesNoEventRecord shows the record and the event's effects
// commit together: when applying fails, the id is not kept, so Stripe's retry applies it.
func TestAnAbortedTransactionLeavesNoEventRecord(t *testing.T) {
	t.Parallel()
	s := store.NewPayments(storetest.Open(t))
	ctx := context.Background()
	boom := errors.New("applying failed")
	err := s.Tx(ctx, func(ctx context.Context) error {
		if err := s.RecordEvent(ctx, payments.EventRecord{ID: "evt_2", Type: "x", ReceivedAt: paymentsT0}); err != nil {
			return err
		}
		if err := s.CreateProviderAccount(ctx, payments.ProviderAccount{ProviderID: "prov-9", Version: 1}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("transaction: %v", err)
	}
	if _, err := s.Event(ctx, "evt_2"); !errors.Is(err, payments.ErrEventNotFound) {
		t.Errorf("the event of an aborted transaction was kept: %v", err)
	}
	if _, err := s.ProviderAccount(ctx, "prov-9"); !errors.Is(err, payments.ErrAccountNotFound) {
		t.Errorf("the effect of an aborted transaction was kept: %v", err)
	}
}
