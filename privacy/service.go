// Package privacy is "your data": a person downloads everything Carepool holds about
// them as one JSON document, and deletes their account. Deletion erases what identifies
// them (name, email, password, sessions, tokens, free text they wrote) in one store
// transaction and keeps the financial records the law requires, which name people by
// opaque ids only, so every balance still balances (DOMAIN.md, "Personal data and the
// ledger"). README.md lists every collection and what happens to it.
package privacy

import (
	"context"
	"fmt"
	"time"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/pooling"
)

// Accounts is what privacy reads of the account service (which applies its own rules:
// every method acts for the caller in the context). account.Service implements it.
type Accounts interface {
	Me(ctx context.Context) (account.User, error)
	Tokens(ctx context.Context) ([]account.APIToken, error)
	DelegationsGranted(ctx context.Context) ([]account.DelegationView, error)
	DelegationsToMe(ctx context.Context) ([]account.DelegationView, error)
}

var _ Accounts = (*account.Service)(nil)

// Pools is what privacy reads of the pooling service, as the caller.
// pooling.Service implements it.
type Pools interface {
	Budgets(ctx context.Context, holderID string) ([]pooling.BudgetSummary, error)
	MyPledges(ctx context.Context) ([]pooling.PledgeView, error)
	PersonStatement(ctx context.Context, holderID string) (pooling.Statement, error)
	ManagedPools(ctx context.Context, limit int) ([]pooling.PoolView, error)
}

var _ Pools = (*pooling.Service)(nil)

// Holder is a feature that keeps personal data in a collection of its own (the calendar
// feed; the notification inbox). The composition root passes every such feature to
// NewService: an export then includes its data under its name, and a deletion erases it
// in the same transaction as the account.
type Holder interface {
	// PersonalDataName is the feature's key in the export's "features", such as
	// "calendar_feed".
	PersonalDataName() string
	// ExportPersonalData returns what the feature holds about the person, ready to be
	// encoded as JSON; never secrets (hashes, tokens).
	ExportPersonalData(ctx context.Context, userID string) (any, error)
	// ErasePersonalData removes, or makes anonymous, what the feature holds about the
	// person. ctx carries the deletion's store transaction: make every store call with
	// it, and expect to run more than once (MongoDB retries transactions).
	ErasePersonalData(ctx context.Context, userID string) error
}

// Errors of the Store.
var (
	// ErrMoneyInFlight: the person still holds a place in a pool, or money set aside.
	ErrMoneyInFlight = apperr.Conflictf("money-in-flight",
		"You still have money set aside or a place in a pool. Withdraw from your pools, or wait until they are finished and paid for, then try again.")
	// ErrSoleOwner: the person is the only owner of an organisation.
	ErrSoleOwner = apperr.Conflictf("sole-owner",
		"You are the only owner of an organisation. Make someone else an owner first, then try again.")
)

// Store reads what only the store knows about a person and erases them.
// infra/store implements it.
type Store interface {
	// Records returns what the account store keeps about a person besides what the
	// services show: sessions, organisation claims and the emails sent to them.
	Records(ctx context.Context, userID string) (Records, error)
	// SoleOwnerships returns the organisations of which the person is the only owner.
	SoleOwnerships(ctx context.Context, userID string) ([]OrganisationRef, error)
	// Erase applies e in one transaction and runs within inside it (the Holders'
	// erasures): ErrMoneyInFlight if the person holds an active pledge or money set
	// aside, ErrSoleOwner if they are an organisation's only owner, account.ErrUserNotFound.
	// The checks are repeated inside the transaction, whatever the service saw before.
	Erase(ctx context.Context, e Erasure, within func(ctx context.Context) error) error
}

// Erasure is what deleting an account writes in place of the person.
type Erasure struct {
	UserID string
	// Email replaces the address: unique, unroutable (.invalid), so the real address is
	// free for a new account and nothing is ever sent to it.
	Email string
	// Name replaces the name wherever it is shown (ErasedName).
	Name string
	// PasswordHash replaces the hash with one of a random secret nobody knows.
	PasswordHash string
	// OldName is the name being erased, to find it in emails sent to other people
	// ("Alice can now act for you").
	OldName string
	At      time.Time
}

// ErasedName is what other people see where a deleted account's name was.
const ErasedName = "Deleted account"

// ErasedEmailDomain is the domain of every erased account's address: reserved, so no
// email can ever be delivered there (RFC 2606). Senders should skip such accounts.
const ErasedEmailDomain = "erased.invalid"

// Config tunes the service.
type Config struct {
	// Password is the cost of the unguessable hash that replaces a deleted account's
	// password (default account.DefaultPasswordParams).
	Password account.PasswordParams
	// Limiter limits wrong passwords at deletion per account (default 5 per 15 minutes).
	Limiter account.LoginLimiter
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Service exports and erases a person's data. Every method acts for the caller in the
// context (account.ActorFrom), on their own data only.
type Service struct {
	accounts Accounts
	pools    Pools
	store    Store
	holders  []Holder
	cfg      Config
}

// NewService returns the privacy service. holders are the features with personal data
// of their own (see Holder); their names must differ.
func NewService(accounts Accounts, pools Pools, store Store, cfg Config, holders ...Holder) (*Service, error) {
	names := map[string]bool{}
	for _, h := range holders {
		if names[h.PersonalDataName()] {
			return nil, fmt.Errorf("privacy: two holders named %q", h.PersonalDataName())
		}
		names[h.PersonalDataName()] = true
	}
	if cfg.Password == (account.PasswordParams{}) {
		cfg.Password = account.DefaultPasswordParams
	}
	if cfg.Limiter == nil {
		cfg.Limiter = account.NewMemoryLimiter(account.DefaultLoginAttempts, account.DefaultLoginWindow)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Service{accounts: accounts, pools: pools, store: store, holders: holders, cfg: cfg}, nil
}

func (s *Service) now() time.Time { return s.cfg.Now().UTC().Truncate(time.Millisecond) }
