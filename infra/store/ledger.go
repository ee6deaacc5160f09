package store

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/carepool/carepool/pooling"
)

func init() {
	registerIndexes(ledgerCollection,
		// The idempotency key of every money movement: a retried change cannot post twice.
		unique("ledger_key", bson.D{{Key: "key", Value: 1}}),
		plain("ledger_at", bson.D{{Key: "at", Value: 1}, {Key: "_id", Value: 1}}),
		plain("ledger_pool", bson.D{{Key: "pool_id", Value: 1}, {Key: "at", Value: 1}}),
		plain("ledger_source", bson.D{{Key: "lines.source", Value: 1}}),
		plain("ledger_account", bson.D{{Key: "lines.account", Value: 1}}))
}

// entryOrder is the ledger's order: by time, then by id (time-ordered within a millisecond).
var entryOrder = bson.D{{Key: "at", Value: 1}, {Key: "_id", Value: 1}}

// Post inserts a journal entry: pooling.ErrDuplicateEntry if its key was used. Entries
// are never updated or deleted.
func (s *Pooling) Post(ctx context.Context, e pooling.Entry) error {
	if _, err := s.db.Collection(ledgerCollection).InsertOne(ctx, e); err != nil {
		if IsDuplicateKey(err) {
			return pooling.ErrDuplicateEntry
		}
		return fmt.Errorf("post entry %s: %w", e.Key, err)
	}
	return nil
}

// Entries returns the entries touching any of q's accounts or sources, or q's pool,
// oldest first.
func (s *Pooling) Entries(ctx context.Context, q pooling.EntryQuery) ([]pooling.Entry, error) {
	or := bson.A{}
	if len(q.Accounts) > 0 {
		or = append(or, bson.M{"lines.account": bson.M{"$in": q.Accounts}})
	}
	if len(q.Sources) > 0 {
		or = append(or, bson.M{"lines.source": bson.M{"$in": q.Sources}})
	}
	if q.PoolID != "" {
		or = append(or, bson.M{"pool_id": q.PoolID})
	}
	if len(or) == 0 {
		return nil, fmt.Errorf("entries: the query selects nothing")
	}
	return findAll[pooling.Entry](ctx, s.db, ledgerCollection, bson.M{"$or": or}, options.Find().SetSort(entryOrder))
}

// EachEntry calls fn for every entry, oldest first.
func (s *Pooling) EachEntry(ctx context.Context, fn func(pooling.Entry) error) error {
	return findEach(ctx, s.db, ledgerCollection, bson.M{}, options.Find().SetSort(entryOrder), fn)
}
