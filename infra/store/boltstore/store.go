// Package boltstore persists lungo's embedded MongoDB-compatible engine in a single
// bbolt file, writing only what changed on each commit.
//
// lungo keeps the whole catalog in memory and hands every committed catalog to a
// lungo.Store. Its own FileStore re-encodes and rewrites the entire data file each time,
// which makes a single insert cost time linear in the database size. This store instead
// keeps, per namespace, the *mongokit.Collection it last wrote and finds the changed
// documents by pointer identity (lungo never mutates a committed document or document
// list; every change produces new pointers), then writes just those documents in one
// bbolt transaction. A lungo commit is therefore durable (fsync) and all-or-nothing on
// disk.
//
// File layout (all keys are bytes):
//
//	meta/format                     -> "1"
//	ns/<db>\x00<coll>/docs/<seq>    -> raw BSON of the document (seq: uint64 big-endian)
//	ns/<db>\x00<coll>/indexes/<name> -> BSON of lungo.FileIndex
//
// Documents are keyed by a per-namespace sequence rather than by _id because the key
// order then is lungo's natural (insertion) order, so Load needs no sort, and because _id
// is not unique everywhere: the oplog has no _id index and its timestamp ids can repeat
// after a restart within the same second, and lungo lets a user drop the _id_ index.
package boltstore

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/256dpi/lungo"
	bolt "go.etcd.io/bbolt"
)

// ErrLocked is returned (wrapped, with the data directory named) by Open when another
// process holds the store file.
var ErrLocked = errors.New("boltstore: store file is locked by another process")

// formatVersion is written to meta/format; Open refuses files of another version so an
// older binary never misreads a newer layout.
const formatVersion = "1"

var (
	bucketMeta       = []byte("meta")
	bucketNamespaces = []byte("ns")
	bucketDocs       = []byte("docs")
	bucketIndexes    = []byte("indexes")
	keyFormat        = []byte("format")
)

// Options configures Open.
type Options struct {
	// LockTimeout is how long Open waits for the file lock before failing with
	// ErrLocked. Default 1s: long enough to ride out a restart, short enough that a
	// second server on the same DATA_DIR fails visibly instead of hanging.
	LockTimeout time.Duration

	// NoSync skips fsync on commit. Only for tests and benchmarks fills: a machine crash
	// may then lose or corrupt recent commits.
	NoSync bool

	// afterStore, when set (tests only), runs after every successful Store with the
	// catalog just written, still under the store mutex.
	afterStore func(*lungo.Catalog)
}

// Store is a lungo.Store backed by a bbolt file. Load must be called before Store (lungo's
// engine does so on creation); Store is safe for concurrent use but lungo serialises
// commits anyway.
type Store struct {
	db   *bolt.DB
	path string
	opts Options

	mu     sync.Mutex // guards everything below; held for the whole of Store
	ns     map[lungo.Handle]*nsState
	loaded bool
	stats  Stats
}

var _ lungo.Store = (*Store)(nil)

// Open opens (creating if needed) the bbolt file at path. It fails fast with ErrLocked
// (wrapped, message naming the data directory) when another process holds the file.
func Open(path string, opts Options) (*Store, error) {
	if opts.LockTimeout <= 0 {
		opts.LockTimeout = time.Second
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("boltstore: create data directory: %w", err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{
		Timeout: opts.LockTimeout,
		NoSync:  opts.NoSync,
		// The hashmap freelist stays fast when a long-lived file has many free pages;
		// the default array freelist degrades with fragmentation.
		FreelistType: bolt.FreelistMapType,
	})
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, fmt.Errorf("data directory %s is in use by another carepool process (could not lock %s within %s): %w",
			dir, filepath.Base(path), opts.LockTimeout, ErrLocked)
	}
	if err != nil {
		return nil, fmt.Errorf("boltstore: open %s: %w", path, err)
	}
	if err := initFile(db); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("boltstore: %s: %w", path, err)
	}
	return &Store{db: db, path: path, opts: opts, ns: map[lungo.Handle]*nsState{}}, nil
}

// initFile creates the top-level buckets of a new file and checks the format of an
// existing one.
func initFile(db *bolt.DB) error {
	return db.Update(func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return err
		}
		switch v := meta.Get(keyFormat); {
		case v == nil:
			if err := meta.Put(keyFormat, []byte(formatVersion)); err != nil {
				return err
			}
		case string(v) != formatVersion:
			return fmt.Errorf("unsupported store format %q (this build reads %q)", v, formatVersion)
		}
		_, err = tx.CreateBucketIfNotExists(bucketNamespaces)
		return err
	})
}

// Close closes the file and releases the lock. Close the lungo engine first: a Store
// after Close fails.
func (s *Store) Close() error {
	return s.db.Close()
}

// Path returns the path of the bbolt file.
func (s *Store) Path() string { return s.path }

// WriteBackup streams a consistent snapshot of the whole file to w, while writes go on.
// The result is a valid store file: restore by stopping the server and copying it over
// the data file. A long backup holds a read transaction, which delays a writer only if
// that writer has to grow the memory map.
func (s *Store) WriteBackup(w io.Writer) (int64, error) {
	var n int64
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("boltstore: backup: %w", err)
	}
	return n, nil
}

// Check runs bbolt's consistency check (page reachability, freelist, key order) and
// returns every problem found, joined. It takes the write lock, because bbolt's check is
// only reliable without a concurrent writer, so commits wait while it runs.
func (s *Store) Check() error {
	// A writable transaction that is rolled back: it excludes writers without
	// committing (and fsyncing) an empty transaction.
	tx, err := s.db.Begin(true)
	if err != nil {
		return fmt.Errorf("boltstore: check: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	var errs []error
	for err := range tx.Check() {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
