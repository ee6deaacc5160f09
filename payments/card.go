package payments

import (
	"context"
	"time"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/pooling"
)

// CardPledge is the platform's record of one card pledge's money at Stripe: the card it
// was saved with, and every charge, refund and transfer made for it. Pooling decides what
// the pledge owes; Cards.Sync makes the card's money match it.
type CardPledge struct {
	PledgeID        string       `bson:"_id"`
	PoolID          string       `bson:"pool_id"`
	ProviderID      string       `bson:"provider_id"`
	HolderID        string       `bson:"holder_id"`
	CustomerID      string       `bson:"customer_id,omitempty"`
	SetupIntentID   string       `bson:"setup_intent_id,omitempty"`   // the latest
	SetupIntents    []string     `bson:"setup_intents"`               // every one started, so only ours count
	PaymentMethodID string       `bson:"payment_method_id,omitempty"` // the saved card
	CardSavedAt     *time.Time   `bson:"card_saved_at,omitempty"`
	Approved        bool         `bson:"approved"` // pooling has its card_saved approval
	Charges         []CardCharge `bson:"charges"`
	Refunds         []CardRefund `bson:"refunds"`
	Paid            []CardPaid   `bson:"paid"` // invoices paid from the card's money, and the transfers to the provider
	// FailedAt and GraceUntil are set while a charge has failed and the person has until
	// GraceUntil to save a working card; cleared by a successful charge.
	FailedAt   *time.Time `bson:"failed_at,omitempty"`
	GraceUntil *time.Time `bson:"grace_until,omitempty"`
	Failure    string     `bson:"failure,omitempty"` // the plain-English reason, for the person
	Lapsed     bool       `bson:"lapsed"`
	Version    int64      `bson:"version"`
	UpdatedAt  time.Time  `bson:"updated_at"`
}

// CardCharge is one off-session charge attempt.
type CardCharge struct {
	Key             string    `bson:"key"` // the idempotency key sent to Stripe
	PaymentIntentID string    `bson:"payment_intent_id,omitempty"`
	ChargeID        string    `bson:"charge_id,omitempty"`
	PaymentMethodID string    `bson:"payment_method_id"` // the card charged
	AmountPence     int64     `bson:"amount_pence"`
	Status          string    `bson:"status"` // succeeded, failed, processing
	DeclineCode     string    `bson:"decline_code,omitempty"`
	At              time.Time `bson:"at"`
}

// CardRefund is one refund of card money.
type CardRefund struct {
	Key             string    `bson:"key"`
	RefundID        string    `bson:"refund_id"`
	PaymentIntentID string    `bson:"payment_intent_id"`
	AmountPence     int64     `bson:"amount_pence"`
	At              time.Time `bson:"at"`
}

// CardPaid is one invoice paid from the card's money and the transfer of it (less the
// platform fee) to the provider's connected account.
type CardPaid struct {
	InvoiceID   string    `bson:"invoice_id"`
	AmountPence int64     `bson:"amount_pence"`
	FeePence    int64     `bson:"fee_pence"`
	TransferID  string    `bson:"transfer_id,omitempty"` // empty until the transfer is made
	At          time.Time `bson:"at"`
}

// Collected is what the card has paid and not had back.
func (c *CardPledge) Collected() int64 {
	var sum int64
	for _, ch := range c.Charges {
		if ch.Status == chargeSucceeded {
			sum += ch.AmountPence
		}
	}
	for _, r := range c.Refunds {
		sum -= r.AmountPence
	}
	return sum
}

// paidToInvoices is what the card's money has paid on invoices.
func (c *CardPledge) paidToInvoices() int64 {
	var sum int64
	for _, p := range c.Paid {
		sum += p.AmountPence
	}
	return sum
}

// The statuses of a card charge.
const (
	chargeSucceeded  = "succeeded"
	chargeFailed     = "failed"
	chargeProcessing = "processing"
)

// ErrCardPledgeNotFound is returned when a pledge has no card record.
var ErrCardPledgeNotFound = apperr.NotFoundf("card pledge")

// CardStore keeps card pledges, customers and the ledger entries of card money (in the
// same ledger as pooling's, so one Verify checks them all).
type CardStore interface {
	Tx(ctx context.Context, fn func(ctx context.Context) error) error
	// CardPledge returns a card pledge's record: ErrCardPledgeNotFound.
	CardPledge(ctx context.Context, pledgeID string) (CardPledge, error)
	// SaveCardPledge stores the record if its stored version is still expectVersion (0:
	// a new record), with c.Version: ErrChanged.
	SaveCardPledge(ctx context.Context, c CardPledge, expectVersion int64) error
	// CardPledgesInGrace returns the records whose grace period ended before now.
	CardPledgesInGrace(ctx context.Context, now time.Time) ([]CardPledge, error)
	// EachCardPledge calls fn for every record, for reconcile.
	EachCardPledge(ctx context.Context, fn func(CardPledge) error) error
	// Customer returns the Stripe customer saved for a person, or "" if none.
	Customer(ctx context.Context, userID string) (string, error)
	// SaveCustomer records a person's Stripe customer.
	SaveCustomer(ctx context.Context, userID, customerID string) error
	// Post inserts a ledger entry: pooling.ErrDuplicateEntry if its key was used.
	Post(ctx context.Context, e pooling.Entry) error
	// CardEntries returns the ledger entries of card money (the card-* operations) made
	// at or after since, oldest first.
	CardEntries(ctx context.Context, since time.Time) ([]pooling.Entry, error)
	// Enqueue records an outbox task in the transaction.
	Enqueue(ctx context.Context, topic, ref string) error
}

// Pools is what card payments need of the pooling service (pooling.Service implements
// it): the platform's reads and the changes only card payments make.
type Pools interface {
	PledgeForPlatform(ctx context.Context, id string) (pooling.Pledge, pooling.Pool, error)
	InvoicesForPlatform(ctx context.Context, poolID string) ([]pooling.Invoice, error)
	CardSaved(ctx context.Context, pledgeID string) (pooling.PledgeView, error)
	LapsePledge(ctx context.Context, pledgeID string, from int, reason string) (pooling.PledgeView, error)
	PayInvoiceByCard(ctx context.Context, invoiceID string, amount int64, ref, key string) (pooling.Invoice, error)
}

// DefaultCardGrace is how long a person has to save a working card after a charge
// failed, before their pledge lapses.
const DefaultCardGrace = 3 * 24 * time.Hour

// Cards moves card pledges' money: it saves cards (SetupIntents), charges them
// off-session for what pooling says each pledge owes, gives a grace period when a charge
// fails and then lapses the pledge, refunds what is no longer owed, pays card invoices
// from the money collected and transfers it, less the platform fee, to the provider.
type Cards struct {
	svc            *Service
	pools          Pools
	store          CardStore
	grace          time.Duration
	publishableKey string
}

// CardConfig tunes card payments.
type CardConfig struct {
	// Grace is how long a person has to save a working card after a charge failed
	// (default DefaultCardGrace).
	Grace time.Duration
	// PublishableKey is Stripe's publishable key, for Stripe Elements in the browser
	// (STRIPE_PUBLISHABLE_KEY).
	PublishableKey string
}

// NewCards returns the card payments of svc and registers its webhook handlers.
func NewCards(svc *Service, pools Pools, store CardStore, cfg CardConfig) *Cards {
	if cfg.Grace <= 0 {
		cfg.Grace = DefaultCardGrace
	}
	c := &Cards{svc: svc, pools: pools, store: store, grace: cfg.Grace, publishableKey: cfg.PublishableKey}
	svc.Handle("setup_intent.succeeded", c.onSetupSucceeded)
	svc.Handle("payment_intent.succeeded", c.onPaymentIntent)
	svc.Handle("payment_intent.payment_failed", c.onPaymentIntent)
	return c
}

// CanTakeCards reports whether card payments are set up and the provider's connected
// account can take charges and receive payouts (pooling.Cards).
func (c *Cards) CanTakeCards(ctx context.Context, providerID string) (bool, error) {
	return c.svc.CanTakeCards(ctx, providerID)
}

// The ledger accounts of card money (see pooling's knownAccount).
func stripeBalance() string              { return "stripe:platform:balance" }
func stripeFees() string                 { return "stripe:platform:fees" }
func cardAccount(pledgeID string) string { return "stripe:" + pledgeID + ":card" }
func payoutAccount(providerID string) string {
	return "stripe:" + providerID + ":payouts"
}
