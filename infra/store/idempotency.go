package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/carepool/carepool/pooling"
)

// idempotencyDoc is a remembered request. Its _id is the caller and the key, so the
// primary key itself keeps one record per caller and key.
type idempotencyDoc struct {
	ID          string    `bson:"_id"`
	CallerID    string    `bson:"caller_id"`
	Key         string    `bson:"key"`
	RequestHash string    `bson:"request_hash"`
	ResultRef   string    `bson:"result_ref"`
	CreatedAt   time.Time `bson:"created_at"`
}

// Caller ids are UUIDs, which hold no colon, so the id is unambiguous.
func idempotencyID(callerID, key string) string { return callerID + ":" + key }

// IdempotencyRecord returns the caller's record for key: pooling.ErrIdempotencyUnknown.
func (s *Pooling) IdempotencyRecord(ctx context.Context, callerID, key string) (pooling.IdempotencyRecord, error) {
	d, err := findOne[idempotencyDoc](ctx, s.db, idempotencyCollection,
		bson.M{"_id": idempotencyID(callerID, key)}, pooling.ErrIdempotencyUnknown)
	if err != nil {
		return pooling.IdempotencyRecord{}, err
	}
	return pooling.IdempotencyRecord{CallerID: d.CallerID, Key: d.Key, RequestHash: d.RequestHash,
		ResultRef: d.ResultRef, CreatedAt: d.CreatedAt}, nil
}

// SaveIdempotency stores a record: pooling.ErrIdempotencyRace if the key is taken.
func (s *Pooling) SaveIdempotency(ctx context.Context, r pooling.IdempotencyRecord) error {
	_, err := s.db.Collection(idempotencyCollection).InsertOne(ctx, idempotencyDoc{
		ID: idempotencyID(r.CallerID, r.Key), CallerID: r.CallerID, Key: r.Key,
		RequestHash: r.RequestHash, ResultRef: r.ResultRef, CreatedAt: r.CreatedAt.UTC()})
	if IsDuplicateKey(err) {
		return pooling.ErrIdempotencyRace
	}
	if err != nil {
		return fmt.Errorf("store idempotency record: %w", err)
	}
	return nil
}
