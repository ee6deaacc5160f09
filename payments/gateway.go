// Package payments moves card money through Stripe Connect: providers onboard as
// connected accounts, card pledges are saved with SetupIntents and charged off-session
// with PaymentIntents, refunds and transfers (one transfer_group per pool) settle them,
// and Stripe's webhooks tell the platform what happened.
//
// The package is the domain side: it defines the Gateway and Verifier ports (implemented
// by payments/stripe on stripe-go, and by the in-process double in payments/paymentstest),
// the Store port (implemented by infra/store), the amount rules every request obeys, and
// the Service that onboards providers and applies webhook events exactly once. It imports
// no adapter.
package payments

import (
	"context"
	"time"
)

// Gateway is the card payment provider: Stripe. Every method takes the request's context
// first; a cancelled context does not say whether Stripe acted, so callers retry with
// the same idempotency key.
//
// Every implementation validates a request (its Validate method, which applies
// CheckAmount) before sending anything, and checks that a money response carries the
// amount and currency asked for (CheckReturned). Errors every method may return:
//   - *AmountError for a refused amount (nothing was sent) or a mismatched answer;
//   - ErrUnavailable (wrapped) when Stripe cannot be reached or answers 5xx or 429:
//     retry later with the same idempotency key;
//   - ErrIdempotencyKeyReused when a key was used before for a different request;
//   - any other error is a fault of ours or of the configuration (500).
type Gateway interface {
	// CreateConnectedAccount creates a provider's Stripe Connect account (GB, card_payments
	// and transfers requested, metadata provider_id). Repeated with the same idempotency
	// key it returns the same account.
	CreateConnectedAccount(ctx context.Context, req NewConnectedAccount) (Account, error)
	// CreateAccountLink returns a single-use onboarding link for a connected account.
	CreateAccountLink(ctx context.Context, req AccountLinkRequest) (AccountLink, error)
	// Account returns a connected account's status: ErrNotFound if Stripe has no such account.
	Account(ctx context.Context, accountID string) (Account, error)

	// CreateCustomer creates a Stripe customer to save cards on.
	CreateCustomer(ctx context.Context, req NewCustomer) (Customer, error)
	// CreateSetupIntent starts saving a card for off-session use (usage off_session,
	// metadata pledge_id); the person completes it in the browser with its client secret.
	CreateSetupIntent(ctx context.Context, req SetupIntentRequest) (SetupIntent, error)

	// ChargeOffSession charges a saved card (a PaymentIntent confirmed at once, off
	// session). A declined card returns the PaymentIntent as far as it is known and a
	// *DeclineError; a payment still processing returns StatusProcessing and no error.
	ChargeOffSession(ctx context.Context, req OffSessionCharge) (PaymentIntent, error)
	// PaymentIntent returns a PaymentIntent: ErrNotFound.
	PaymentIntent(ctx context.Context, id string) (PaymentIntent, error)
	// Refund refunds part or all of a PaymentIntent's charge. Refunding more than is left
	// is refused by Stripe (an error of the Internal kind).
	Refund(ctx context.Context, req RefundRequest) (Refund, error)
	// Transfer moves money from the platform's balance to a connected account.
	Transfer(ctx context.Context, req TransferRequest) (Transfer, error)

	// ChargesSince, RefundsSince and TransfersSince list every object created at or after
	// since, oldest first, following Stripe's pages to the end (for reconcile).
	ChargesSince(ctx context.Context, since time.Time) ([]Charge, error)
	RefundsSince(ctx context.Context, since time.Time) ([]Refund, error)
	TransfersSince(ctx context.Context, since time.Time) ([]Transfer, error)
}

// AccountType is the kind of Stripe Connect account a provider gets.
type AccountType string

// The connected account types Carepool creates. Express: Stripe hosts onboarding and a
// light dashboard, the platform manages payouts; Standard: the provider has a full Stripe
// account of their own.
const (
	Express  AccountType = "express"
	Standard AccountType = "standard"
)

// Account is a connected account as Stripe reports it.
type Account struct {
	ID               string // acct_...
	ProviderID       string // from metadata provider_id, when Stripe sends it
	ChargesEnabled   bool
	PayoutsEnabled   bool
	DetailsSubmitted bool
	// AsOf is Stripe's time when it answered (its Date header), so that a status read
	// from the API and the status in webhook events compare on Stripe's clock.
	AsOf time.Time
}

// AccountLink is a single-use URL to Stripe's hosted onboarding.
type AccountLink struct {
	URL       string
	ExpiresAt time.Time
}

// Customer is a Stripe customer.
type Customer struct {
	ID string // cus_...
}

// SetupStatus is a SetupIntent's status.
type SetupStatus string

// The SetupIntent statuses the domain acts on.
const (
	SetupRequiresPaymentMethod SetupStatus = "requires_payment_method"
	SetupRequiresAction        SetupStatus = "requires_action"
	SetupProcessing            SetupStatus = "processing"
	SetupSucceeded             SetupStatus = "succeeded"
	SetupCanceled              SetupStatus = "canceled"
)

// SetupIntent saves a card for later off-session charges.
type SetupIntent struct {
	ID              string // seti_...
	ClientSecret    string // for the browser only: never logged or stored
	Status          SetupStatus
	CustomerID      string
	PaymentMethodID string // pm_..., once the person has entered a card
	PledgeID        string // metadata pledge_id
}

// PaymentStatus is a PaymentIntent's status.
type PaymentStatus string

// The PaymentIntent statuses the domain acts on.
const (
	StatusSucceeded             PaymentStatus = "succeeded"
	StatusProcessing            PaymentStatus = "processing"
	StatusRequiresPaymentMethod PaymentStatus = "requires_payment_method"
	StatusRequiresAction        PaymentStatus = "requires_action"
	StatusCanceled              PaymentStatus = "canceled"
)

// PaymentIntent is one attempt to charge a card.
type PaymentIntent struct {
	ID              string // pi_...
	LatestChargeID  string // ch_..., once a charge was attempted
	Status          PaymentStatus
	Amount          int64 // pence
	Currency        string
	CustomerID      string
	PaymentMethodID string
	TransferGroup   string
	PledgeID        string        // metadata pledge_id
	PoolID          string        // metadata pool_id
	LastError       *DeclineError // why the last attempt failed, if it did
}

// Charge is a charge on a card, as Stripe lists it.
type Charge struct {
	ID              string // ch_...
	PaymentIntentID string
	Amount          int64
	AmountRefunded  int64
	Currency        string
	Status          string // succeeded, pending, failed
	TransferGroup   string
	Created         time.Time
}

// Refund gives money back from a charge.
type Refund struct {
	ID              string // re_...
	PaymentIntentID string
	ChargeID        string
	Amount          int64
	Currency        string
	Status          string // pending, succeeded, failed, canceled
	Created         time.Time
}

// Transfer moves money from the platform to a connected account.
type Transfer struct {
	ID                   string // tr_...
	Amount               int64
	Currency             string
	DestinationAccountID string
	TransferGroup        string
	Reversed             bool
	Created              time.Time
}
