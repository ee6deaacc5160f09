package boltstore

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/256dpi/lungo"
	"github.com/256dpi/lungo/bsonkit"
	"github.com/256dpi/lungo/mongokit"
	bolt "go.etcd.io/bbolt"
	"go.mongodb.org/mongo-driver/bson"
)

// nsState is what the store remembers about one namespace as last written, so the next
// Store can diff against it. Only seqs is ever updated in place, and only after a bbolt
// commit succeeded; a failed transaction leaves the previous nsState valid.
type nsState struct {
	bucket  []byte                 // key of the namespace bucket under ns/
	coll    *mongokit.Collection   // the collection as last written; lungo never mutates it
	seqs    map[bsonkit.Doc]uint64 // docs key of every document of coll
	indexes map[string][]byte      // encoded index configs as last written
}

// handleKey encodes a namespace handle as a bucket key. NUL cannot occur in MongoDB
// database or collection names, so unlike lungo's "db.coll" string (collection names may
// contain dots) the encoding is unambiguous.
func handleKey(h lungo.Handle) []byte {
	return []byte(h[0] + "\x00" + h[1])
}

func parseHandleKey(k []byte) (lungo.Handle, error) {
	db, coll, ok := bytes.Cut(k, []byte{0})
	if !ok || len(db) == 0 || len(coll) == 0 {
		return lungo.Handle{}, fmt.Errorf("invalid namespace bucket %q", k)
	}
	return lungo.Handle{string(db), string(coll)}, nil
}

func seqKey(seq uint64) []byte {
	return binary.BigEndian.AppendUint64(make([]byte, 0, 8), seq)
}

// encodeIndex serialises an index definition with lungo's own FileIndex shape (the one
// its FileStore uses), so the two formats describe indexes identically.
func encodeIndex(cfg mongokit.IndexConfig) ([]byte, error) {
	return bson.Marshal(lungo.FileIndex{
		Key:     cfg.Key,
		Unique:  cfg.Unique,
		Partial: cfg.Partial,
		Expiry:  cfg.Expiry,
	})
}

func decodeIndex(data []byte) (*mongokit.Index, error) {
	var fi lungo.FileIndex
	if err := bson.Unmarshal(data, &fi); err != nil {
		return nil, err
	}
	return mongokit.CreateIndex(mongokit.IndexConfig{
		Key:     fi.Key,
		Unique:  fi.Unique,
		Partial: fi.Partial,
		Expiry:  fi.Expiry,
	})
}

// Load rebuilds the catalog from the file: every namespace (including lungo's oplog) with
// its documents in their stored natural order and its indexes rebuilt, so unique
// constraints hold after a restart. It also becomes the baseline for the next Store.
func (s *Store) Load() (*lungo.Catalog, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	start := time.Now()

	catalog := &lungo.Catalog{Namespaces: map[lungo.Handle]*mongokit.Collection{}}
	states := map[lungo.Handle]*nsState{}
	docs := 0
	err := s.db.View(func(tx *bolt.Tx) error {
		root := tx.Bucket(bucketNamespaces)
		return root.ForEachBucket(func(k []byte) error {
			h, err := parseHandleKey(k)
			if err != nil {
				return err
			}
			st, err := loadNamespace(root.Bucket(k))
			if err != nil {
				return fmt.Errorf("namespace %s: %w", h.String(), err)
			}
			st.bucket = bytes.Clone(k)
			states[h] = st
			catalog.Namespaces[h] = st.coll
			docs += len(st.seqs)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("boltstore: load %s: %w", s.path, err)
	}

	// lungo's NewCatalog always has an oplog namespace, and its engine assumes one. It is
	// left out of states so the first Store creates its bucket.
	if catalog.Namespaces[lungo.Oplog] == nil {
		catalog.Namespaces[lungo.Oplog] = mongokit.NewCollection(false)
	}

	s.ns = states
	s.loaded = true
	s.stats.LoadedDocuments = docs
	s.stats.LoadDuration = time.Since(start)
	return catalog, nil
}

func loadNamespace(b *bolt.Bucket) (*nsState, error) {
	docsBucket, idxBucket := b.Bucket(bucketDocs), b.Bucket(bucketIndexes)
	if docsBucket == nil || idxBucket == nil {
		return nil, fmt.Errorf("missing docs or indexes bucket")
	}
	st := &nsState{
		coll:    mongokit.NewCollection(false),
		indexes: map[string][]byte{},
	}

	err := idxBucket.ForEach(func(name, data []byte) error {
		index, err := decodeIndex(data)
		if err != nil {
			return fmt.Errorf("index %q: %w", name, err)
		}
		st.coll.Indexes[string(name)] = index
		st.indexes[string(name)] = bytes.Clone(data)
		return nil
	})
	if err != nil {
		return nil, err
	}

	n := docsBucket.Stats().KeyN
	list := make(bsonkit.List, 0, n)
	st.seqs = make(map[bsonkit.Doc]uint64, n)
	c := docsBucket.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if len(k) != 8 {
			return nil, fmt.Errorf("invalid document key %x", k)
		}
		// v points into bbolt's memory map, valid only inside this transaction; decode
		// from a private copy so no decoded value (e.g. binary data) can alias it.
		doc := &bson.D{}
		if err := bson.Unmarshal(bytes.Clone(v), doc); err != nil {
			return nil, fmt.Errorf("document %x: %w", k, err)
		}
		list = append(list, doc)
		st.seqs[doc] = binary.BigEndian.Uint64(k)
	}
	st.coll.Documents = bsonkit.NewSet(list)

	for name, index := range st.coll.Indexes {
		ok, err := index.Build(list)
		if err != nil {
			return nil, fmt.Errorf("build index %q: %w", name, err)
		} else if !ok {
			return nil, fmt.Errorf("build index %q: duplicate key", name)
		}
	}
	return st, nil
}
