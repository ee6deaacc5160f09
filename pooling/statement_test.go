package pooling_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/carepool/carepool/infra/apperr"
	mk "github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/pooling"
)

func TestAnISFStatementFollowsTheMoneyWithARunningBalance(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pooling.Config{})
	holder := w.person(t, "Ida Isf")
	w.openISF(t, holder, 50_000)
	b := isfBudget(t, w, holder)
	pool, _, _ := w.confirmedPoolWith(t, holder, b)
	w.deliver(t, pool, 0)

	st, err := w.svc.BudgetStatement(holder.ctx(t), b.ID)
	if err != nil {
		t.Fatal(err)
	}
	var ops []pooling.Op
	var balances [][]int64
	for _, r := range st.Rows {
		ops = append(ops, r.Op)
		balances = append(balances, r.Balances)
	}
	wantOps := []pooling.Op{pooling.OpAllocate, pooling.OpPledge, pooling.OpConfirm, pooling.OpDeliver}
	// left, reserved, in pools, spent: £500 allocated; £120 reserved; £120 share moves
	// into the pool; delivered, it is spent.
	wantBalances := [][]int64{{50_000, 0, 0, 0}, {38_000, 12_000, 0, 0}, {38_000, 0, 12_000, 0}, {38_000, 0, 0, 12_000}}
	if diff := cmp.Diff(wantOps, ops); diff != "" {
		t.Errorf("operations (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantBalances, balances); diff != "" {
		t.Errorf("running balances (-want +got):\n%s", diff)
	}
	if !strings.Contains(st.Summary, "Of £500.00, £0.00 is set aside for pools, £120.00 has been spent and £380.00 is left.") {
		t.Errorf("summary %q", st.Summary)
	}

	var buf bytes.Buffer
	if err := pooling.WriteCSV(&buf, st); err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(records) != 5 || records[0][6] != "left change" || records[4][len(records[4])-1] != "120.00" || records[1][7] != "500.00" {
		t.Errorf("CSV:\n%v", records)
	}
}

// confirmedPoolWith confirms a one-off pool of four: three direct payments at £120 and
// holder's budget b, approved by whoever must.
func (w *world) confirmedPoolWith(t *testing.T, holder *person, b pooling.Budget) (pooling.PoolView, []*person, pooling.PledgeView) {
	t.Helper()
	pool := w.openPool(t, 1, nil)
	people, budgets := w.holders(t, 3)
	for i := range people {
		w.pledge(t, people[i], pool.ID, budgets[i], 12000)
	}
	v := w.pledge(t, holder, pool.ID, b, 12000)
	if v.Status == pooling.PledgeWaitingApproval {
		approver := map[mk.BudgetForm]*person{mk.ISF: w.ivy, mk.CouncilManaged: w.cora}[b.Form]
		if _, err := w.svc.Approve(approver.ctx(t), v.ID, ""); err != nil {
			t.Fatal(err)
		}
	}
	got, err := w.svc.ConfirmPool(w.uma.ctx(t), pool.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	return got, people, v
}

func TestStatementsAreForThoseWhoseMoneyItIs(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pooling.Config{})
	holder, friend, stranger := w.person(t, "Hal Holder"), w.person(t, "Fay Friend"), w.person(t, "Stan Stranger")
	w.delegate(t, holder, friend, account.DelegationTrustedOther, "")
	council := w.budget(t, holder, pooling.BudgetInput{Form: mk.CouncilManaged, HolderOrgID: w.council.ID})
	pool, _, _ := w.confirmedPoolWith(t, holder, council)
	tests := []struct {
		name string
		who  *person
		read func(ctx *person) error
		want apperr.Kind // 0: allowed
	}{
		{"the holder reads their budget", holder, func(p *person) error { _, err := w.svc.BudgetStatement(p.ctx(t), council.ID); return err }, 0},
		{"their trusted other", friend, func(p *person) error { _, err := w.svc.BudgetStatement(p.ctx(t), council.ID); return err }, 0},
		{"the council's commissioner", w.cora, func(p *person) error { _, err := w.svc.BudgetStatement(p.ctx(t), council.ID); return err }, 0},
		{"a stranger", stranger, func(p *person) error { _, err := w.svc.BudgetStatement(p.ctx(t), council.ID); return err }, apperr.NotFound},
		{"the provider reads the pool's", w.pat, func(p *person) error { _, err := w.svc.PoolStatement(p.ctx(t), pool.ID); return err }, 0},
		{"a participant reads the pool's transparent ledger", holder, func(p *person) error { _, err := w.svc.PoolStatement(p.ctx(t), pool.ID); return err }, 0},
		{"a stranger reads a public pool's transparent ledger", stranger, func(p *person) error { _, err := w.svc.PoolStatement(p.ctx(t), pool.ID); return err }, 0},
		{"the provider reads its own", w.pat, func(p *person) error { _, err := w.svc.ProviderStatement(p.ctx(t), w.provider.ID); return err }, 0},
		{"the organiser reads the provider's", w.uma, func(p *person) error { _, err := w.svc.ProviderStatement(p.ctx(t), w.provider.ID); return err }, apperr.Forbidden},
		{"a stranger lists the holder's budgets", stranger, func(p *person) error { _, err := w.svc.Budgets(p.ctx(t), holder.id); return err }, apperr.Forbidden},
		{"the trusted other lists them", friend, func(p *person) error { _, err := w.svc.Budgets(p.ctx(t), holder.id); return err }, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.read(tt.who)
			if tt.want == 0 {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantKind(t, err, tt.want, "")
		})
	}
}

func TestRecordingABudgetNeedsTheRightToActForItsHolder(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pooling.Config{})
	holder, stranger := w.person(t, "Hal Holder"), w.person(t, "Stan Stranger")
	tests := []struct {
		name string
		who  *person
		in   pooling.BudgetInput
		want apperr.Kind
	}{
		{"the holder, a direct payment", holder, pooling.BudgetInput{Form: mk.DirectPayment}, 0},
		{"a commissioner, for the council", w.cora, pooling.BudgetInput{HolderID: holder.id, Form: mk.CouncilManaged, HolderOrgID: w.council.ID}, 0},
		{"a commissioner, a direct payment", w.cora, pooling.BudgetInput{HolderID: holder.id, Form: mk.DirectPayment}, apperr.Forbidden},
		{"a stranger", stranger, pooling.BudgetInput{HolderID: holder.id, Form: mk.DirectPayment}, apperr.Forbidden},
		{"a council budget held by a trust", holder, pooling.BudgetInput{Form: mk.CouncilManaged, HolderOrgID: w.trust.ID}, apperr.Invalid},
		{"an ISF by hand", holder, pooling.BudgetInput{Form: mk.ISF, HolderOrgID: w.isfProvider.ID}, apperr.Invalid},
		{"a trust fund with no trust", holder, pooling.BudgetInput{Form: mk.TrustFund}, apperr.Invalid},
		{"the ISF provider opening a fund", w.pat, pooling.BudgetInput{}, apperr.Forbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.in.Form == "" { // Friday Arts is not an ISF provider
				_, err = w.svc.OpenISFAccount(tt.who.ctx(t), w.provider.ID, pooling.ISFInput{HolderID: holder.id, AllocatedPence: 1000}, "")
			} else {
				_, err = w.svc.AddBudget(tt.who.ctx(t), tt.in)
			}
			if tt.want == 0 {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantKind(t, err, tt.want, "")
		})
	}
}

func TestAPersonsStatementCoversEveryBudgetTheyHave(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pooling.Config{})
	holder, friend, stranger := w.person(t, "Hal Holder"), w.person(t, "Fay Friend"), w.person(t, "Stan Stranger")
	w.delegate(t, holder, friend, account.DelegationTrustedOther, "")
	dp := w.directPayment(t, holder)
	council := w.budget(t, holder, pooling.BudgetInput{Form: mk.CouncilManaged, HolderOrgID: w.council.ID})
	first, second := w.openPool(t, 2, nil), w.openPool(t, 1, nil)
	w.pledge(t, holder, first.ID, dp, 12000)
	w.pledge(t, friend, second.ID, council, 15000)
	st, err := w.svc.PersonStatement(friend.ctx(t), holder.id)
	if err != nil {
		t.Fatal(err)
	}
	var budgetsOfRows []string
	for _, r := range st.Rows {
		budgetsOfRows = append(budgetsOfRows, r.BudgetID)
	}
	if diff := cmp.Diff([]string{dp.ID, council.ID}, budgetsOfRows); diff != "" {
		t.Errorf("rows by budget (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int64{24000 + 15000, 0, 0}, st.Closing); diff != "" {
		t.Errorf("closing reserved/in pools/spent (-want +got):\n%s", diff)
	}
	_, err = w.svc.PersonStatement(stranger.ctx(t), holder.id)
	wantKind(t, err, apperr.Forbidden, "")
}
