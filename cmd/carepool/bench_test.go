package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/store"
	"github.com/carepool/carepool/marketplace"
)

// Benchmarks of the API through the full echo stack (every middleware, authentication,
// the embedded bbolt store) on the demo data set. Run them with `make bench`, or:
//
//	go test -run '^$' -bench 'API|CreateOffer' -benchtime 2000x ./cmd/carepool/
//
// BenchmarkAPIFixedBody serves a constant body through the same stack, so the others can
// be read as a ratio to the bare framework and middleware.

func benchServer(b *testing.B) (*Main, marketplace.Offer) {
	b.Helper()
	m, _ := mustOpen(b)
	mustSeed(b, m)
	page, err := m.Market.Offers(context.Background(), marketplace.OfferFilter{Limit: 1})
	if err != nil || len(page.Items) == 0 {
		b.Fatalf("no offers: %v", err)
	}
	return m, page.Items[0]
}

func serveBench(b *testing.B, h http.Handler, path string) {
	b.Helper()
	b.ReportAllocs()
	var durations []time.Duration
	for b.Loop() {
		start := time.Now()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		durations = append(durations, time.Since(start))
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s = %d %s", path, rec.Code, rec.Body)
		}
	}
	reportPercentiles(b, durations)
}

func reportPercentiles(b *testing.B, d []time.Duration) {
	if len(d) == 0 {
		return
	}
	slices.Sort(d)
	ms := func(q float64) float64 { return float64(d[int(q*float64(len(d)-1))].Microseconds()) / 1000 }
	b.ReportMetric(ms(0.50), "p50-ms")
	b.ReportMetric(ms(0.99), "p99-ms")
}

func BenchmarkAPIGetOffer(b *testing.B) {
	m, offer := benchServer(b)
	serveBench(b, m.Echo, "/api/v1/offers/"+offer.ID)
}

func BenchmarkAPIListOffers20Filtered(b *testing.B) {
	m, _ := benchServer(b)
	serveBench(b, m.Echo, "/api/v1/offers?limit=20&budget_form=direct_payment&kind=community_activity")
}

func BenchmarkAPIFixedBody(b *testing.B) {
	m, offer := benchServer(b)
	m.Echo.GET("/bench/fixed", func(c echo.Context) error { return c.JSON(http.StatusOK, offer) })
	serveBench(b, m.Echo, "/bench/fixed")
}

// BenchmarkCreateOffer times creating offers one after another (each one transaction with
// its outbox task, durable on disk) on an embedded store that already holds n offers.
func BenchmarkCreateOffer(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 50_000} {
		b.Run(fmt.Sprintf("existing=%d", n), func(b *testing.B) {
			m, offer := benchServer(b)
			fill(b, m, offer, n)
			s := store.NewMarketplace(m.DB)
			var durations []time.Duration
			for b.Loop() {
				o := offer
				o.ID, o.CreatedAt = uuid.NewString(), time.Now().UTC()
				start := time.Now()
				if err := s.CreateOffer(context.Background(), &o); err != nil {
					b.Fatal(err)
				}
				durations = append(durations, time.Since(start))
			}
			reportPercentiles(b, durations)
		})
	}
}

// fill inserts copies of offer, in batches of 1,000, until the store holds n offers.
func fill(b *testing.B, m *Main, offer marketplace.Offer, n int) {
	b.Helper()
	coll := m.DB.Collection("offers")
	have, err := coll.CountDocuments(context.Background(), map[string]any{})
	if err != nil {
		b.Fatal(err)
	}
	for int(have) < n {
		batch := make([]any, 0, 1000)
		for i := 0; i < 1000 && int(have)+i < n; i++ {
			o := offer
			o.ID = uuid.NewString()
			batch = append(batch, o)
		}
		if _, err := coll.InsertMany(context.Background(), batch); err != nil {
			b.Fatal(err)
		}
		have += int64(len(batch))
	}
}
