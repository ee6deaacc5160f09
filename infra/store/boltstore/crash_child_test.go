package boltstore

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/256dpi/lungo"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo/options"
)

// Environment of the child process the crash test and the lock test re-execute this test
// binary as (see TestMain).
const (
	envChild = "BOLTSTORE_TEST_CHILD" // "crash" or "hold"
	envPath  = "BOLTSTORE_TEST_PATH"
	envCycle = "BOLTSTORE_TEST_CYCLE"
)

// childOptions mirror the lungo options Carepool runs with (infra/store): a tiny oplog.
func childOptions(s lungo.Store) lungo.Options {
	return lungo.Options{Store: s, MinOplogSize: 1, MaxOplogSize: 10, MinOplogAge: time.Millisecond, MaxOplogAge: time.Second}
}

// ack prints one acknowledged write. A single write(2) of a short line to a pipe is
// atomic, so lines from concurrent workers never interleave.
func ack(format string, args ...any) {
	_, _ = os.Stdout.WriteString(fmt.Sprintf(format, args...) + "\n")
}

// runChild is the child's main. "hold" opens the store and waits to be killed; "crash"
// runs concurrent writes until it is SIGKILLed, printing each acknowledged one:
//
//	S <id>      single insert into "singles"
//	U <id> <v>  single update of "singles" <id> to v (only one worker updates an id)
//	D <id>      single delete from "singles"
//	T <id>      transaction: insert t1/<id>, insert t2/<id>, $inc counters/c.n
func runChild(mode string) int {
	s, err := Open(os.Getenv(envPath), Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "open:", err)
		return 2
	}
	if mode == "hold" {
		ack("READY")
		select {}
	}
	client, _, err := lungo.Open(context.Background(), childOptions(s))
	if err != nil {
		fmt.Fprintln(os.Stderr, "lungo:", err)
		return 2
	}
	db := client.Database("crash")
	cycle := os.Getenv(envCycle)
	ctx := context.Background()
	pad := strings.Repeat("p", 1000)
	fail := func(err error) {
		fmt.Fprintln(os.Stderr, "write:", err)
		os.Exit(3)
	}
	var wg sync.WaitGroup
	worker := func(fn func(w int)) {
		for w := range 2 {
			wg.Add(1)
			go func() { defer wg.Done(); fn(w) }()
		}
	}
	worker(func(w int) { // inserts, and updates of its own documents
		vals := map[string]int{}
		var mine []string
		for n := 0; ; n++ {
			if len(mine) == 0 || n%3 == 0 {
				id := fmt.Sprintf("s-%s-%d-%d", cycle, w, n)
				if _, err := db.Collection("singles").InsertOne(ctx, bson.M{"_id": id, "v": 0, "pad": pad}); err != nil {
					fail(err)
				}
				mine = append(mine, id)
				ack("S %s", id)
				continue
			}
			id := mine[rand.IntN(len(mine))]
			vals[id]++
			if _, err := db.Collection("singles").UpdateOne(ctx, bson.M{"_id": id}, bson.M{"$set": bson.M{"v": vals[id]}}); err != nil {
				fail(err)
			}
			ack("U %s %d", id, vals[id])
		}
	})
	worker(func(w int) { // inserts then deletes documents of its own
		for n := 0; ; n++ {
			id := fmt.Sprintf("d-%s-%d-%d", cycle, w, n)
			if _, err := db.Collection("singles").InsertOne(ctx, bson.M{"_id": id, "pad": pad}); err != nil {
				fail(err)
			}
			ack("S %s", id)
			if _, err := db.Collection("singles").DeleteOne(ctx, bson.M{"_id": id}); err != nil {
				fail(err)
			}
			ack("D %s", id)
		}
	})
	worker(func(w int) { // 3-write transactions
		for n := 0; ; n++ {
			id := fmt.Sprintf("t-%s-%d-%d", cycle, w, n)
			err := client.UseSession(ctx, func(sc lungo.ISessionContext) error {
				_, err := sc.WithTransaction(sc, func(sc lungo.ISessionContext) (interface{}, error) {
					if _, err := db.Collection("t1").InsertOne(sc, bson.M{"_id": id, "pad": pad}); err != nil {
						return nil, err
					}
					if _, err := db.Collection("t2").InsertOne(sc, bson.M{"_id": id, "pad": pad}); err != nil {
						return nil, err
					}
					_, err := db.Collection("counters").UpdateOne(sc, bson.M{"_id": "c"},
						bson.M{"$inc": bson.M{"n": 1}}, options.Update().SetUpsert(true))
					return nil, err
				})
				return err
			})
			if err != nil {
				fail(err)
			}
			ack("T %s", id)
		}
	})
	ack("READY")
	wg.Wait()
	return 0
}
