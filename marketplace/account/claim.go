package account

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/carepool/carepool/infra/apperr"
)

// An import (carepool import-oruk) creates provider organisations that nobody owns yet:
// their listings wait as drafts, visible to administrators only. A person from the
// provider asks to claim the organisation; an administrator who has checked the request
// approves it, and the person becomes the organisation's owner.

// ClaimStatus is where a claim is in its life.
type ClaimStatus string

// The statuses of a claim. Only pending claims can be decided.
const (
	ClaimPending  ClaimStatus = "pending"
	ClaimApproved ClaimStatus = "approved"
	ClaimRejected ClaimStatus = "rejected"
)

// Limits on claims.
const (
	MaxClaimMessage  = 1000 // characters
	MaxPendingClaims = 10   // pending claims one person may have at once
)

// Claim is one person's request to own an unclaimed organisation.
type Claim struct {
	ID        string
	OrgID     string
	UserID    string
	Message   string // who they are and how they are connected to the organisation
	Status    ClaimStatus
	CreatedAt time.Time
	DecidedBy string // the administrator's user id
	DecidedAt *time.Time
	Reason    string // why it was rejected (or approved), for the requester
}

// ClaimView is a claim with the names people need to read it.
type ClaimView struct {
	Claim
	OrgName       string
	RequesterName string
}

// Errors of claims (the store returns them too, wrapped with %w).
var (
	ErrClaimNotFound = apperr.NotFoundf("claim")
	ErrNotClaimable  = apperr.Conflictf("not-claimable", "This organisation cannot be claimed: it already has an owner. Ask its owners to add you.")
	ErrClaimPending  = apperr.Conflictf("claim-pending", "You have already asked to claim this organisation. An administrator will look at your request.")
	ErrClaimDecided  = apperr.Conflictf("claim-decided", "This claim has already been decided.")
)

// ClaimStore keeps claims. ApproveClaim is the one change that makes a person an owner of
// an unclaimed organisation, so it is atomic and conditional.
type ClaimStore interface {
	// CreateClaim stores a new pending claim if the organisation is unclaimed:
	// ErrNotClaimable, ErrClaimPending (the same person already has one pending).
	CreateClaim(ctx context.Context, c Claim) error
	// ClaimByID returns a claim: ErrClaimNotFound.
	ClaimByID(ctx context.Context, id string) (Claim, error)
	// ClaimsByStatus returns the claims in a status, oldest first.
	ClaimsByStatus(ctx context.Context, status ClaimStatus) ([]Claim, error)
	// ClaimsByUser returns a person's claims, newest first.
	ClaimsByUser(ctx context.Context, userID string) ([]Claim, error)
	// ApproveClaim, in one transaction: marks the pending claim approved, makes its
	// requester the organisation's owner (the organisation must still have none), makes
	// live what the import staged for the organisation (its provider profile), and rejects
	// the organisation's other pending claims. ErrClaimNotFound, ErrClaimDecided,
	// ErrNotClaimable.
	ApproveClaim(ctx context.Context, id, by string, at time.Time) (Claim, error)
	// RejectClaim marks a pending claim rejected: ErrClaimNotFound, ErrClaimDecided.
	RejectClaim(ctx context.Context, id, by, reason string, at time.Time) (Claim, error)

	// OrganisationByID returns an organisation: ErrOrganisationNotFound.
	OrganisationByID(ctx context.Context, id string) (Organisation, error)
	// UsersByID returns the users that exist among ids, keyed by id.
	UsersByID(ctx context.Context, ids []string) (map[string]User, error)
}

// Claims applies the rules of claiming organisations.
type Claims struct {
	store ClaimStore
	now   func() time.Time
}

// NewClaims returns the claims service; now may be nil for the real clock.
func NewClaims(store ClaimStore, now func() time.Time) *Claims {
	if now == nil {
		now = time.Now
	}
	return &Claims{store: store, now: func() time.Time { return now().UTC().Truncate(time.Millisecond) }}
}

// NewClaim is what a person sends to claim an organisation.
type NewClaim struct {
	Message string
}

// Validate reports every field at fault.
func (n NewClaim) Validate() error {
	var f apperr.Fields
	msg := strings.TrimSpace(n.Message)
	switch n := utf8.RuneCountInString(msg); {
	case !utf8.ValidString(msg):
		f.Add("message", "contains characters we cannot read")
	case n < 10:
		f.Add("message", "tell us who you are and how you are connected to the organisation (at least 10 characters)")
	case n > MaxClaimMessage:
		f.Add("message", "must be at most %d characters", MaxClaimMessage)
	}
	return f.Err()
}

// Request asks, for the caller, to become the owner of an unclaimed organisation.
func (s *Claims) Request(ctx context.Context, orgID string, in NewClaim) (ClaimView, error) {
	a := ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return ClaimView{}, err
	}
	if err := in.Validate(); err != nil {
		return ClaimView{}, err
	}
	org, err := s.store.OrganisationByID(ctx, orgID)
	if err != nil {
		return ClaimView{}, fmt.Errorf("claim %s: %w", orgID, err)
	}
	if org.Suspended() && !a.IsAdmin() {
		return ClaimView{}, ErrOrganisationNotFound
	}
	mine, err := s.store.ClaimsByUser(ctx, a.UserID)
	if err != nil {
		return ClaimView{}, fmt.Errorf("claim %s: %w", orgID, err)
	}
	pending := 0
	for _, c := range mine {
		if c.Status == ClaimPending {
			pending++
		}
	}
	if pending >= MaxPendingClaims {
		return ClaimView{}, apperr.Conflictf("too-many-claims", "You already have %d claims waiting for an administrator. Wait for a decision before asking for more.", pending)
	}
	c := Claim{ID: uuid.NewString(), OrgID: org.ID, UserID: a.UserID, Message: strings.TrimSpace(in.Message),
		Status: ClaimPending, CreatedAt: s.now()}
	if err := s.store.CreateClaim(ctx, c); err != nil {
		return ClaimView{}, fmt.Errorf("claim %s: %w", orgID, err)
	}
	return ClaimView{Claim: c, OrgName: org.Name, RequesterName: a.Name}, nil
}

// Mine returns the caller's own claims, newest first.
func (s *Claims) Mine(ctx context.Context) ([]ClaimView, error) {
	a := ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return nil, err
	}
	cs, err := s.store.ClaimsByUser(ctx, a.UserID)
	if err != nil {
		return nil, fmt.Errorf("my claims: %w", err)
	}
	return s.views(ctx, cs)
}

// List returns the claims in a status, oldest first (administrators only).
func (s *Claims) List(ctx context.Context, status ClaimStatus) ([]ClaimView, error) {
	if err := requireAdmin(ActorFrom(ctx)); err != nil {
		return nil, err
	}
	if status != ClaimPending && status != ClaimApproved && status != ClaimRejected {
		var f apperr.Fields
		f.Add("status", "must be pending, approved or rejected")
		return nil, f.Err()
	}
	cs, err := s.store.ClaimsByStatus(ctx, status)
	if err != nil {
		return nil, fmt.Errorf("list claims: %w", err)
	}
	return s.views(ctx, cs)
}

// Approve makes the claim's requester the owner of the organisation (administrators
// only). The organisation's draft listings stay drafts: its new owner reviews and
// publishes them.
func (s *Claims) Approve(ctx context.Context, id string) (ClaimView, error) {
	a := ActorFrom(ctx)
	if err := requireAdmin(a); err != nil {
		return ClaimView{}, err
	}
	c, err := s.store.ApproveClaim(ctx, id, a.UserID, s.now())
	if err != nil {
		return ClaimView{}, fmt.Errorf("approve claim %s: %w", id, err)
	}
	return s.view(ctx, c)
}

// Reject refuses a claim, with a reason the requester will see (administrators only).
func (s *Claims) Reject(ctx context.Context, id, reason string) (ClaimView, error) {
	a := ActorFrom(ctx)
	if err := requireAdmin(a); err != nil {
		return ClaimView{}, err
	}
	if utf8.RuneCountInString(strings.TrimSpace(reason)) > MaxClaimMessage {
		var f apperr.Fields
		f.Add("reason", "must be at most %d characters", MaxClaimMessage)
		return ClaimView{}, f.Err()
	}
	c, err := s.store.RejectClaim(ctx, id, a.UserID, strings.TrimSpace(reason), s.now())
	if err != nil {
		return ClaimView{}, fmt.Errorf("reject claim %s: %w", id, err)
	}
	return s.view(ctx, c)
}

func (s *Claims) view(ctx context.Context, c Claim) (ClaimView, error) {
	vs, err := s.views(ctx, []Claim{c})
	if err != nil {
		return ClaimView{}, err
	}
	return vs[0], nil
}

// views adds the organisation's and requester's names to each claim.
func (s *Claims) views(ctx context.Context, cs []Claim) ([]ClaimView, error) {
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.UserID
	}
	users, err := s.store.UsersByID(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("claim requesters: %w", err)
	}
	names := map[string]string{}
	out := make([]ClaimView, len(cs))
	for i, c := range cs {
		if _, ok := names[c.OrgID]; !ok {
			org, err := s.store.OrganisationByID(ctx, c.OrgID)
			if err != nil {
				return nil, fmt.Errorf("claimed organisation %s: %w", c.OrgID, err)
			}
			names[c.OrgID] = org.Name
		}
		out[i] = ClaimView{Claim: c, OrgName: names[c.OrgID], RequesterName: users[c.UserID].Name}
	}
	return out, nil
}
