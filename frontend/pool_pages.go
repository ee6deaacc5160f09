package frontend

// The page structs of the pool pages (see pages.go for the others).

// PoolPage shows one pool: who it is for, the provider, the schedule, how full it is,
// what each person pays at each size, days left, joining or leaving, and its ledger.
type PoolPage struct {
	Base
	Pool       PoolSummary
	Provider   Link
	Offer      Link
	Schedule   []string // lines: "8 sessions, every week", "First session: Friday 18 December 2026 at 10am"
	Shares     []ShareRow
	MinPeople  int
	MaxPeople  int
	Taken      int
	Counted    int
	Waiting    int
	Deadline   string
	DaysLeft   string // "21 days left", "Last day today", "" once the deadline passed
	Forms      []Option
	Taking     bool   // open for pledges and not full
	JoinURL    string // where the join button leads ("" when one cannot join)
	Mine       *PledgeRow
	InviteCode string // shown to organisers, and carried to the join form from an invite link
	Ledger     *LedgerView
	LedgerNote string // why there is no ledger
}

func (*PoolPage) templateName() string { return "pool" }

// PoolSummary is a pool in a list, or at the top of its page.
type PoolSummary struct {
	ID          string
	URL         string
	Title       string
	Description string
	Summary     string
	Status      string
	StatusClass string
	Places      string // "2 of 8 places taken"
	Share       string // "£80 each a session now"
}

// ShareRow is what each person pays at one group size.
type ShareRow struct {
	People  int
	Each    string
	Current bool // the size the pool counts now
}

// LedgerView is a pool's statement: amounts, never names.
type LedgerView struct {
	Columns []string
	Rows    []LedgerRow
	Closing []string
}

// LedgerRow is one entry of a pool's ledger.
type LedgerRow struct {
	Date     string
	Memo     string
	Amounts  []string
	Balances []string
}

// PoolListPage lists the open pools of one offer.
type PoolListPage struct {
	Base
	Offer Link
	Pools []PoolSummary
}

func (*PoolListPage) templateName() string { return "pool-list" }

// PoolJoinPage is the form to join a pool: which budget pays, and the most per session.
type PoolJoinPage struct {
	Base
	Pool        PoolSummary
	Action      string
	Key         string // the idempotency key made for this form
	InviteCode  string
	Budgets     []Option // Value is the budget id; Label says whose and which form
	PayBy       []Option // by card or by invoice; nil when paying by card is not possible
	NoBudgets   bool
	Refused     []string // budgets this pool does not accept, and why
	Limit       string   // as typed, in pounds
	LowestShare string   // the least anyone pays when the pool is full
	MostShare   string   // what each pays at the minimum size
}

func (*PoolJoinPage) templateName() string { return "pool-join" }

// PledgePage confirms a pledge in plain English.
type PledgePage struct {
	Base
	Pledge PledgeRow
	Pool   Link
	Lines  []string     // what was committed and what happens next
	Card   *CardSummary // a card pledge's card, and what to do about it
}

func (*PledgePage) templateName() string { return "pool-pledge" }

// PledgeRow is one pledge, as its holder or representative sees it.
type PledgeRow struct {
	ID          string
	URL         string
	Pool        Link
	Whose       string // "Yours", or the name of the person it is for
	Form        string
	Limit       string
	Status      string // plain English
	StatusClass string
	SetAside    string
	Spent       string
	WithdrawURL string // "" when it cannot be withdrawn
	Key         string
}

// CommitmentsPage lists my pledges and my budgets (and those of people I act for).
type CommitmentsPage struct {
	Base
	Pledges []PledgeRow
	Budgets []BudgetRow
}

func (*CommitmentsPage) templateName() string { return "pool-commitments" }

// BudgetRow is one budget with what it has committed, spent and left.
type BudgetRow struct {
	Whose     string
	Label     string
	Form      string
	Committed string
	Spent     string
	Left      string
}

// ApprovalsPage is the queue of pledges waiting for the caller's approval.
type ApprovalsPage struct {
	Base
	Items []ApprovalRow
}

func (*ApprovalsPage) templateName() string { return "pool-approvals" }

// ApprovalRow is one pledge waiting for approval, with its approve and decline forms.
type ApprovalRow struct {
	ID       string
	Pool     Link
	Form     string
	Limit    string
	Sessions string // "up to 8 sessions"
	Total    string // the most it could cost
	Needs    string
	Action   string
	Key      string
	Reason   string // as typed, after an error
	Error    string
}
