package boltstore

import (
	"context"
	"testing"

	"github.com/256dpi/lungo"
	"github.com/google/go-cmp/cmp"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
)

// Behaviour cases about schema and layout: indexes, drops and natural order. They run
// in every mode through TestBehaviour.

// indexNames lists a collection's indexes as name -> unique flag.
func indexNames(t *testing.T, c lungo.ICollection) map[string]bool {
	t.Helper()
	// lungo implements List but panics on ListSpecifications.
	cur, err := c.Indexes().List(context.Background())
	mustNoErr(t, err, "list indexes")
	var specs []struct {
		Name   string `bson:"name"`
		Unique bool   `bson:"unique"`
	}
	mustNoErr(t, cur.All(context.Background(), &specs), "decode indexes")
	out := map[string]bool{}
	for _, s := range specs {
		out[s.Name] = s.Unique
	}
	return out
}

func testIndexLifecycle(t *testing.T, h *harness) {
	ctx := context.Background()
	_, err := h.coll("offers").Indexes().CreateMany(ctx, []mongo.IndexModel{
		{Keys: bson.D{{Key: "slug", Value: 1}}, Options: options.Index().SetUnique(true)},
		{Keys: bson.D{{Key: "region", Value: 1}, {Key: "created", Value: -1}}},
		{Keys: bson.D{{Key: "ref", Value: 1}}, Options: options.Index().SetUnique(true).
			SetPartialFilterExpression(bson.M{"ref": bson.M{"$exists": true}})},
	})
	mustNoErr(t, err, "create indexes")
	h.restart()

	want := map[string]bool{"_id_": false, "slug_1": true, "region_1_created_-1": false, "ref_1": true}
	if diff := cmp.Diff(want, indexNames(t, h.coll("offers"))); diff != "" {
		t.Errorf("indexes after create (-want +got):\n%s", diff)
	}
	// The partial unique index ignores documents without ref, so two such are fine.
	_, err = h.coll("offers").InsertMany(ctx, []interface{}{bson.M{"slug": "x"}, bson.M{"slug": "y"}})
	mustNoErr(t, err, "insert without ref")

	_, err = h.coll("offers").Indexes().DropOne(ctx, "slug_1")
	mustNoErr(t, err, "drop index")
	h.restart()

	delete(want, "slug_1")
	if diff := cmp.Diff(want, indexNames(t, h.coll("offers"))); diff != "" {
		t.Errorf("indexes after drop (-want +got):\n%s", diff)
	}
	_, err = h.coll("offers").InsertOne(ctx, bson.M{"slug": "x"})
	mustNoErr(t, err, "duplicate slug after the unique index was dropped")
}

func testDrop(t *testing.T, h *harness) {
	ctx := context.Background()
	for _, name := range []string{"keep", "gone"} {
		_, err := h.coll(name).InsertOne(ctx, bson.M{"_id": name})
		mustNoErr(t, err, "insert")
	}
	_, err := h.client.Database("scratch").Collection("tmp").InsertOne(ctx, bson.M{"_id": 1})
	mustNoErr(t, err, "insert scratch")
	mustNoErr(t, h.coll("gone").Drop(ctx), "drop collection")
	mustNoErr(t, h.client.Database("scratch").Drop(ctx), "drop database")
	h.restart()

	names, err := h.client.Database("test").ListCollectionNames(ctx, bson.M{})
	mustNoErr(t, err, "list collections")
	if !cmp.Equal(names, []string{"keep"}) {
		t.Errorf("collections = %v, want [keep]", names)
	}
	if n, _ := h.client.Database("scratch").Collection("tmp").CountDocuments(ctx, bson.M{}); n != 0 {
		t.Errorf("dropped database still has %d documents", n)
	}
	// A recreated collection starts empty and works.
	_, err = h.coll("gone").InsertOne(ctx, bson.M{"_id": "again"})
	mustNoErr(t, err, "recreate")
	h.restart()
	if got := ids(t, h.coll("gone")); !cmp.Equal(got, []string{"again"}) {
		t.Errorf("recreated collection = %v, want [again]", got)
	}
}

func testNaturalOrder(t *testing.T, h *harness) {
	ctx := context.Background()
	c := h.coll("order")
	for _, id := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
		_, err := c.InsertOne(ctx, bson.M{"_id": id, "v": 0})
		mustNoErr(t, err, "insert")
	}
	_, err := c.DeleteOne(ctx, bson.M{"_id": "c"})
	mustNoErr(t, err, "delete")
	_, err = c.ReplaceOne(ctx, bson.M{"_id": "e"}, bson.M{"v": 1})
	mustNoErr(t, err, "replace keeps position")
	_, err = c.UpdateMany(ctx, bson.M{"_id": bson.M{"$in": bson.A{"b", "g"}}}, bson.M{"$set": bson.M{"v": 2}})
	mustNoErr(t, err, "update keeps position")
	// Delete and re-insert the same _id in one transaction: it moves to the end.
	err = h.client.UseSession(ctx, func(sc lungo.ISessionContext) error {
		_, err := sc.WithTransaction(sc, func(sc lungo.ISessionContext) (interface{}, error) {
			if _, err := c.DeleteOne(sc, bson.M{"_id": "d"}); err != nil {
				return nil, err
			}
			_, err := c.InsertOne(sc, bson.M{"_id": "d", "v": 3})
			return nil, err
		})
		return err
	})
	mustNoErr(t, err, "move d")
	_, err = c.InsertOne(ctx, bson.M{"_id": "i"})
	mustNoErr(t, err, "insert")

	want := []string{"a", "b", "e", "f", "g", "h", "d", "i"}
	if got := ids(t, c); !cmp.Equal(got, want) {
		t.Fatalf("order before restart = %v, want %v", got, want)
	}
	h.restart()
	if got := ids(t, h.coll("order")); !cmp.Equal(got, want) {
		t.Errorf("order after restart = %v, want %v", got, want)
	}
}
