package boltstore

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/256dpi/lungo"
	"github.com/google/go-cmp/cmp"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
)

// The behaviour suite: the same store semantics on lungo's MemoryStore, on the bbolt
// store, and on the bbolt store closed and reopened between writing and checking.
func TestBehaviour(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		run  func(t *testing.T, h *harness)
	}{
		{"CRUD round-trips documents", testCRUD},
		{"unique index rejects duplicates", testUniqueIndex},
		{"conditional inc with cap admits exactly the cap", testConditionalInc},
		{"failed transaction leaves nothing behind", testTransactionRollback},
		{"indexes are created and dropped", testIndexLifecycle},
		{"dropped collections and databases stay dropped", testDrop},
		{"natural order is preserved", testNaturalOrder},
	}
	for _, mode := range modes {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					t.Parallel()
					tc.run(t, newHarness(t, mode))
				})
			}
		})
	}
}

type item struct {
	ID    string `bson:"_id"`
	Name  string `bson:"name"`
	Count int    `bson:"count"`
}

func testCRUD(t *testing.T, h *harness) {
	ctx := context.Background()
	c := h.coll("items")
	_, err := c.InsertMany(ctx, []interface{}{
		item{ID: "a", Name: "apple", Count: 1},
		item{ID: "b", Name: "banana", Count: 2},
		item{ID: "c", Name: "cherry", Count: 3},
	})
	mustNoErr(t, err, "insert many")
	_, err = c.UpdateOne(ctx, bson.M{"_id": "a"}, bson.M{"$inc": bson.M{"count": 10}})
	mustNoErr(t, err, "update")
	_, err = c.ReplaceOne(ctx, bson.M{"_id": "b"}, item{ID: "b", Name: "blueberry", Count: 5})
	mustNoErr(t, err, "replace")
	_, err = c.DeleteOne(ctx, bson.M{"_id": "c"})
	mustNoErr(t, err, "delete")
	h.restart()

	c = h.coll("items")
	cur, err := c.Find(ctx, bson.M{}, options.Find().SetSort(bson.M{"_id": 1}))
	mustNoErr(t, err, "find")
	var got []item
	mustNoErr(t, cur.All(ctx, &got), "decode")
	want := []item{{ID: "a", Name: "apple", Count: 11}, {ID: "b", Name: "blueberry", Count: 5}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("documents (-want +got):\n%s", diff)
	}
	var one item
	mustNoErr(t, c.FindOne(ctx, bson.M{"name": "apple"}).Decode(&one), "find one")
	if one.ID != "a" {
		t.Errorf("FindOne by name = %q, want a", one.ID)
	}
}

func testUniqueIndex(t *testing.T, h *harness) {
	ctx := context.Background()
	_, err := h.coll("users").Indexes().CreateOne(ctx, mongo.IndexModel{
		Keys: bson.D{{Key: "email", Value: 1}}, Options: options.Index().SetUnique(true),
	})
	mustNoErr(t, err, "create index")
	_, err = h.coll("users").InsertOne(ctx, bson.M{"_id": "u1", "email": "a@example.org"})
	mustNoErr(t, err, "insert")
	h.restart()

	c := h.coll("users")
	if _, err := c.InsertOne(ctx, bson.M{"_id": "u2", "email": "a@example.org"}); err == nil {
		t.Error("duplicate email inserted, want a unique-index error")
	}
	if _, err := c.InsertOne(ctx, bson.M{"_id": "u1", "email": "b@example.org"}); err == nil {
		t.Error("duplicate _id inserted, want a unique-index error")
	}
	_, err = c.InsertOne(ctx, bson.M{"_id": "u3", "email": "c@example.org"})
	mustNoErr(t, err, "insert distinct email")
	h.restart()
	if got := ids(t, h.coll("users")); !cmp.Equal(got, []string{"u1", "u3"}) {
		t.Errorf("users = %v, want [u1 u3]", got)
	}
}

func testConditionalInc(t *testing.T, h *harness) {
	ctx := context.Background()
	c := h.coll("pools")
	_, err := c.InsertOne(ctx, bson.M{"_id": "p", "seats": 0})
	mustNoErr(t, err, "insert")

	const workers, capacity = 50, 10
	var won atomic.Int32
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := c.UpdateOne(ctx, bson.M{"_id": "p", "seats": bson.M{"$lt": capacity}},
				bson.M{"$inc": bson.M{"seats": 1}})
			if err != nil {
				t.Errorf("update: %v", err)
				return
			}
			won.Add(int32(res.ModifiedCount))
		}()
	}
	wg.Wait()
	if won.Load() != capacity {
		t.Errorf("%d updates succeeded, want %d", won.Load(), capacity)
	}
	h.restart()
	var got struct{ Seats int }
	mustNoErr(t, h.coll("pools").FindOne(ctx, bson.M{"_id": "p"}).Decode(&got), "find")
	if got.Seats != capacity {
		t.Errorf("seats = %d, want %d", got.Seats, capacity)
	}
}

func testTransactionRollback(t *testing.T, h *harness) {
	ctx := context.Background()
	_, err := h.coll("ledger").InsertOne(ctx, bson.M{"_id": "e0", "amount": 0})
	mustNoErr(t, err, "seed")
	boom := errors.New("boom")
	transfer := func(id string, fail error) error {
		return h.client.UseSession(ctx, func(sc lungo.ISessionContext) error {
			_, err := sc.WithTransaction(sc, func(sc lungo.ISessionContext) (interface{}, error) {
				if _, err := h.coll("ledger").InsertOne(sc, bson.M{"_id": id + "-debit", "amount": -5}); err != nil {
					return nil, err
				}
				if _, err := h.coll("ledger").InsertOne(sc, bson.M{"_id": id + "-credit", "amount": 5}); err != nil {
					return nil, err
				}
				// The third write fails on a duplicate _id when id repeats.
				if _, err := h.coll("transfers").InsertOne(sc, bson.M{"_id": id}); err != nil {
					return nil, err
				}
				return nil, fail
			})
			return err
		})
	}
	mustNoErr(t, transfer("t1", nil), "committed transfer")
	if err := transfer("t2", boom); !errors.Is(err, boom) {
		t.Errorf("failing callback returned %v, want boom", err)
	}
	_, err = h.coll("transfers").InsertOne(ctx, bson.M{"_id": "t3"})
	mustNoErr(t, err, "pre-insert t3")
	if err := transfer("t3", nil); err == nil {
		t.Error("transfer with duplicate third write committed, want an error")
	}
	h.restart()

	want := []string{"e0", "t1-debit", "t1-credit"}
	if got := ids(t, h.coll("ledger")); !cmp.Equal(got, want) {
		t.Errorf("ledger = %v, want %v", got, want)
	}
	if got := ids(t, h.coll("transfers")); !cmp.Equal(got, []string{"t1", "t3"}) {
		t.Errorf("transfers = %v, want [t1 t3]", got)
	}
}
