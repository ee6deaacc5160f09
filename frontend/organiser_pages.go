package frontend

// The page structs of the organiser's, provider's, ISF provider's and commissioner's
// pages, and of the delegations page (see pages.go for the others).

// OrganiserPoolsPage is the organiser's dashboard: the pools they organise.
type OrganiserPoolsPage struct {
	Base
	ProposeURL string
	Pools      []ManagedPool
}

func (*OrganiserPoolsPage) templateName() string { return "organiser-pools" }

// ManagedPool is one pool on the organiser's dashboard, with what can be done next.
type ManagedPool struct {
	PoolSummary
	Taken, MinPeople, MaxPeople int
	Confirmable                 int // approved pledges that count
	Deadline                    string
	DaysLeft                    string
	InviteURL                   string   // the full invite link of an invite-only pool
	InviteRotateURL             string   // where "make a new invite link" posts
	Approvals                   []string // "2 pledges are waiting for a commissioner at the council"
	MessagesURL                 string
	OpenURL                     string // "" when the action is not possible now
	ConfirmURL                  string
	ConfirmNote                 string // why it cannot be confirmed yet
	CancelURL                   string
}

// PoolActionPage asks the organiser (or provider) to confirm an action on a pool.
type PoolActionPage struct {
	Base
	Pool      PoolSummary
	Lines     []string // what will happen
	Action    string
	Button    string
	Warning   bool // a red button: it cannot be undone
	Key       string
	AskReason bool
	Reason    string
	Back      string
}

func (*PoolActionPage) templateName() string { return "pool-action" }

// ProposeFindPage is the first step of proposing a pool: choose the activity.
type ProposeFindPage struct {
	Base
	Query    string
	Own      []Option // the caller's organisations' group offers; Value is the offer id
	Found    []Option // group offers matching Query
	Searched bool
}

func (*ProposeFindPage) templateName() string { return "pool-propose-find" }

// ProposePoolPage is the form to propose a pool on one offer.
type ProposePoolPage struct {
	Base
	Action     string
	Offer      ProposeOffer
	Organisers []Option
	Visibility []Option
	Repeat     []Option
	Deadline   DateInputView
	First      DateInputView
	Form       proposeRaw
}

func (*ProposePoolPage) templateName() string { return "pool-propose" }

// ProposeOffer is the offer a pool is proposed on.
type ProposeOffer struct {
	ID, Title, URL, Provider, Price string
	MinPeople, MaxPeople            int
	SharedPA                        bool // a personal assistant's time shared: the session's length is asked
}

// ProviderPoolsPage lists the pools on a provider's offers.
type ProviderPoolsPage struct {
	Base
	Provider string
	Forming  []ProviderPool // open (and the provider's own drafts)
	Going    []ProviderPool // confirmed: sessions to deliver and record
	Past     []ProviderPool // done, failed or cancelled
}

func (*ProviderPoolsPage) templateName() string { return "provider-pools" }

// ProviderPool is one pool on a provider's offers.
type ProviderPool struct {
	PoolSummary
	Taken, MinPeople, MaxPeople int
	Deadline, DaysLeft          string
	ToRecord                    []Link // sessions that have started and are not recorded
	Next                        string // the next session to come
	CancelURL                   string
}

// RecordSessionPage records that a session took place and who came.
type RecordSessionPage struct {
	Base
	Pool    PoolSummary
	Session string
	Action  string
	Key     string
	Places  []Option // Value is the pledge id; labelled by place, never by name
	Back    string
}

func (*RecordSessionPage) templateName() string { return "session-record" }

// ISFAccountsPage lists the funds an ISF provider holds, with the form to open one.
type ISFAccountsPage struct {
	Base
	Provider string
	Accounts []ISFRow
	Action   string
	CanOpen  bool // people can be found by email
	Form     ISFOpenForm
}

func (*ISFAccountsPage) templateName() string { return "isf-accounts" }

// ISFRow is one fund, in pounds.
type ISFRow struct {
	ID, Person, Period                     string
	Allocated, Available, Committed, Spent string
	StatementURL, AdjustURL                string
}

// ISFOpenForm is the form to open a fund, as typed.
type ISFOpenForm struct {
	Email, Allocation, Label, Key string
}

// ISFAdjustPage changes a fund's allocation.
type ISFAdjustPage struct {
	Base
	Provider   string
	Account    ISFRow
	Action     string
	Back       string
	Directions []Option
	Form       ISFAdjustForm
}

func (*ISFAdjustPage) templateName() string { return "isf-adjust" }

// ISFAdjustForm is the form to change an allocation, as typed.
type ISFAdjustForm struct {
	Direction, Amount, Reason, Key string
}

// ISFStatementPage is one fund's statement.
type ISFStatementPage struct {
	Base
	Provider        string
	Account         ISFRow
	Heading         string
	Summary         string
	Ledger          *LedgerView
	CSVURL, JSONURL string
	Back            string
}

func (*ISFStatementPage) templateName() string { return "isf-statement" }

// DemandPage is the commissioner's view of where people are pooling.
type DemandPage struct {
	Base
	Since   string // the start of the window for failed pools
	Totals  DemandRowView
	Tables  []DemandTable // by area, by category
	Waiting []WaitingRow
	Admin   bool
}

func (*DemandPage) templateName() string { return "demand" }

// DemandTable is the counts by area or by category.
type DemandTable struct {
	ID, Caption, First string // the heading's id and text, and the first column's name
	Rows               []DemandRowView
}

// DemandRowView is one area's or category's counts.
type DemandRowView struct {
	Label                                   string
	OpenPools, PlacesTaken, PeopleShort     int
	FailedPools, FailedJoined, FailedNeeded int
}

// WaitingRow is an open pool with pledges waiting for a commissioner.
type WaitingRow struct {
	Title, URL, Area, Deadline             string
	Waiting, Taken, Confirmable, MinPeople int
	ReachesMinimum                         bool
}

// DelegationsPage manages who acts for me, and lists whom I act for.
type DelegationsPage struct {
	Base
	Granted   []DelegationItem
	ActingFor []DelegationItem
	CanChange bool
	Email     string
	Kinds     []Option
}

func (*DelegationsPage) templateName() string { return "delegations" }

// DelegationItem is a delegation with what can be done with it.
type DelegationItem struct {
	DelegationRow
	StopURL        string // for an active delegation I gave
	CommitmentsURL string // for an active delegation to me
}

// DelegationStopPage asks to confirm stopping a delegation.
type DelegationStopPage struct {
	Base
	Person, Kind, Action string
}

func (*DelegationStopPage) templateName() string { return "delegation-stop" }
