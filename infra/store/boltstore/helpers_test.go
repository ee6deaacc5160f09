package boltstore

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"path/filepath"
	"sort"
	"sync/atomic"
	"testing"

	"github.com/256dpi/lungo"
	bolt "go.etcd.io/bbolt"
	"go.mongodb.org/mongo-driver/bson"
)

// Counters of the identity-diff verification, reported by TestMain.
var verifiedStores, verifiedDocs atomic.Int64

// harness runs lungo's engine over one of the stores under test.
type harness struct {
	tb     testing.TB
	mode   string // "memory", "bolt" or "bolt-reopen"
	mem    *lungo.MemoryStore
	path   string
	store  *Store
	engine *lungo.Engine
	client lungo.IClient
	opts   func(lungo.Store) lungo.Options // lungo options; default: lungo's defaults
}

// modes are the backends the behaviour suite runs on. In "bolt-reopen" restart closes
// the engine and the file and reopens both; elsewhere it is a no-op.
var modes = []string{"memory", "bolt", "bolt-reopen"}

func newHarness(tb testing.TB, mode string) *harness {
	tb.Helper()
	return newHarnessWith(tb, mode, func(s lungo.Store) lungo.Options { return lungo.Options{Store: s} })
}

func newHarnessWith(tb testing.TB, mode string, opts func(lungo.Store) lungo.Options) *harness {
	tb.Helper()
	h := &harness{tb: tb, mode: mode, opts: opts}
	if mode == "memory" {
		h.mem = lungo.NewMemoryStore()
	} else {
		h.path = filepath.Join(tb.TempDir(), "carepool.db")
	}
	h.start()
	tb.Cleanup(h.stop)
	return h
}

func (h *harness) start() {
	h.tb.Helper()
	var store lungo.Store = h.mem
	if h.mem == nil {
		h.store = openVerified(h.tb, h.path)
		store = h.store
	}
	client, engine, err := lungo.Open(context.Background(), h.opts(store))
	if err != nil {
		h.tb.Fatalf("lungo.Open: %v", err)
	}
	h.client, h.engine = client, engine
}

func (h *harness) stop() {
	if h.engine != nil {
		h.engine.Close()
		h.engine = nil
	}
	if h.store != nil {
		if err := h.store.Check(); err != nil {
			h.tb.Errorf("bbolt check: %v", err)
		}
		if err := h.store.Close(); err != nil {
			h.tb.Errorf("close: %v", err)
		}
		h.store = nil
	}
}

// restart simulates a server restart in "bolt-reopen" mode.
func (h *harness) restart() {
	h.tb.Helper()
	if h.mode != "bolt-reopen" {
		return
	}
	h.stop()
	h.start()
}

func (h *harness) coll(name string) lungo.ICollection {
	return h.client.Database("test").Collection(name)
}

// openVerified opens a store whose every Store is checked against a full re-encoding of
// the catalog (see verifyDisk). NoSync keeps the suite fast; the crash test syncs.
func openVerified(tb testing.TB, path string) *Store {
	tb.Helper()
	var s *Store
	opts := Options{NoSync: true, afterStore: func(c *lungo.Catalog) { verifyDisk(tb, s, c) }}
	s, err := Open(path, opts)
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	return s
}

// verifyDisk asserts that the file holds exactly catalog c: every namespace, every
// document re-encoded now (so a document lungo mutated in place after it was written
// would show up as a mismatch), in natural order, and every index definition. This is
// the measurement behind the identity-diff claim; it costs O(database) per commit.
func verifyDisk(tb testing.TB, s *Store, c *lungo.Catalog) {
	tb.Helper()
	err := s.db.View(func(tx *bolt.Tx) error {
		root := tx.Bucket(bucketNamespaces)
		var onDisk []string
		_ = root.ForEachBucket(func(k []byte) error { onDisk = append(onDisk, string(k)); return nil })
		var inMem []string
		for h := range c.Namespaces {
			inMem = append(inMem, string(handleKey(h)))
		}
		sort.Strings(onDisk)
		sort.Strings(inMem)
		if fmt.Sprint(onDisk) != fmt.Sprint(inMem) {
			return fmt.Errorf("namespaces on disk %q, in memory %q", onDisk, inMem)
		}
		for h, coll := range c.Namespaces {
			b := root.Bucket(handleKey(h))
			cur := b.Bucket(bucketDocs).Cursor()
			k, v := cur.First()
			for i, doc := range coll.Documents.List {
				want, err := bson.Marshal(doc)
				if err != nil {
					return err
				}
				if k == nil || !bytes.Equal(v, want) {
					return fmt.Errorf("%s: document %d differs on disk (key %x)", h.String(), i, k)
				}
				if s.ns[h].seqs[doc] != binary.BigEndian.Uint64(k) {
					return fmt.Errorf("%s: document %d: baseline key out of sync", h.String(), i)
				}
				k, v = cur.Next()
			}
			if k != nil {
				return fmt.Errorf("%s: extra document on disk (key %x)", h.String(), k)
			}
			if len(s.ns[h].seqs) != len(coll.Documents.List) {
				return fmt.Errorf("%s: key map has %d entries for %d documents", h.String(), len(s.ns[h].seqs), len(coll.Documents.List))
			}
			n := 0
			for name, index := range coll.Indexes {
				want, _ := encodeIndex(index.Config())
				if got := b.Bucket(bucketIndexes).Get([]byte(name)); !bytes.Equal(got, want) {
					return fmt.Errorf("%s: index %q differs on disk", h.String(), name)
				}
				n++
			}
			if got := b.Bucket(bucketIndexes).Stats().KeyN; got != n {
				return fmt.Errorf("%s: %d indexes on disk, %d in memory", h.String(), got, n)
			}
			verifiedDocs.Add(int64(len(coll.Documents.List)))
		}
		return nil
	})
	if err != nil {
		tb.Errorf("store %d: disk does not match catalog: %v", s.stats.Stores, err)
	}
	verifiedStores.Add(1)
}

func mustNoErr(tb testing.TB, err error, what string) {
	tb.Helper()
	if err != nil {
		tb.Fatalf("%s: %v", what, err)
	}
}

// ids returns the _id values of all documents in natural order.
func ids(tb testing.TB, coll lungo.ICollection) []string {
	tb.Helper()
	cur, err := coll.Find(context.Background(), bson.M{})
	mustNoErr(tb, err, "find")
	var docs []struct {
		ID string `bson:"_id"`
	}
	mustNoErr(tb, cur.All(context.Background(), &docs), "decode")
	out := make([]string, 0, len(docs))
	for _, d := range docs {
		out = append(out, d.ID)
	}
	return out
}
