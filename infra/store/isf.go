package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/carepool/carepool/pooling"
)

func init() {
	registerIndexes(isfCollection, plain("isf_provider", bson.D{{Key: "provider_id", Value: 1}, {Key: "created_at", Value: 1}}))
}

// CreateISFAccount stores an ISF account.
func (s *Pooling) CreateISFAccount(ctx context.Context, a pooling.ISFAccount) error {
	if _, err := s.db.Collection(isfCollection).InsertOne(ctx, a); err != nil {
		return fmt.Errorf("insert ISF account: %w", err)
	}
	return nil
}

// ISFAccount returns an ISF account: pooling.ErrISFAccountNotFound.
func (s *Pooling) ISFAccount(ctx context.Context, id string) (pooling.ISFAccount, error) {
	return findOne[pooling.ISFAccount](ctx, s.db, isfCollection, bson.M{"_id": id}, pooling.ErrISFAccountNotFound)
}

// ISFAccountsOf returns the ISF accounts a provider holds, oldest first.
func (s *Pooling) ISFAccountsOf(ctx context.Context, providerID string) ([]pooling.ISFAccount, error) {
	return findAll[pooling.ISFAccount](ctx, s.db, isfCollection, bson.M{"provider_id": providerID},
		options.Find().SetSort(bson.D{{Key: "created_at", Value: 1}, {Key: "_id", Value: 1}}))
}

// MoveISF applies d in one conditional update. When d takes money out of the available
// balance, the filter requires at least that much to be there, so the database (not a
// check in Go) keeps the balance from going below zero, however requests race.
func (s *Pooling) MoveISF(ctx context.Context, id string, d pooling.ISFDelta, at time.Time) (pooling.ISFAccount, error) {
	filter := bson.M{"_id": id}
	if d.Available < 0 {
		filter["available_pence"] = bson.M{"$gte": -d.Available}
	}
	var a pooling.ISFAccount
	err := s.db.Collection(isfCollection).FindOneAndUpdate(ctx, filter,
		bson.M{"$inc": bson.M{"allocated_pence": d.Allocated, "available_pence": d.Available,
			"committed_pence": d.Committed, "spent_pence": d.Spent, "version": 1},
			"$set": bson.M{"updated_at": at.UTC()}},
		options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&a)
	if !errors.Is(err, mongo.ErrNoDocuments) {
		return a, err
	}
	if _, err := s.ISFAccount(ctx, id); err != nil {
		return a, err
	}
	return a, pooling.ErrISFInsufficient
}

// EachISFAccount calls fn for every ISF account.
func (s *Pooling) EachISFAccount(ctx context.Context, fn func(pooling.ISFAccount) error) error {
	return findEach(ctx, s.db, isfCollection, bson.M{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}), fn)
}
