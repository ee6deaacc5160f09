package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/carepool/carepool/infra/store"
	"github.com/carepool/carepool/infra/web"
	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/search"
	"github.com/carepool/carepool/search/meili"
	"github.com/carepool/carepool/search/meili/meilifake"
)

// drainSearch runs the search indexer until no task is due, as the server's job would.
func drainSearch(tb testing.TB, m *Main) search.WorkerStats {
	tb.Helper()
	st, err := m.searchWorker().Drain(context.Background())
	if err != nil {
		tb.Fatalf("search worker: %v", err)
	}
	return st
}

// searchResponse is the part of GET /api/v1/search the tests read.
type searchResponse struct {
	Hits []struct {
		ID           string   `json:"id"`
		Title        string   `json:"title"`
		ProviderID   string   `json:"provider_id"`
		ProviderName string   `json:"provider_name"`
		Kind         string   `json:"kind"`
		PricePence   int64    `json:"price_pence"`
		Days         []string `json:"days"`
		Distance     *float64 `json:"distance_miles"`
	} `json:"hits"`
	Total   int `json:"total"`
	Applied []struct {
		Param string `json:"param"`
	} `json:"applied"`
	Facets []struct {
		Facet  string `json:"facet"`
		Values []struct {
			Value string `json:"value"`
			Count int    `json:"count"`
		} `json:"values"`
	} `json:"facets"`
}

func searchFor(tb testing.TB, c client, query string) searchResponse {
	tb.Helper()
	resp, body := c.do(http.MethodGet, "/api/v1/search?"+query, nil)
	if resp.StatusCode != http.StatusOK {
		tb.Fatalf("GET /api/v1/search?%s = %d %s", query, resp.StatusCode, body)
	}
	return decode[searchResponse](tb, body)
}

// searchAllIDs pages through every result of a query.
func searchAllIDs(tb testing.TB, c client, query string) []string {
	tb.Helper()
	var ids []string
	for page := 1; ; page++ {
		r := searchFor(tb, c, fmt.Sprintf("%s&per_page=100&page=%d", query, page))
		for _, h := range r.Hits {
			ids = append(ids, h.ID)
		}
		if len(r.Hits) < 100 {
			return ids
		}
	}
}

func searchMustStatus(tb testing.TB, resp *http.Response, body []byte, want int) {
	tb.Helper()
	if resp.StatusCode != want {
		tb.Fatalf("%s %s = %d, want %d: %s", resp.Request.Method, resp.Request.URL.Path, resp.StatusCode, want, body)
	}
}

// pendingSearchTasks counts the search tasks about offers and providers not yet done
// (other kinds, such as pools, are resolved by their own features).
func pendingSearchTasks(tb testing.TB, m *Main) int {
	tb.Helper()
	return pendingSearchTasksAbout(tb, m, "offer:", "provider:")
}

// pendingSearchTasksAbout counts the search tasks not yet done whose ref starts with one
// of the prefixes.
func pendingSearchTasksAbout(tb testing.TB, m *Main, prefixes ...string) int {
	tb.Helper()
	var tasks []store.Task
	cur, err := m.DB.Collection("outbox").Find(context.Background(), map[string]any{"topic": store.SearchTopic})
	if err == nil {
		err = cur.All(context.Background(), &tasks)
	}
	if err != nil {
		tb.Fatal(err)
	}
	n := 0
	for _, task := range tasks {
		for _, p := range prefixes {
			if strings.HasPrefix(task.Ref, p) {
				n++
			}
		}
	}
	return n
}

// mustAddOffers stores a provider organisation with a profile and n published offers
// around Leeds straight into the store (each write queues its search task, as the
// services' do): a quicker data set than the demo seed where no demo account is needed.
func mustAddOffers(tb testing.TB, m *Main, n int) string {
	tb.Helper()
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Millisecond)
	org := account.Organisation{ID: uuid.NewString(), Name: "Headingley Swimming Club", Kinds: []account.OrgKind{account.KindCommunityGroup},
		Status: account.StatusActive, CreatedBy: "test", CreatedAt: now, UpdatedAt: now, Version: 1}
	owner := account.Member{ID: uuid.NewString(), OrgID: org.ID, UserID: "test", Role: account.RoleOwner, AddedBy: "test", AddedAt: now}
	if err := store.NewAccounts(m.DB).CreateOrganisation(ctx, org, owner); err != nil {
		tb.Fatal(err)
	}
	market := store.NewMarketplace(m.DB)
	titles := []string{"Swimming for autistic adults", "Aqua fitness", "Quiet swim sessions", "Pool games night"}
	for i := range n {
		at := now.Add(-time.Duration(i) * time.Hour)
		o := marketplace.Offer{ID: uuid.NewString(), ProviderID: org.ID, Kind: marketplace.KindCommunityActivity,
			Title: fmt.Sprintf("%s %d", titles[i%len(titles)], i), Description: "Relaxed sessions with trained staff and help with changing.",
			Categories: []string{"swimming", "sport-and-exercise"},
			Where: marketplace.Where{Mode: marketplace.AtAddress, Outcode: "LS6", AreasServed: []string{},
				Lat: 53.82 + float64(i%10)/1000, Lng: -1.57 - float64(i%7)/1000,
				Address: &marketplace.Address{Line1: fmt.Sprintf("%d Otley Road", i+1), Town: "Leeds", Postcode: "LS6 3AA"}},
			When:        marketplace.Schedule{Weekly: []marketplace.WeeklySlot{{Day: marketplace.Days[i%7], Start: "10:00", End: "12:00"}}},
			Price:       marketplace.Price{Unit: marketplace.PerSession, AmountPence: int64(300 + 50*(i%9))},
			BudgetForms: []marketplace.BudgetForm{marketplace.DirectPayment}, Accessibility: []string{}, Languages: []string{"en"},
			Status: marketplace.StatusPublished, Version: 1, CreatedAt: at, UpdatedAt: at, PublishedAt: &at}
		if err := market.CreateOffer(ctx, &o); err != nil {
			tb.Fatal(err)
		}
	}
	// The profile last: its task (which names every offer) is the last to be applied.
	profile := marketplace.Provider{ID: org.ID, Description: "A friendly swimming club for disabled adults.", Languages: []string{"en"}, Version: 1}
	if err := market.SaveProvider(ctx, &profile, 0); err != nil {
		tb.Fatal(err)
	}
	return org.ID
}

// storeSearchHashes is what the index must hold: the content hash of every document the
// store makes searchable, by id.
func storeSearchHashes(tb testing.TB, m *Main) map[string]string {
	tb.Helper()
	want := map[string]string{}
	err := store.NewSearchSource(m.DB, nil).Documents(context.Background(), func(page []search.Document) error {
		for _, d := range page {
			want[d.ID] = d.Hash()
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return want
}

func indexHashes(tb testing.TB, m *Main) map[string]string {
	tb.Helper()
	got, err := m.Search.Hashes(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return got
}

func TestSearchFollowsTheStore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	m, srv := mustOpen(t)
	mustSeed(t, m)
	anon := client{tb: t, base: srv.URL}
	if r := searchFor(t, anon, "q=swimming"); r.Total != 0 {
		t.Fatalf("before the indexer ran: %d results, want none", r.Total)
	}

	// The seed's writes reach the index through the outbox.
	drainSearch(t, m)
	want := storeSearchHashes(t, m)
	if len(want) < 250 {
		t.Fatalf("the seed has %d searchable offers, want about 300", len(want))
	}
	if diff := cmp.Diff(want, indexHashes(t, m)); diff != "" {
		t.Fatalf("index after the seed (-store +index):\n%s", diff)
	}
	if r := searchFor(t, anon, "per_page=1"); r.Total != len(want) {
		t.Errorf("search everything: total %d, want %d", r.Total, len(want))
	}

	// A provider writes a new offer: not searchable as a draft, searchable once published.
	prov := demoClient(t, srv.URL, "provider@"+demoDomain)
	actor, err := m.Accounts.ActorForToken(ctx, prov.token)
	if err != nil {
		t.Fatal(err)
	}
	orgID := actor.Memberships[0].OrgID
	in := marketplace.OfferInput{
		Kind: marketplace.KindCommunityActivity, Title: "Zephyrine lantern making club",
		Description: "Make paper lanterns together, with tea and biscuits. All materials are provided.",
		Categories:  []string{"arts-and-crafts"},
		Where: marketplace.WhereInput{Mode: marketplace.AtAddress,
			Address: &marketplace.Address{Line1: "1 Otley Road", Town: "Leeds", Postcode: "LS6 3AA"}},
		When:        marketplace.Schedule{Weekly: []marketplace.WeeklySlot{{Day: "saturday", Start: "10:00", End: "12:00"}}},
		Price:       marketplace.Price{Unit: marketplace.PerSession, AmountPence: 450},
		BudgetForms: []marketplace.BudgetForm{marketplace.DirectPayment},
		Languages:   []string{"en"}, Accessibility: []string{"wheelchair_accessible"},
	}
	resp, body := prov.do(http.MethodPost, "/api/v1/providers/"+orgID+"/offers", in)
	searchMustStatus(t, resp, body, http.StatusCreated)
	id := decode[struct{ ID string }](t, body).ID
	found := func(query string) bool {
		t.Helper()
		drainSearch(t, m)
		for _, h := range searchFor(t, anon, query).Hits {
			if h.ID == id {
				return true
			}
		}
		return false
	}
	if found("q=zephyrine") {
		t.Error("a draft is searchable")
	}
	resp, body = prov.do(http.MethodPost, "/api/v1/offers/"+id+"/publish", nil)
	searchMustStatus(t, resp, body, http.StatusOK)
	if !found("q=zephyrin") { // a prefix, as typed so far
		t.Fatal("a published offer is not searchable after the indexer ran")
	}
	r := searchFor(t, anon, "q=zepherine+lanterns+near+LS6+on+saturdays&facets=kind") // with a typo
	if len(r.Hits) != 1 || r.Hits[0].ID != id || r.Hits[0].Kind != "community_activity" || r.Hits[0].PricePence != 450 ||
		r.Hits[0].ProviderName == "" || r.Hits[0].Distance == nil || len(r.Applied) != 2 {
		t.Errorf("search with a typo, a place and a day = %+v", r)
	}

	// Paused, it leaves; published again, it comes back; archived, it leaves.
	for _, step := range []struct {
		action string
		want   bool
	}{{"pause", false}, {"publish", true}, {"archive", false}} {
		resp, body := prov.do(http.MethodPost, "/api/v1/offers/"+id+"/"+step.action, nil)
		searchMustStatus(t, resp, body, http.StatusOK)
		if got := found("q=zephyrine+lantern"); got != step.want {
			t.Errorf("after %s: found = %v, want %v", step.action, got, step.want)
		}
	}

	// An administrator suspends the provider: every offer of it leaves the results, and
	// comes back on reinstatement.
	admin := demoClient(t, srv.URL, "admin@"+demoDomain)
	ofProvider := func() []string {
		t.Helper()
		drainSearch(t, m)
		ids, err := store.NewSearchSource(m.DB, nil).ProviderOfferIDs(ctx, orgID)
		if err != nil {
			t.Fatal(err)
		}
		all := searchAllIDs(t, anon, "sort=newest")
		return slices.DeleteFunc(all, func(s string) bool { return !slices.Contains(ids, s) })
	}
	before := ofProvider()
	if len(before) == 0 {
		t.Fatal("the provider has no searchable offers to begin with")
	}
	resp, body = admin.do(http.MethodPost, "/api/v1/admin/organisations/"+orgID+"/suspend", map[string]string{"reason": "Checking insurance"})
	searchMustStatus(t, resp, body, http.StatusOK)
	if got := ofProvider(); len(got) != 0 {
		t.Errorf("offers of a suspended provider still found: %v", got)
	}
	resp, body = admin.do(http.MethodPost, "/api/v1/admin/organisations/"+orgID+"/reinstate", nil)
	searchMustStatus(t, resp, body, http.StatusOK)
	if diff := cmp.Diff(searchSorted(before), searchSorted(ofProvider())); diff != "" {
		t.Errorf("offers after reinstatement (-before +after):\n%s", diff)
	}
	if diff := cmp.Diff(storeSearchHashes(t, m), indexHashes(t, m)); diff != "" {
		t.Errorf("index at the end (-store +index):\n%s", diff)
	}
}

func searchSorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func TestSearchRefusesBadParametersWithAProblem(t *testing.T) {
	t.Parallel()
	_, srv := mustOpen(t)
	c := client{tb: t, base: srv.URL}
	for _, tc := range []struct {
		name, query string
		fields      []string
	}{
		{"unknown filter", "q=swimming&colour=blue", []string{"colour"}},
		{"negative radius", "near=LS6&within=-2", []string{"within"}},
		{"unknown outward code", "near=ZZ99", []string{"near"}},
		{"page size over 100", "per_page=101", []string{"per_page"}},
		{"unknown value", "day=caturday&kind=robot", []string{"kind", "day"}},
		{"several at once", "within=5&sort=cheapest&page=0", []string{"within", "page", "sort"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := c.do(http.MethodGet, "/api/v1/search?"+tc.query, nil)
			if resp.StatusCode != http.StatusUnprocessableEntity || resp.Header.Get("Content-Type") != web.ProblemContentType {
				t.Fatalf("GET ?%s = %d %s %s", tc.query, resp.StatusCode, resp.Header.Get("Content-Type"), body)
			}
			p := decode[web.Problem](t, body)
			var fields []string
			for _, f := range p.Errors {
				fields = append(fields, f.Field)
				if f.Message == "" {
					t.Errorf("field %s has no message", f.Field)
				}
			}
			if p.Type != "/problems/validation" || !cmp.Equal(searchSorted(tc.fields), searchSorted(fields)) {
				t.Errorf("problem = %+v, want a validation problem on %v", p, tc.fields)
			}
		})
	}
}

func TestReindexRebuildsTheIndexFromTheStore(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	env := map[string]string{"DATA_DIR": dir, "ADDR": "127.0.0.1:0", "METRICS_ADDR": "127.0.0.1:0"}
	cfg, err := ConfigFromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	m, err := Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{Password: account.TestPasswordParams})
	if err != nil {
		t.Fatal(err)
	}
	mustAddOffers(t, m, 40)
	want := storeSearchHashes(t, m)
	if err := m.Close(context.Background()); err != nil {
		t.Fatal(err)
	}

	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"reindex"}, func(k string) string { return env[k] }, &stdout, &stderr); err != nil {
		t.Fatalf("reindex: %v\n%s", err, stderr.String())
	}
	if wantOut := fmt.Sprintf("Indexed %d offers in ", len(want)); !strings.HasPrefix(stdout.String(), wantOut) {
		t.Errorf("output = %q, want it to start %q", stdout.String(), wantOut)
	}
	if strings.Contains(stderr.String(), "Indexing offers") {
		t.Error("a progress bar was drawn on something that is not a terminal")
	}
	m, err = Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{Password: account.TestPasswordParams})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close(context.Background())
	if diff := cmp.Diff(want, indexHashes(t, m)); diff != "" {
		t.Errorf("index after reindex (-store +index):\n%s", diff)
	}
	if r := searchFor(t, client{tb: t, base: httptestServer(t, m)}, "q=swimming"); r.Total == 0 {
		t.Error("nothing found for swimming after reindex")
	}
}

// httptestServer serves m's API for the test and returns its address.
func httptestServer(tb testing.TB, m *Main) string {
	tb.Helper()
	srv := httptest.NewServer(m.Echo)
	tb.Cleanup(srv.Close)
	return srv.URL
}

// The crash test: a child process (this test binary, told by searchChildDir) runs the
// search worker on a store of 300 offers and is killed with SIGKILL midway; the test
// then opens the same directory, as a restarted server would, runs the worker again, and
// checks that the index holds exactly the store's documents.
const searchChildDir = "CAREPOOL_SEARCH_CRASH_CHILD"

func TestSearchIndexConvergesAfterTheWorkerIsKilled(t *testing.T) {
	if dir := os.Getenv(searchChildDir); dir != "" {
		runSearchCrashChild(t, dir)
		return
	}
	if testing.Short() {
		t.Skip("runs and kills a child process")
	}
	t.Parallel()
	dir := t.TempDir()
	cfg := searchConfig(t, dir)
	m, err := Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{Password: account.TestPasswordParams})
	if err != nil {
		t.Fatal(err)
	}
	mustAddOffers(t, m, 300)
	tasks := pendingSearchTasks(t, m)
	if err := m.Close(context.Background()); err != nil {
		t.Fatal(err)
	}

	child := exec.Command(os.Args[0], "-test.run=^TestSearchIndexConvergesAfterTheWorkerIsKilled$", "-test.v")
	child.Env = append(os.Environ(), searchChildDir+"="+dir)
	out, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	child.Stderr = os.Stderr
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill it in the middle of its fifth batch: four applied, the fifth claimed.
	lines, steps, midway := bufio.NewScanner(out), 0, false
	for !midway && lines.Scan() {
		steps += strings.Count(lines.Text(), "search-crash-child: step")
		midway = strings.HasPrefix(lines.Text(), "search-crash-child: midway")
	}
	if !midway {
		child.Wait()
		t.Fatalf("the child stopped after %d steps", steps)
	}
	if err := child.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, out)
	child.Wait()

	// Restart: the same directory, the worker again.
	m, err = Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{Password: account.TestPasswordParams})
	if err != nil {
		t.Fatalf("reopen after the kill: %v", err)
	}
	defer m.Close(context.Background())
	left := pendingSearchTasks(t, m)
	indexed := len(indexHashes(t, m))
	want := storeSearchHashes(t, m)
	var leased []store.Task
	cur, err := m.DB.Collection("outbox").Find(context.Background(), map[string]any{"lease_owner": map[string]any{"$exists": true, "$ne": ""}})
	if err == nil {
		err = cur.All(context.Background(), &leased)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("killed after %d steps: %d of %d tasks left (%d claimed by the dead worker), %d of %d documents indexed", steps, left, tasks, len(leased), indexed, len(want))
	if left == 0 || left == tasks || indexed == len(want) || len(leased) == 0 {
		t.Fatalf("the child was not killed midway: %d of %d tasks left, %d leased, %d of %d documents indexed", left, tasks, len(leased), indexed, len(want))
	}
	deadline := time.Now().Add(time.Minute)
	for left > 0 { // tasks the child held come back when their lease ends
		if time.Now().After(deadline) {
			t.Fatalf("%d tasks still pending after a minute", left)
		}
		drainSearch(t, m)
		if left = pendingSearchTasks(t, m); left > 0 {
			time.Sleep(200 * time.Millisecond)
		}
	}
	got := indexHashes(t, m)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("index after the restart (-store +index):\n%s", diff)
	}
	if !maps.Equal(want, got) || len(got) != 300 {
		t.Errorf("index holds %d documents, store %d", len(got), len(want))
	}
}

func searchConfig(tb testing.TB, dir string) Config {
	tb.Helper()
	cfg, err := ConfigFromEnv(func(k string) string {
		return map[string]string{"DATA_DIR": dir, "ADDR": "127.0.0.1:0", "METRICS_ADDR": "127.0.0.1:0"}[k]
	})
	if err != nil {
		tb.Fatal(err)
	}
	return cfg
}

// runSearchCrashChild is the child's side: it applies batches of ten with a short lease,
// saying after each one, and in the middle of the fifth says so and waits to be killed.
func runSearchCrashChild(t *testing.T, dir string) {
	m, err := Open(context.Background(), searchConfig(t, dir), slog.New(slog.NewTextHandler(io.Discard, nil)), Options{Password: account.TestPasswordParams})
	if err != nil {
		t.Fatal(err)
	}
	w := m.searchWorker()
	w.Batch, w.Lease = 10, 2*time.Second
	w.Source = &pausingSource{Source: w.Source, pauseAt: 45}
	for i := 0; ; i++ {
		n, st, err := w.Step(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("search-crash-child: step %d claimed %d done %d\n", i, n, st.Tasks)
		if n == 0 {
			break
		}
	}
	m.Close(context.Background())
	t.Fatal("the child ran out of tasks before it was killed")
}

// pausingSource stops at its pauseAt-th offer, the worker holding its batch's leases, and
// says so.
type pausingSource struct {
	search.Source
	pauseAt, reads int
}

func (s *pausingSource) OfferDocument(ctx context.Context, id string) (search.Document, bool, error) {
	if s.reads++; s.reads == s.pauseAt {
		fmt.Println("search-crash-child: midway through a batch")
		time.Sleep(time.Minute)
	}
	return s.Source.OfferDocument(ctx, id)
}

// TestServerBringsTheIndexUpToDateAtStartUp serves a store with offers and an empty index:
// the server's search job rebuilds it in the background, then applies the outbox, and
// stops with the server.
func TestServerBringsTheIndexUpToDateAtStartUp(t *testing.T) {
	t.Parallel()
	m, err := Open(context.Background(), searchConfig(t, t.TempDir()), slog.New(slog.NewTextHandler(io.Discard, nil)),
		Options{Password: account.TestPasswordParams})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close(context.Background())
	mustAddOffers(t, m, 60)
	want := storeSearchHashes(t, m)
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- m.Serve(ctx, nil) }()
	deadline := time.Now().Add(time.Minute)
	for {
		left := pendingSearchTasks(t, m)
		if left == 0 && maps.Equal(want, indexHashes(t, m)) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after a minute: %d tasks pending, %d of %d documents indexed", left, len(indexHashes(t, m)), len(want))
		}
		time.Sleep(100 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("Serve = %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the server did not stop")
	}
}

// TestSearchRunsOnMeilisearchWhenConfigured runs the server's search on a Meilisearch (the
// fake that the adapter's suite runs against) when MEILI_URL is set.
func TestSearchRunsOnMeilisearchWhenConfigured(t *testing.T) {
	t.Parallel()
	fake := meilifake.New("meili-key")
	t.Cleanup(fake.Close)
	cfg, err := ConfigFromEnv(func(k string) string {
		return map[string]string{"DATA_DIR": t.TempDir(), "ADDR": "127.0.0.1:0", "METRICS_ADDR": "127.0.0.1:0",
			"MEILI_URL": fake.URL(), "MEILI_API_KEY": "meili-key"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	m, err := Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{Password: account.TestPasswordParams})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close(context.Background())
	if _, ok := m.Search.(*meili.Index); !ok {
		t.Fatalf("search index is a %T, want Meilisearch", m.Search)
	}
	mustAddOffers(t, m, 30)
	drainSearch(t, m)
	if diff := cmp.Diff(storeSearchHashes(t, m), indexHashes(t, m)); diff != "" {
		t.Errorf("Meilisearch index after the writes (-store +index):\n%s", diff)
	}
	r := searchFor(t, client{tb: t, base: httptestServer(t, m)}, "q=swiming+near+LS6&facets=kind")
	if r.Total == 0 || len(r.Facets) != 1 || len(r.Applied) != 1 {
		t.Errorf("search on Meilisearch = %+v", r)
	}
}
