package payments

import (
	"context"
	"time"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace/account"
)

// Errors the Store returns (possibly wrapped), so the service can tell them apart.
var (
	ErrAccountNotFound = apperr.NotFoundf("payment account")
	ErrAccountExists   = apperr.Conflictf("payment-account-exists", "This provider already has a card payment account.")
	ErrChanged         = apperr.Conflictf("changed-concurrently", "Someone else changed this at the same moment. Please try again.")
	ErrEventSeen       = apperr.Conflictf("event-seen", "This Stripe event was already received.")
	ErrEventNotFound   = apperr.NotFoundf("Stripe event")
)

// Store keeps providers' connected accounts and the ids of the webhook events applied.
// infra/store implements it on the MongoDB API.
//
// Tx runs fn in one multi-document transaction; every method called with the context fn
// receives takes part in it. fn must be safe to run more than once (MongoDB retries it
// on a write conflict). Methods called with any other context run on their own.
type Store interface {
	Tx(ctx context.Context, fn func(ctx context.Context) error) error

	// CreateProviderAccount stores a provider's record: ErrAccountExists if it has one
	// (the provider id is the primary key, so two concurrent onboardings make one).
	CreateProviderAccount(ctx context.Context, a ProviderAccount) error
	// ProviderAccount returns a provider's record: ErrAccountNotFound.
	ProviderAccount(ctx context.Context, providerID string) (ProviderAccount, error)
	// ProviderAccountByStripeID returns the record holding a connected account id:
	// ErrAccountNotFound.
	ProviderAccountByStripeID(ctx context.Context, accountID string) (ProviderAccount, error)
	// SaveProviderAccount replaces the record if its stored version is still
	// expectVersion, storing a.Version (which the caller sets higher): ErrAccountNotFound,
	// ErrChanged.
	SaveProviderAccount(ctx context.Context, a ProviderAccount, expectVersion int64) error

	// RecordEvent stores a webhook event's id (a unique key): ErrEventSeen if it was
	// stored before.
	RecordEvent(ctx context.Context, r EventRecord) error
	// Event returns a recorded event: ErrEventNotFound.
	Event(ctx context.Context, id string) (EventRecord, error)
}

// Directory is what payments needs to know of organisations.
type Directory interface {
	// Organisation returns an organisation, or a NotFound error.
	Organisation(ctx context.Context, id string) (account.Organisation, error)
}

// ProviderAccount is the platform's record of a provider's connected account. It exists
// from the first onboarding request; AccountID is empty until Stripe made the account.
type ProviderAccount struct {
	ProviderID string      `json:"provider_id"`
	AccountID  string      `json:"account_id,omitempty"` // acct_...
	Type       AccountType `json:"type"`
	AccountStatus
	// StatusAsOf is when Stripe reported the status held: an event's created time, or
	// the moment we asked Stripe. Older reports never overwrite newer ones.
	StatusAsOf time.Time `json:"status_as_of"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
	Version    int64     `json:"version"`
}

// AccountStatus is what Stripe says a connected account may do.
type AccountStatus struct {
	ChargesEnabled   bool `json:"charges_enabled"`
	PayoutsEnabled   bool `json:"payouts_enabled"`
	DetailsSubmitted bool `json:"details_submitted"`
}

// StatusOf returns an account's status.
func StatusOf(a Account) AccountStatus {
	return AccountStatus{ChargesEnabled: a.ChargesEnabled, PayoutsEnabled: a.PayoutsEnabled, DetailsSubmitted: a.DetailsSubmitted}
}

// CanTakeCards reports whether cards can be charged for the provider and the money paid
// out to them.
func (s AccountStatus) CanTakeCards() bool { return s.ChargesEnabled && s.PayoutsEnabled }

// EventRecord is a webhook event as stored: enough to show it arrived, applied once.
type EventRecord struct {
	ID               string
	Type             string
	Created          time.Time // Stripe's time for the event
	ConnectedAccount string
	ReceivedAt       time.Time
	Outcome          string // OutcomeHandled or OutcomeUnhandled
}
