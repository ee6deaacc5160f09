package pooling_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/carepool/carepool/infra/store"
	"github.com/carepool/carepool/infra/store/boltstore"
	mk "github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/pooling"
)

// benchEnv is the environment of the tests on the embedded bbolt store (a file, fsync on
// every commit), as the server runs it.
func benchEnv(b *testing.B) *env {
	b.Helper()
	ctx := context.Background()
	persist, err := boltstore.Open(filepath.Join(b.TempDir(), "bench.db"), boltstore.Options{})
	if err != nil {
		b.Fatal(err)
	}
	db, err := store.OpenEmbedded(ctx, persist)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = db.Close(ctx) })
	accounts, err := account.NewService(store.NewAccounts(db), account.Config{Password: account.TestPasswordParams})
	if err != nil {
		b.Fatal(err)
	}
	c := &clock{now: epoch}
	market := mk.NewService(store.NewMarketplace(db), store.NewDirectory(db), c.Now, nil)
	ps := store.NewPooling(db)
	return &env{db: db, store: ps, accounts: accounts, market: market, clock: c,
		svc: pooling.NewService(ps, market, store.NewDirectory(db), accounts, pooling.Config{Now: c.Now})}
}

// benchPools opens n pools of up to 200 people (£2,000 a session) on one offer.
func benchPools(b *testing.B, e *env, n int) []string {
	b.Helper()
	pat, uma := e.person(b, "Pat Provider"), e.person(b, "Uma Ulo")
	prov := e.org(b, pat, "Friday Arts", account.KindSmallProvider)
	ulo := e.org(b, uma, "Leeds People First", account.KindUserLedOrganisation)
	offer := e.groupOffer(b, pat, prov, 200_000, 2, 200)
	ids := make([]string, n)
	ctx := uma.ctx(b)
	for i := range ids {
		in := poolInput(offer, 1)
		in.OrganiserOrgID = ulo.ID
		p, err := e.svc.ProposePool(ctx, in)
		if err == nil {
			p, err = e.svc.OpenPool(ctx, p.ID)
		}
		if err != nil {
			b.Fatal(err)
		}
		ids[i] = p.ID
	}
	return ids
}

// benchPledges pledges b.N times, pool(i) choosing the pool of the i-th pledge; every
// pledge is from a different person (one pledge per person per pool).
func benchPledges(b *testing.B, e *env, pool func(i int) string) {
	b.Helper()
	people, budgets := e.holders(b, b.N)
	ctxs := make([]context.Context, b.N)
	for i, p := range people {
		ctxs[i] = p.ctx(b)
	}
	b.ResetTimer()
	for i := range b.N {
		if _, err := e.svc.Pledge(ctxs[i], pool(i), pooling.PledgeInput{BudgetID: budgets[i].ID, LimitPence: 100_000}, fmt.Sprintf("bench-%d", i)); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pledges/s")
}

// BenchmarkPledgeHotPool: every pledge into one pool (the seat counter and the pool's
// document are contended). At most 200 people fit: run with -benchtime=200x or less.
func BenchmarkPledgeHotPool(b *testing.B) {
	if b.N > 200 {
		b.Skip("a pool holds at most 200 people: use -benchtime=200x")
	}
	e := benchEnv(b)
	pool := benchPools(b, e, 1)[0]
	benchPledges(b, e, func(int) string { return pool })
}

// BenchmarkPledgeSpread: pledges spread over 1,000 pools.
func BenchmarkPledgeSpread(b *testing.B) {
	e := benchEnv(b)
	pools := benchPools(b, e, 1000)
	benchPledges(b, e, func(i int) string { return pools[i%len(pools)] })
}

// BenchmarkProcessDeadlines: one pass over 10,000 open pools whose deadline has passed
// (each fails: nobody pledged), in batches as the job runs them.
func BenchmarkProcessDeadlines(b *testing.B) {
	for range b.N {
		b.StopTimer()
		e := benchEnv(b)
		benchPools(b, e, 10_000)
		now := epoch.AddDate(0, 0, 8)
		b.StartTimer()
		total := 0
		for {
			rep, err := e.svc.ProcessDeadlines(context.Background(), now)
			if err != nil {
				b.Fatal(err)
			}
			done := rep.Confirmed + rep.Failed + rep.Waiting
			total += done
			if done == 0 {
				break
			}
		}
		if total != 10_000 {
			b.Fatalf("processed %d pools, want 10000", total)
		}
	}
}
