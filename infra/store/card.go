package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/carepool/carepool/payments"
	"github.com/carepool/carepool/pooling"
)

// Card pledges' records and the Stripe customers of people who pay by card.
const (
	cardPledgesCollection = "card_pledges"
	customersCollection   = "stripe_customers"
)

func init() {
	registerIndexes(cardPledgesCollection, plain("card_pledges_grace", bson.D{{Key: "grace_until", Value: 1}}))
}

// Cards keeps what card payments store, and posts their ledger entries in the same
// ledger as pooling's.
type Cards struct {
	db      *DB
	pooling *Pooling
}

var _ payments.CardStore = (*Cards)(nil)

// NewCards returns the card payments store on db.
func NewCards(db *DB) *Cards { return &Cards{db: db, pooling: NewPooling(db)} }

// Tx runs fn in one transaction (see DB.Tx).
func (s *Cards) Tx(ctx context.Context, fn func(ctx context.Context) error) error {
	return s.db.Tx(ctx, fn)
}

// CardPledge returns a card pledge's record: payments.ErrCardPledgeNotFound.
func (s *Cards) CardPledge(ctx context.Context, pledgeID string) (payments.CardPledge, error) {
	return findOne[payments.CardPledge](ctx, s.db, cardPledgesCollection, bson.M{"_id": pledgeID}, payments.ErrCardPledgeNotFound)
}

// SaveCardPledge inserts a new record (expectVersion 0) or replaces one still at
// expectVersion: payments.ErrChanged.
func (s *Cards) SaveCardPledge(ctx context.Context, c payments.CardPledge, expectVersion int64) error {
	coll := s.db.Collection(cardPledgesCollection)
	if expectVersion == 0 {
		_, err := coll.InsertOne(ctx, c)
		if IsDuplicateKey(err) {
			return payments.ErrChanged
		}
		return err
	}
	res, err := coll.ReplaceOne(ctx, bson.M{"_id": c.PledgeID, "version": expectVersion}, c)
	if err != nil {
		return fmt.Errorf("save card pledge %s: %w", c.PledgeID, err)
	}
	if res.MatchedCount != 1 {
		return payments.ErrChanged
	}
	return nil
}

// CardPledgesInGrace returns the records whose grace period ended before now.
func (s *Cards) CardPledgesInGrace(ctx context.Context, now time.Time) ([]payments.CardPledge, error) {
	return findAll[payments.CardPledge](ctx, s.db, cardPledgesCollection, bson.M{"grace_until": bson.M{"$lt": now}}, nil)
}

// EachCardPledge calls fn for every record.
func (s *Cards) EachCardPledge(ctx context.Context, fn func(payments.CardPledge) error) error {
	return findEach(ctx, s.db, cardPledgesCollection, bson.M{}, nil, fn)
}

type customer struct {
	UserID     string `bson:"_id"`
	CustomerID string `bson:"customer_id"`
}

// Customer returns the Stripe customer of a person, or "".
func (s *Cards) Customer(ctx context.Context, userID string) (string, error) {
	c, err := findOne[customer](ctx, s.db, customersCollection, bson.M{"_id": userID}, mongo.ErrNoDocuments)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return "", nil
	}
	return c.CustomerID, err
}

// SaveCustomer records a person's Stripe customer (the first one stays).
func (s *Cards) SaveCustomer(ctx context.Context, userID, customerID string) error {
	_, err := s.db.Collection(customersCollection).InsertOne(ctx, customer{UserID: userID, CustomerID: customerID})
	if IsDuplicateKey(err) {
		return nil
	}
	return err
}

// Post inserts a ledger entry: pooling.ErrDuplicateEntry if its key was used.
func (s *Cards) Post(ctx context.Context, e pooling.Entry) error { return s.pooling.Post(ctx, e) }

// CardEntries returns the card-* ledger entries made at or after since, oldest first.
func (s *Cards) CardEntries(ctx context.Context, since time.Time) ([]pooling.Entry, error) {
	ops := bson.A{payments.OpCardCharge, payments.OpCardRefund, payments.OpCardTransfer}
	return findAll[pooling.Entry](ctx, s.db, ledgerCollection, bson.M{"op": bson.M{"$in": ops}, "at": bson.M{"$gte": since}},
		options.Find().SetSort(bson.D{{Key: "at", Value: 1}, {Key: "_id", Value: 1}}))
}

// Enqueue records an outbox task in the transaction of ctx.
func (s *Cards) Enqueue(ctx context.Context, topic, ref string) error {
	return s.db.enqueue(ctx, topic, ref)
}
