package boltstore

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/256dpi/lungo"
	"github.com/256dpi/lungo/bsonkit"
	bolt "go.etcd.io/bbolt"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/bson/primitive"
	"go.mongodb.org/mongo-driver/mongo/options"
)

// Run one benchmark family at a time (2 cores); sizes via -bench regexp, e.g.
//
//	go test -run '^$' -bench 'InsertOne/bolt' -benchtime 300x ./infra/store/boltstore/
var benchSizes = []int{1_000, 10_000, 50_000, 100_000}

func eachSize(b *testing.B, backends []string, fn func(b *testing.B, env *benchEnv, n int)) {
	for _, backend := range backends {
		for _, n := range benchSizes {
			b.Run(fmt.Sprintf("%s/docs=%d", backend, n), func(b *testing.B) {
				env := openBench(b, n, backend)
				runtime.GC()
				b.ResetTimer()
				fn(b, env, n)
			})
		}
	}
}

// timed runs op b.N times and reports p50/p99, plus the Store share on bbolt.
func timed(b *testing.B, env *benchEnv, op func(i int) error) {
	lat := make(latencies, 0, b.N)
	var store latencies
	var stores uint64
	if env.store != nil {
		stores = env.store.Stats().Stores
	}
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if err := op(i); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
		if env.store != nil {
			if st := env.store.Stats(); st.Stores != stores {
				stores = st.Stores
				store = append(store, st.Last.Duration)
			}
		}
	}
	b.StopTimer()
	lat.report(b, "")
	store.report(b, "store-")
}

func BenchmarkInsertOne(b *testing.B) {
	eachSize(b, []string{"bolt", "memory"}, func(b *testing.B, env *benchEnv, n int) {
		rng := rand.New(rand.NewPCG(1, 1))
		timed(b, env, func(i int) error {
			_, err := env.offers.InsertOne(context.Background(), offer(n+i, rng))
			return err
		})
	})
}

// BenchmarkTxn3 is a pool join: take a seat on an existing offer (conditional $inc by
// _id), insert a membership and a ledger entry, in one transaction.
func BenchmarkTxn3(b *testing.B) {
	eachSize(b, []string{"bolt", "memory"}, func(b *testing.B, env *benchEnv, n int) {
		ctx := context.Background()
		db := env.client.Database("bench")
		timed(b, env, func(i int) error {
			id := env.ids[i%len(env.ids)]
			return env.client.UseSession(ctx, func(sc lungo.ISessionContext) error {
				_, err := sc.WithTransaction(sc, func(sc lungo.ISessionContext) (interface{}, error) {
					if _, err := env.offers.UpdateOne(sc, bson.M{"_id": id, "taken": bson.M{"$lt": 1 << 30}},
						bson.M{"$inc": bson.M{"taken": 1}}); err != nil {
						return nil, err
					}
					if _, err := db.Collection("members").InsertOne(sc, bson.M{"offer": id, "user": i}); err != nil {
						return nil, err
					}
					_, err := db.Collection("ledger").InsertOne(sc, bson.M{"offer": id, "amount": -500, "key": strconv.Itoa(i)})
					return nil, err
				})
				return err
			})
		})
	})
}

func BenchmarkFindOneByID(b *testing.B) {
	eachSize(b, []string{"bolt"}, func(b *testing.B, env *benchEnv, n int) {
		rng := rand.New(rand.NewPCG(2, 2))
		timed(b, env, func(int) error {
			var out bson.M
			return env.offers.FindOne(context.Background(), bson.M{"_id": env.ids[rng.IntN(len(env.ids))]}).Decode(&out)
		})
	})
}

// BenchmarkList20 is a listing page: one region's open offers, newest first, 20 of them.
// "engine-sort" asks lungo for sort+limit (it sorts the whole collection, then filters);
// "scan-then-sort" filters in lungo with a projection, sorts the matches in Go and
// fetches the 20 winners by _id, a workaround that avoids the full sort.
func BenchmarkList20(b *testing.B) {
	eachSize(b, []string{"bolt"}, func(b *testing.B, env *benchEnv, n int) {
		ctx := context.Background()
		filter := func(i int) bson.M { return bson.M{"region": regions[i%len(regions)], "status": "open"} }
		check := func(out []bson.M) error {
			if len(out) != 20 && n >= 10_000 {
				return fmt.Errorf("page has %d offers", len(out))
			}
			return nil
		}
		b.Run("engine-sort", func(b *testing.B) {
			timed(b, env, func(i int) error {
				cur, err := env.offers.Find(ctx, filter(i),
					options.Find().SetSort(bson.D{{Key: "created", Value: -1}}).SetLimit(20))
				if err != nil {
					return err
				}
				var out []bson.M
				if err := cur.All(ctx, &out); err != nil {
					return err
				}
				return check(out)
			})
		})
		b.Run("scan-then-sort", func(b *testing.B) {
			timed(b, env, func(i int) error {
				cur, err := env.offers.Find(ctx, filter(i), options.Find().SetProjection(bson.M{"created": 1}))
				if err != nil {
					return err
				}
				var keys []struct {
					ID      primitive.ObjectID `bson:"_id"`
					Created primitive.DateTime `bson:"created"`
				}
				if err := cur.All(ctx, &keys); err != nil {
					return err
				}
				sort.Slice(keys, func(a, b int) bool { return keys[a].Created > keys[b].Created })
				ids := bson.A{}
				for _, k := range keys[:min(20, len(keys))] {
					ids = append(ids, k.ID)
				}
				// No sort here: lungo would sort the whole collection again.
				cur, err = env.offers.Find(ctx, bson.M{"_id": bson.M{"$in": ids}})
				if err != nil {
					return err
				}
				var out []bson.M
				if err := cur.All(ctx, &out); err != nil {
					return err
				}
				sort.Slice(out, func(a, b int) bool {
					return out[a]["created"].(primitive.DateTime) > out[b]["created"].(primitive.DateTime)
				})
				return check(out)
			})
		})
	})
}

// BenchmarkOpen measures a server start: open the file and load the catalog into lungo.
func BenchmarkOpen(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("docs=%d", n), func(b *testing.B) {
			path := fixture(b, n)
			st, err := os.Stat(path)
			mustNoErr(b, err, "stat")
			b.ResetTimer()
			var heap uint64
			for i := 0; i < b.N; i++ {
				s, err := Open(path, Options{})
				mustNoErr(b, err, "open")
				_, engine, err := lungo.Open(context.Background(), childOptions(s))
				mustNoErr(b, err, "load")
				b.StopTimer()
				runtime.GC()
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				heap = ms.HeapAlloc
				engine.Close()
				_ = s.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(st.Size())/(1<<20), "file-MiB")
			b.ReportMetric(float64(heap)/(1<<20), "heap-MiB")
			b.ReportMetric(rssMiB(), "rss-MiB")
		})
	}
}

// rssMiB reads this process's peak resident set (VmHWM) from /proc.
func rssMiB() float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}

// BenchmarkDiff compares finding one inserted document by identity (what Store does)
// with re-encoding the whole collection (what a naive incremental store would need).
func BenchmarkDiff(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("docs=%d", n), func(b *testing.B) {
			s, err := Open(fixture(b, n), Options{})
			mustNoErr(b, err, "open")
			defer s.Close()
			catalog, err := s.Load()
			mustNoErr(b, err, "load")
			h := lungo.Handle{"bench", "offers"}
			old := s.ns[h]
			next := old.coll.Clone()
			_, err = next.Insert(bsonkit.MustConvert(bson.M{"x": 1}))
			mustNoErr(b, err, "insert")
			_ = catalog
			b.Run("identity", func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					if p, ok := planDocs(old, next); !ok || len(p.puts) != 1 {
						b.Fatal("unexpected plan")
					}
				}
			})
			b.Run("reencode", func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					for _, doc := range next.Documents.List {
						if _, err := bson.Marshal(doc); err != nil {
							b.Fatal(err)
						}
					}
				}
			})
			b.Run("lungo-clone", func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					_ = old.coll.Clone()
				}
			})
		})
	}
}

// BenchmarkCommitFloor is the disk's share: one 1.3 KB put per fsynced bbolt transaction
// in an empty file. Store can be no faster than this on the same disk at the same time.
func BenchmarkCommitFloor(b *testing.B) {
	s, err := Open(filepath.Join(b.TempDir(), "floor.db"), Options{})
	mustNoErr(b, err, "open")
	defer s.Close()
	value := make([]byte, 1300)
	lat := make(latencies, 0, b.N)
	for i := 0; i < b.N; i++ {
		start := time.Now()
		err := s.db.Update(func(tx *bolt.Tx) error {
			return tx.Bucket(bucketMeta).Put([]byte("k"+strconv.Itoa(i%100)), value)
		})
		mustNoErr(b, err, "commit")
		lat = append(lat, time.Since(start))
	}
	lat.report(b, "")
}
