package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/carepool/carepool/infra/store"
	"github.com/carepool/carepool/infra/store/storetest"
	"github.com/carepool/carepool/pooling"
)

// poolingStore opens the pooling store on a fresh in-memory database.
func poolingStore(t *testing.T) *store.Pooling {
	t.Helper()
	db := storetest.Open(t)
	return store.NewPooling(db)
}

var poolEpoch = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func storedPool(status pooling.Status, maxPeople int) pooling.Pool {
	return pooling.Pool{ID: uuid.NewString(), OfferID: uuid.NewString(), ProviderID: uuid.NewString(), Title: "Art",
		Visibility: pooling.Public, Status: status, Pricing: pooling.Pricing{GroupPence: 48000, FloorPence: 4800, MinPeople: 4, MaxPeople: maxPeople},
		Deadline: poolEpoch, Version: 1, CreatedAt: poolEpoch, UpdatedAt: poolEpoch}
}

func TestTakeSeatNeverPassesThePoolsMaximum(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := poolingStore(t)
	p := storedPool(pooling.StatusOpen, 10)
	if err := s.CreatePool(ctx, p); err != nil {
		t.Fatal(err)
	}
	const n = 50
	errs := make([]error, n)
	seqs := make([]int64, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			got, err := s.TakeSeat(ctx, p.ID, 10)
			errs[i], seqs[i] = err, got.NextSeq
		})
	}
	wg.Wait()
	taken, seen := 0, map[int64]bool{}
	for i, err := range errs {
		switch {
		case err == nil:
			taken++
			if seen[seqs[i]] {
				t.Errorf("arrival number %d handed out twice", seqs[i])
			}
			seen[seqs[i]] = true
		case !errors.Is(err, pooling.ErrPoolFull):
			t.Errorf("unexpected error: %v", err)
		}
	}
	got, err := s.Pool(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if taken != 10 || got.Taken != 10 || got.Version != 11 {
		t.Errorf("%d seats taken; the pool says %d at version %d", taken, got.Taken, got.Version)
	}
}

func TestTakeSeatRefusesAPoolNotTakingPledges(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := poolingStore(t)
	p := storedPool(pooling.StatusDraft, 10)
	if err := s.CreatePool(ctx, p); err != nil {
		t.Fatal(err)
	}
	if _, err := s.TakeSeat(ctx, p.ID, 10); !errors.Is(err, pooling.ErrPoolNotTaking) {
		t.Errorf("a draft: %v", err)
	}
	if _, err := s.TakeSeat(ctx, uuid.NewString(), 10); !errors.Is(err, pooling.ErrPoolNotFound) {
		t.Errorf("no pool: %v", err)
	}
}

func TestSavePoolTellsALostRaceFromAMissingPool(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := poolingStore(t)
	p := storedPool(pooling.StatusOpen, 10)
	if err := s.CreatePool(ctx, p); err != nil {
		t.Fatal(err)
	}
	p.Version = 2
	if err := s.SavePool(ctx, p, 1); err != nil {
		t.Fatal(err)
	}
	if err := s.SavePool(ctx, p, 1); !errors.Is(err, pooling.ErrChanged) {
		t.Errorf("a stale version: %v", err)
	}
	p.ID = uuid.NewString()
	if err := s.SavePool(ctx, p, 1); !errors.Is(err, pooling.ErrPoolNotFound) {
		t.Errorf("a missing pool: %v", err)
	}
}

func TestOnlyOneActivePledgePerPersonPerPool(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := poolingStore(t)
	pool, holder := uuid.NewString(), uuid.NewString()
	pledge := func(active bool) pooling.Pledge {
		return pooling.Pledge{ID: uuid.NewString(), PoolID: pool, HolderID: holder, Active: active, Version: 1}
	}
	if err := s.CreatePledge(ctx, pledge(true)); err != nil {
		t.Fatal(err)
	}
	if err := s.CreatePledge(ctx, pledge(true)); !errors.Is(err, pooling.ErrAlreadyPledged) {
		t.Errorf("a second active pledge: %v", err)
	}
	if err := s.CreatePledge(ctx, pledge(false)); err != nil {
		t.Errorf("an inactive pledge: %v", err)
	}
}

func TestPostRefusesAKeyUsedBefore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := poolingStore(t)
	pool := uuid.NewString()
	e := pooling.Entry{ID: uuid.NewString(), Key: "pool:x@2", Op: pooling.OpPledge, PoolID: pool, At: poolEpoch, Lines: []pooling.Line{
		{Account: "budget:b:funds", AmountPence: -100, Source: "budget:b"},
		{Account: "budget:b:reserved", AmountPence: 100, Source: "budget:b"}}}
	if err := s.Post(ctx, e); err != nil {
		t.Fatal(err)
	}
	again := e
	again.ID = uuid.NewString()
	if err := s.Post(ctx, again); !errors.Is(err, pooling.ErrDuplicateEntry) {
		t.Errorf("the same key again: %v", err)
	}
	for _, q := range []pooling.EntryQuery{{Sources: []string{"budget:b"}}, {PoolID: pool}, {Accounts: []string{"budget:b:reserved"}}} {
		got, err := s.Entries(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]pooling.Entry{e}, got); diff != "" {
			t.Errorf("Entries(%+v) (-want +got):\n%s", q, diff)
		}
	}
	if got, _ := s.Entries(ctx, pooling.EntryQuery{Sources: []string{"budget:other"}}); len(got) != 0 {
		t.Errorf("another source's entries: %v", got)
	}
}

func TestATransactionThatFailsLeavesNoEntry(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := poolingStore(t)
	boom := errors.New("boom")
	err := s.Tx(ctx, func(ctx context.Context) error {
		if err := s.Post(ctx, pooling.Entry{ID: uuid.NewString(), Key: "k", At: poolEpoch}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Tx = %v", err)
	}
	n := 0
	if err := s.EachEntry(ctx, func(pooling.Entry) error { n++; return nil }); err != nil || n != 0 {
		t.Errorf("%d entries survived an aborted transaction (%v)", n, err)
	}
}

func TestMoveISFNeverTakesTheBalanceBelowZero(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := poolingStore(t)
	a := pooling.ISFAccount{ID: uuid.NewString(), ProviderID: uuid.NewString(), HolderID: uuid.NewString(),
		AllocatedPence: 100, AvailablePence: 100, Version: 1, CreatedAt: poolEpoch}
	if err := s.CreateISFAccount(ctx, a); err != nil {
		t.Fatal(err)
	}
	const n = 25
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, errs[i] = s.MoveISF(ctx, a.ID, pooling.ISFDelta{Available: -10, Committed: 10}, poolEpoch)
		})
	}
	wg.Wait()
	moved := 0
	for _, err := range errs {
		switch {
		case err == nil:
			moved++
		case !errors.Is(err, pooling.ErrISFInsufficient):
			t.Errorf("unexpected error: %v", err)
		}
	}
	got, err := s.ISFAccount(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if moved != 10 || got.AvailablePence != 0 || got.CommittedPence != 100 {
		t.Errorf("%d moves succeeded; the account has %d available and %d committed", moved, got.AvailablePence, got.CommittedPence)
	}
	if _, err := s.MoveISF(ctx, uuid.NewString(), pooling.ISFDelta{Available: -1}, poolEpoch); !errors.Is(err, pooling.ErrISFAccountNotFound) {
		t.Errorf("no account: %v", err)
	}
}

func TestALeaseIsHeldByOneOwnerUntilItRunsOut(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := poolingStore(t)
	take := func(owner string, now time.Time) bool {
		t.Helper()
		ok, err := s.TakeLease(ctx, "job", owner, now, now.Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	steps := []struct {
		name  string
		owner string
		at    time.Duration
		want  bool
	}{
		{"a takes a free lease", "a", 0, true},
		{"b cannot take it", "b", 10 * time.Second, false},
		{"a renews its own", "a", 20 * time.Second, true},
		{"b still cannot", "b", 79 * time.Second, false},
		{"b takes it once it runs out", "b", 81 * time.Second, true},
		{"a has lost it", "a", 82 * time.Second, false},
	}
	for _, st := range steps {
		if got := take(st.owner, poolEpoch.Add(st.at)); got != st.want {
			t.Errorf("%s: got %v", st.name, got)
		}
	}
	if err := s.ReleaseLease(ctx, "job", "a"); err != nil {
		t.Fatal(err)
	}
	if take("c", poolEpoch.Add(83*time.Second)) {
		t.Error("a released a lease it did not hold")
	}
	if err := s.ReleaseLease(ctx, "job", "b"); err != nil {
		t.Fatal(err)
	}
	if !take("c", poolEpoch.Add(84*time.Second)) {
		t.Error("a released lease cannot be taken")
	}
}

func TestAnIdempotencyKeyIsRecordedOncePerCaller(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := poolingStore(t)
	rec := pooling.IdempotencyRecord{CallerID: uuid.NewString(), Key: "k", RequestHash: "h", ResultRef: "pledge:1", CreatedAt: poolEpoch}
	if _, err := s.IdempotencyRecord(ctx, rec.CallerID, "k"); !errors.Is(err, pooling.ErrIdempotencyUnknown) {
		t.Errorf("before saving: %v", err)
	}
	if err := s.SaveIdempotency(ctx, rec); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveIdempotency(ctx, rec); !errors.Is(err, pooling.ErrIdempotencyRace) {
		t.Errorf("saving twice: %v", err)
	}
	got, err := s.IdempotencyRecord(ctx, rec.CallerID, "k")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(rec, got); diff != "" {
		t.Errorf("record (-want +got):\n%s", diff)
	}
	other := rec
	other.CallerID = uuid.NewString()
	if err := s.SaveIdempotency(ctx, other); err != nil {
		t.Errorf("another caller's key: %v", err)
	}
}
