package pooling_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/carepool/carepool/infra/apperr"
	mk "github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/pooling"
)

// openISF opens an ISF account held by the world's ISF provider for holder.
func (w *world) openISF(t *testing.T, holder *person, allocated int64) pooling.ISFAccount {
	t.Helper()
	acc, err := w.svc.OpenISFAccount(w.ivy.ctx(t), w.isfProvider.ID, pooling.ISFInput{HolderID: holder.id, AllocatedPence: allocated}, "")
	if err != nil {
		t.Fatalf("open ISF: %v", err)
	}
	return acc
}

func isfBudget(t *testing.T, w *world, holder *person) pooling.Budget {
	t.Helper()
	sums, err := w.svc.Budgets(holder.ctx(t), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sums {
		if s.Budget.Form == mk.ISF {
			return s.Budget
		}
	}
	t.Fatal("no ISF budget")
	return pooling.Budget{}
}

func TestISFPledgeReservesFromTheFundAndWaitsForTheProvider(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pooling.Config{})
	pool := w.openPool(t, 4, nil)
	holder := w.person(t, "Ida Isf")
	acc := w.openISF(t, holder, 100_000)
	b := isfBudget(t, w, holder)
	v := w.pledge(t, holder, pool.ID, b, 12000)
	if v.Status != pooling.PledgeWaitingApproval || !cmp.Equal(v.Needs, []pooling.ApprovalKind{pooling.ApprovalISFProvider}) {
		t.Fatalf("an ISF pledge is %s needing %v", v.Status, v.Needs)
	}
	accs, err := w.svc.ISFAccounts(w.ivy.ctx(t), w.isfProvider.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := accs[0]; got.ID != acc.ID || got.AvailablePence != 52_000 || got.CommittedPence != 48_000 {
		t.Errorf("after the pledge the fund has %d available, %d committed", got.AvailablePence, got.CommittedPence)
	}
	pending, err := w.svc.PendingApprovals(w.ivy.ctx(t))
	if err != nil || len(pending) != 1 || pending[0].ID != v.ID {
		t.Fatalf("Ivy's approvals: %v, %v", pending, err)
	}
	_, err = w.svc.Approve(holder.ctx(t), v.ID, "")
	wantKind(t, err, apperr.Forbidden, "")
	v, err = w.svc.Approve(w.ivy.ctx(t), v.ID, "a-1")
	if err != nil {
		t.Fatal(err)
	}
	if v.Status != pooling.PledgePledged || len(v.Approvals) != 1 || v.Approvals[0].By != w.ivy.id {
		t.Errorf("approved pledge %+v", v)
	}
	_, err = w.svc.Approve(w.ivy.ctx(t), v.ID, "")
	wantKind(t, err, apperr.Conflict, "pledge-not-waiting")
	st, err := w.svc.BudgetStatement(w.ivy.ctx(t), b.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int64{52_000, 48_000, 0, 0}, st.Closing); diff != "" {
		t.Errorf("ISF statement closing left/reserved/in pools/spent (-want +got):\n%s", diff)
	}
}

func TestISFPledgeCannotOverdrawTheFund(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pooling.Config{})
	pool := w.openPool(t, 4, nil)
	holder := w.person(t, "Ida Isf")
	w.openISF(t, holder, 40_000)
	b := isfBudget(t, w, holder)
	_, err := w.svc.Pledge(holder.ctx(t), pool.ID, pooling.PledgeInput{BudgetID: b.ID, LimitPence: 12000}, "")
	wantKind(t, err, apperr.Conflict, "isf-insufficient")
	if got := w.pool(t, w.uma, pool.ID); got.Taken != 0 {
		t.Errorf("a refused pledge kept a place: taken %d", got.Taken)
	}
	w.pledge(t, holder, pool.ID, b, 10000) // 4 × £100 fits exactly
	_, err = w.svc.AdjustISFAllocation(w.ivy.ctx(t), b.ID, -1, "reassessed", "")
	wantKind(t, err, apperr.Conflict, "isf-insufficient")
	acc, err := w.svc.AdjustISFAllocation(w.ivy.ctx(t), b.ID, 5000, "new period", "")
	if err != nil || acc.AllocatedPence != 45_000 || acc.AvailablePence != 5000 {
		t.Errorf("after a top-up %+v, %v", acc, err)
	}
}

func TestEachApprovalComesFromItsOwnApprover(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pooling.Config{})
	pool := w.openPool(t, 1, nil)
	holder, friend := w.person(t, "Hal Holder"), w.person(t, "Fay Friend")
	councilOwner := w.person(t, "Colin Council")
	w.member(t, w.tess, w.trust, councilOwner, account.RoleMember) // a trust member who is nothing else
	w.delegate(t, holder, w.tess, account.DelegationTrustee, "")
	w.delegate(t, holder, friend, account.DelegationTrustedOther, "")
	council := w.budget(t, holder, pooling.BudgetInput{Form: mk.CouncilManaged, HolderOrgID: w.council.ID})
	trust := w.budget(t, holder, pooling.BudgetInput{Form: mk.TrustFund, HolderOrgID: w.trust.ID})
	tests := []struct {
		name     string
		pledger  *person
		budget   pooling.Budget
		need     pooling.ApprovalKind
		refused  []*person // who may not approve (Forbidden or NotFound)
		approver *person
	}{
		{"a commissioner approves a council-managed pledge", holder, council, pooling.ApprovalCommissioner,
			[]*person{holder, w.uma, friend}, w.cora},
		{"another trustee agrees a trustee's pledge", w.tess, trust, pooling.ApprovalSecondTrustee,
			[]*person{w.tess, w.cora, friend}, w.tom},
		{"the holder agrees a trustee's pledge", w.tess, trust, pooling.ApprovalSecondTrustee,
			[]*person{w.tess}, holder},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := w.pledge(t, tt.pledger, pool.ID, tt.budget, 12000)
			if !cmp.Equal(v.Needs, []pooling.ApprovalKind{tt.need}) {
				t.Fatalf("needs %v, want %s", v.Needs, tt.need)
			}
			for _, who := range tt.refused {
				_, err := w.svc.Approve(who.ctx(t), v.ID, "")
				if k := apperr.KindOf(err); k != apperr.Forbidden && k != apperr.NotFound {
					t.Errorf("%s approved (or failed oddly): %v", who.name, err)
				}
			}
			got, err := w.svc.Approve(tt.approver.ctx(t), v.ID, "")
			if err != nil || got.Status != pooling.PledgePledged {
				t.Fatalf("%s approves: %+v, %v", tt.approver.name, got, err)
			}
			if _, err := w.svc.Withdraw(holder.ctx(t), v.ID, ""); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// The two-person rule: a representative's pledge that could cost more than the threshold
// in all needs the budget holder (or another representative) too.
func TestLargePledgesByARepresentativeNeedASecondApprover(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pooling.Config{SecondApprovalOverPence: 30_000})
	holder, friend := w.person(t, "Hal Holder"), w.person(t, "Fay Friend")
	w.delegate(t, holder, friend, account.DelegationTrustedOther, "")
	dp := w.budget(t, holder, pooling.BudgetInput{Form: mk.IndirectPayment})
	small := w.openPool(t, 2, nil) // 2 × £120 = £240: under the threshold
	large := w.openPool(t, 4, nil) // 4 × £120 = £480: over it

	v := w.pledge(t, friend, small.ID, dp, 12000)
	if v.Status != pooling.PledgePledged {
		t.Errorf("a small pledge is %s", v.Status)
	}
	v = w.pledge(t, friend, large.ID, dp, 12000)
	if !cmp.Equal(v.Needs, []pooling.ApprovalKind{pooling.ApprovalSecondApprover}) {
		t.Fatalf("a large pledge needs %v", v.Needs)
	}
	_, err := w.svc.Approve(friend.ctx(t), v.ID, "")
	wantKind(t, err, apperr.Forbidden, "")
	pending, err := w.svc.PendingApprovals(holder.ctx(t))
	if err != nil || len(pending) != 1 {
		t.Fatalf("the holder's approvals: %v, %v", pending, err)
	}
	if v, err = w.svc.Approve(holder.ctx(t), v.ID, ""); err != nil || v.Status != pooling.PledgePledged {
		t.Errorf("the holder approves: %+v, %v", v, err)
	}
	// The holder's own large pledge needs nobody else.
	third := w.openPool(t, 4, nil)
	if own := w.pledge(t, holder, third.ID, dp, 12000); own.Status != pooling.PledgePledged {
		t.Errorf("the holder's own pledge is %s", own.Status)
	}
}

func TestDeclineReleasesThePledgeAndFreesItsPlace(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pooling.Config{})
	pool := w.openPool(t, 1, nil)
	holder := w.person(t, "Hal Holder")
	council := w.budget(t, holder, pooling.BudgetInput{Form: mk.CouncilManaged, HolderOrgID: w.council.ID})
	v := w.pledge(t, holder, pool.ID, council, 12000)
	v, err := w.svc.Decline(w.cora.ctx(t), v.ID, "Your support plan does not include this.", "")
	if err != nil {
		t.Fatal(err)
	}
	if v.Status != pooling.PledgeDeclined || v.Reason != "Your support plan does not include this." || v.ReservedPence != 0 {
		t.Errorf("declined pledge %+v", v)
	}
	if got := w.pool(t, w.uma, pool.ID); got.Taken != 0 || got.Waiting != 0 {
		t.Errorf("after declining, taken %d waiting %d", got.Taken, got.Waiting)
	}
	if pending, _ := w.svc.PendingApprovals(w.cora.ctx(t)); len(pending) != 0 {
		t.Errorf("still pending: %v", pending)
	}
}
