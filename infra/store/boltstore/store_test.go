package boltstore

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/256dpi/lungo"
	"github.com/256dpi/lungo/bsonkit"
	"github.com/256dpi/lungo/mongokit"
	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
)

func TestOpenFailsFastWhenFileIsLocked(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "carepool.db")
	first, err := Open(path, Options{NoSync: true})
	mustNoErr(t, err, "first open")
	defer first.Close()

	start := time.Now()
	second, err := Open(path, Options{LockTimeout: 100 * time.Millisecond})
	if err == nil {
		second.Close()
		t.Fatal("second Open succeeded, want ErrLocked")
	}
	if !errors.Is(err, ErrLocked) {
		t.Errorf("error %v is not ErrLocked", err)
	}
	if want := "data directory " + dir + " is in use by another carepool process"; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not contain %q", err, want)
	}
	if waited := time.Since(start); waited > 2*time.Second {
		t.Errorf("Open waited %s, want about the lock timeout", waited)
	}
}

func TestOpenRejectsUnknownFormat(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "carepool.db")
	db, err := bolt.Open(path, 0o600, nil)
	mustNoErr(t, err, "bolt open")
	mustNoErr(t, db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket(bucketMeta)
		if err != nil {
			return err
		}
		return b.Put(keyFormat, []byte("99"))
	}), "write format")
	mustNoErr(t, db.Close(), "bolt close")

	if s, err := Open(path, Options{}); err == nil {
		s.Close()
		t.Fatal("Open accepted format 99")
	} else if !strings.Contains(err.Error(), `unsupported store format "99"`) {
		t.Errorf("error = %v, want unsupported format", err)
	}
}

// A single-document write at 1,000 documents touches only that document and lungo's
// oplog; a read touches nothing.
func TestStoreWritesOnlyWhatChanged(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "bolt")
	ctx := context.Background()
	docs := make([]interface{}, 1000)
	for i := range docs {
		docs[i] = bson.M{"_id": i, "pad": strings.Repeat("x", 1000)}
	}
	_, err := h.coll("big").InsertMany(ctx, docs)
	mustNoErr(t, err, "fill")

	steps := []struct {
		name        string
		do          func() error
		puts, stors int
	}{
		{"insert", func() error { _, err := h.coll("big").InsertOne(ctx, bson.M{"_id": -1}); return err }, 2, 1},
		{"update", func() error {
			_, err := h.coll("big").UpdateOne(ctx, bson.M{"_id": 500}, bson.M{"$set": bson.M{"x": 1}})
			return err
		}, 2, 1},
		{"find", func() error { return h.coll("big").FindOne(ctx, bson.M{"_id": 7}).Err() }, 0, 0},
		{"delete", func() error { _, err := h.coll("big").DeleteOne(ctx, bson.M{"_id": 3}); return err }, 1, 1},
	}
	for _, step := range steps {
		before := h.store.Stats()
		mustNoErr(t, step.do(), step.name)
		after := h.store.Stats()
		if got := int(after.Stores - before.Stores); got != step.stors {
			t.Errorf("%s: %d Store calls, want %d", step.name, got, step.stors)
		}
		if step.stors > 0 && after.Last.Puts != step.puts {
			t.Errorf("%s: wrote %d documents, want %d (the document and its oplog entry)", step.name, after.Last.Puts, step.puts)
		}
	}
	if st := h.store.Stats(); st.FullRewrites != 0 {
		t.Errorf("FullRewrites = %d, want 0", st.FullRewrites)
	}
}

// A randomised workload with the disk verified against a full re-encoding after every
// commit (verifyDisk): the identity diff must never miss or misplace a change. Carepool's
// small oplog keeps the O(database) verification cheap.
func TestIdentityDiffMatchesFullEncoding(t *testing.T) {
	t.Parallel()
	h := newHarnessWith(t, "bolt", childOptions)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	_, err := h.coll("c0").Indexes().CreateOne(ctx, mongo.IndexModel{Keys: bson.D{{Key: "k", Value: 1}}})
	mustNoErr(t, err, "index")
	for i := range 1500 {
		c := h.coll(fmt.Sprintf("c%d", rng.IntN(3)))
		id := rng.IntN(60)
		switch op := rng.IntN(10); {
		case op < 3:
			_, _ = c.InsertOne(ctx, bson.M{"_id": id, "k": rng.IntN(5)}) // may be a duplicate
		case op < 5:
			_, err = c.UpdateMany(ctx, bson.M{"k": rng.IntN(5)}, bson.M{"$inc": bson.M{"n": 1}})
		case op < 6:
			_, err = c.ReplaceOne(ctx, bson.M{"_id": id}, bson.M{"k": rng.IntN(5), "r": true})
		case op < 8:
			_, err = c.DeleteMany(ctx, bson.M{"k": rng.IntN(5), "_id": bson.M{"$lt": id}})
		case op < 9:
			err = h.client.UseSession(ctx, func(sc lungo.ISessionContext) error {
				_, err := sc.WithTransaction(sc, func(sc lungo.ISessionContext) (interface{}, error) {
					if _, err := c.DeleteOne(sc, bson.M{"_id": id}); err != nil {
						return nil, err
					}
					_, err := c.InsertOne(sc, bson.M{"_id": id, "moved": i})
					return nil, err
				})
				return err
			})
		case i%50 == 0:
			err = c.Drop(ctx)
		}
		mustNoErr(t, err, fmt.Sprintf("op %d", i))
		if i%500 == 499 {
			h.mode = "bolt-reopen"
			h.restart()
		}
	}
	if st := h.store.Stats(); st.FullRewrites != 0 {
		t.Errorf("FullRewrites = %d, want 0", st.FullRewrites)
	}
}

// Store without a Load (a catalog from elsewhere) must replace the file's content.
func TestStoreWithoutLoadReplacesFileContent(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "bolt")
	_, err := h.coll("old").InsertOne(context.Background(), bson.M{"_id": 1})
	mustNoErr(t, err, "insert")
	h.stop()

	catalog := lungo.NewCatalog()
	coll := mongokit.NewCollection(true)
	for _, id := range []string{"x", "y"} {
		_, err := coll.Insert(bsonkit.MustConvert(bson.M{"_id": id}))
		mustNoErr(t, err, "insert")
	}
	handle := lungo.Handle{"other", "with.dots.in.name"}
	catalog.Namespaces[handle] = coll

	s := openVerified(t, h.path)
	mustNoErr(t, s.Store(catalog), "store")
	mustNoErr(t, s.Close(), "close")
	s = openVerified(t, h.path)
	defer s.Close()
	loaded, err := s.Load()
	mustNoErr(t, err, "load")
	var got []string
	for hd := range loaded.Namespaces {
		got = append(got, hd.String())
	}
	slices.Sort(got)
	if diff := cmp.Diff([]string{"local.oplog", "other.with.dots.in.name"}, got); diff != "" {
		t.Errorf("namespaces (-want +got):\n%s", diff)
	}
	if n := len(loaded.Namespaces[handle].Documents.List); n != 2 {
		t.Errorf("%d documents, want 2", n)
	}
}

// A Store that fails (here: a document bson cannot encode) writes nothing and leaves the
// baseline intact, so the next Store diffs against what is really on disk.
func TestFailedStoreKeepsPreviousBaseline(t *testing.T) {
	t.Parallel()
	s := openVerified(t, filepath.Join(t.TempDir(), "carepool.db"))
	defer s.Close()
	base, err := s.Load()
	mustNoErr(t, err, "load")
	h := lungo.Handle{"test", "c"}
	withDocs := func(from *lungo.Catalog, docs ...bson.D) *lungo.Catalog {
		next := from.Clone()
		coll := mongokit.NewCollection(true)
		if prev := from.Namespaces[h]; prev != nil {
			coll = prev.Clone()
		}
		for _, d := range docs {
			_, err := coll.Insert(&d)
			mustNoErr(t, err, "insert")
		}
		next.Namespaces[h] = coll
		return next
	}
	good := withDocs(base, bson.D{{Key: "_id", Value: "a"}}, bson.D{{Key: "_id", Value: "b"}})
	mustNoErr(t, s.Store(good), "first store")

	bad := withDocs(good, bson.D{{Key: "_id", Value: "c"}}, bson.D{{Key: "_id", Value: "x"}, {Key: "ch", Value: make(chan int)}})
	if err := s.Store(bad); err == nil {
		t.Fatal("Store of an unencodable document succeeded")
	}
	// verifyDisk (run after every successful Store) checks file and baseline agree.
	mustNoErr(t, s.Store(withDocs(good, bson.D{{Key: "_id", Value: "d"}})), "store after failure")
	if got := s.Stats().Stores; got != 2 {
		t.Errorf("Stores = %d, want 2", got)
	}
}
