package main

import (
	"context"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/carepool/carepool/marketplace"
)

// seedSummary is what the demo data set looks like from outside: counts and the titles of
// the first published offers.
type seedSummary struct {
	Published   int
	Kinds       map[marketplace.Kind]int
	FirstTitles []string
}

func summariseSeed(t *testing.T, m *Main) seedSummary {
	t.Helper()
	s := seedSummary{Kinds: map[marketplace.Kind]int{}}
	f := marketplace.OfferFilter{Limit: marketplace.MaxLimit}
	for {
		page, err := m.Market.Offers(context.Background(), f)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range page.Items {
			s.Published++
			s.Kinds[o.Kind]++
			if len(s.FirstTitles) < 10 {
				s.FirstTitles = append(s.FirstTitles, o.Title)
			}
		}
		if page.NextCursor == "" {
			return s
		}
		f.Cursor = page.NextCursor
	}
}

func TestSeedLoadsARealisticDeterministicDataSet(t *testing.T) {
	t.Parallel()
	a, _ := mustOpen(t)
	b, _ := mustOpen(t)
	mustSeed(t, a)
	mustSeed(t, b)
	got, again := summariseSeed(t, a), summariseSeed(t, b)
	if got.Published < 250 || got.Published > 320 {
		t.Errorf("published offers = %d, want about 300", got.Published)
	}
	for _, k := range []marketplace.Kind{marketplace.KindService, marketplace.KindPersonalAssistant, marketplace.KindCommunityActivity} {
		if got.Kinds[k] < 20 {
			t.Errorf("%d published offers of kind %s, want a realistic number", got.Kinds[k], k)
		}
	}
	if diff := cmp.Diff(got, again); diff != "" {
		t.Errorf("two seeds differ (-first +second):\n%s", diff)
	}
	providers, err := a.Market.Providers(context.Background(), marketplace.ProviderFilter{Limit: marketplace.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(providers.Items); n != 60 {
		t.Errorf("providers = %d, want 60", n)
	}
}

func TestSeedIfEmptyLeavesAStoreWithDataAlone(t *testing.T) {
	t.Parallel()
	m, srv := mustOpen(t)
	c := client{tb: t, base: srv.URL}
	if resp, body := c.do(http.MethodPost, "/api/v1/accounts", map[string]string{"email": "someone@example.org", "password": "a long enough password", "name": "Someone"}); resp.StatusCode != http.StatusCreated {
		t.Fatalf("sign up: %d %s", resp.StatusCode, body)
	}
	seeded, err := m.seedIfEmpty(context.Background(), nil)
	if err != nil || seeded {
		t.Fatalf("seedIfEmpty = %v, %v; want false, nil", seeded, err)
	}
}
