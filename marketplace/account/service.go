package account

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/carepool/carepool/infra/apperr"
)

// Config tunes the service. The zero value of every field means the safe default.
type Config struct {
	// Password sets the argon2id cost of new hashes (default DefaultPasswordParams).
	Password PasswordParams
	// SessionIdle is how long a session survives without use (default 14 days).
	SessionIdle time.Duration
	// SessionLifetime is how long a session survives at most, however busy (default 30 days).
	SessionLifetime time.Duration
	// Limiter limits failed logins per email and IP address (default 5 per 15 minutes, in memory).
	Limiter LoginLimiter
	// EmailLimiter limits the emails one address or account can be sent on request
	// (default 3 per 15 minutes); IPLimiter limits reset requests and wrong reset tokens
	// per client address (default 20 per 15 minutes). See email.go and reset.go.
	EmailLimiter, IPLimiter LoginLimiter
	// Now is the clock (default time.Now); tests set it.
	Now func() time.Time
}

// Default values for Config.
const (
	DefaultSessionIdle     = 14 * 24 * time.Hour
	DefaultSessionLifetime = 30 * 24 * time.Hour
	DefaultLoginAttempts   = 5
	DefaultLoginWindow     = 15 * time.Minute
)

// How often use of a session or token is written back. Writing on every request would
// turn every read into a write, which the embedded store pays for with a commit; an
// expiry that is a few minutes stale is harmless.
const (
	sessionTouchInterval = 10 * time.Minute
	tokenTouchInterval   = time.Minute
)

// MaxOwnedOrganisations bounds how many organisations one person may own, so that one
// account cannot flood the directory; administrators are exempt.
const MaxOwnedOrganisations = 20

// Service applies the account rules. Every method that acts for someone reads the caller
// from the context (see ActorFrom); the few that do not say so.
type Service struct {
	store     Store
	cfg       Config
	dummyHash string // verified against for unknown emails, so timing does not reveal accounts
}

// Delegations answers who may act for whom. Pooling depends on this interface, which
// *Service implements, rather than on the whole service.
type Delegations interface {
	// ActiveDelegation returns the active delegation from holder to representative:
	// ErrDelegationNotFound when there is none.
	ActiveDelegation(ctx context.Context, holderID, representativeID string) (Delegation, error)
}

var _ Delegations = (*Service)(nil)

// NewService returns a service over store.
func NewService(store Store, cfg Config) (*Service, error) {
	if cfg.Password == (PasswordParams{}) {
		cfg.Password = DefaultPasswordParams
	}
	if cfg.SessionIdle <= 0 {
		cfg.SessionIdle = DefaultSessionIdle
	}
	if cfg.SessionLifetime <= 0 {
		cfg.SessionLifetime = DefaultSessionLifetime
	}
	if cfg.Limiter == nil {
		cfg.Limiter = NewMemoryLimiter(DefaultLoginAttempts, DefaultLoginWindow)
	}
	if cfg.EmailLimiter == nil {
		cfg.EmailLimiter = NewMemoryLimiter(DefaultEmailsPerWindow, DefaultLoginWindow)
	}
	if cfg.IPLimiter == nil {
		cfg.IPLimiter = NewMemoryLimiter(DefaultRequestsPerIP, DefaultLoginWindow)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	dummy, err := HashPassword(cfg.Password, newSecret())
	if err != nil {
		return nil, fmt.Errorf("account service: %w", err)
	}
	return &Service{store: store, cfg: cfg, dummyHash: dummy}, nil
}

// now is the current time as the store keeps it: UTC, to the millisecond, so that what a
// method returns equals what a later read returns.
func (s *Service) now() time.Time { return s.cfg.Now().UTC().Truncate(time.Millisecond) }

// PurgeCount says how many expired credentials PurgeExpired removed.
type PurgeCount struct {
	Sessions int64
	Tokens   int64
}

// PurgeExpired removes sessions and API tokens that expired at or before now. Expired
// ones are already refused, so this only keeps the store small; run it periodically.
// It acts for the platform, not for a caller.
func (s *Service) PurgeExpired(ctx context.Context, now time.Time) (PurgeCount, error) {
	var n PurgeCount
	var err error
	if n.Sessions, err = s.store.DeleteExpiredSessions(ctx, now.UTC()); err != nil {
		return n, fmt.Errorf("purge sessions: %w", err)
	}
	if n.Tokens, err = s.store.DeleteExpiredTokens(ctx, now.UTC()); err != nil {
		return n, fmt.Errorf("purge tokens: %w", err)
	}
	return n, nil
}

// SetAdmin grants or withdraws platform administration for the account with email. It is
// for the seed and CLI commands only and checks no caller: never expose it over HTTP.
func (s *Service) SetAdmin(ctx context.Context, email string, admin bool) error {
	u, err := s.store.UserByEmail(ctx, NormaliseEmail(email))
	if err != nil {
		return fmt.Errorf("set admin: %w", err)
	}
	if err := s.store.SetAdmin(ctx, u.ID, admin, s.now()); err != nil {
		return fmt.Errorf("set admin: %w", err)
	}
	return nil
}

// Me returns the caller's own account.
func (s *Service) Me(ctx context.Context) (User, error) {
	a := ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return User{}, err
	}
	u, err := s.store.UserByID(ctx, a.UserID)
	if err != nil {
		return User{}, fmt.Errorf("me: %w", err)
	}
	return u, nil
}

// UpdateMe changes the caller's own account.
func (s *Service) UpdateMe(ctx context.Context, upd ProfileUpdate) (User, error) {
	a := ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return User{}, err
	}
	if err := upd.Validate(); err != nil {
		return User{}, err
	}
	u, err := s.store.RenameUser(ctx, a.UserID, strings.TrimSpace(*upd.Name), s.now())
	if err != nil {
		return User{}, fmt.Errorf("update me: %w", err)
	}
	return u, nil
}

// requireAdmin returns ErrUnauthenticated for anonymous callers and Forbidden for
// everyone but administrators.
func requireAdmin(a *Actor) error {
	if err := a.RequireUser(); err != nil {
		return err
	}
	if !a.IsAdmin() {
		return apperr.Forbiddenf("Only platform administrators can do this.")
	}
	return nil
}
