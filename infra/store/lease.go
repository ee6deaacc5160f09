package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/bson"
)

// leaseDoc is a named piece of work held by one owner until a time.
type leaseDoc struct {
	ID    string    `bson:"_id"`
	Owner string    `bson:"owner"`
	Until time.Time `bson:"until"`
}

// TakeLease gives the lease to owner until the given time if it is free, expired at now,
// or already owner's. Both paths are single conditional writes: the update matches only
// an expired or own lease, and the insert of a new lease fails on the primary key if
// another owner created it first.
func (s *Pooling) TakeLease(ctx context.Context, name, owner string, now, until time.Time) (bool, error) {
	coll := s.db.Collection(leasesCollection)
	res, err := coll.UpdateOne(ctx,
		bson.M{"_id": name, "$or": bson.A{bson.M{"until": bson.M{"$lte": now.UTC()}}, bson.M{"owner": owner}}},
		bson.M{"$set": bson.M{"owner": owner, "until": until.UTC()}})
	if err != nil {
		return false, fmt.Errorf("take lease %s: %w", name, err)
	}
	if res.MatchedCount == 1 {
		return true, nil
	}
	_, err = coll.InsertOne(ctx, leaseDoc{ID: name, Owner: owner, Until: until.UTC()})
	if IsDuplicateKey(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("take lease %s: %w", name, err)
	}
	return true, nil
}

// ReleaseLease gives up owner's lease, if owner holds it.
func (s *Pooling) ReleaseLease(ctx context.Context, name, owner string) error {
	if _, err := s.db.Collection(leasesCollection).DeleteOne(ctx, bson.M{"_id": name, "owner": owner}); err != nil {
		return fmt.Errorf("release lease %s: %w", name, err)
	}
	return nil
}
