package store

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
)

// findOne decodes the one document matching filter, or returns notFound.
func findOne[T any](ctx context.Context, db *DB, coll string, filter any, notFound error) (T, error) {
	var v T
	err := db.Collection(coll).FindOne(ctx, filter).Decode(&v)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return v, notFound
	}
	if err != nil {
		return v, fmt.Errorf("find in %s: %w", coll, err)
	}
	return v, nil
}

// findAll decodes every document matching filter.
func findAll[T any](ctx context.Context, db *DB, coll string, filter any, opts *options.FindOptions) ([]T, error) {
	cur, err := db.Collection(coll).Find(ctx, filter, opts)
	if err != nil {
		return nil, fmt.Errorf("find in %s: %w", coll, err)
	}
	out := []T{}
	if err := cur.All(ctx, &out); err != nil {
		return nil, fmt.Errorf("decode %s: %w", coll, err)
	}
	return out, nil
}

// findEach decodes the documents matching filter one at a time, so that reading a whole
// collection (for Verify) does not hold all of it in memory at once.
func findEach[T any](ctx context.Context, db *DB, coll string, filter any, opts *options.FindOptions, fn func(T) error) error {
	cur, err := db.Collection(coll).Find(ctx, filter, opts)
	if err != nil {
		return fmt.Errorf("find in %s: %w", coll, err)
	}
	defer cur.Close(ctx)
	for cur.Next(ctx) {
		var v T
		if err := cur.Decode(&v); err != nil {
			return fmt.Errorf("decode %s: %w", coll, err)
		}
		if err := fn(v); err != nil {
			return err
		}
	}
	return cur.Err()
}
