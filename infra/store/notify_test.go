package store_test

import (
	"bytes"
	"context"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/infra/store"
	"github.com/carepool/carepool/infra/store/storetest"
	"github.com/carepool/carepool/notify"
	"github.com/carepool/carepool/pooling"
)

func TestNotifySecretIsMadeOnceForEveryCopy(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	ctx := context.Background()
	keys := make([][]byte, 8)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Go(func() {
			k, err := store.NewNotify(db).Secret(ctx, "test-secret")
			if err != nil {
				t.Error(err)
			}
			keys[i] = k
		})
	}
	wg.Wait()
	for _, k := range keys {
		if len(k) != 32 || !bytes.Equal(k, keys[0]) {
			t.Fatalf("copies disagree on the secret: %x vs %x", k, keys[0])
		}
	}
	other, _ := store.NewNotify(db).Secret(ctx, "another-secret")
	if bytes.Equal(other, keys[0]) {
		t.Error("two secrets are the same")
	}
}

func TestNotifyPreferencesSaveOnlyOverTheVersionRead(t *testing.T) {
	t.Parallel()
	s := store.NewNotify(storetest.Open(t))
	ctx := context.Background()
	p := notify.Preferences{Owner: "u1", Channels: map[notify.Kind]notify.Channel{notify.KindInvited: notify.ChannelOff}}
	saved, err := s.SavePreferences(ctx, p, 0)
	if err != nil || saved.Version != 1 {
		t.Fatalf("first save = %+v, %v", saved, err)
	}
	for _, stale := range []int64{0, 2} {
		if _, err := s.SavePreferences(ctx, p, stale); apperr.KindOf(err) != apperr.PreconditionFailed {
			t.Errorf("save over version %d: %v", stale, err)
		}
	}
	if err := s.SetChannel(ctx, "u1", notify.KindPoolConfirmed, notify.ChannelInbox, time.Now()); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Preferences(ctx, []string{"u1", "nobody"})
	if len(got) != 1 || got["u1"].Version != 2 || got["u1"].Channels[notify.KindPoolConfirmed] != notify.ChannelInbox ||
		got["u1"].Channels[notify.KindInvited] != notify.ChannelOff {
		t.Errorf("preferences = %+v", got)
	}
}

func TestNotifyEnqueueOnceRecordsOneTask(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	s, ctx := store.NewNotify(db), context.Background()
	var wg sync.WaitGroup
	added := make([]bool, 6)
	for i := range added {
		wg.Go(func() {
			ok, err := s.EnqueueOnce(ctx, "pool:p1:session:0:reminder", time.Now())
			if err != nil {
				t.Error(err)
			}
			added[i] = ok
		})
	}
	wg.Wait()
	n := 0
	for _, ok := range added {
		if ok {
			n++
		}
	}
	tasks, err := db.NewNotifyOutbox("test").Pending(ctx)
	if n != 1 || err != nil || tasks != 1 {
		t.Errorf("%d calls added it, %d tasks (%v)", n, tasks, err)
	}
}

func TestNotifyPoolsWithSessionsBetweenTakesScheduledSessionsOfConfirmedPools(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	ctx := context.Background()
	from := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	to := from.Add(24 * time.Hour)
	pool := func(id string, status pooling.Status, at time.Time, ss pooling.SessionStatus) {
		if err := store.NewPooling(db).CreatePool(ctx, pooling.Pool{ID: id, Status: status,
			Sessions: []pooling.Session{{StartsAt: at, Status: ss}}}); err != nil {
			t.Fatal(err)
		}
	}
	pool("in", pooling.StatusConfirmed, from, pooling.SessionScheduled)
	pool("at-the-end", pooling.StatusConfirmed, to, pooling.SessionScheduled)
	pool("open", pooling.StatusOpen, from.Add(time.Hour), pooling.SessionScheduled)
	pool("cancelled-session", pooling.StatusConfirmed, from.Add(time.Hour), pooling.SessionCancelled)
	pool("before", pooling.StatusConfirmed, from.Add(-time.Minute), pooling.SessionScheduled)
	got, err := store.NewNotify(db).PoolsWithSessionsBetween(ctx, from, to)
	if err != nil || len(got) != 1 || got[0].ID != "in" {
		t.Errorf("pools = %+v, %v", got, err)
	}
	if n, _ := db.Collection("pools").CountDocuments(ctx, bson.M{}); n != 5 {
		t.Fatalf("%d pools stored", n)
	}
}

func TestNotifyInvoicesReadWhoPaysAndWhatWaits(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	ctx := context.Background()
	due := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, inv := range []pooling.Invoice{
		{ID: "by-council", Number: 1, Reference: "INV-000001", ProviderID: "prov", PoolID: "p1", Payer: pooling.Payer{Kind: "organisation", ID: "council"},
			GrossPence: 48_000, PaidPence: 8_000, DueAt: due, Payments: []pooling.InvoicePayment{
				{ID: "a", AmountPence: 8_000, Status: pooling.PaymentApplied, RecordedBy: "clerk"},
				{ID: "b", AmountPence: 30_000, Status: pooling.PaymentPendingApproval, RecordedBy: "clerk-2"}}},
		{ID: "by-holder", Number: 2, Reference: "INV-000002", ProviderID: "prov", Payer: pooling.Payer{Kind: "budget_holder", ID: "alice"}, GrossPence: 6_000, DueAt: due},
	} {
		if _, err := db.Collection("invoices").InsertOne(ctx, inv); err != nil {
			t.Fatal(err)
		}
	}
	r := store.NewNotifyInvoices(db)
	got, err := r.InvoiceFacts(ctx, "by-council")
	want := notify.InvoiceFacts{Number: "INV-000001", PoolID: "p1", ProviderOrgID: "prov", PayerKind: notify.PayerOrganisation, PayerID: "council",
		TotalPence: 48_000, AmountDuePence: 40_000, DueDate: due, RecordedBy: "clerk-2", PendingPaymentPence: 30_000}
	if err != nil || got != want {
		t.Errorf("council's invoice = %+v, %v; want %+v", got, err, want)
	}
	if got, err := r.InvoiceFacts(ctx, "by-holder"); err != nil || got.PayerKind != notify.PayerUser || got.PayerID != "alice" || got.RecordedBy != "" {
		t.Errorf("holder's invoice = %+v, %v", got, err)
	}
	if _, err := r.InvoiceFacts(ctx, "no-such"); apperr.KindOf(err) != apperr.NotFound {
		t.Errorf("unknown invoice: %v", err)
	}
}
