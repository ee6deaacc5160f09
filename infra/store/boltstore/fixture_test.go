package boltstore

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/256dpi/lungo"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/bson/primitive"
	"go.mongodb.org/mongo-driver/mongo"
)

// Benchmark data: "offers" of about 1.3 KB, like Carepool's listings.
var (
	regions  = []string{"n", "ne", "nw", "yh", "em", "wm", "ee", "ln", "se", "sw", "wa", "sc", "ni", "r13", "r14", "r15", "r16", "r17", "r18", "r19"}
	statuses = []string{"open", "full", "closed", "draft"}
	letters  = "abcdefghijklmnopqrstuvwxyz      "
)

// offer returns benchmark document i. Region and status vary independently, so the
// list-20 filter (one region, open) matches 1 in 80 documents.
func offer(i int, rng *rand.Rand) bson.D {
	text := func(n int) string {
		var sb strings.Builder
		for range n {
			sb.WriteByte(letters[rng.IntN(len(letters))])
		}
		return sb.String()
	}
	return bson.D{
		{Key: "_id", Value: primitive.NewObjectID()},
		{Key: "owner", Value: fmt.Sprintf("user-%05d", rng.IntN(5000))},
		{Key: "title", Value: text(60)},
		{Key: "description", Value: text(1000)},
		{Key: "region", Value: regions[i%len(regions)]},
		{Key: "status", Value: statuses[(i/len(regions))%len(statuses)]},
		{Key: "price", Value: int64(rng.IntN(100_000))},
		{Key: "seats", Value: int32(4 + rng.IntN(8))},
		{Key: "taken", Value: int32(0)},
		{Key: "created", Value: primitive.DateTime(1_700_000_000_000 + int64(i)*60_000)},
		{Key: "tags", Value: bson.A{text(8), text(8), text(8)}},
	}
}

// fixtureVersion changes whenever offer or the fill changes, invalidating cached files.
const fixtureVersion = "v2"

var fixtureMu sync.Mutex

// fixture returns the path of a store holding n offers, filled once through lungo's
// InsertMany in batches of 1,000 and cached in the temp directory across runs.
func fixture(tb testing.TB, n int) string {
	tb.Helper()
	fixtureMu.Lock()
	defer fixtureMu.Unlock()
	dir := filepath.Join(os.TempDir(), "carepool-boltstore-bench")
	path := filepath.Join(dir, fmt.Sprintf("%s-%d.db", fixtureVersion, n))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	start := time.Now()
	tmp := path + ".tmp"
	_ = os.Remove(tmp)
	s, err := Open(tmp, Options{NoSync: true})
	mustNoErr(tb, err, "open fixture")
	client, engine, err := lungo.Open(context.Background(), childOptions(s))
	mustNoErr(tb, err, "lungo open")
	coll := client.Database("bench").Collection("offers")
	_, err = coll.Indexes().CreateOne(context.Background(), mongo.IndexModel{Keys: bson.D{{Key: "region", Value: 1}, {Key: "created", Value: -1}}})
	mustNoErr(tb, err, "index")
	rng := rand.New(rand.NewPCG(uint64(n), 7))
	const batch = 1000
	for i := 0; i < n; i += batch {
		docs := make([]interface{}, 0, batch)
		for j := i; j < min(i+batch, n); j++ {
			docs = append(docs, offer(j, rng))
		}
		_, err := coll.InsertMany(context.Background(), docs)
		mustNoErr(tb, err, "fill")
	}
	engine.Close()
	mustNoErr(tb, s.Close(), "close fixture")
	mustNoErr(tb, os.Rename(tmp, path), "publish fixture")
	fmt.Fprintf(os.Stderr, "built fixture %d docs in %s (InsertMany, batches of %d)\n", n, time.Since(start).Round(time.Millisecond), batch)
	return path
}

// benchEnv is an engine over a private copy of a fixture.
type benchEnv struct {
	store  *Store // nil for the memory backend
	engine *lungo.Engine
	client lungo.IClient
	offers lungo.ICollection
	ids    []primitive.ObjectID
}

// openBench copies the n-document fixture and opens it on the given backend ("bolt",
// fsync on, or "memory": the same catalog in lungo's MemoryStore, to isolate the engine).
func openBench(b *testing.B, n int, backend string) *benchEnv {
	b.Helper()
	src := fixture(b, n)
	path := filepath.Join(b.TempDir(), "carepool.db")
	copyFile(b, src, path)
	s, err := Open(path, Options{})
	mustNoErr(b, err, "open")
	var store lungo.Store = s
	if backend == "memory" {
		catalog, err := s.Load()
		mustNoErr(b, err, "load")
		mustNoErr(b, s.Close(), "close")
		s = nil
		mem := lungo.NewMemoryStore()
		mustNoErr(b, mem.Store(catalog), "memory store")
		store = mem
	}
	client, engine, err := lungo.Open(context.Background(), childOptions(store))
	mustNoErr(b, err, "lungo open")
	env := &benchEnv{store: s, engine: engine, client: client, offers: client.Database("bench").Collection("offers")}
	for _, doc := range engine.Catalog().Namespaces[lungo.Handle{"bench", "offers"}].Documents.List {
		env.ids = append(env.ids, (*doc)[0].Value.(primitive.ObjectID))
	}
	b.Cleanup(func() {
		engine.Close()
		if s != nil {
			_ = s.Close()
		}
	})
	return env
}

func copyFile(tb testing.TB, src, dst string) {
	tb.Helper()
	in, err := os.Open(src)
	mustNoErr(tb, err, "open fixture")
	defer in.Close()
	out, err := os.Create(dst)
	mustNoErr(tb, err, "create copy")
	_, err = io.Copy(out, in)
	mustNoErr(tb, err, "copy")
	mustNoErr(tb, out.Close(), "close copy")
}

// latencies records per-operation durations and reports p50/p99 in milliseconds.
type latencies []time.Duration

func (l latencies) report(b *testing.B, prefix string) {
	if len(l) == 0 {
		return
	}
	sort.Slice(l, func(i, j int) bool { return l[i] < l[j] })
	pct := func(p float64) float64 {
		return float64(l[min(len(l)-1, int(p*float64(len(l))))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), prefix+"p50-ms")
	b.ReportMetric(pct(0.99), prefix+"p99-ms")
}
