package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/carepool/carepool/payments"
)

// The payments collections: one record per provider with a connected account (its _id
// is the provider id), and one per Stripe webhook event received (its _id is the event
// id, so the primary key itself makes each event apply once).
const (
	paymentAccountsCollection = "payment_accounts"
	stripeEventsCollection    = "stripe_events"
)

func init() {
	// A connected account belongs to one provider. Records waiting for Stripe to make
	// their account have no account_id field, so the partial index leaves them out.
	registerIndexes(paymentAccountsCollection, mongo.IndexModel{
		Keys: bson.D{{Key: "account_id", Value: 1}},
		Options: options.Index().SetName("payment_accounts_account_id").SetUnique(true).
			SetPartialFilterExpression(bson.M{"account_id": bson.M{"$exists": true}}),
	})
	registerIndexes(stripeEventsCollection, plain("stripe_events_received", bson.D{{Key: "received_at", Value: 1}}))
}

// Payments keeps what the payments service stores.
type Payments struct{ db *DB }

var _ payments.Store = (*Payments)(nil)

// NewPayments returns the payments store on db.
func NewPayments(db *DB) *Payments { return &Payments{db: db} }

// Tx runs fn in one transaction (see DB.Tx): fn must be safe to run more than once.
func (s *Payments) Tx(ctx context.Context, fn func(ctx context.Context) error) error {
	return s.db.Tx(ctx, fn)
}

// paymentAccountDoc is a provider's connected account record as stored.
type paymentAccountDoc struct {
	ProviderID       string    `bson:"_id"`
	AccountID        string    `bson:"account_id,omitempty"`
	Type             string    `bson:"type"`
	ChargesEnabled   bool      `bson:"charges_enabled"`
	PayoutsEnabled   bool      `bson:"payouts_enabled"`
	DetailsSubmitted bool      `bson:"details_submitted"`
	StatusAsOf       time.Time `bson:"status_as_of"`
	CreatedAt        time.Time `bson:"created_at"`
	UpdatedAt        time.Time `bson:"updated_at"`
	Version          int64     `bson:"version"`
}

func paymentAccountDocOf(a payments.ProviderAccount) paymentAccountDoc {
	return paymentAccountDoc{ProviderID: a.ProviderID, AccountID: a.AccountID, Type: string(a.Type),
		ChargesEnabled: a.ChargesEnabled, PayoutsEnabled: a.PayoutsEnabled, DetailsSubmitted: a.DetailsSubmitted,
		StatusAsOf: a.StatusAsOf.UTC(), CreatedAt: a.CreatedAt.UTC(), UpdatedAt: a.UpdatedAt.UTC(), Version: a.Version}
}

func (d paymentAccountDoc) account() payments.ProviderAccount {
	return payments.ProviderAccount{ProviderID: d.ProviderID, AccountID: d.AccountID, Type: payments.AccountType(d.Type),
		AccountStatus: payments.AccountStatus{ChargesEnabled: d.ChargesEnabled, PayoutsEnabled: d.PayoutsEnabled, DetailsSubmitted: d.DetailsSubmitted},
		StatusAsOf:    d.StatusAsOf.UTC(), CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC(), Version: d.Version}
}

// CreateProviderAccount implements payments.Store.
func (s *Payments) CreateProviderAccount(ctx context.Context, a payments.ProviderAccount) error {
	_, err := s.db.Collection(paymentAccountsCollection).InsertOne(ctx, paymentAccountDocOf(a))
	if IsDuplicateKey(err) {
		return payments.ErrAccountExists
	}
	if err != nil {
		return fmt.Errorf("insert payment account: %w", err)
	}
	return nil
}

// ProviderAccount implements payments.Store.
func (s *Payments) ProviderAccount(ctx context.Context, providerID string) (payments.ProviderAccount, error) {
	d, err := findOne[paymentAccountDoc](ctx, s.db, paymentAccountsCollection, bson.M{"_id": providerID}, payments.ErrAccountNotFound)
	return d.account(), err
}

// ProviderAccountByStripeID implements payments.Store.
func (s *Payments) ProviderAccountByStripeID(ctx context.Context, accountID string) (payments.ProviderAccount, error) {
	if accountID == "" {
		return payments.ProviderAccount{}, payments.ErrAccountNotFound
	}
	d, err := findOne[paymentAccountDoc](ctx, s.db, paymentAccountsCollection, bson.M{"account_id": accountID}, payments.ErrAccountNotFound)
	return d.account(), err
}

// SaveProviderAccount implements payments.Store with one conditional replace on the
// version, so two writers cannot both succeed from the same read.
func (s *Payments) SaveProviderAccount(ctx context.Context, a payments.ProviderAccount, expectVersion int64) error {
	coll := s.db.Collection(paymentAccountsCollection)
	res, err := coll.ReplaceOne(ctx, bson.M{"_id": a.ProviderID, "version": expectVersion}, paymentAccountDocOf(a))
	if IsDuplicateKey(err) {
		return fmt.Errorf("account %s belongs to another provider: %w", a.AccountID, payments.ErrAccountExists)
	}
	if err != nil {
		return fmt.Errorf("save payment account: %w", err)
	}
	if res.MatchedCount == 1 {
		return nil
	}
	n, err := coll.CountDocuments(ctx, bson.M{"_id": a.ProviderID})
	if err != nil {
		return fmt.Errorf("save payment account: %w", err)
	}
	if n == 0 {
		return payments.ErrAccountNotFound
	}
	return payments.ErrChanged
}

// stripeEventDoc is a webhook event received.
type stripeEventDoc struct {
	ID               string    `bson:"_id"`
	Type             string    `bson:"type"`
	Created          time.Time `bson:"created"`
	ConnectedAccount string    `bson:"connected_account,omitempty"`
	ReceivedAt       time.Time `bson:"received_at"`
	Outcome          string    `bson:"outcome"`
}

// RecordEvent implements payments.Store: the event id is the primary key.
func (s *Payments) RecordEvent(ctx context.Context, r payments.EventRecord) error {
	_, err := s.db.Collection(stripeEventsCollection).InsertOne(ctx, stripeEventDoc{ID: r.ID, Type: r.Type,
		Created: r.Created.UTC(), ConnectedAccount: r.ConnectedAccount, ReceivedAt: r.ReceivedAt.UTC(), Outcome: r.Outcome})
	if IsDuplicateKey(err) {
		return payments.ErrEventSeen
	}
	if err != nil {
		return fmt.Errorf("record Stripe event: %w", err)
	}
	return nil
}

// Event implements payments.Store.
func (s *Payments) Event(ctx context.Context, id string) (payments.EventRecord, error) {
	d, err := findOne[stripeEventDoc](ctx, s.db, stripeEventsCollection, bson.M{"_id": id}, payments.ErrEventNotFound)
	if err != nil {
		return payments.EventRecord{}, err
	}
	return payments.EventRecord{ID: d.ID, Type: d.Type, Created: d.Created.UTC(), ConnectedAccount: d.ConnectedAccount,
		ReceivedAt: d.ReceivedAt.UTC(), Outcome: d.Outcome}, nil
}
