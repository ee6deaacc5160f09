package calendar_test

import (
	"context"
	"testing"

	"github.com/carepool/carepool/pooling"
)

// BenchmarkPoolFeed builds the feed of a pool with two years of weekly sessions (104,
// the most a pool may have), as an anonymous calendar app polling it would.
func BenchmarkPoolFeed(b *testing.B) {
	e := newEnv(b)
	in := pooling.PoolInput{OfferID: e.offer.ID, OrganiserOrgID: e.ulo.ID, Title: "Two years of art", Visibility: pooling.Public,
		Deadline: epoch.AddDate(0, 0, 7), Schedule: pooling.Schedule{FirstSession: firstSaturday, Sessions: pooling.MaxSessions, EveryDays: 7}}
	ctx := e.organiser.ctx(b)
	p, err := e.pools.ProposePool(ctx, in)
	if err == nil {
		p, err = e.pools.OpenPool(ctx, p.ID)
	}
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var size int
	for b.Loop() {
		r, err := e.cal.PoolFeed(context.Background(), p.ID)
		if err != nil {
			b.Fatal(err)
		}
		size = len(r.Body)
	}
	b.ReportMetric(float64(size), "bytes/feed")
}

// BenchmarkPersonalFeed builds the feed of a person with places in ten pools.
func BenchmarkPersonalFeed(b *testing.B) {
	e := newEnv(b)
	alice := e.holder(b, "Alice Holder")
	for range 10 {
		p := e.openPool(b, pooling.Public)
		e.pledge(b, alice, p.ID, 8_000, "")
	}
	f, err := e.cal.CreateFeed(alice.ctx(b))
	if err != nil {
		b.Fatal(err)
	}
	secret := f.URL[len(f.URL)-len(".ics")-43 : len(f.URL)-len(".ics")]
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.cal.PersonalFeed(context.Background(), secret); err != nil {
			b.Fatal(err)
		}
	}
}
