package frontend

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/pooling"
	"github.com/carepool/carepool/search"
)

// sampleOrganiserPages is one populated struct per organiser, provider, ISF,
// commissioner and delegations page, with the optional parts filled in (errors, invite
// links, approvals, sessions to record), for TestEveryPageTemplateRenders.
func sampleOrganiserPages() []page {
	base := func(title string, errs ...FieldError) Base {
		return Base{Title: title, User: &NavUser{Name: "Uma Organiser"}, CSRF: "token", Path: "/dashboard/pools",
			Notice: "Your pool is open.", Terms: organiserTerms(), Errors: errs}
	}
	v := samplePoolView()
	v.YourRoles = []pooling.Role{pooling.RoleOrganiser}
	managed := ManagedPool{PoolSummary: poolSummary(v), Taken: 4, MinPeople: 3, MaxPeople: 8, Confirmable: 3, Deadline: "14 December 2026",
		DaysLeft: "21 days left", InviteURL: "https://carepool.example/invites/ABC", InviteRotateURL: "/dashboard/pools/p1/invite-link",
		Approvals: []string{"1 pledge is waiting for a commissioner at the council"}, MessagesURL: "/pools/p1/messages",
		ConfirmURL: "/dashboard/pools/p1/confirm", CancelURL: "/dashboard/pools/p1/cancel"}
	draft := managed
	draft.ID, draft.Approvals, draft.InviteURL, draft.InviteRotateURL, draft.ConfirmURL = "p2", nil, "", "", ""
	draft.OpenURL, draft.ConfirmNote = "/dashboard/pools/p2/open", "You can confirm it early once 3 people count."
	offer := sampleOffer("Friday art and lunch")
	o := marketplace.Offer{ID: "o1", ProviderID: "pr1", Kind: offer.Kind, Title: offer.Title, Price: offer.Price, Status: marketplace.StatusPublished}
	raw := proposeRaw{Organiser: "me", Title: "Friday art", Visibility: "public", MinPeople: "9", Deadline: DateParts{"31", "2", "2026"},
		First: DateParts{"3", "4", "2026"}, FirstTime: "25:00", Sessions: "8", EveryDays: "7", NoticeDays: "14"}
	errs := []FieldError{{ID: "offer", Message: "This activity cannot be pooled"}, {ID: "min-people", Message: "The group must be between 4 and 8 people"},
		{ID: "deadline-day", Message: "Deadline: enter a real date"}, {ID: "first-time", Message: "Enter the time"}}
	propose := func(shared bool, errs ...FieldError) *ProposePoolPage {
		p := &ProposePoolPage{Base: base("Propose a pool", errs...), Action: "/dashboard/pools",
			Offer:      ProposeOffer{ID: o.ID, Title: o.Title, URL: "/offers/o1", Provider: "Headingley Arts", Price: "£60 to £120 per person", MinPeople: 4, MaxPeople: 8, SharedPA: shared},
			Organisers: []Option{{Value: "u1", Label: "Leeds People First", Hint: "Your user-led organisation"}, {Value: "me", Label: "Me", Checked: true}},
			Visibility: checkedOptions(visibilityOptions, "public"), Repeat: checkedOptions(repeatOptions, "7"), Form: raw}
		p.Deadline = dateInput("deadline", "Deadline to join", "For example, 27 3 2026.", raw.Deadline, p.Errors)
		p.First = dateInput("first", "Date of the first session", "", raw.First, p.Errors)
		return p
	}
	provider := ProviderPool{PoolSummary: poolSummary(v), Taken: 4, MinPeople: 3, MaxPeople: 8, Deadline: "14 December 2026", DaysLeft: "2 days left",
		ToRecord: []Link{{URL: "/dashboard/pools/p1/sessions/1", Label: "Session 1: Friday 18 December 2026 at 10am"}},
		Next:     "Session 2: Friday 25 December 2026 at 10am", CancelURL: "/dashboard/pools/p1/cancel"}
	isfRow := ISFRow{ID: "f1", Person: "Alice Walker", Period: "1 April 2026 to 31 March 2027", Allocated: "£2,000", Available: "£1,040",
		Committed: "£960", Spent: "£0", StatementURL: "/s", AdjustURL: "/a"}
	ledger := ledgerView(pooling.Statement{Columns: []string{"left", "reserved", "in_pools", "spent"},
		Rows:    []pooling.StatementRow{{At: time.Now(), Memo: "ISF account opened", Amounts: []int64{200000, 0, 0, 0}, Balances: []int64{200000, 0, 0, 0}}},
		Closing: []int64{200000, 0, 0, 0}})
	demandRow := DemandRowView{Label: "LS6 (Leeds)", OpenPools: 2, PlacesTaken: 6, PeopleShort: 2, FailedPools: 1, FailedJoined: 2, FailedNeeded: 4}
	delegation := DelegationItem{DelegationRow: DelegationRow{Person: "Bob", Kind: "Trusted other", Since: "1 May 2026", Active: true},
		StopURL: "/account/delegations/d1/stop", CommitmentsURL: "/commitments"}
	ended := DelegationItem{DelegationRow: DelegationRow{Person: "Carol", Kind: "Trustee", Since: "1 May 2026", Ended: "2 May 2026"}}
	poolCard := ResultCard{URL: "/pools/p1", Title: []search.Span{{Text: "Friday art"}}, Provider: "Headingley Arts", ProviderURL: "/providers/pr1",
		Where: "LS6", When: "Friday", BudgetForms: []string{"Direct payment"}, Group: &GroupCard{Share: "£60", People: 4, PlacesLeft: 4, Closes: "14 December 2026"}}
	search := &SearchPage{Base: base("Search results"), Results: []ResultCard{poolCard}, Total: 1, From: 1, To: 1}
	search.fillForm(urlValues("type", "pool"), nil)
	return []page{
		search,
		&OrganiserPoolsPage{Base: base("Pools you organise"), ProposeURL: "/dashboard/pools/new", Pools: []ManagedPool{managed, draft}},
		&OrganiserPoolsPage{Base: base("Pools you organise"), ProposeURL: "/dashboard/pools/new"},
		&PoolActionPage{Base: base("Cancel the pool", FieldError{ID: "reason", Message: "Enter the reason"}), Pool: poolSummary(v),
			Lines: cancelLines(v), Action: "/dashboard/pools/p1/cancel", Button: "Cancel the pool", Warning: true, Key: "k", AskReason: true, Back: "/dashboard/pools"},
		&PoolActionPage{Base: base("Confirm the pool now", FieldError{ID: "action-button", Message: "The pool is not open"}), Pool: poolSummary(v),
			Lines: confirmLines(v), Action: "/dashboard/pools/p1/confirm", Button: "Confirm the pool", Key: "k", Back: "/dashboard/pools"},
		&ProposeFindPage{Base: base("Propose a pool", FieldError{ID: "q", Message: "That cannot be pooled"}), Query: "art",
			Own: []Option{{Value: "o1", Label: "Friday art", Hint: "Headingley Arts"}}, Found: []Option{{Value: "o2", Label: "Art club"}}, Searched: true},
		&ProposeFindPage{Base: base("Propose a pool"), Query: "zzz", Searched: true},
		propose(false, errs...),
		propose(true, FieldError{ID: "session-minutes", Message: "Say how long"}),
		&ProviderPoolsPage{Base: base("Pools on your offers"), Provider: "Headingley Arts", Forming: []ProviderPool{provider},
			Going: []ProviderPool{withID(provider, "p2")}, Past: []ProviderPool{withID(provider, "p3")}},
		&ProviderPoolsPage{Base: base("Pools on your offers"), Provider: "Headingley Arts"},
		&RecordSessionPage{Base: base("Record a session", FieldError{ID: "attended", Message: "This session has not started yet"}), Pool: poolSummary(v),
			Session: "Session 1: Friday 18 December 2026 at 10am", Action: "/dashboard/pools/p1/sessions/1", Key: "k", Back: "/dashboard",
			Places: []Option{{Value: "pl1", Label: "Place 1 (pledge ending a1b2)", Checked: true}, {Value: "pl2", Label: "Place 2 (pledge ending c3d4)"}}},
		&RecordSessionPage{Base: base("Record a session", FieldError{ID: "attended", Message: "Choose only the places listed"}), Pool: poolSummary(v), Session: "Session 2"},
		&ISFAccountsPage{Base: base("Individual service funds", FieldError{ID: "email", Message: "No one has an account"}, FieldError{ID: "allocation", Message: "Enter the allocation"}),
			Provider: "Leeds Support", Accounts: []ISFRow{isfRow}, Action: "/dashboard/providers/pr1/isf-accounts", CanOpen: true, Form: ISFOpenForm{Email: "x", Key: "k"}},
		&ISFAccountsPage{Base: base("Individual service funds"), Provider: "Leeds Support"},
		&ISFAdjustPage{Base: base("Change the allocation", FieldError{ID: "direction", Message: "Choose"}, FieldError{ID: "amount", Message: "Enter"}, FieldError{ID: "reason", Message: "Enter"}),
			Provider: "Leeds Support", Account: isfRow, Action: "/a", Back: "/b", Directions: adjustDirections, Form: ISFAdjustForm{Amount: "x", Key: "k"}},
		&ISFStatementPage{Base: base("Statement of Alice Walker’s fund"), Provider: "Leeds Support", Account: isfRow, Heading: "Individual service fund (ISF): Alice's",
			Summary: "£1,040 left.", Ledger: ledger, CSVURL: "/c", JSONURL: "/j", Back: "/b"},
		&DemandPage{Base: base("Where people are pooling"), Since: "1 March 2026", Totals: demandRow, Admin: true,
			Tables: []DemandTable{{ID: "areas", Caption: "By area", First: "Area", Rows: []DemandRowView{demandRow}}, {ID: "categories", Caption: "By category", First: "Category"}},
			Waiting: []WaitingRow{{Title: "Friday art", URL: "/pools/p1", Area: "LS6", Deadline: "1 May", Waiting: 1, Taken: 4, Confirmable: 3, MinPeople: 4, ReachesMinimum: true},
				{Title: "A pool for invited people only", Area: "Not known", Waiting: 2, Taken: 2, MinPeople: 4}}},
		&DemandPage{Base: base("Where people are pooling"), Since: "1 March 2026"},
		&DelegationsPage{Base: base("People who act for you", FieldError{ID: "email", Message: "Enter"}, FieldError{ID: "kind", Message: "Choose"}),
			Granted: []DelegationItem{delegation, ended}, ActingFor: []DelegationItem{delegation, ended}, CanChange: true, Email: "x", Kinds: delegationKinds},
		&DelegationsPage{Base: base("People who act for you")},
		&DelegationStopPage{Base: base("Stop Bob acting for you"), Person: "Bob", Kind: "Trusted other", Action: "/account/delegations/d1/stop"},
	}
}

func withID(p ProviderPool, id string) ProviderPool { p.ID = id; return p }

func TestProposeFormReadsDatesTimesAndNumbers(t *testing.T) {
	t.Parallel()
	raw := proposeRaw{Organiser: "org-1", Title: "Friday art", Visibility: "public", MinPeople: "5", MaxPeople: "8",
		Deadline: DateParts{"27", "3", "2026"}, First: DateParts{"3", "4", "2026"}, FirstTime: "2:30pm", Sessions: "8", EveryDays: "7", NoticeDays: "14"}
	in, errs := raw.input("offer-1")
	if len(errs) > 0 {
		t.Fatalf("errors: %v", errs)
	}
	want := pooling.PoolInput{OfferID: "offer-1", OrganiserOrgID: "org-1", Title: "Friday art", Visibility: pooling.Public, MinPeople: 5, MaxPeople: 8,
		Deadline: time.Date(2026, 3, 27, 23, 59, 0, 0, ukTime),
		Schedule: pooling.Schedule{FirstSession: time.Date(2026, 4, 3, 14, 30, 0, 0, ukTime), EveryDays: 7, Sessions: 8, NoticeDays: 14}}
	if d := cmp.Diff(want, in); d != "" {
		t.Errorf("input (-want +got):\n%s", d)
	}
	// Summer time: the first session is at 2:30pm in London, 13:30 UTC.
	if got := in.Schedule.FirstSession.UTC().Format("15:04"); got != "13:30" {
		t.Errorf("first session at %s UTC, want 13:30", got)
	}

	bad := proposeRaw{MinPeople: "nine", MaxPeople: "3", Deadline: DateParts{"31", "2", "2026"}, First: DateParts{"", "", ""}, FirstTime: "25:00", Sessions: "3"}
	_, errs = bad.input("offer-1")
	wantErrs := FormErrors{
		{ID: "organiser", Message: "Choose who organises the pool"},
		{ID: "title", Message: "Enter a name for the pool"},
		{ID: "visibility", Message: "Choose who can join"},
		{ID: "min-people", Message: "The smallest group must be a whole number from 1 to 200"},
		{ID: "every-days", Message: "Choose how often the sessions are"},
		{ID: "deadline-day", Message: "Deadline: enter a real date: that month has no such day"},
		{ID: "first-time", Message: "Enter the time the first session starts, like 10am or 14:30"},
		{ID: "first-day", Message: "First session: enter a date"},
	}
	if d := cmp.Diff(wantErrs, errs); d != "" {
		t.Errorf("errors (-want +got):\n%s", d)
	}
}

func TestParseClock(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in     string
		h, m   int
		wantOK bool
	}{
		{"10am", 10, 0, true}, {"10", 10, 0, true}, {"2:30pm", 14, 30, true}, {"14:30", 14, 30, true}, {"14.30", 14, 30, true},
		{"12pm", 12, 0, true}, {"12am", 0, 0, true}, {"midday", 12, 0, true}, {" 9 AM ", 9, 0, true},
		{"", 0, 0, false}, {"25:00", 0, 0, false}, {"13pm", 0, 0, false}, {"10:5", 0, 0, false}, {"ten", 0, 0, false}, {"10:60", 0, 0, false},
	} {
		h, m, ok := parseClock(tt.in)
		if ok != tt.wantOK || (ok && (h != tt.h || m != tt.m)) {
			t.Errorf("parseClock(%q) = %d:%02d %v, want %d:%02d %v", tt.in, h, m, ok, tt.h, tt.m, tt.wantOK)
		}
	}
}

func TestApprovalCountsNeverName(t *testing.T) {
	t.Parallel()
	parts := []pooling.Participant{
		{PledgeID: "a", Status: pooling.PledgeWaitingApproval, Needs: []pooling.ApprovalKind{pooling.ApprovalCommissioner}, HolderID: "secret-1"},
		{PledgeID: "b", Status: pooling.PledgeWaitingApproval, Needs: []pooling.ApprovalKind{pooling.ApprovalCommissioner, pooling.ApprovalSecondApprover}},
		{PledgeID: "c", Status: pooling.PledgeWaitingApproval, Needs: []pooling.ApprovalKind{pooling.ApprovalISFProvider}},
		{PledgeID: "d", Status: pooling.PledgePledged},
	}
	want := []string{"2 pledges are waiting for a commissioner at the council",
		"1 pledge is waiting for the provider that holds the individual service fund",
		"1 pledge is waiting for a second person, because it is a large amount"}
	if d := cmp.Diff(want, approvalCounts(parts)); d != "" {
		t.Errorf("approval counts (-want +got):\n%s", d)
	}
}
