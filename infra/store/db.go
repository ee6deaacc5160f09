// Package store is Carepool's adapter to its database, through the MongoDB driver API.
//
// The same code runs on two engines: lungo's embedded engine (in-process, persisted by a
// lungo.Store such as the bbolt store in infra/store/boltstore, or in memory for tests)
// and a real MongoDB replica set reached with lungo.Connect. The domain packages never
// import this package: they define small interfaces that the types here implement, and
// cmd/carepool wires them together.
package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/256dpi/lungo"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
	"go.mongodb.org/mongo-driver/mongo/readconcern"
	"go.mongodb.org/mongo-driver/mongo/readpref"
	"go.mongodb.org/mongo-driver/mongo/writeconcern"
	"go.mongodb.org/mongo-driver/x/mongo/driver/connstring"
)

// DatabaseName is the database Carepool uses on either engine.
const DatabaseName = "carepool"

// ErrBackupUnsupported is returned by Backup when the engine cannot stream a backup
// (a real MongoDB: use mongodump or the provider's snapshots there).
var ErrBackupUnsupported = errors.New("backups through Carepool are only available on the embedded store; use mongodump for MongoDB")

// Backuper is implemented by embedded persistence that can stream a consistent copy of itself.
type Backuper interface {
	WriteBackup(w io.Writer) (int64, error)
}

// DB is an open database: a lungo client on either engine, and the one Carepool database on it.
type DB struct {
	client   lungo.IClient
	database lungo.IDatabase
	engine   *lungo.Engine // nil on MongoDB
	persist  lungo.Store   // nil on MongoDB
	mongo    bool
}

// OpenEmbedded opens lungo's in-process engine over the given persistence (for example
// the bbolt store, or lungo.NewMemoryStore() in tests).
func OpenEmbedded(ctx context.Context, persist lungo.Store) (*DB, error) {
	client, engine, err := lungo.Open(ctx, lungo.Options{
		Store:        persist,
		ExpireErrors: func(error) {}, // no TTL indexes are used
		// lungo keeps an oplog for change streams, which Carepool does not use; keep it small
		// so every commit writes as little as possible.
		MinOplogSize: 1,
		MaxOplogSize: 10,
		MinOplogAge:  time.Millisecond,
		MaxOplogAge:  time.Second,
	})
	if err != nil {
		return nil, fmt.Errorf("open embedded store: %w", err)
	}
	db := &DB{client: client, engine: engine, persist: persist}
	db.database = client.Database(DatabaseName)
	if err := db.ensureIndexes(ctx); err != nil {
		engine.Close()
		return nil, err
	}
	return db, nil
}

// OpenMemory opens an empty embedded database held in memory only. Tests use it as the
// MongoDB test double; it is the same engine the embedded default runs.
func OpenMemory(ctx context.Context) (*DB, error) {
	return OpenEmbedded(ctx, lungo.NewMemoryStore())
}

// OpenMongo connects to a real MongoDB replica set at uri and uses the database named in
// the URI's path, or "carepool". Transactions use write concern majority and read concern
// snapshot (see ARCHITECTURE.md: weaker settings lose data).
func OpenMongo(ctx context.Context, uri string) (*DB, error) {
	opts := options.Client().ApplyURI(uri).
		SetWriteConcern(writeconcern.Majority()).
		SetReadConcern(readconcern.Majority())
	client, err := lungo.Connect(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("connect to MongoDB: %w", err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := client.Ping(pingCtx, readpref.Primary()); err != nil {
		_ = client.Disconnect(ctx)
		return nil, fmt.Errorf("reach MongoDB: %w", err)
	}
	name := DatabaseName
	if cs, err := connstring.ParseAndValidate(uri); err == nil && cs.Database != "" {
		name = cs.Database
	}
	db := &DB{client: client, database: client.Database(name), mongo: true}
	if err := db.ensureIndexes(ctx); err != nil {
		_ = client.Disconnect(ctx)
		return nil, err
	}
	return db, nil
}

// Collection returns a collection of the Carepool database.
func (db *DB) Collection(name string) lungo.ICollection { return db.database.Collection(name) }

// Engine names the engine in use, for logs and /readyz.
func (db *DB) Engine() string {
	if db.mongo {
		return "mongodb"
	}
	return "embedded"
}

// Tx runs fn in a multi-document transaction and commits it, or aborts it if fn fails.
// fn receives the context to pass to every collection call inside the transaction.
//
// fn must be safe to run more than once: MongoDB aborts concurrent transactions on the
// same document with a transient error and the driver runs fn again. lungo serialises
// writers and never retries.
func (db *DB) Tx(ctx context.Context, fn func(ctx context.Context) error) error {
	sess, err := db.client.StartSession()
	if err != nil {
		return fmt.Errorf("start session: %w", err)
	}
	defer sess.EndSession(ctx)
	// lungo ignores these options; MongoDB needs them.
	txOpts := options.Transaction().
		SetWriteConcern(writeconcern.Majority()).
		SetReadConcern(readconcern.Snapshot())
	_, err = sess.WithTransaction(ctx, func(sc lungo.ISessionContext) (any, error) {
		return nil, fn(sc)
	}, txOpts)
	return err
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if db.mongo {
		return db.client.Ping(ctx, readpref.Primary())
	}
	_, err := db.database.ListCollectionNames(ctx, map[string]any{})
	return err
}

// Backup streams a consistent copy of the embedded database to w.
func (db *DB) Backup(w io.Writer) (int64, error) {
	b, ok := db.persist.(Backuper)
	if !ok {
		return 0, ErrBackupUnsupported
	}
	return b.WriteBackup(w)
}

// Drop deletes the whole database. Tests on a real MongoDB use it to clean up.
func (db *DB) Drop(ctx context.Context) error { return db.database.Drop(ctx) }

// Counts returns the number of documents in each collection, for /metrics.
func (db *DB) Counts(ctx context.Context) (map[string]int64, error) {
	names, err := db.database.ListCollectionNames(ctx, map[string]any{})
	if err != nil {
		return nil, err
	}
	counts := make(map[string]int64, len(names))
	for _, name := range names {
		n, err := db.Collection(name).EstimatedDocumentCount(ctx)
		if err != nil {
			return nil, fmt.Errorf("count %s: %w", name, err)
		}
		counts[name] = n
	}
	return counts, nil
}

// Close closes the database. On the embedded engine every committed transaction is
// already on disk (each commit is one durable write), so closing only releases the
// engine and the persistence (its file lock).
func (db *DB) Close(ctx context.Context) error {
	if db.mongo {
		return db.client.Disconnect(ctx)
	}
	db.engine.Close()
	if c, ok := db.persist.(io.Closer); ok {
		return c.Close()
	}
	return nil
}

// IsDuplicateKey reports whether err is a unique-index violation on either engine.
func IsDuplicateKey(err error) bool {
	return mongo.IsDuplicateKeyError(err) || lungo.IsUniquenessError(err)
}
