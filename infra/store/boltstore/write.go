package boltstore

import (
	"bytes"
	"fmt"
	"time"

	"github.com/256dpi/lungo"
	"github.com/256dpi/lungo/bsonkit"
	"github.com/256dpi/lungo/mongokit"
	bolt "go.etcd.io/bbolt"
	"go.mongodb.org/mongo-driver/bson"
)

// docsFillPercent is how full bbolt packs a docs page before splitting it. New documents
// always get the largest key, so splits happen at the right edge and bbolt's default of
// 0.5 would leave every page half empty; replacements in place still find some room.
const docsFillPercent = 0.9

// writeCounts accumulates what one Store call wrote.
type writeCounts struct {
	namespaces, puts, deletes, fullRewrites int
	bytes                                   int64
}

// Store writes the difference between c and the catalog of the previous Store (or Load)
// in one bbolt transaction: documents added, replaced or removed, index definitions
// changed, namespaces created or dropped. Namespaces whose *mongokit.Collection pointer is
// unchanged are skipped without looking inside. On error nothing was written and the
// previous baseline stays, matching lungo, which then keeps its previous catalog too.
func (s *Store) Store(c *lungo.Catalog) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	start := time.Now()

	next := make(map[lungo.Handle]*nsState, len(c.Namespaces))
	var commits []func() // key-map updates, applied only once bbolt has committed
	var w writeCounts
	err := s.db.Update(func(tx *bolt.Tx) error {
		root := tx.Bucket(bucketNamespaces)
		if !s.loaded {
			// Without a Load there is no baseline: make the file mirror c exactly.
			if err := clearNamespaces(root); err != nil {
				return err
			}
		}
		for h, coll := range c.Namespaces {
			old := s.ns[h]
			if old != nil && old.coll == coll {
				next[h] = old
				continue
			}
			st, commit, err := writeNamespace(root, h, old, coll, &w)
			if err != nil {
				return fmt.Errorf("namespace %s: %w", h.String(), err)
			}
			next[h] = st
			if commit != nil {
				commits = append(commits, commit)
			}
			w.namespaces++
		}
		for h, old := range s.ns {
			if _, ok := c.Namespaces[h]; !ok {
				if err := root.DeleteBucket(old.bucket); err != nil {
					return fmt.Errorf("drop namespace %s: %w", h.String(), err)
				}
				w.namespaces++
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("boltstore: store: %w", err)
	}

	for _, commit := range commits {
		commit()
	}
	s.ns, s.loaded = next, true
	s.stats.Stores++
	s.stats.FullRewrites += uint64(w.fullRewrites)
	s.stats.Last = LastStore{
		Namespaces: w.namespaces,
		Puts:       w.puts,
		Deletes:    w.deletes,
		Bytes:      w.bytes,
		Duration:   time.Since(start),
	}
	if s.opts.afterStore != nil {
		s.opts.afterStore(c)
	}
	return nil
}

func clearNamespaces(root *bolt.Bucket) error {
	var names [][]byte
	if err := root.ForEachBucket(func(k []byte) error {
		names = append(names, bytes.Clone(k))
		return nil
	}); err != nil {
		return err
	}
	for _, k := range names {
		if err := root.DeleteBucket(k); err != nil {
			return err
		}
	}
	return nil
}

// writeNamespace brings the namespace bucket from old (nil if unknown) to coll. It returns
// the new baseline and, when that baseline shares old's key map, the update of that map
// to run after the bbolt commit (so a failed commit leaves old intact).
func writeNamespace(root *bolt.Bucket, h lungo.Handle, old *nsState, coll *mongokit.Collection, w *writeCounts) (*nsState, func(), error) {
	st := &nsState{bucket: handleKey(h), coll: coll}
	var b *bolt.Bucket
	var oldIndexes map[string][]byte
	if old == nil {
		// A namespace new to us; any stale bucket (never the case after Load) goes.
		if root.Bucket(st.bucket) != nil {
			if err := root.DeleteBucket(st.bucket); err != nil {
				return nil, nil, err
			}
		}
		var err error
		if b, err = root.CreateBucket(st.bucket); err != nil {
			return nil, nil, err
		}
		if _, err := b.CreateBucket(bucketDocs); err != nil {
			return nil, nil, err
		}
		if _, err := b.CreateBucket(bucketIndexes); err != nil {
			return nil, nil, err
		}
	} else if b = root.Bucket(st.bucket); b == nil {
		return nil, nil, fmt.Errorf("bucket missing from file")
	} else {
		oldIndexes = old.indexes
	}

	var err error
	if st.indexes, err = writeIndexes(b.Bucket(bucketIndexes), oldIndexes, coll.Indexes); err != nil {
		return nil, nil, err
	}

	docs := b.Bucket(bucketDocs)
	docs.FillPercent = docsFillPercent
	if old != nil {
		if p, ok := planDocs(old, coll); ok {
			st.seqs = old.seqs
			return st, func() { p.commit(st.seqs) }, p.apply(docs, w)
		}
		// The identity diff could not place a change (lungo reordered documents, which
		// its Set never does): rewrite the namespace rather than guess.
		w.fullRewrites++
		if err := b.DeleteBucket(bucketDocs); err != nil {
			return nil, nil, err
		}
		if docs, err = b.CreateBucket(bucketDocs); err != nil {
			return nil, nil, err
		}
		docs.FillPercent = docsFillPercent
	}
	st.seqs, err = writeAll(docs, coll.Documents.List, w)
	return st, nil, err
}

// writeIndexes stores index definitions that differ from the previous ones and deletes
// dropped ones. *mongokit.Index pointers change on every collection clone, so definitions
// are compared by their encoding (a few small documents per changed namespace).
func writeIndexes(b *bolt.Bucket, old map[string][]byte, indexes map[string]*mongokit.Index) (map[string][]byte, error) {
	cur := make(map[string][]byte, len(indexes))
	for name, index := range indexes {
		data, err := encodeIndex(index.Config())
		if err != nil {
			return nil, fmt.Errorf("encode index %q: %w", name, err)
		}
		cur[name] = data
		if prev, ok := old[name]; !ok || !bytes.Equal(prev, data) {
			if err := b.Put([]byte(name), data); err != nil {
				return nil, err
			}
		}
	}
	for name := range old {
		if _, ok := cur[name]; !ok {
			if err := b.Delete([]byte(name)); err != nil {
				return nil, err
			}
		}
	}
	return cur, nil
}

// writeAll writes every document with fresh sequence numbers in list order.
func writeAll(docs *bolt.Bucket, list bsonkit.List, w *writeCounts) (map[bsonkit.Doc]uint64, error) {
	seqs := make(map[bsonkit.Doc]uint64, len(list))
	for _, doc := range list {
		seq, err := docs.NextSequence()
		if err != nil {
			return nil, err
		}
		seqs[doc] = seq
		if err := putDoc(docs, seq, doc, w); err != nil {
			return nil, err
		}
	}
	return seqs, nil
}

func putDoc(docs *bolt.Bucket, seq uint64, doc bsonkit.Doc, w *writeCounts) error {
	data, err := bson.Marshal(doc)
	if err != nil {
		return fmt.Errorf("encode document: %w", err)
	}
	w.puts++
	w.bytes += int64(len(data))
	return docs.Put(seqKey(seq), data)
}
