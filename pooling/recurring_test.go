package pooling_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/pooling"
)

// confirmedPool opens a weekly pool of sessions, pledges n people at limit and confirms
// it at its deadline.
func (w *world) confirmedPool(t *testing.T, sessions, n int, limit int64, edit func(*pooling.PoolInput)) (pooling.PoolView, []*person, []pooling.PledgeView) {
	t.Helper()
	pool := w.openPool(t, sessions, edit)
	people, budgets := w.holders(t, n)
	pledges := make([]pooling.PledgeView, n)
	for i := range people {
		pledges[i] = w.pledge(t, people[i], pool.ID, budgets[i], limit)
	}
	if rep := w.processDeadlines(t, pool.Deadline); rep.Confirmed != 1 {
		t.Fatalf("not confirmed: %+v", rep)
	}
	return w.pool(t, w.pat, pool.ID), people, pledges
}

func (w *world) deliver(t *testing.T, pool pooling.PoolView, session int) pooling.PoolView {
	t.Helper()
	w.clock.Set(pool.Sessions[session].StartsAt.Add(2 * time.Hour))
	got, err := w.svc.RecordDelivery(w.pat.ctx(t), pool.ID, pooling.DeliveryInput{Session: session}, "")
	if err != nil {
		t.Fatalf("deliver session %d: %v", session, err)
	}
	return got
}

func TestARecurringPoolIsDeliveredPerSessionAndBilledPerPeriod(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pooling.Config{})
	pool, people, pledges := w.confirmedPool(t, 8, 5, 12000, nil) // £96 each, billed per 4 sessions
	for j := range 4 {
		pool = w.deliver(t, pool, j)
	}
	// The first period is invoiced as its last session is recorded; the second is not yet.
	invs := w.invoices(t, pool.ID)
	if len(invs) != 5 || invs[0].Period != 0 {
		t.Fatalf("after the first period: %d invoices", len(invs))
	}
	if p := w.pool(t, w.pat, pool.ID); p.Periods[0].Status != pooling.PeriodInvoiced || p.Periods[1].Status != pooling.PeriodOpen {
		t.Errorf("periods are %s and %s", p.Periods[0].Status, p.Periods[1].Status)
	}
	v := mustPledge(t, w.env, people[0], pledges[0].ID)
	if v.SpentPence != 4*9600 || v.HeldPence != 4*9600 || v.ReservedPence != 4*2400 {
		t.Errorf("half way: spent %d held %d reserved %d", v.SpentPence, v.HeldPence, v.ReservedPence)
	}
	for j := 4; j < 8; j++ {
		pool = w.deliver(t, pool, j)
	}
	if pool.Status != pooling.StatusInvoiced {
		t.Fatalf("after the last session the pool is %s, want invoiced (delivered, then every period billed)", pool.Status)
	}
	if n := len(w.invoices(t, pool.ID)); n != 10 {
		t.Fatalf("after both periods: %d invoices, want 10 (5 payers × 2 periods)", n)
	}
	w.payAll(t, w.pat, pool.ID)
	pool = w.pool(t, w.pat, pool.ID)
	if pool.Status != pooling.StatusSettled {
		t.Errorf("the pool is %s, want settled", pool.Status)
	}
	if v := mustPledge(t, w.env, people[0], pledges[0].ID); v.Status != pooling.PledgeCompleted || v.SpentPence != 8*9600 || v.CommittedPence != 0 {
		t.Errorf("at the end the pledge is %+v", v)
	}
	st, err := w.svc.PoolStatement(w.uma.ctx(t), pool.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int64{0, 8 * 48000}, st.Closing); diff != "" {
		t.Errorf("pool statement closing holding/to provider (-want +got):\n%s", diff)
	}
}

// Someone leaving a confirmed weekly pool pays for the sessions within the notice
// period; the others share the rest, never above their limits.
func TestLeavingWithNoticeRaisesTheOthersSharesWithinTheirLimits(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pooling.Config{})
	pool, people, pledges := w.confirmedPool(t, 6, 6, 10000, nil) // £80 each; notice 14 days
	// Confirmed at the deadline (day 7); sessions on days 14, 21, ...: leaving on day 7
	// pays for day 14 (within the notice) and leaves before day 21.
	v, err := w.svc.Withdraw(people[0].ctx(t), pledges[0].ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if v.Until != 1 || !cmp.Equal(v.Shares[:2], []int64{8000, 0}) {
		t.Errorf("the leaver takes part until session %d paying %v", v.Until, v.Shares)
	}
	other := mustPledge(t, w.env, people[1], pledges[1].ID)
	if !cmp.Equal(other.Shares, []int64{8000, 9600, 9600, 9600, 9600, 9600}) {
		t.Errorf("the others now pay %v", other.Shares)
	}
	_, err = w.svc.Withdraw(people[0].ctx(t), pledges[0].ID, "")
	wantKind(t, err, apperr.Conflict, "already-leaving")
	got := w.pool(t, w.uma, pool.ID)
	if got.Taken != 5 {
		t.Errorf("taken %d after one left", got.Taken)
	}
}

func TestSessionsThatNoLongerWorkAreCancelledAndReleased(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pooling.Config{})
	pool, people, pledges := w.confirmedPool(t, 4, 4, 12000, nil) // exactly the minimum
	pool = w.deliver(t, pool, 0)
	w.clock.Set(pool.Sessions[0].StartsAt.Add(3 * time.Hour))
	if _, err := w.svc.Withdraw(people[3].ctx(t), pledges[3].ID, ""); err != nil {
		t.Fatal(err)
	}
	// Sessions 2 and 3 are within the notice, session 4 is not: it is cancelled for everyone.
	got := w.pool(t, w.pat, pool.ID)
	var statuses []pooling.SessionStatus
	for _, s := range got.Sessions {
		statuses = append(statuses, s.Status)
	}
	want := []pooling.SessionStatus{pooling.SessionDelivered, pooling.SessionScheduled, pooling.SessionScheduled, pooling.SessionCancelled}
	if diff := cmp.Diff(want, statuses); diff != "" {
		t.Errorf("sessions (-want +got):\n%s", diff)
	}
	got = w.deliver(t, got, 1)
	got = w.deliver(t, got, 2)
	if got.Status != pooling.StatusInvoiced {
		t.Errorf("with every session done the pool is %s, want invoiced", got.Status)
	}
	if v := mustPledge(t, w.env, people[0], pledges[0].ID); v.Status != pooling.PledgeCompleted || v.SpentPence != 3*12000 || v.CommittedPence != 0 {
		t.Errorf("a stayer ends with %+v", v)
	}
}

func TestJoiningAConfirmedPoolLowersEveryonesShare(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pooling.Config{})
	pool, people, pledges := w.confirmedPool(t, 4, 4, 12000, nil)
	pool = w.deliver(t, pool, 0)
	late, budgets := w.holders(t, 2)
	_, err := w.svc.Pledge(late[0].ctx(t), pool.ID, pooling.PledgeInput{BudgetID: budgets[0].ID, LimitPence: 9000}, "")
	wantKind(t, err, apperr.Invalid, "validation") // five would pay £96
	v := w.pledge(t, late[1], pool.ID, budgets[1], 10000)
	if v.Status != pooling.PledgeConfirmed || v.From != 1 || !cmp.Equal(v.Shares, []int64{0, 9600, 9600, 9600}) {
		t.Errorf("the newcomer %s from %d pays %v", v.Status, v.From, v.Shares)
	}
	if first := mustPledge(t, w.env, people[0], pledges[0].ID); !cmp.Equal(first.Shares, []int64{12000, 9600, 9600, 9600}) {
		t.Errorf("an early member now pays %v", first.Shares)
	}
}

func TestAConfirmedOneOffPoolCannotBeLeft(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pooling.Config{})
	_, people, pledges := w.confirmedPool(t, 1, 4, 12000, nil)
	_, err := w.svc.Withdraw(people[0].ctx(t), pledges[0].ID, "")
	wantKind(t, err, apperr.Conflict, "pool-confirmed")
}
