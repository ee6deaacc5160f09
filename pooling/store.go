package pooling

import (
	"context"
	"time"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
)

// Errors the Store returns (possibly wrapped), so the service can tell them apart.
var (
	ErrPoolNotFound       = apperr.NotFoundf("pool")
	ErrPledgeNotFound     = apperr.NotFoundf("pledge")
	ErrBudgetNotFound     = apperr.NotFoundf("budget")
	ErrISFAccountNotFound = apperr.NotFoundf("ISF account")
	ErrIdempotencyUnknown = apperr.NotFoundf("idempotency key")
	ErrInvoiceNotFound    = apperr.NotFoundf("invoice")

	ErrPoolFull = apperr.Conflictf("pool-full",
		"This pool is full: every place is taken. You can pledge if someone withdraws.")
	ErrPoolNotTaking = apperr.Conflictf("pool-not-taking-pledges",
		"This pool is not taking pledges now.")
	ErrAlreadyPledged = apperr.Conflictf("already-pledged",
		"This person already has a pledge in this pool. Withdraw it first to pledge again.")
	ErrISFInsufficient = apperr.Conflictf("isf-insufficient",
		"There is not enough left in this individual service fund to cover this pledge.")
	ErrChanged = apperr.Conflictf("changed-concurrently",
		"Someone else changed this at the same moment. Please try again.")
	ErrDuplicateEntry = apperr.Conflictf("ledger-duplicate",
		"This money movement has already been recorded.")
	ErrIdempotencyRace = apperr.Conflictf("idempotency-in-progress",
		"A request with this Idempotency-Key is being processed. Try again in a moment.")
	ErrIdempotencyReused = apperr.Conflictf("idempotency-key-reused",
		"This Idempotency-Key was already used for a different request. Use a new key for a new request.")
)

// Store keeps pools, pledges, budgets, ISF accounts, the ledger, idempotency records and
// leases. infra/store implements it on the MongoDB API.
//
// Tx runs fn in one multi-document transaction; every method called with the context fn
// receives takes part in it. fn must be safe to run more than once (MongoDB retries it on
// a write conflict), so it reads everything it needs through that context and has no
// effects outside the store. Methods called with any other context run on their own.
type Store interface {
	Tx(ctx context.Context, fn func(ctx context.Context) error) error
	// Enqueue records an outbox task (topic "search", "notify", FundingTopic) in the
	// transaction, so it commits or aborts with the change it follows.
	Enqueue(ctx context.Context, topic, ref string) error
	PoolStore
	PledgeStore
	BudgetStore
	LedgerStore
	IdempotencyStore
	LeaseStore
	InvoiceStore
}

// InvoiceStore keeps invoices and the per-provider sequences that number them.
type InvoiceStore interface {
	// NextNumber increments and returns the provider's counter for a kind of document
	// (1 the first time). Called in a transaction, an aborted change takes no number.
	NextNumber(ctx context.Context, providerID, sequence string) (int64, error)
	// CreateInvoice stores a new invoice.
	CreateInvoice(ctx context.Context, inv Invoice) error
	// Invoice returns an invoice: ErrInvoiceNotFound.
	Invoice(ctx context.Context, id string) (Invoice, error)
	// SaveInvoice replaces the invoice if its stored version is still expectVersion:
	// ErrInvoiceNotFound, ErrChanged.
	SaveInvoice(ctx context.Context, inv Invoice, expectVersion int64) error
	// Invoices returns invoices matching q, newest first.
	Invoices(ctx context.Context, q InvoiceQuery) ([]Invoice, error)
	// EachInvoice calls fn for every invoice, for Verify.
	EachInvoice(ctx context.Context, fn func(Invoice) error) error
}

// InvoiceQuery selects invoices. Empty fields do not filter; at least one is set.
type InvoiceQuery struct {
	ProviderID  string
	PoolID      string
	Payer       *Payer
	Unpaid      bool       // only invoices still owed something
	NotToldLate bool       // only invoices whose payer was not yet told they are overdue
	DueBefore   *time.Time // only invoices due before this time
	IssuedFrom  *time.Time // issued at or after
	IssuedUntil *time.Time // issued before
	Limit       int
}

// PoolStore keeps pools.
type PoolStore interface {
	// CreatePool stores a new pool.
	CreatePool(ctx context.Context, p Pool) error
	// Pool returns a pool: ErrPoolNotFound.
	Pool(ctx context.Context, id string) (Pool, error)
	// PoolByInvite returns the invite-only pool with this invite code: ErrPoolNotFound.
	PoolByInvite(ctx context.Context, code string) (Pool, error)
	// SavePool replaces the pool if its stored version is still expectVersion, storing it
	// with p.Version (which the caller sets higher): ErrPoolNotFound, ErrChanged.
	SavePool(ctx context.Context, p Pool, expectVersion int64) error
	// TakeSeat takes one place in an open or confirmed pool with a conditional update
	// (taken < maxPeople), hands out the next arrival number, bumps the version, and
	// returns the pool as updated: ErrPoolFull, ErrPoolNotTaking, ErrPoolNotFound.
	TakeSeat(ctx context.Context, id string, maxPeople int) (Pool, error)
	// Pools returns pools matching q, newest first.
	Pools(ctx context.Context, q PoolQuery) ([]Pool, error)
	// EachPool calls fn for every pool, for Verify.
	EachPool(ctx context.Context, fn func(Pool) error) error
}

// PoolQuery selects pools. Empty fields do not filter.
type PoolQuery struct {
	Statuses   []Status
	Visibility Visibility
	OfferID    string
	ProviderID string
	// ManagedBy selects the pools a person organises or provides: organised by them, or
	// by or provided by one of OrgIDs.
	ManagedBy *Managers
	DueBy     *time.Time // open pools whose DueAt is at or before this time
	Limit     int
}

// Managers names a person and the organisations they act for.
type Managers struct {
	UserID string
	OrgIDs []string
}

// PledgeStore keeps pledges.
type PledgeStore interface {
	// CreatePledge stores a new pledge: ErrAlreadyPledged if the holder already has an
	// active pledge in the pool (a unique index).
	CreatePledge(ctx context.Context, p Pledge) error
	// Pledge returns a pledge: ErrPledgeNotFound.
	Pledge(ctx context.Context, id string) (Pledge, error)
	// SavePledge replaces the pledge if its stored version is still expectVersion:
	// ErrPledgeNotFound, ErrChanged.
	SavePledge(ctx context.Context, p Pledge, expectVersion int64) error
	// PoolPledges returns every pledge of a pool, in arrival order.
	PoolPledges(ctx context.Context, poolID string) ([]Pledge, error)
	// Pledges returns pledges matching q, newest first.
	Pledges(ctx context.Context, q PledgeQuery) ([]Pledge, error)
	// EachPledge calls fn for every pledge, for Verify.
	EachPledge(ctx context.Context, fn func(Pledge) error) error
}

// PledgeQuery selects pledges; at least one field is set.
type PledgeQuery struct {
	Person      string   // pledges held or made by this person
	BudgetIDs   []string // pledges from these budgets
	PendingWith []string // waiting pledges whose missing approvals these parties can give
}

// BudgetStore keeps budget records and ISF accounts.
type BudgetStore interface {
	// CreateBudget stores a budget record.
	CreateBudget(ctx context.Context, b Budget) error
	// Budget returns a budget record: ErrBudgetNotFound.
	Budget(ctx context.Context, id string) (Budget, error)
	// BudgetsOf returns a holder's budget records, oldest first.
	BudgetsOf(ctx context.Context, holderID string) ([]Budget, error)
	// EachBudget calls fn for every budget record, for Verify.
	EachBudget(ctx context.Context, fn func(Budget) error) error
	// CreateISFAccount stores an ISF account.
	CreateISFAccount(ctx context.Context, a ISFAccount) error
	// ISFAccount returns an ISF account: ErrISFAccountNotFound.
	ISFAccount(ctx context.Context, id string) (ISFAccount, error)
	// ISFAccountsOf returns the ISF accounts a provider holds, oldest first.
	ISFAccountsOf(ctx context.Context, providerID string) ([]ISFAccount, error)
	// MoveISF applies d to an ISF account in one conditional update that never takes
	// its available balance below zero, bumps its version and returns it:
	// ErrISFInsufficient, ErrISFAccountNotFound.
	MoveISF(ctx context.Context, id string, d ISFDelta, at time.Time) (ISFAccount, error)
	// EachISFAccount calls fn for every ISF account, for Verify.
	EachISFAccount(ctx context.Context, fn func(ISFAccount) error) error
}

// LedgerStore keeps journal entries. Entries are only ever inserted.
type LedgerStore interface {
	// Post inserts an entry: ErrDuplicateEntry if its key was used (a unique index).
	Post(ctx context.Context, e Entry) error
	// Entries returns the entries matching q, oldest first (by At, then ID).
	Entries(ctx context.Context, q EntryQuery) ([]Entry, error)
	// EachEntry calls fn for every entry, oldest first, for Verify.
	EachEntry(ctx context.Context, fn func(Entry) error) error
}

// EntryQuery selects entries that touch any of the accounts or sources, or the pool.
type EntryQuery struct {
	Accounts []string
	Sources  []string
	PoolID   string
}

// IdempotencyRecord remembers the result of a money-moving request made with an
// Idempotency-Key, so a retry returns the first result instead of acting again.
type IdempotencyRecord struct {
	CallerID    string    `bson:"caller_id"`
	Key         string    `bson:"key"`
	RequestHash string    `bson:"request_hash"` // of the operation, its target and its input
	ResultRef   string    `bson:"result_ref"`   // what the first request produced, e.g. a pledge id
	CreatedAt   time.Time `bson:"created_at"`
}

// IdempotencyStore keeps idempotency records, unique per caller and key.
type IdempotencyStore interface {
	// IdempotencyRecord returns the caller's record for key: ErrIdempotencyUnknown.
	IdempotencyRecord(ctx context.Context, callerID, key string) (IdempotencyRecord, error)
	// SaveIdempotency stores a record: ErrIdempotencyRace if the caller's key is taken.
	SaveIdempotency(ctx context.Context, r IdempotencyRecord) error
}

// LeaseStore keeps leases: a named piece of work held by one owner until a time, so that
// two server copies never do it at once.
type LeaseStore interface {
	// TakeLease gives the lease to owner until the given time if it is free, expired at
	// now, or already owner's, and reports whether owner has it.
	TakeLease(ctx context.Context, name, owner string, now, until time.Time) (bool, error)
	// ReleaseLease gives up owner's lease; releasing a lease one does not hold does nothing.
	ReleaseLease(ctx context.Context, name, owner string) error
}

// Offers is how pooling reads offers: marketplace.Service, which applies who may see
// which offer, implements it.
type Offers interface {
	// Offer returns an offer the caller may see, or a NotFound error.
	Offer(ctx context.Context, id string) (marketplace.Offer, error)
	// Provider returns a provider's profile (for its VAT status), or a NotFound error.
	Provider(ctx context.Context, id string) (marketplace.Provider, error)
}

// Directory is what pooling needs to know of organisations.
type Directory interface {
	// Organisation returns an organisation, or a NotFound error.
	Organisation(ctx context.Context, id string) (account.Organisation, error)
}
