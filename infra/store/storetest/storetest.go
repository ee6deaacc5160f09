// Package storetest opens a database for tests: lungo's embedded engine in memory (the
// MongoDB test double) by default, or a fresh database on a real MongoDB replica set when
// TEST_MONGO_URI is set, so the same tests run against both engines.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/carepool/carepool/infra/store"
)

// Open returns an empty database that is closed (and, on MongoDB, dropped) when the test ends.
func Open(tb testing.TB) *store.DB {
	tb.Helper()
	ctx := context.Background()
	uri := os.Getenv("TEST_MONGO_URI")
	if uri == "" {
		db, err := store.OpenMemory(ctx)
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { _ = db.Close(ctx) })
		return db
	}
	u, err := url.Parse(uri)
	if err != nil {
		tb.Fatalf("TEST_MONGO_URI: %v", err)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	u.Path = "/carepool_test_" + hex.EncodeToString(b[:])
	db, err := store.OpenMongo(ctx, u.String())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		_ = db.Drop(ctx)
		_ = db.Close(ctx)
	})
	return db
}
