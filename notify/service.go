package notify

import (
	"errors"
	"log/slog"
	"time"
)

// Config tunes the service. The zero value of every field means the safe default.
type Config struct {
	// InvitationsPerDay bounds the addresses one person may invite in 24 hours
	// (default DefaultInvitationsPerDay).
	InvitationsPerDay int
	// KeepFor is how long notifications stay in the inbox (default a year).
	KeepFor time.Duration
	// Logger logs the worker's retries (default: discard).
	Logger *slog.Logger
	// Now is the clock (default time.Now); tests set it.
	Now func() time.Time
}

// DefaultInvitationsPerDay is the default daily limit of invitations per person.
const DefaultInvitationsPerDay = 200

// Service is the notifications feature: the inbox, preferences, invitations and pool
// messages for callers (each method checks who is calling), and, for the platform, the
// worker that turns "notify" outbox tasks into notifications and the reminder job.
type Service struct {
	store    Store
	pools    Pools
	access   PoolAccess
	people   People
	invoices Invoices
	cfg      Config
	tokens   *signer
}

// Deps are what the service reads and writes through. Invoices may be nil until the
// invoicing code provides it.
type Deps struct {
	Store    Store
	Pools    Pools
	Access   PoolAccess
	People   People
	Invoices Invoices
}

// NewService returns the notifications service.
func NewService(d Deps, cfg Config) (*Service, error) {
	if d.Store == nil || d.Pools == nil || d.Access == nil || d.People == nil {
		return nil, errors.New("notify: Store, Pools, Access and People are required")
	}
	if cfg.InvitationsPerDay <= 0 {
		cfg.InvitationsPerDay = DefaultInvitationsPerDay
	}
	if cfg.KeepFor <= 0 {
		cfg.KeepFor = 365 * 24 * time.Hour
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Service{store: d.Store, pools: d.Pools, access: d.Access, people: d.People, invoices: d.Invoices,
		cfg: cfg, tokens: &signer{store: d.Store}}, nil
}

// SetInvoices replaces the invoice reader (Deps.Invoices). Call it before the worker
// runs: it is not safe to call while Drain or Step run.
func (s *Service) SetInvoices(inv Invoices) { s.invoices = inv }

// now is the current time as the store keeps it: UTC, to the millisecond.
func (s *Service) now() time.Time { return s.cfg.Now().UTC().Truncate(time.Millisecond) }
