package payments

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace/account"
)

// ErrProviderNotFound is returned for an id that is not a provider the caller may know.
var ErrProviderNotFound = apperr.NotFoundf("provider")

// Onboarding is where to send a provider's owner to set up card payments at Stripe.
type Onboarding struct {
	URL       string    `json:"url"`
	ExpiresAt time.Time `json:"expires_at"`
}

// ProviderStatus is what a provider's members and administrators see of its card
// payments set-up.
type ProviderStatus struct {
	ProviderID        string `json:"provider_id"`
	OnboardingStarted bool   `json:"onboarding_started"`
	AccountStatus
	CanTakeCards bool       `json:"can_take_cards"`
	Summary      string     `json:"summary"` // plain English
	UpdatedAt    *time.Time `json:"updated_at,omitempty"`
}

// StartOnboarding makes sure the provider has a connected account (creating it once,
// however often or concurrently this is called) and returns a fresh onboarding link to
// it. Stripe sends the person back to returnURL when they leave onboarding or the link
// expires; arriving there proves nothing: only Stripe's account status (read here and
// kept current by account.updated events) says whether the provider can take cards.
// Only the provider's owners may do this.
func (s *Service) StartOnboarding(ctx context.Context, providerID, returnURL string) (Onboarding, error) {
	org, err := s.authorize(ctx, providerID, ownersOnly)
	if err != nil {
		return Onboarding{}, err
	}
	if !s.Configured() {
		return Onboarding{}, ErrNotConfigured
	}
	if org.Suspended() {
		return Onboarding{}, apperr.Conflictf("provider-suspended", "%s is suspended, so it cannot set up card payments.", org.Name)
	}
	if err := checkURL("return URL", returnURL); err != nil {
		return Onboarding{}, err
	}
	rec, err := s.connectedAccount(ctx, providerID)
	if err != nil {
		return Onboarding{}, err
	}
	link, err := s.gateway.CreateAccountLink(ctx, AccountLinkRequest{AccountID: rec.AccountID, RefreshURL: returnURL, ReturnURL: returnURL})
	if err != nil {
		return Onboarding{}, fmt.Errorf("create onboarding link for %s: %w", providerID, err)
	}
	return Onboarding{URL: link.URL, ExpiresAt: link.ExpiresAt}, nil
}

// connectedAccount returns the provider's record with a Stripe account id, creating the
// record and then the account when missing, or refreshing the status of one it has.
// The account is created with an idempotency key derived from the provider, so a retry
// or a concurrent request within Stripe's 24 hours gets the same account.
func (s *Service) connectedAccount(ctx context.Context, providerID string) (ProviderAccount, error) {
	rec, err := s.store.ProviderAccount(ctx, providerID)
	if errors.Is(err, ErrAccountNotFound) {
		now := s.now()
		rec = ProviderAccount{ProviderID: providerID, Type: s.cfg.AccountType, CreatedAt: now, UpdatedAt: now, Version: 1}
		if err = s.store.CreateProviderAccount(ctx, rec); errors.Is(err, ErrAccountExists) {
			rec, err = s.store.ProviderAccount(ctx, providerID)
		}
	}
	if err != nil {
		return ProviderAccount{}, fmt.Errorf("payment account of %s: %w", providerID, err)
	}
	var acct Account
	if rec.AccountID == "" {
		acct, err = s.gateway.CreateConnectedAccount(ctx, NewConnectedAccount{ProviderID: providerID, Type: rec.Type,
			IdempotencyKey: "carepool-connect-account-" + providerID})
	} else {
		acct, err = s.gateway.Account(ctx, rec.AccountID)
	}
	if err != nil {
		return ProviderAccount{}, fmt.Errorf("connected account of %s: %w", providerID, err)
	}
	return s.recordAccount(ctx, providerID, acct)
}

// recordAccount stores what Stripe said of the provider's account, retrying when a
// webhook changed the record at the same moment.
func (s *Service) recordAccount(ctx context.Context, providerID string, acct Account) (ProviderAccount, error) {
	for attempt := 1; ; attempt++ {
		rec, err := s.store.ProviderAccount(ctx, providerID)
		if err != nil {
			return ProviderAccount{}, fmt.Errorf("payment account of %s: %w", providerID, err)
		}
		next, changed := rec.adopt(acct)
		if !changed {
			return rec, nil
		}
		next.Version, next.UpdatedAt = rec.Version+1, s.now()
		err = s.store.SaveProviderAccount(ctx, next, rec.Version)
		if errors.Is(err, ErrChanged) && attempt < 3 {
			continue
		}
		if err != nil {
			return ProviderAccount{}, fmt.Errorf("save payment account of %s: %w", providerID, err)
		}
		return next, nil
	}
}

// ProviderStatus returns the provider's card payments set-up, as last reported by
// Stripe. The provider's owners and members and platform administrators may read it.
func (s *Service) ProviderStatus(ctx context.Context, providerID string) (ProviderStatus, error) {
	if _, err := s.authorize(ctx, providerID, membersAndAdmins); err != nil {
		return ProviderStatus{}, err
	}
	if !s.Configured() {
		return ProviderStatus{}, ErrNotConfigured
	}
	rec, err := s.store.ProviderAccount(ctx, providerID)
	if errors.Is(err, ErrAccountNotFound) {
		rec = ProviderAccount{ProviderID: providerID}
	} else if err != nil {
		return ProviderStatus{}, fmt.Errorf("payment account of %s: %w", providerID, err)
	}
	return statusView(rec), nil
}

func statusView(rec ProviderAccount) ProviderStatus {
	v := ProviderStatus{ProviderID: rec.ProviderID, OnboardingStarted: rec.AccountID != "", AccountStatus: rec.AccountStatus,
		CanTakeCards: rec.AccountID != "" && rec.CanTakeCards()}
	if !rec.UpdatedAt.IsZero() {
		v.UpdatedAt = &rec.UpdatedAt
	}
	switch {
	case !v.OnboardingStarted:
		v.Summary = "Card payments are not set up for this provider yet. An owner can start the set-up with Stripe, our card payment provider."
	case v.CanTakeCards:
		v.Summary = "This provider can take card payments and receive the money."
	case !rec.DetailsSubmitted:
		v.Summary = "Stripe is waiting for an owner to finish giving the provider's details. Use the set-up link to carry on."
	default:
		v.Summary = "Stripe is checking the provider's details. Card payments can start when Stripe has finished; this can take a few days."
	}
	return v
}

// CanTakeCards reports whether people can pay the provider by card: card payments are
// set up on the site and Stripe has enabled both charges and payouts on the provider's
// account. It answers for the platform (an offer from a provider that cannot be paid is
// not poolable by card), so it checks no caller.
func (s *Service) CanTakeCards(ctx context.Context, providerID string) (bool, error) {
	if !s.Configured() {
		return false, nil
	}
	rec, err := s.store.ProviderAccount(ctx, providerID)
	if errors.Is(err, ErrAccountNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("payment account of %s: %w", providerID, err)
	}
	return rec.AccountID != "" && rec.CanTakeCards(), nil
}

// access says who may do something with a provider's card payments.
type access int

const (
	ownersOnly       access = iota // the provider's owners: set up card payments
	membersAndAdmins               // its owners and members, and platform administrators: read the set-up
)

// authorize returns the provider organisation if the caller has the access asked for.
// A suspended provider is hidden from everyone but its members and administrators, as
// its profile is.
func (s *Service) authorize(ctx context.Context, providerID string, want access) (account.Organisation, error) {
	a := account.ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return account.Organisation{}, err
	}
	org, err := s.dir.Organisation(ctx, providerID)
	if apperr.Is(err, apperr.NotFound) {
		return account.Organisation{}, ErrProviderNotFound
	}
	if err != nil {
		return account.Organisation{}, fmt.Errorf("load provider %s: %w", providerID, err)
	}
	if !slices.ContainsFunc(org.Kinds, account.OrgKind.IsProvider) {
		return account.Organisation{}, ErrProviderNotFound
	}
	member := a.MemberOf(org.ID)
	if org.Suspended() && !member && !a.IsAdmin() {
		return account.Organisation{}, ErrProviderNotFound
	}
	switch {
	case want == ownersOnly && a.HasRole(org.ID, account.RoleOwner):
		return org, nil
	case want == ownersOnly:
		return account.Organisation{}, apperr.Forbiddenf("Only the owners of %s can set up its card payments.", org.Name)
	case member || a.IsAdmin():
		return org, nil
	default:
		return account.Organisation{}, apperr.Forbiddenf("Only members of %s and platform administrators can see its card payment set-up.", org.Name)
	}
}
