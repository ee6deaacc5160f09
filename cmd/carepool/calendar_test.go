package main

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	ics "github.com/arran4/golang-ical"

	"github.com/carepool/carepool/calendar"
	"github.com/carepool/carepool/pooling"
)

// icsEvents parses a feed with golang-ical and returns each event's UID, STATUS and SEQUENCE.
func icsEvents(t testing.TB, body []byte) []map[string]string {
	t.Helper()
	cal, err := ics.ParseCalendar(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("parse feed: %v\n%s", err, body)
	}
	var out []map[string]string
	for _, ev := range cal.Events() {
		m := map[string]string{}
		for _, p := range []ics.ComponentProperty{ics.ComponentPropertyUniqueId, ics.ComponentPropertyStatus, ics.ComponentPropertySequence, ics.ComponentPropertyUrl} {
			if v := ev.GetProperty(p); v != nil {
				m[string(p)] = v.Value
			}
		}
		out = append(out, m)
	}
	return out
}

// feedPath is the path of a personal feed's address.
func feedPath(t testing.TB, body []byte) string {
	t.Helper()
	u, err := url.Parse(decode[calendar.CreatedFeed](t, body).URL)
	if err != nil {
		t.Fatal(err)
	}
	return u.Path
}

func TestPoolCalendarFeedOverHTTPWithValidators(t *testing.T) {
	t.Parallel()
	m, srv := mustOpen(t)
	mustSeed(t, m)
	anon := client{tb: t, base: srv.URL}
	resp, body := anon.do(http.MethodGet, "/api/v1/pools", nil)
	pools := decode[struct{ Items []pooling.PoolView }](t, body).Items
	if resp.StatusCode != http.StatusOK || len(pools) == 0 {
		t.Fatalf("the seed's pools: %d %s", resp.StatusCode, body)
	}
	pool := pools[0]
	path := "/api/v1/pools/" + pool.ID + "/calendar.ics"

	resp, body = anon.do(http.MethodGet, path, nil)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != calendar.ContentType ||
		!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("GET %s = %d %q %q", path, resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"))
	}
	events := icsEvents(t, body)
	if len(events) != len(pool.Sessions) {
		t.Errorf("%d events for %d sessions", len(events), len(pool.Sessions))
	}
	for _, private := range []string{"alice@", "carl@", "Alice", "Carl Holder"} {
		if bytes.Contains(body, []byte(private)) {
			t.Errorf("the pool's feed names %q", private)
		}
	}
	etag, modified := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	for name, hdr := range map[string][]string{"If-None-Match": {"If-None-Match", etag}, "If-Modified-Since": {"If-Modified-Since", modified}} {
		resp, body := anon.do(http.MethodGet, path, nil, hdr...)
		if resp.StatusCode != http.StatusNotModified || len(body) != 0 {
			t.Errorf("%s with the current validator = %d (%d bytes), want 304", name, resp.StatusCode, len(body))
		}
	}

	// A new pledge changes the pool: the old ETag no longer matches and SEQUENCE rose.
	stranger := f2Person(t, srv.URL, "calendar-newcomer@example.org")
	resp, body = stranger.do(http.MethodPost, "/api/v1/budgets", map[string]any{"form": "direct_payment"})
	authzMustStatus(t, resp, body, http.StatusCreated)
	budget := decode[struct{ ID string }](t, body).ID
	resp, body = stranger.do(http.MethodPost, "/api/v1/pools/"+pool.ID+"/pledges",
		map[string]any{"budget_id": budget, "limit_pence": pool.Pricing.Share(pool.Pricing.MinPeople)}, "Idempotency-Key", "cal-1")
	authzMustStatus(t, resp, body, http.StatusCreated)
	resp, body = anon.do(http.MethodGet, path, nil, "If-None-Match", etag)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("ETag") == etag {
		t.Fatalf("after a change = %d, ETag %s (was %s)", resp.StatusCode, resp.Header.Get("ETag"), etag)
	}
	before, _ := strconv.Atoi(events[0]["SEQUENCE"])
	after, _ := strconv.Atoi(icsEvents(t, body)[0]["SEQUENCE"])
	if after <= before || icsEvents(t, body)[0]["UID"] != events[0]["UID"] {
		t.Errorf("after a change: SEQUENCE %d (was %d), UID %s (was %s)", after, before, icsEvents(t, body)[0]["UID"], events[0]["UID"])
	}
}

// f2Person signs a fresh person up through the API and returns their client.
func f2Person(t testing.TB, base, email string) client {
	t.Helper()
	resp, body := client{tb: t, base: base}.do(http.MethodPost, "/api/v1/accounts",
		map[string]string{"email": email, "password": "a long enough password", "name": "Newcomer " + email})
	authzMustStatus(t, resp, body, http.StatusCreated)
	return client{tb: t, base: base, token: mustLogin(t, base, email, "a long enough password").token}
}

func TestPersonalCalendarFeedOverHTTP(t *testing.T) {
	t.Parallel()
	m, srv := mustOpen(t)
	mustSeed(t, m)
	alice := demoClient(t, srv.URL, "alice@"+demoDomain)
	anon := client{tb: t, base: srv.URL}

	resp, body := alice.do(http.MethodPost, "/api/v1/me/calendar-feed", nil)
	authzMustStatus(t, resp, body, http.StatusCreated)
	first := feedPath(t, body)
	resp, body = anon.do(http.MethodGet, first, nil)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Referrer-Policy") != "no-referrer" {
		t.Fatalf("alice's feed, no log-in = %d, Referrer-Policy %q", resp.StatusCode, resp.Header.Get("Referrer-Policy"))
	}
	if evs := icsEvents(t, body); len(evs) == 0 {
		t.Error("alice's feed has none of the seeded pool's sessions")
	}

	// A stranger's own feed never shows alice's pools.
	stranger := f2Person(t, srv.URL, "calendar-stranger@example.org")
	resp, body = stranger.do(http.MethodPost, "/api/v1/me/calendar-feed", nil)
	authzMustStatus(t, resp, body, http.StatusCreated)
	resp, body = anon.do(http.MethodGet, feedPath(t, body), nil)
	if resp.StatusCode != http.StatusOK || len(icsEvents(t, body)) != 0 {
		t.Errorf("the stranger's feed = %d with %d events, want none", resp.StatusCode, len(icsEvents(t, body)))
	}

	// A new address retires the old one; turning the feed off retires the new one.
	resp, body = alice.do(http.MethodPost, "/api/v1/me/calendar-feed", nil)
	authzMustStatus(t, resp, body, http.StatusCreated)
	second := feedPath(t, body)
	for _, c := range []struct {
		path string
		want int
	}{{first, http.StatusNotFound}, {second, http.StatusOK}} {
		if resp, body := anon.do(http.MethodGet, c.path, nil); resp.StatusCode != c.want {
			t.Errorf("GET %s after rotation = %d, want %d: %.200s", c.path[:20], resp.StatusCode, c.want, body)
		}
	}
	resp, body = alice.do(http.MethodGet, "/api/v1/me/calendar-feed", nil)
	if st := decode[calendar.FeedStatus](t, body); !st.On || strings.Contains(string(body), second) {
		t.Errorf("status = %s", body)
	}
	resp, body = alice.do(http.MethodDelete, "/api/v1/me/calendar-feed", nil)
	authzMustStatus(t, resp, body, http.StatusNoContent)
	if resp, _ := anon.do(http.MethodGet, second, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("after turning off = %d, want 404", resp.StatusCode)
	}
}
