package pooling_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/pooling"
)

// The example of DOMAIN.md from start to end: £480 a session for 4 to 10 people; eight
// pledge; at the deadline it confirms at £60 each; the session is delivered, invoiced
// and paid; the pool ends holding nothing.
func TestOneOffPoolGoesFromOpenToSettled(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pooling.Config{})
	pool := w.openPool(t, 1, nil)
	people, budgets := w.holders(t, 8)
	for i := range people {
		w.pledge(t, people[i], pool.ID, budgets[i], 12000)
	}
	got := w.pool(t, w.uma, pool.ID)
	if got.Counted != 8 || got.SharePence != 6000 || got.Status != pooling.StatusOpen || !got.MinimumReached {
		t.Fatalf("after 8 pledges: counted %d share %d status %s", got.Counted, got.SharePence, got.Status)
	}

	w.clock.Set(pool.Deadline)
	rep, err := w.svc.ProcessDeadlines(t.Context(), pool.Deadline)
	if err != nil || rep != (pooling.DeadlineReport{Confirmed: 1}) {
		t.Fatalf("ProcessDeadlines = %+v, %v; want one confirmed", rep, err)
	}
	// The share moves into the pool; the rest of the limit stays reserved until the
	// session is delivered.
	st, err := w.svc.BudgetStatement(people[0].ctx(t), budgets[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int64{-12000, 6000, 6000, 0}, st.Closing); diff != "" {
		t.Errorf("after confirmation, left/reserved/in pools/spent (-want +got):\n%s", diff)
	}

	ctx := w.pat.ctx(t)
	w.clock.Set(got.Sessions[0].StartsAt.Add(-1))
	_, err = w.svc.RecordDelivery(ctx, pool.ID, pooling.DeliveryInput{Session: 0}, "")
	wantKind(t, err, apperr.Conflict, "session-not-started")
	w.clock.Set(got.Sessions[0].StartsAt.Add(3 * 60 * 60 * 1e9))
	if _, err := w.svc.RecordDelivery(ctx, pool.ID, pooling.DeliveryInput{Session: 0}, "d1"); err != nil {
		t.Fatal(err)
	}
	invs := w.invoices(t, pool.ID)
	if len(invs) != 8 {
		t.Fatalf("delivering the session issued %d invoices, want one per budget holder (8)", len(invs))
	}
	if got = w.pool(t, w.pat, pool.ID); got.Status != pooling.StatusInvoiced {
		t.Fatalf("after the only session the pool is %s, want invoiced", got.Status)
	}
	w.payAll(t, w.pat, pool.ID)
	got = w.pool(t, w.pat, pool.ID)
	var path []pooling.Status
	for _, tr := range got.History {
		path = append(path, tr.To)
	}
	want := []pooling.Status{pooling.StatusDraft, pooling.StatusOpen, pooling.StatusConfirmed,
		pooling.StatusDelivered, pooling.StatusInvoiced, pooling.StatusSettled}
	if diff := cmp.Diff(want, path); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
	for _, tr := range got.History {
		if tr.By == "" || tr.At.IsZero() || tr.Role == "" {
			t.Errorf("transition %+v does not say who, in which role, or when", tr)
		}
	}

	sums, err := w.svc.Budgets(people[0].ctx(t), "")
	if err != nil {
		t.Fatal(err)
	}
	if sums[0].CommittedPence != 0 || sums[0].SpentPence != 6000 || sums[0].LeftPence != nil {
		t.Errorf("at the end %+v", sums[0])
	}
	st, err = w.svc.ProviderStatement(ctx, w.provider.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int64{0, 0, 48000}, st.Closing); diff != "" {
		t.Errorf("provider closing balances receivable/invoiced/settled (-want +got):\n%s", diff)
	}
}

// Every transition has one set of roles that may make it; anyone else is refused.
func TestPoolTransitionsRefuseTheWrongPeople(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pooling.Config{})
	visitor := w.person(t, "Vic Visitor")
	in := poolInput(w.offer, 1)
	in.OrganiserOrgID = w.ulo.ID
	draft, err := w.svc.ProposePool(w.uma.ctx(t), in)
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.svc.OpenPool(w.pat.ctx(t), draft.ID)
	wantKind(t, err, apperr.Forbidden, "")
	_, err = w.svc.OpenPool(visitor.ctx(t), draft.ID)
	wantKind(t, err, apperr.NotFound, "") // drafts are private
	if _, err = w.svc.OpenPool(w.uma.ctx(t), draft.ID); err != nil {
		t.Fatal(err)
	}
	_, err = w.svc.OpenPool(w.uma.ctx(t), draft.ID)
	wantKind(t, err, apperr.Conflict, "pool-status")
	_, err = w.svc.ConfirmPool(w.pat.ctx(t), draft.ID, "")
	wantKind(t, err, apperr.Forbidden, "")
	_, err = w.svc.ConfirmPool(w.uma.ctx(t), draft.ID, "")
	wantKind(t, err, apperr.Conflict, "pool-below-minimum")
	_, err = w.svc.CancelPool(visitor.ctx(t), draft.ID, "", "")
	wantKind(t, err, apperr.Forbidden, "")
	_, err = w.svc.RecordDelivery(w.pat.ctx(t), draft.ID, pooling.DeliveryInput{}, "")
	wantKind(t, err, apperr.Conflict, "pool-not-confirmed")
	_, err = w.svc.RecordDelivery(w.uma.ctx(t), draft.ID, pooling.DeliveryInput{}, "")
	wantKind(t, err, apperr.Forbidden, "")
	_, err = w.svc.CancelPool(t.Context(), draft.ID, "", "")
	wantKind(t, err, apperr.Unauthenticated, "")
	if _, err = w.svc.CancelPool(w.pat.ctx(t), draft.ID, "The venue closed.", ""); err != nil {
		t.Fatalf("the provider cancels: %v", err)
	}
	_, err = w.svc.CancelPool(w.uma.ctx(t), draft.ID, "", "")
	wantKind(t, err, apperr.Conflict, "pool-status")
}
