package pooling_test

import (
	"context"
	"sync"
	"testing"
	"time"

	mk "github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/pooling"
)

func (w *world) processDeadlines(t *testing.T, at time.Time) pooling.DeadlineReport {
	t.Helper()
	w.clock.Set(at)
	rep, err := w.svc.ProcessDeadlines(context.Background(), at)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestPoolFailsAtItsDeadlineBelowTheMinimum(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pooling.Config{})
	pool := w.openPool(t, 3, nil)
	people, budgets := w.holders(t, 3)
	for i := range people {
		w.pledge(t, people[i], pool.ID, budgets[i], 20000)
	}
	if rep := w.processDeadlines(t, pool.Deadline.Add(-time.Minute)); rep != (pooling.DeadlineReport{}) {
		t.Errorf("before the deadline: %+v", rep)
	}
	if rep := w.processDeadlines(t, pool.Deadline); rep != (pooling.DeadlineReport{Failed: 1}) {
		t.Errorf("at the deadline: %+v", rep)
	}
	got := w.pool(t, w.uma, pool.ID)
	if got.Status != pooling.StatusFailed || got.History[len(got.History)-1].By != pooling.SystemActor {
		t.Errorf("pool %s, last change %+v", got.Status, got.History[len(got.History)-1])
	}
	v := mustOnlyPledge(t, w.env, people[0])
	if v.Status != pooling.PledgeReleased || v.CommittedPence != 0 {
		t.Errorf("pledge after failing: %+v", v)
	}
	if n := w.tasks(t, "notify", "pool:"+pool.ID+":failed"); n != 1 {
		t.Errorf("%d failure notifications queued", n)
	}
	if rep := w.processDeadlines(t, pool.Deadline.Add(time.Hour)); rep != (pooling.DeadlineReport{}) {
		t.Errorf("a second run: %+v", rep)
	}
}

// A council is slower than a card: at the deadline the pool waits for its approval for
// five working days rather than failing, and confirms as soon as it arrives.
func TestAPoolWaitsForApprovalsForItsGracePeriod(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pooling.Config{})
	pools := []pooling.PoolView{w.openPool(t, 1, nil), w.openPool(t, 1, nil)}
	people, budgets := w.holders(t, 3)
	managed := w.person(t, "Mo Managed")
	council := w.budget(t, managed, pooling.BudgetInput{Form: mk.CouncilManaged, HolderOrgID: w.council.ID})
	var waiting []pooling.PledgeView
	for _, p := range pools {
		for i := range people {
			w.pledge(t, people[i], p.ID, budgets[i], 12000)
		}
		waiting = append(waiting, w.pledge(t, managed, p.ID, council, 12000))
	}
	deadline := pools[0].Deadline // a Monday
	if rep := w.processDeadlines(t, deadline); rep != (pooling.DeadlineReport{Waiting: 2}) {
		t.Fatalf("at the deadline: %+v", rep)
	}
	got := w.pool(t, w.uma, pools[0].ID)
	if want := deadline.AddDate(0, 0, 7); got.Status != pooling.StatusOpen || got.GraceUntil == nil || !got.GraceUntil.Equal(want) {
		t.Fatalf("pool %s waiting until %v, want open until %v", got.Status, got.GraceUntil, want)
	}
	if n := w.tasks(t, "notify", "pool:"+pools[0].ID+":approvals-reminder"); n != 1 {
		t.Errorf("%d reminders queued", n)
	}

	w.clock.Set(deadline.AddDate(0, 0, 2))
	if _, err := w.svc.Approve(w.cora.ctx(t), waiting[0].ID, ""); err != nil {
		t.Fatal(err)
	}
	if got := w.pool(t, w.uma, pools[0].ID); got.Status != pooling.StatusConfirmed || got.Counted != 4 {
		t.Errorf("after the approval, the pool is %s with %d people", got.Status, got.Counted)
	}
	if rep := w.processDeadlines(t, deadline.AddDate(0, 0, 7)); rep != (pooling.DeadlineReport{Failed: 1}) {
		t.Errorf("at the end of the grace period: %+v", rep)
	}
	if v := mustPledge(t, w.env, managed, waiting[1].ID); v.Status != pooling.PledgeReleased {
		t.Errorf("the unapproved pledge is %s", v.Status)
	}
}

func mustPledge(t *testing.T, e *env, who *person, id string) pooling.PledgeView {
	t.Helper()
	v, err := e.svc.MyPledge(who.ctx(t), id)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// Two server copies run the deadline job at the same moment: each pool is processed
// once, by one of them.
func TestTwoServerCopiesNeverProcessTheSamePoolTwice(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pooling.Config{})
	people, budgets := w.holders(t, 4)
	var ids []string
	for range 8 {
		p := w.openPool(t, 1, nil)
		ids = append(ids, p.ID)
		for i := range people {
			w.pledge(t, people[i], p.ID, budgets[i], 12000)
		}
	}
	copies := []*pooling.Service{
		pooling.NewService(w.store, w.market, nil, w.accounts, pooling.Config{Instance: "copy-a", Now: w.clock.Now}),
		pooling.NewService(w.store, w.market, nil, w.accounts, pooling.Config{Instance: "copy-b", Now: w.clock.Now}),
	}
	at := epoch.AddDate(0, 0, 7)
	w.clock.Set(at)
	reports := make([]pooling.DeadlineReport, len(copies))
	var wg sync.WaitGroup
	for i, c := range copies {
		wg.Go(func() {
			rep, err := c.ProcessDeadlines(context.Background(), at)
			if err != nil {
				t.Error(err)
			}
			reports[i] = rep
		})
	}
	wg.Wait()
	if got := reports[0].Confirmed + reports[1].Confirmed; got != len(ids) {
		t.Errorf("copies confirmed %d pools in all (%+v), want %d", got, reports, len(ids))
	}
	for _, id := range ids {
		got := w.pool(t, w.uma, id)
		confirmations := 0
		for _, tr := range got.History {
			if tr.To == pooling.StatusConfirmed {
				confirmations++
			}
		}
		if got.Status != pooling.StatusConfirmed || confirmations != 1 {
			t.Errorf("pool %s is %s after %d confirmations", id, got.Status, confirmations)
		}
	}
}

func TestADeadlineLeasedByAnotherCopyIsLeftToIt(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pooling.Config{})
	pool := w.openPool(t, 1, nil)
	at := pool.Deadline
	if ok, err := w.store.TakeLease(context.Background(), "pool-deadline:"+pool.ID, "another-copy", at, at.Add(time.Minute)); err != nil || !ok {
		t.Fatalf("take lease: %v, %v", ok, err)
	}
	if rep := w.processDeadlines(t, at); rep != (pooling.DeadlineReport{Skipped: 1}) {
		t.Errorf("while another copy holds the lease: %+v", rep)
	}
	if rep := w.processDeadlines(t, at.Add(2*time.Minute)); rep != (pooling.DeadlineReport{Failed: 1}) {
		t.Errorf("after its lease ran out: %+v", rep)
	}
}
