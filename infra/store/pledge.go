package store

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/carepool/carepool/pooling"
)

func init() {
	registerIndexes(pledgesCollection,
		// One active pledge per person per pool: the database refuses a second, however
		// many requests race. A withdrawn or released pledge is inactive, so the person
		// may pledge again.
		mongo.IndexModel{Keys: bson.D{{Key: "pool_id", Value: 1}, {Key: "holder_id", Value: 1}},
			Options: options.Index().SetName("pledges_one_active_per_holder").SetUnique(true).
				SetPartialFilterExpression(bson.M{"active": true})},
		plain("pledges_pool_seq", bson.D{{Key: "pool_id", Value: 1}, {Key: "seq", Value: 1}}),
		plain("pledges_holder", bson.D{{Key: "holder_id", Value: 1}}),
		plain("pledges_pledged_by", bson.D{{Key: "pledged_by", Value: 1}}),
		plain("pledges_budget", bson.D{{Key: "budget_id", Value: 1}}),
		plain("pledges_pending_with", bson.D{{Key: "pending_with", Value: 1}}))
}

// CreatePledge stores a new pledge: pooling.ErrAlreadyPledged if the holder already has
// an active pledge in the pool.
func (s *Pooling) CreatePledge(ctx context.Context, p pooling.Pledge) error {
	if _, err := s.db.Collection(pledgesCollection).InsertOne(ctx, p); err != nil {
		if IsDuplicateKey(err) {
			return pooling.ErrAlreadyPledged
		}
		return fmt.Errorf("insert pledge: %w", err)
	}
	return nil
}

// Pledge returns a pledge: pooling.ErrPledgeNotFound.
func (s *Pooling) Pledge(ctx context.Context, id string) (pooling.Pledge, error) {
	return findOne[pooling.Pledge](ctx, s.db, pledgesCollection, bson.M{"_id": id}, pooling.ErrPledgeNotFound)
}

// SavePledge replaces a pledge still at expectVersion: pooling.ErrChanged, ErrPledgeNotFound.
func (s *Pooling) SavePledge(ctx context.Context, p pooling.Pledge, expectVersion int64) error {
	err := s.replace(ctx, pledgesCollection, p.ID, expectVersion, p, pooling.ErrPledgeNotFound)
	if IsDuplicateKey(err) {
		return pooling.ErrAlreadyPledged
	}
	return err
}

// PoolPledges returns every pledge of a pool, in arrival order.
func (s *Pooling) PoolPledges(ctx context.Context, poolID string) ([]pooling.Pledge, error) {
	return findAll[pooling.Pledge](ctx, s.db, pledgesCollection, bson.M{"pool_id": poolID},
		options.Find().SetSort(bson.D{{Key: "seq", Value: 1}}))
}

// Pledges returns pledges matching q, newest first.
func (s *Pooling) Pledges(ctx context.Context, q pooling.PledgeQuery) ([]pooling.Pledge, error) {
	filter := bson.M{}
	if q.Person != "" {
		filter["$or"] = bson.A{bson.M{"holder_id": q.Person}, bson.M{"pledged_by": q.Person}}
	}
	if len(q.BudgetIDs) > 0 {
		filter["budget_id"] = bson.M{"$in": q.BudgetIDs}
	}
	if len(q.PendingWith) > 0 {
		filter["pending_with"] = bson.M{"$in": q.PendingWith}
		filter["status"] = pooling.PledgeWaitingApproval
	}
	if len(filter) == 0 {
		return nil, fmt.Errorf("pledges: the query selects nothing")
	}
	return findAll[pooling.Pledge](ctx, s.db, pledgesCollection, filter,
		options.Find().SetSort(bson.D{{Key: "created_at", Value: -1}, {Key: "_id", Value: -1}}))
}

// EachPledge calls fn for every pledge.
func (s *Pooling) EachPledge(ctx context.Context, fn func(pooling.Pledge) error) error {
	return findEach(ctx, s.db, pledgesCollection, bson.M{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}), fn)
}
