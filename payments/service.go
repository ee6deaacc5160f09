package payments

import (
	"sync"
	"time"
)

// Config tunes the service. The zero value of every field means the safe default.
type Config struct {
	// AccountType is the kind of connected account providers get (default Express).
	AccountType AccountType
	// PlatformFeeBasisPoints is the platform's fee on card money, in hundredths of a
	// percent (PLATFORM_FEE_BASIS_POINTS, default 0: no fee).
	PlatformFeeBasisPoints int64
	// Now is the clock (default time.Now); tests set it.
	Now func() time.Time
}

// Service onboards providers as Stripe Connect accounts and applies Stripe's webhook
// events exactly once. Methods that act for someone read the caller from the context
// (account.ActorFrom) and check, per object, that they may.
//
// Without a Gateway (no STRIPE_SECRET_KEY) every card method answers ErrNotConfigured
// after its authorization check, and CanTakeCards is false.
type Service struct {
	store    Store
	dir      Directory
	gateway  Gateway  // nil: card payments are not set up
	verifier Verifier // nil: webhooks cannot be verified
	cfg      Config

	mu       sync.RWMutex
	handlers map[string]EventHandler
}

// NewService returns the payments service. gateway and verifier are nil when the site
// has no Stripe keys.
func NewService(store Store, dir Directory, gateway Gateway, verifier Verifier, cfg Config) *Service {
	if cfg.AccountType == "" {
		cfg.AccountType = Express
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Service{store: store, dir: dir, gateway: gateway, verifier: verifier, cfg: cfg, handlers: map[string]EventHandler{}}
	s.Handle("account.updated", s.applyAccountUpdated)
	return s
}

// Configured reports whether card payments are set up on this site.
func (s *Service) Configured() bool { return s.gateway != nil }

// Gateway returns the card payment gateway, or ErrNotConfigured: for the features that
// charge, refund and transfer (pledges, pools).
func (s *Service) Gateway() (Gateway, error) {
	if s.gateway == nil {
		return nil, ErrNotConfigured
	}
	return s.gateway, nil
}

// PlatformFee is the configured platform fee on an amount, rounded down to the penny.
func (s *Service) PlatformFee(pence int64) int64 {
	return PlatformFee(pence, s.cfg.PlatformFeeBasisPoints)
}

// Handle registers the handler of one event type, replacing any before it. Register
// handlers while wiring the application, before webhooks arrive.
func (s *Service) Handle(eventType string, h EventHandler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.handlers[eventType] = h
}

func (s *Service) handler(eventType string) (EventHandler, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	h, ok := s.handlers[eventType]
	return h, ok
}

// now is the current time as the store keeps it: UTC, to the millisecond.
func (s *Service) now() time.Time { return s.cfg.Now().UTC().Truncate(time.Millisecond) }
