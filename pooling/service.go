package pooling

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
)

// Config tunes the service. The zero value of every field means the safe default.
type Config struct {
	// SecondApprovalOverPence is the two-person rule: a pledge made by a representative
	// that could cost more than this in all (limit × sessions) needs the budget holder or
	// another representative to agree (default DefaultSecondApprovalOver, £200).
	SecondApprovalOverPence int64
	// Routes says how each budget form pays (default InvoiceRoutes()).
	Routes map[marketplace.BudgetForm]FundingRoute
	// Instance names this server copy in deadline leases (default a random id).
	Instance string
	// LeaseFor is how long a deadline lease lasts if its holder dies (default 2 minutes).
	LeaseFor time.Duration
	// InvoiceTermsDays is how many days a payer has to pay an invoice (default
	// DefaultInvoiceTermsDays).
	InvoiceTermsDays int
	// SecondPaymentApprovalOverPence is the two-person rule for paying invoices: a
	// payment above it recorded by a member of the paying organisation waits for a
	// second member's approval (default DefaultSecondPaymentApprovalOver, £1,000).
	SecondPaymentApprovalOverPence int64
	// Cards tells whether a provider can take card payments; nil when card payments are
	// not set up, and card pledges are refused.
	Cards Cards
	// Now is the clock (default time.Now); tests set it.
	Now func() time.Time
	// NewID makes ids (default random UUIDs).
	NewID func() string
}

// DefaultSecondApprovalOver is the default two-person-rule threshold, in pence.
const DefaultSecondApprovalOver = 20_000

// DefaultSecondPaymentApprovalOver is the default threshold above which an invoice
// payment needs a second approver, in pence.
const DefaultSecondPaymentApprovalOver = 100_000

// Service applies the pooling rules. Every method that acts for someone reads the caller
// from the context (account.ActorFrom) and checks, per object, that they may; the
// methods that act for the platform (ProcessDeadlines, Verify) say so.
//
// Methods that move money take an idempotency key (the Idempotency-Key header): the same
// key with the same request returns the first result without acting again; with a
// different request it is refused (ErrIdempotencyReused, 409). An empty key skips the
// check; the ledger's own keys still stop any change from posting twice.
type Service struct {
	store       Store
	offers      Offers
	dir         Directory
	delegations account.Delegations
	cfg         Config
}

// NewService returns a pooling service.
func NewService(store Store, offers Offers, dir Directory, delegations account.Delegations, cfg Config) *Service {
	if cfg.SecondApprovalOverPence <= 0 {
		cfg.SecondApprovalOverPence = DefaultSecondApprovalOver
	}
	if cfg.InvoiceTermsDays <= 0 {
		cfg.InvoiceTermsDays = DefaultInvoiceTermsDays
	}
	if cfg.SecondPaymentApprovalOverPence <= 0 {
		cfg.SecondPaymentApprovalOverPence = DefaultSecondPaymentApprovalOver
	}
	if cfg.Routes == nil {
		cfg.Routes = InvoiceRoutes()
	}
	if cfg.Instance == "" {
		cfg.Instance = uuid.NewString()
	}
	if cfg.LeaseFor <= 0 {
		cfg.LeaseFor = 2 * time.Minute
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.NewID == nil {
		cfg.NewID = uuid.NewString
	}
	return &Service{store: store, offers: offers, dir: dir, delegations: delegations, cfg: cfg}
}

// now is the current time as the store keeps it: UTC, to the millisecond.
func (s *Service) now() time.Time { return s.cfg.Now().UTC().Truncate(time.Millisecond) }

// route returns the funding route of a form.
func (s *Service) route(f marketplace.BudgetForm) (FundingRoute, error) {
	r, ok := s.cfg.Routes[f]
	if !ok {
		return nil, apperr.New(apperr.Unavailable, "funding-route-unavailable",
			"Pledges from this kind of budget cannot be taken at the moment.")
	}
	return r, nil
}

// rolesIn returns the roles the caller holds in a pool.
func rolesIn(a *account.Actor, p *Pool) []Role {
	var roles []Role
	if isOrganiser(a, p) {
		roles = append(roles, RoleOrganiser)
	}
	if a.CanActFor(p.ProviderID, account.RoleOwner, account.RoleMember) {
		roles = append(roles, RoleProvider)
	}
	if a.IsAdmin() {
		roles = append(roles, RoleAdmin)
	}
	return roles
}

// isOrganiser reports whether the caller organises the pool: its proposer, or a member
// of the organisation that proposed it.
func isOrganiser(a *account.Actor, p *Pool) bool {
	if a.Anonymous() {
		return false
	}
	if p.Organiser.OrgID != "" {
		return a.CanActFor(p.Organiser.OrgID, account.RoleOwner, account.RoleMember)
	}
	return p.Organiser.UserID == a.UserID
}

// canManage reports whether the caller sees all of a pool: organiser, provider, admin.
func canManage(a *account.Actor, p *Pool) bool { return len(rolesIn(a, p)) > 0 }

// actsFor reports whether the caller may act for a budget holder with a budget of the
// given form: the holder, or a representative whose active delegation fits the form.
func (s *Service) actsFor(ctx context.Context, a *account.Actor, b Budget) (bool, error) {
	if a.Anonymous() {
		return false, nil
	}
	if a.UserID == b.HolderID {
		return true, nil
	}
	d, err := s.delegations.ActiveDelegation(ctx, b.HolderID, a.UserID)
	if apperr.Is(err, apperr.NotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("check delegation: %w", err)
	}
	switch b.Form {
	case marketplace.TrustFund:
		return d.Kind == account.DelegationTrustee, nil
	case marketplace.BrokeredFund:
		// A broker acts through the brokerage that holds the fund.
		return d.Kind == account.DelegationBroker && (b.HolderOrgID == "" || a.CanActFor(b.HolderOrgID, account.RoleOwner, account.RoleMember)), nil
	default:
		return d.Kind == account.DelegationTrustedOther, nil
	}
}

// representsHolder reports whether the caller holds any active delegation from holderID.
func (s *Service) representsHolder(ctx context.Context, a *account.Actor, holderID string) (bool, error) {
	if a.Anonymous() {
		return false, nil
	}
	_, err := s.delegations.ActiveDelegation(ctx, holderID, a.UserID)
	if apperr.Is(err, apperr.NotFound) {
		return false, nil
	}
	return err == nil, err
}

// newInviteCode returns a fresh, unguessable invite code (128 bits, base32).
func newInviteCode() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)
}

// wrap adds context to an error on its way out, leaving apperr kinds intact.
func wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}

var errReplayed = errors.New("idempotent replay")
