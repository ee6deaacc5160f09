package boltstore

import (
	"time"

	bolt "go.etcd.io/bbolt"
)

// Stats describes the store for health pages, logs and tests.
type Stats struct {
	// FileSize is the size of the bbolt file in bytes (it includes free pages, which
	// bbolt reuses but never returns to the filesystem).
	FileSize int64

	// Stores counts successful Store calls since Open.
	Stores uint64

	// FullRewrites counts namespaces rewritten whole because the identity diff could not
	// place a change. lungo's ordering guarantees keep it at 0; anything else is a bug
	// worth reporting (the data is still written correctly).
	FullRewrites uint64

	// LoadedDocuments and LoadDuration describe the last Load.
	LoadedDocuments int
	LoadDuration    time.Duration

	// Last describes the most recent successful Store.
	Last LastStore
}

// LastStore describes one Store call.
type LastStore struct {
	Namespaces int           // namespaces written, created or dropped
	Puts       int           // documents written (inserted or replaced), oplog included
	Deletes    int           // documents deleted
	Bytes      int64         // encoded bytes of the documents written
	Duration   time.Duration // diff, encoding and the fsynced bbolt commit
}

// Stats returns a snapshot of the store's counters and file size.
func (s *Store) Stats() Stats {
	s.mu.Lock()
	st := s.stats
	s.mu.Unlock()
	_ = s.db.View(func(tx *bolt.Tx) error {
		st.FileSize = tx.Size()
		return nil
	})
	return st
}
