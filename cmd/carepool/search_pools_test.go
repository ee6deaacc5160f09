package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestSearchFindsOpenPools: the demo's open public pool reaches the index through the
// outbox, is found with type=pool at what one more person would pay, and leaves the
// results once it is cancelled through the API.
func TestSearchFindsOpenPools(t *testing.T) {
	t.Parallel()
	m, srv := mustOpen(t)
	mustSeed(t, m)
	anon := client{tb: t, base: srv.URL}
	resp, body := anon.do(http.MethodGet, "/api/v1/pools", nil)
	searchMustStatus(t, resp, body, http.StatusOK)
	pools := decode[struct {
		Items []struct {
			ID    string `json:"id"`
			Title string `json:"title"`
		} `json:"items"`
	}](t, body).Items
	if len(pools) != 1 {
		t.Fatalf("the demo has %d open public pools, want 1: %s", len(pools), body)
	}
	pool := pools[0]
	if pendingSearchTasksAbout(t, m, "pool:") == 0 {
		t.Fatal("the seed queued no search task for its pool")
	}

	drainSearch(t, m)
	if n := pendingSearchTasksAbout(t, m, "pool:"); n != 0 {
		t.Errorf("%d search tasks about pools left in the outbox after the worker ran", n)
	}
	r := searchFor(t, anon, "type=pool")
	// The seed's dates are relative to today: the sessions fall on today's weekday.
	firstSession := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 28).Add(10 * time.Hour)
	day := strings.ToLower(firstSession.In(londonTime(t)).Weekday().String())
	if r.Total != 1 || len(r.Hits) != 1 || r.Hits[0].ID != "pool_"+pool.ID || r.Hits[0].Title != pool.Title ||
		r.Hits[0].PricePence != 8000 || r.Hits[0].Kind != "community_activity" || r.Hits[0].ProviderName == "" ||
		!cmp.Equal(r.Hits[0].Days, []string{day}) {
		t.Fatalf("search type=pool = %+v; want the demo pool %s at £80 (£240 shared by its minimum of 3) on %ss", r, pool.ID, day)
	}
	if r := searchFor(t, anon, "q=art+lunch+near+LS6&type=pool"); len(r.Hits) != 1 || r.Hits[0].ID != "pool_"+pool.ID {
		t.Errorf("search for the pool by words and place = %+v", r)
	}
	if r := searchFor(t, anon, "q=art+lunch&type=offer"); len(r.Hits) == 0 || strings.HasPrefix(r.Hits[0].ID, "pool_") {
		t.Errorf("search for offers only = %+v; want the offer, not the pool", r)
	}
	if diff := cmp.Diff(storeSearchHashes(t, m), indexHashes(t, m)); diff != "" {
		t.Errorf("index with the pool (-store +index):\n%s", diff)
	}

	// Suspending its provider takes it out of the results; reinstating brings it back.
	admin := demoClient(t, srv.URL, "admin@"+demoDomain)
	for _, step := range []struct {
		action string
		want   int
	}{{"suspend", 0}, {"reinstate", 1}} {
		resp, body := admin.do(http.MethodPost, "/api/v1/admin/organisations/"+r.Hits[0].ProviderID+"/"+step.action,
			map[string]string{"reason": "Checking a safeguarding report."})
		searchMustStatus(t, resp, body, http.StatusOK)
		drainSearch(t, m)
		if got := searchFor(t, anon, "type=pool"); got.Total != step.want {
			t.Errorf("after %s: search type=pool finds %d, want %d", step.action, got.Total, step.want)
		}
	}

	// Cancelled by its organiser, it leaves the results.
	ulo := demoClient(t, srv.URL, "ulo@"+demoDomain)
	resp, body = ulo.do(http.MethodPost, "/api/v1/pools/"+pool.ID+"/cancel", map[string]string{"reason": "The hall is closed."},
		"Idempotency-Key", "search-pools-cancel")
	searchMustStatus(t, resp, body, http.StatusOK)
	drainSearch(t, m)
	if r := searchFor(t, anon, "type=pool"); r.Total != 0 {
		t.Errorf("after cancelling: search type=pool = %+v, want nothing", r)
	}
	if diff := cmp.Diff(storeSearchHashes(t, m), indexHashes(t, m)); diff != "" {
		t.Errorf("index after cancelling (-store +index):\n%s", diff)
	}
}

// londonTime is the zone the seed's schedules are read in (UTC without a zone database).
func londonTime(tb testing.TB) *time.Location {
	tb.Helper()
	if l, err := time.LoadLocation("Europe/London"); err == nil {
		return l
	}
	return time.UTC
}
