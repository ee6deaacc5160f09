package pooling_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/pooling"
)

// 500 people pledge at once for a pool with 10 places: exactly 10 get one and count,
// everyone else is told the pool is full, and the ledger balances (Verify runs when the
// test ends). Run with -race.
func TestFiveHundredConcurrentPledgesFillTenPlacesExactly(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pooling.Config{})
	// A pool full of approved pledges confirms at once; later pledges meet a full,
	// confirmed pool.
	pool := w.openPool(t, 1, nil)
	const n = 500
	people, budgets := w.holders(t, n)
	ctxs := make([]context.Context, n)
	for i := range people {
		ctxs[i] = people[i].ctx(t)
	}
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			_, errs[i] = w.svc.Pledge(ctxs[i], pool.ID, pooling.PledgeInput{BudgetID: budgets[i].ID, LimitPence: 12000}, fmt.Sprintf("key-%d", i))
		})
	}
	close(start)
	wg.Wait()
	ok, full := 0, 0
	for _, err := range errs {
		switch e, _ := apperr.As(err); {
		case err == nil:
			ok++
		case e != nil && e.Code == "pool-full":
			full++
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	got := w.pool(t, w.uma, pool.ID)
	if ok != 10 || full != n-10 || got.Taken != 10 || got.Counted != 10 {
		t.Errorf("%d pledged, %d told full; the pool has %d taken and %d counted", ok, full, got.Taken, got.Counted)
	}
	if got.Status != pooling.StatusConfirmed || got.SharePence != 4800 {
		t.Errorf("the full pool is %s at %s each", got.Status, Pounds(got.SharePence))
	}
}

// The same request retried 100 times at once with one Idempotency-Key has one effect.
func TestConcurrentRetriesOfOneKeyHaveOneEffect(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pooling.Config{})
	pool := w.openPool(t, 2, nil)
	people, budgets := w.holders(t, 1)
	ctx := people[0].ctx(t)
	in := pooling.PledgeInput{BudgetID: budgets[0].ID, LimitPence: 12000}
	const n = 100
	ids := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			v, err := w.svc.Pledge(ctx, pool.ID, in, "retry-me")
			if err != nil {
				t.Error(err)
				return
			}
			ids[i] = v.ID
		})
	}
	wg.Wait()
	for _, id := range ids {
		if id != ids[0] {
			t.Fatalf("retries returned different pledges: %s and %s", ids[0], id)
		}
	}
	if got := w.pool(t, w.uma, pool.ID); got.Taken != 1 {
		t.Errorf("taken %d after one pledge retried", got.Taken)
	}
	st, err := w.svc.BudgetStatement(ctx, budgets[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Rows) != 1 || st.Closing[1] != 24000 {
		t.Errorf("the budget's statement has %d rows, reserving %d", len(st.Rows), st.Closing[1])
	}
}

func TestAKeyReusedForAnotherRequestIsRefused(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pooling.Config{})
	pool := w.openPool(t, 1, nil)
	people, budgets := w.holders(t, 2)
	ctx := people[0].ctx(t)
	first, err := w.svc.Pledge(ctx, pool.ID, pooling.PledgeInput{BudgetID: budgets[0].ID, LimitPence: 12000}, "k1")
	if err != nil {
		t.Fatal(err)
	}
	again, err := w.svc.Pledge(ctx, pool.ID, pooling.PledgeInput{BudgetID: budgets[0].ID, LimitPence: 12000}, "k1")
	if err != nil || again.ID != first.ID {
		t.Fatalf("a retry returned %v, %v", again.ID, err)
	}
	_, err = w.svc.Pledge(ctx, pool.ID, pooling.PledgeInput{BudgetID: budgets[0].ID, LimitPence: 15000}, "k1")
	wantKind(t, err, apperr.Conflict, "idempotency-key-reused")
	_, err = w.svc.Withdraw(ctx, first.ID, "k1")
	wantKind(t, err, apperr.Conflict, "idempotency-key-reused")
	// Keys belong to their caller: someone else may use the same one.
	if _, err := w.svc.Pledge(people[1].ctx(t), pool.ID, pooling.PledgeInput{BudgetID: budgets[1].ID, LimitPence: 12000}, "k1"); err != nil {
		t.Errorf("another caller's k1: %v", err)
	}
}
