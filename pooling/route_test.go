package pooling_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	mk "github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/pooling"
)

func TestInvoiceRoutesAskForTheApprovalsEachFormNeeds(t *testing.T) {
	t.Parallel()
	holder, rep := "holder", "representative"
	tests := []struct {
		form       mk.BudgetForm
		by         string
		commitment int64
		want       []pooling.ApprovalKind
	}{
		{mk.DirectPayment, holder, 100_000, []pooling.ApprovalKind{}},
		{mk.DirectPayment, rep, 20_000, []pooling.ApprovalKind{}},
		{mk.DirectPayment, rep, 20_001, []pooling.ApprovalKind{pooling.ApprovalSecondApprover}},
		{mk.IndirectPayment, rep, 50_000, []pooling.ApprovalKind{pooling.ApprovalSecondApprover}},
		{mk.BrokeredFund, rep, 100, []pooling.ApprovalKind{}},
		{mk.TrustFund, holder, 100, []pooling.ApprovalKind{pooling.ApprovalSecondTrustee}},
		{mk.TrustFund, rep, 100_000, []pooling.ApprovalKind{pooling.ApprovalSecondTrustee}},
		{mk.ISF, holder, 100, []pooling.ApprovalKind{pooling.ApprovalISFProvider}},
		{mk.ISF, rep, 100_000, []pooling.ApprovalKind{pooling.ApprovalISFProvider, pooling.ApprovalSecondApprover}},
		{mk.CouncilManaged, holder, 100, []pooling.ApprovalKind{pooling.ApprovalCommissioner}},
	}
	routes := pooling.InvoiceRoutes()
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s by the %s for %d", tt.form, tt.by, tt.commitment), func(t *testing.T) {
			t.Parallel()
			got := routes[tt.form].Approvals(pooling.ApprovalRequest{Budget: pooling.Budget{Form: tt.form, HolderID: holder},
				PledgedBy: tt.by, CommitmentPence: tt.commitment, SecondApprovalOverPence: 20_000})
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("approvals (-want +got):\n%s", diff)
			}
		})
	}
	if got := routes[mk.CouncilManaged].Payer(pooling.Budget{HolderOrgID: "council", HolderID: holder}); got.ID != "council" {
		t.Errorf("a council-managed budget is paid by %+v", got)
	}
	if got := routes[mk.DirectPayment].Payer(pooling.Budget{HolderID: holder}); got != (pooling.Payer{Kind: "budget_holder", ID: holder}) {
		t.Errorf("a direct payment is paid by %+v", got)
	}
}
