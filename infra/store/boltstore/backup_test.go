package boltstore

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/256dpi/lungo"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
)

func TestBackupIsConsistentWhileWriting(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "bolt")
	ctx := context.Background()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			// Pairs are inserted in one transaction, so any consistent copy has an even count.
			_, err := h.coll("pairs").InsertMany(ctx, []interface{}{bson.M{"_id": 2 * i}, bson.M{"_id": 2*i + 1}})
			if err != nil {
				t.Errorf("insert: %v", err)
				return
			}
		}
	}()
	time.Sleep(50 * time.Millisecond)
	var buf bytes.Buffer
	n, err := h.store.WriteBackup(&buf)
	close(stop)
	wg.Wait()
	mustNoErr(t, err, "backup")
	if n != int64(buf.Len()) {
		t.Errorf("WriteBackup reported %d bytes, wrote %d", n, buf.Len())
	}

	// Restore: the backup is a store file of its own.
	path := filepath.Join(t.TempDir(), "restored.db")
	mustNoErr(t, os.WriteFile(path, buf.Bytes(), 0o600), "write backup")
	s, err := Open(path, Options{})
	mustNoErr(t, err, "open backup")
	defer s.Close()
	mustNoErr(t, s.Check(), "check backup")
	catalog, err := s.Load()
	mustNoErr(t, err, "load backup")
	count := len(catalog.Namespaces[lungo.Handle{"test", "pairs"}].Documents.List)
	if count == 0 || count%2 != 0 {
		t.Errorf("backup has %d documents, want a positive even number", count)
	}
}

// lungo's oplog lives in the catalog; it is persisted like any namespace.
func TestOplogSurvivesRestart(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "bolt-reopen")
	for i := range 5 {
		_, err := h.coll("o").InsertOne(context.Background(), bson.M{"_id": i})
		mustNoErr(t, err, "insert")
	}
	before := len(h.engine.Catalog().Namespaces[lungo.Oplog].Documents.List)
	h.restart()
	if after := len(h.engine.Catalog().Namespaces[lungo.Oplog].Documents.List); after != before || after == 0 {
		t.Errorf("oplog has %d entries after restart, %d before", after, before)
	}
	// A change stream opened now sees new writes.
	stream, err := h.client.Database("test").Watch(context.Background(), mongo.Pipeline{}, options.ChangeStream())
	mustNoErr(t, err, "watch")
	defer stream.Close(context.Background())
	_, err = h.coll("o").InsertOne(context.Background(), bson.M{"_id": 99})
	mustNoErr(t, err, "insert")
	if !stream.Next(context.Background()) {
		t.Errorf("change stream saw no event: %v", stream.Err())
	}
}
