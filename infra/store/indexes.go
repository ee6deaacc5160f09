package store

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
)

// indexes lists, per collection, the indexes Carepool needs. On the embedded engine they
// enforce uniqueness only (lungo scans for queries); on MongoDB they also serve queries.
// Every invariant that protects data (one account per email, one idempotency key per
// ledger entry) is a unique index here, never a check-then-write in Go.
var indexes = map[string][]mongo.IndexModel{}

// registerIndexes adds a collection's indexes; each feature file calls it from init.
func registerIndexes(collection string, models ...mongo.IndexModel) {
	indexes[collection] = append(indexes[collection], models...)
}

func unique(name string, keys bson.D) mongo.IndexModel {
	return mongo.IndexModel{Keys: keys, Options: options.Index().SetName(name).SetUnique(true)}
}

func plain(name string, keys bson.D) mongo.IndexModel {
	return mongo.IndexModel{Keys: keys, Options: options.Index().SetName(name)}
}

func (db *DB) ensureIndexes(ctx context.Context) error {
	for coll, models := range indexes {
		if _, err := db.Collection(coll).Indexes().CreateMany(ctx, models); err != nil {
			return fmt.Errorf("create indexes on %s: %w", coll, err)
		}
	}
	return nil
}
