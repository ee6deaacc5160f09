package store

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/carepool/carepool/pooling"
)

// The pooling collections. Pools, pledges, budgets and ISF accounts are stored as the
// domain types (their bson tags); ledger entries are only ever inserted.
const (
	poolsCollection       = "pools"
	pledgesCollection     = "pledges"
	budgetsCollection     = "budgets"
	isfCollection         = "isf_accounts"
	ledgerCollection      = "ledger_entries"
	idempotencyCollection = "idempotency"
	leasesCollection      = "leases"
)

func init() {
	registerIndexes(poolsCollection,
		plain("pools_status_due", bson.D{{Key: "status", Value: 1}, {Key: "due_at", Value: 1}}),
		plain("pools_offer", bson.D{{Key: "offer_id", Value: 1}, {Key: "created_at", Value: -1}}),
		plain("pools_provider", bson.D{{Key: "provider_id", Value: 1}, {Key: "created_at", Value: -1}}),
		plain("pools_invite", bson.D{{Key: "invite_code", Value: 1}}))
}

// Pooling keeps everything the pooling service stores.
type Pooling struct{ db *DB }

var _ pooling.Store = (*Pooling)(nil)

// NewPooling returns the pooling store on db.
func NewPooling(db *DB) *Pooling { return &Pooling{db: db} }

// Tx runs fn in one transaction (see DB.Tx): fn must be safe to run more than once.
func (s *Pooling) Tx(ctx context.Context, fn func(ctx context.Context) error) error {
	return s.db.Tx(ctx, fn)
}

// Enqueue records an outbox task in the transaction of ctx.
func (s *Pooling) Enqueue(ctx context.Context, topic, ref string) error {
	return s.db.enqueue(ctx, topic, ref)
}

// CreatePool stores a new pool.
func (s *Pooling) CreatePool(ctx context.Context, p pooling.Pool) error {
	if _, err := s.db.Collection(poolsCollection).InsertOne(ctx, p); err != nil {
		return fmt.Errorf("insert pool: %w", err)
	}
	return nil
}

// Pool returns a pool: pooling.ErrPoolNotFound.
func (s *Pooling) Pool(ctx context.Context, id string) (pooling.Pool, error) {
	return findOne[pooling.Pool](ctx, s.db, poolsCollection, bson.M{"_id": id}, pooling.ErrPoolNotFound)
}

// PoolByInvite returns the invite-only pool with an invite code: pooling.ErrPoolNotFound.
func (s *Pooling) PoolByInvite(ctx context.Context, code string) (pooling.Pool, error) {
	return findOne[pooling.Pool](ctx, s.db, poolsCollection,
		bson.M{"invite_code": code, "visibility": pooling.InviteOnly}, pooling.ErrPoolNotFound)
}

// SavePool replaces a pool still at expectVersion: pooling.ErrChanged, ErrPoolNotFound.
func (s *Pooling) SavePool(ctx context.Context, p pooling.Pool, expectVersion int64) error {
	return s.replace(ctx, poolsCollection, p.ID, expectVersion, p, pooling.ErrPoolNotFound)
}

// TakeSeat takes one place with a conditional increment: of any number of concurrent
// calls, only as many as there are places match the filter.
func (s *Pooling) TakeSeat(ctx context.Context, id string, maxPeople int) (pooling.Pool, error) {
	var p pooling.Pool
	err := s.db.Collection(poolsCollection).FindOneAndUpdate(ctx,
		bson.M{"_id": id, "status": bson.M{"$in": bson.A{pooling.StatusOpen, pooling.StatusConfirmed}},
			"taken": bson.M{"$lt": maxPeople}, "pricing.max_people": maxPeople},
		bson.M{"$inc": bson.M{"taken": 1, "next_seq": 1, "version": 1}},
		options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&p)
	if !errors.Is(err, mongo.ErrNoDocuments) {
		return p, err
	}
	current, err := s.Pool(ctx, id)
	switch {
	case err != nil:
		return p, err
	case current.Status != pooling.StatusOpen && current.Status != pooling.StatusConfirmed:
		return p, pooling.ErrPoolNotTaking
	}
	return p, pooling.ErrPoolFull
}

// Pools returns pools matching q, newest first.
func (s *Pooling) Pools(ctx context.Context, q pooling.PoolQuery) ([]pooling.Pool, error) {
	filter := bson.M{}
	if len(q.Statuses) > 0 {
		filter["status"] = bson.M{"$in": q.Statuses}
	}
	if q.Visibility != "" {
		filter["visibility"] = q.Visibility
	}
	if q.OfferID != "" {
		filter["offer_id"] = q.OfferID
	}
	if q.ProviderID != "" {
		filter["provider_id"] = q.ProviderID
	}
	if q.DueBy != nil {
		filter["due_at"] = bson.M{"$lte": q.DueBy.UTC()}
	}
	if m := q.ManagedBy; m != nil {
		or := bson.A{bson.M{"organiser.user_id": m.UserID, "organiser.org_id": bson.M{"$exists": false}}}
		if len(m.OrgIDs) > 0 {
			or = append(or, bson.M{"organiser.org_id": bson.M{"$in": m.OrgIDs}}, bson.M{"provider_id": bson.M{"$in": m.OrgIDs}})
		}
		filter["$or"] = or
	}
	opts := options.Find().SetSort(bson.D{{Key: "created_at", Value: -1}, {Key: "_id", Value: -1}})
	if q.Limit > 0 {
		opts.SetLimit(int64(q.Limit))
	}
	return findAll[pooling.Pool](ctx, s.db, poolsCollection, filter, opts)
}

// EachPool calls fn for every pool.
func (s *Pooling) EachPool(ctx context.Context, fn func(pooling.Pool) error) error {
	return findEach(ctx, s.db, poolsCollection, bson.M{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}), fn)
}

// replace replaces a document still at expectVersion, telling a lost race from a
// missing document.
func (s *Pooling) replace(ctx context.Context, coll, id string, expectVersion int64, doc any, notFound error) error {
	res, err := s.db.Collection(coll).ReplaceOne(ctx, bson.M{"_id": id, "version": expectVersion}, doc)
	if err != nil {
		return fmt.Errorf("replace %s %s: %w", coll, id, err)
	}
	if res.MatchedCount == 1 {
		return nil
	}
	n, err := s.db.Collection(coll).CountDocuments(ctx, bson.M{"_id": id})
	switch {
	case err != nil:
		return err
	case n == 0:
		return notFound
	}
	return pooling.ErrChanged
}
