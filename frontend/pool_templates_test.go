package frontend

import (
	"testing"
	"time"

	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/pooling"
)

// samplePoolPages is one populated struct per pool page, with every optional part
// filled in (errors, a pledge of mine, a ledger, refused budgets), for
// TestEveryPageTemplateRenders.
func samplePoolPages() []page {
	base := func(title string) Base {
		return Base{Title: title, User: &NavUser{Name: "Alice Walker"}, CSRF: "token", Path: "/pools/p1",
			Notice: "You have left the pool.", Terms: poolTerms()}
	}
	v := samplePoolView()
	mine := PledgeRow{ID: "pl1", URL: "/pledges/pl1", Pool: Link{URL: "/pools/p1", Label: v.Title}, Whose: "Yours",
		Form: "Direct payment (DP)", Limit: "£80", Status: "Counts", StatusClass: "govuk-tag--green", SetAside: "£640",
		Spent: "£0", WithdrawURL: "/pledges/pl1/withdraw", Key: "form-1"}
	other := mine
	other.ID, other.Whose, other.Status, other.WithdrawURL = "pl2", "Bob Holder", "Withdrawn", ""
	ledger := ledgerView(pooling.Statement{Columns: []string{"holding", "to_provider"},
		Rows:    []pooling.StatementRow{{At: time.Now(), Memo: "Pool confirmed", Amounts: []int64{24000, 0}, Balances: []int64{24000, 0}}},
		Closing: []int64{24000, 0}})
	empty := ledgerView(pooling.Statement{Columns: []string{"holding", "to_provider"}, Closing: []int64{0, 0}})
	poolPage := func(mine *PledgeRow, l *LedgerView, join string) *PoolPage {
		return &PoolPage{Base: base(v.Title), Pool: poolSummary(v), Provider: Link{URL: "/providers/pr1", Label: "Headingley Arts"},
			Offer: Link{URL: "/offers/o1", Label: "About the activity"}, Schedule: scheduleLines(v),
			Shares: []ShareRow{{3, "£80", false}, {4, "£60", true}}, MinPeople: 3, MaxPeople: 8, Taken: 4, Counted: 4, Waiting: 1,
			Deadline: "14 December 2026", DaysLeft: "21 days left", Forms: []Option{{Value: "dp", Label: "Direct payment (DP)", Hint: howItPays[marketplace.DirectPayment]}},
			Taking: true, JoinURL: join, Mine: mine, InviteCode: "abc", Ledger: l, LedgerNote: "Shown to organisers."}
	}
	budgets := []Option{{Value: "b1", Label: "Your budget: Direct payment", Hint: howItPays[marketplace.DirectPayment], Checked: true},
		{Value: "b2", Label: "Bob’s budget: Council-managed budget", Hint: howItPays[marketplace.CouncilManaged]}}
	return []page{
		poolPage(&mine, ledger, ""),
		poolPage(nil, empty, "/pools/p1/join?invite=abc"),
		poolPage(nil, nil, ""),
		&PoolListPage{Base: base("Pools for Friday art"), Offer: Link{URL: "/offers/o1", Label: "Friday art"}, Pools: []PoolSummary{poolSummary(v)}},
		&PoolListPage{Base: base("Pools for Friday art"), Offer: Link{URL: "/offers/o1", Label: "Friday art"}},
		&PoolJoinPage{Base: withPoolErrors(base("Join"), FieldError{ID: "budget", Message: "Choose which budget pays"}, FieldError{ID: "limit", Message: "Enter at least £30"}),
			Pool: poolSummary(v), Action: "/pools/p1/join", Key: "form-1", InviteCode: "abc", Budgets: budgets,
			Refused: []string{"Your budget: ISF: not taken"}, Limit: "20", LowestShare: "£30", MostShare: "£80"},
		&PoolJoinPage{Base: base("Join"), Pool: poolSummary(v), NoBudgets: true, Refused: []string{"Your budget: ISF: not taken"}},
		&PledgePage{Base: base("Your pledge"), Pledge: mine, Pool: Link{URL: "/pools/p1", Label: v.Title}, Lines: []string{"You offered up to £80."}},
		&CommitmentsPage{Base: base("Your commitments"), Pledges: []PledgeRow{mine, other},
			Budgets: []BudgetRow{{Whose: "Yours", Label: "Direct payment", Form: "Direct payment (DP)", Committed: "£640", Spent: "£0", Left: "Not known"}}},
		&CommitmentsPage{Base: base("Your commitments")},
		&ApprovalsPage{Base: withPoolErrors(base("Approvals"), FieldError{ID: "reason-pl1", Message: "Enter the reason"}),
			Items: []ApprovalRow{{ID: "pl1", Pool: Link{URL: "/pools/p1", Label: v.Title}, Form: "ISF", Limit: "£80", Sessions: "up to 8 sessions",
				Total: "£640", Needs: "A commissioner", Action: "/approvals/pl1", Key: "k1", Reason: "x", Error: "Enter the reason"},
				{ID: "pl2", Pool: Link{URL: "/pools/p1", Label: v.Title}, Form: "ISF", Limit: "£80", Needs: "A trustee", Action: "/approvals/pl2", Key: "k2"}}},
		&ApprovalsPage{Base: base("Approvals")},
	}
}

func withPoolErrors(b Base, errs ...FieldError) Base { b.Errors = errs; return b }

func samplePoolView() pooling.PoolView {
	return pooling.PoolView{ID: "p1", OfferID: "o1", ProviderID: "pr1", Title: "Friday art and lunch for Headingley",
		Description: "Six of us would like a weekly art group.", Status: pooling.StatusOpen, Summary: "4 of 8 places taken.",
		Pricing: pooling.Pricing{GroupPence: 24000, FloorPence: 3000, MinPeople: 3, MaxPeople: 8}, SessionMinutes: 240,
		BudgetForms: []marketplace.BudgetForm{marketplace.DirectPayment},
		Schedule:    pooling.Schedule{FirstSession: time.Date(2026, 12, 18, 10, 0, 0, 0, time.UTC), EveryDays: 7, Sessions: 8, NoticeDays: 14},
		Deadline:    time.Date(2026, 12, 14, 0, 0, 0, 0, time.UTC), Taken: 4, PlacesLeft: 4, Counted: 4, SharePence: 6000}
}

func TestDaysLeft(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 23, 18, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		deadline time.Time
		want     string
	}{
		{now.Add(-time.Hour), ""},
		{now.Add(3 * time.Hour), "Last day today"},
		{time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC), "1 day left"},
		{now.AddDate(0, 0, 21), "21 days left"},
	} {
		if got := daysLeft(now, tt.deadline); got != tt.want {
			t.Errorf("daysLeft(%v) = %q, want %q", tt.deadline, got, tt.want)
		}
	}
}
