package pooling_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/carepool/carepool/infra/apperr"
	mk "github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/pooling"
)

func TestPledgeRefusesALimitBelowTheLowestPossibleShare(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pooling.Config{})
	pool := w.openPool(t, 1, nil)
	people, budgets := w.holders(t, 1)
	_, err := w.svc.Pledge(people[0].ctx(t), pool.ID, pooling.PledgeInput{BudgetID: budgets[0].ID, LimitPence: 4799}, "")
	wantKind(t, err, apperr.Invalid, "validation")
	if e, _ := apperr.As(err); !strings.Contains(e.Error(), "£48.00") {
		t.Errorf("the message does not say the lowest share: %v", err)
	}
	w.pledge(t, people[0], pool.ID, budgets[0], 4800)
}

func TestPledgeForSomeoneElseNeedsADelegationThatFitsTheirBudget(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pooling.Config{})
	pool := w.openPool(t, 1, nil)
	holder, friend, stranger := w.person(t, "Hal Holder"), w.person(t, "Fay Friend"), w.person(t, "Stan Stranger")
	dp := w.directPayment(t, holder)
	trustBudget := w.budget(t, holder, pooling.BudgetInput{Form: mk.TrustFund, HolderOrgID: w.trust.ID})
	brokered := w.budget(t, holder, pooling.BudgetInput{Form: mk.BrokeredFund, HolderOrgID: w.brokerage.ID})
	w.delegate(t, holder, friend, account.DelegationTrustedOther, "")
	w.delegate(t, holder, w.tess, account.DelegationTrustee, "")
	w.delegate(t, holder, w.bea, account.DelegationBroker, w.brokerage.ID)
	tests := []struct {
		name   string
		who    *person
		budget pooling.Budget
		ok     bool
	}{
		{"the holder", holder, dp, true},
		{"a trusted other, from a direct payment", friend, dp, true},
		{"a trustee, from a direct payment", w.tess, dp, false},
		{"a stranger", stranger, dp, false},
		{"a trustee, from the trust fund", w.tess, trustBudget, true},
		{"a trusted other, from the trust fund", friend, trustBudget, false},
		{"the broker, from the brokered fund", w.bea, brokered, true},
		{"the provider", w.pat, dp, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := w.svc.Pledge(tt.who.ctx(t), pool.ID, pooling.PledgeInput{BudgetID: tt.budget.ID, LimitPence: 12000}, "")
			if !tt.ok {
				wantKind(t, err, apperr.NotFound, "") // other people's budgets stay private
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if v.HolderID != holder.id || v.PledgedBy != tt.who.id {
				t.Errorf("pledge for %s by %s", v.HolderID, v.PledgedBy)
			}
			if _, err := w.svc.Withdraw(tt.who.ctx(t), v.ID, ""); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestOnePersonHoldsOnePlaceInAPool(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pooling.Config{})
	pool := w.openPool(t, 1, nil)
	holder := w.person(t, "Hal Holder")
	dp := w.directPayment(t, holder)
	council := w.budget(t, holder, pooling.BudgetInput{Form: mk.CouncilManaged, HolderOrgID: w.council.ID})
	first := w.pledge(t, holder, pool.ID, dp, 12000)
	_, err := w.svc.Pledge(holder.ctx(t), pool.ID, pooling.PledgeInput{BudgetID: council.ID, LimitPence: 12000}, "")
	wantKind(t, err, apperr.Conflict, "already-pledged")
	if _, err := w.svc.Withdraw(holder.ctx(t), first.ID, ""); err != nil {
		t.Fatal(err)
	}
	again := w.pledge(t, holder, pool.ID, council, 12000)
	if again.Status != pooling.PledgeWaitingApproval {
		t.Errorf("a council pledge is %s, want waiting for approval", again.Status)
	}
	if got := w.pool(t, w.uma, pool.ID); got.Taken != 1 {
		t.Errorf("taken %d, want 1", got.Taken)
	}
}

func TestAPledgeCountsOnlyWhileTheShareIsWithinItsLimit(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pooling.Config{})
	pool := w.openPool(t, 1, nil)
	people, budgets := w.holders(t, 5)
	var low pooling.PledgeView
	for i := range 4 {
		w.pledge(t, people[i], pool.ID, budgets[i], 12000)
	}
	low = w.pledge(t, people[4], pool.ID, budgets[4], 9000)
	if low.Counts || !strings.Contains(low.Summary, "when the price falls") {
		t.Errorf("a £90 pledge at £120 a share: %+v", low)
	}
	if got := w.pool(t, w.uma, pool.ID); got.Counted != 4 || got.SharePence != 12000 || got.Taken != 5 {
		t.Errorf("counted %d share %d taken %d", got.Counted, got.SharePence, got.Taken)
	}
	more, moreBudgets := w.holders(t, 1)
	w.pledge(t, more[0], pool.ID, moreBudgets[0], 9000) // six people: £80 each, within £90
	low, err := w.svc.MyPledge(people[4].ctx(t), low.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !low.Counts {
		t.Errorf("at six people the £90 pledge does not count: %+v", low)
	}
	if got := w.pool(t, w.uma, pool.ID); got.Counted != 6 || got.SharePence != 8000 {
		t.Errorf("counted %d share %d, want 6 at £80", got.Counted, got.SharePence)
	}
}

func TestAPoolFullOfApprovedPledgesConfirmsAndRefusesMore(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pooling.Config{})
	pool := w.openPool(t, 1, func(in *pooling.PoolInput) { in.MaxPeople = 5 })
	people, budgets := w.holders(t, 6)
	for i := range 5 {
		w.pledge(t, people[i], pool.ID, budgets[i], 12000)
	}
	got := w.pool(t, w.uma, pool.ID)
	if got.Status != pooling.StatusConfirmed || got.SharePence != 9600 {
		t.Fatalf("a full pool is %s at %d", got.Status, got.SharePence)
	}
	if got.History[len(got.History)-1].Role != pooling.RoleSystem {
		t.Errorf("confirmed by %+v, want the system", got.History[len(got.History)-1])
	}
	_, err := w.svc.Pledge(people[5].ctx(t), pool.ID, pooling.PledgeInput{BudgetID: budgets[5].ID, LimitPence: 12000}, "")
	wantKind(t, err, apperr.Conflict, "pool-full")
}

func TestWithdrawingBeforeTheDeadlineReleasesEverything(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pooling.Config{})
	pool := w.openPool(t, 4, nil)
	holder, friend, stranger := w.person(t, "Hal Holder"), w.person(t, "Fay Friend"), w.person(t, "Stan Stranger")
	w.delegate(t, holder, friend, account.DelegationTrustedOther, "")
	dp := w.directPayment(t, holder)
	v := w.pledge(t, holder, pool.ID, dp, 12000)
	if v.ReservedPence != 4*12000 {
		t.Errorf("reserved %d, want the limit for four sessions", v.ReservedPence)
	}
	_, err := w.svc.Withdraw(stranger.ctx(t), v.ID, "")
	wantKind(t, err, apperr.NotFound, "")
	v, err = w.svc.Withdraw(friend.ctx(t), v.ID, "w-1")
	if err != nil {
		t.Fatal(err)
	}
	if v.Status != pooling.PledgeWithdrawn || v.ReservedPence != 0 {
		t.Errorf("withdrawn pledge %+v", v)
	}
	_, err = w.svc.Withdraw(holder.ctx(t), v.ID, "")
	wantKind(t, err, apperr.Conflict, "pledge-closed")
	sums, err := w.svc.Budgets(friend.ctx(t), holder.id)
	if err != nil {
		t.Fatal(err)
	}
	st, err := w.svc.BudgetStatement(holder.ctx(t), dp.ID)
	if err != nil {
		t.Fatal(err)
	}
	if sums[0].CommittedPence != 0 || len(st.Rows) != 2 {
		t.Errorf("after withdrawing, %q with %d statement rows", sums[0].Summary, len(st.Rows))
	}
	if diff := cmp.Diff([]int64{0, 0, 0, 0}, st.Closing); diff != "" {
		t.Errorf("closing balances (-want +got):\n%s", diff)
	}
}
