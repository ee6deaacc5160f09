package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/carepool/carepool/infra/store"
	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/marketplace/openreferral"
	"github.com/carepool/carepool/marketplace/openreferral/oruktest"
)

const oruk = openreferral.Prefix

// orukPage is the envelope of an ORUK list, with its items left raw.
type orukPage struct {
	TotalItems int               `json:"total_items"`
	TotalPages int               `json:"total_pages"`
	PageNumber int               `json:"page_number"`
	Size       int               `json:"size"`
	LastPage   bool              `json:"last_page"`
	Contents   []json.RawMessage `json:"contents"`
}

// orukCrawler fetches ORUK routes as one caller and validates every answer.
type orukCrawler struct {
	t          *testing.T
	c          client
	v          *oruktest.Validator
	requests   int
	validating time.Duration
}

// get fetches path, checks it is a valid 200 answer of route and returns the body.
func (cr *orukCrawler) get(route, path string) []byte {
	cr.t.Helper()
	resp, body := cr.c.do(http.MethodGet, oruk+path, nil)
	cr.requests++
	if resp.StatusCode != http.StatusOK {
		cr.t.Fatalf("GET %s = %d: %.300s", path, resp.StatusCode, body)
	}
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "*" {
		cr.t.Errorf("GET %s: Access-Control-Allow-Origin = %q, want *", path, got)
	}
	vstart := time.Now()
	defer func() { cr.validating += time.Since(vstart) }()
	if err := cr.v.Validate(route, body); err != nil {
		cr.t.Errorf("GET %s does not validate as %s:\n%v", path, route, err)
	}
	checkNothingPrivate(cr.t, path, body)
	return body
}

// all pages through a list at per_page and returns every item.
func (cr *orukCrawler) all(route, query string, perPage int) []json.RawMessage {
	cr.t.Helper()
	var items []json.RawMessage
	for page := 1; ; page++ {
		q, _ := url.ParseQuery(query)
		q.Set("page", fmt.Sprint(page))
		q.Set("per_page", fmt.Sprint(perPage))
		p := decode[orukPage](cr.t, cr.get(route, route+"?"+q.Encode()))
		if p.PageNumber != page || p.Size != len(p.Contents) || len(p.Contents) > perPage {
			cr.t.Fatalf("%s %s page %d: envelope %+v does not describe its %d items", route, query, page, p, len(p.Contents))
		}
		items = append(items, p.Contents...)
		if p.LastPage {
			if len(items) != p.TotalItems || page != max(p.TotalPages, 1) {
				cr.t.Fatalf("%s %s: %d items on %d pages, envelope says %d on %d", route, query, len(items), page, p.TotalItems, p.TotalPages)
			}
			return items
		}
	}
}

var demoEmail = regexp.MustCompile(`[a-z0-9.+-]+@` + regexp.QuoteMeta(demoDomain))

// checkNothingPrivate fails if a feed answer shows an account's email (only providers'
// published business addresses, hello.…@, may appear) or who verified a provider.
func checkNothingPrivate(t *testing.T, path string, body []byte) {
	t.Helper()
	for _, email := range demoEmail.FindAllString(string(body), -1) {
		if !strings.HasPrefix(email, "hello.") {
			t.Errorf("GET %s shows the account email %s", path, email)
		}
	}
	for _, word := range []string{"verified_by", "pledge", "password", "budget_holder"} {
		if strings.Contains(string(body), word) {
			t.Errorf("GET %s mentions %q", path, word)
		}
	}
}

func ids(t *testing.T, items []json.RawMessage) []string {
	t.Helper()
	out := make([]string, len(items))
	for i, raw := range items {
		out[i] = decode[struct{ ID string }](t, raw).ID
	}
	return out
}

// publicOffers lists, through the marketplace API's own rules, every offer the public sees.
func publicOffers(t *testing.T, m *Main) []string {
	t.Helper()
	var out []string
	f := marketplace.OfferFilter{Limit: marketplace.MaxLimit}
	for {
		page, err := m.Market.Offers(context.Background(), f)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range page.Items {
			out = append(out, o.ID)
		}
		if page.NextCursor == "" {
			slices.Sort(out)
			return out
		}
		f.Cursor = page.NextCursor
	}
}

func mustORUKValidator(t *testing.T) *oruktest.Validator {
	t.Helper()
	v, err := oruktest.New()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestOpenReferral runs, on one seeded demo data set, the checks that only read it.
func TestOpenReferral(t *testing.T) {
	t.Parallel()
	m, srv := mustOpen(t)
	mustSeed(t, m)
	t.Run("every answer over the whole demo data set validates against HSDS 3.0 and the UK profile", func(t *testing.T) {
		t.Parallel()
		orukAnswersValidate(t, m, srv.URL)
	})
	t.Run("an export imported into an empty store exports the same but for the claim state", func(t *testing.T) {
		t.Parallel()
		orukRoundTrip(t, srv.URL)
	})
}

// byID indexes list items by id.
func byID(t *testing.T, items []json.RawMessage) map[string]json.RawMessage {
	t.Helper()
	out := map[string]json.RawMessage{}
	for _, raw := range items {
		out[decode[struct{ ID string }](t, raw).ID] = raw
	}
	return out
}

// sameJSON fails unless two JSON documents are equal.
func sameJSON(t *testing.T, what string, a, b []byte) {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(x, y); diff != "" {
		t.Errorf("%s differs from its full list item (-list +one):\n%s", what, diff)
	}
}

// orukAnswersValidate validates every list of the feed, in every form (one-to-one, full,
// minimal), which between them show every listing, organization and term in every shape.
// The answers for one object are the full list items again: they are compared with them
// for a spread of ids (every one for terms and taxonomies).
func orukAnswersValidate(t *testing.T, m *Main, base string) {
	cr := &orukCrawler{t: t, c: client{tb: t, base: base}, v: mustORUKValidator(t)}
	start := time.Now()

	info := decode[openreferral.APIInfo](t, cr.get("/", "/"))
	if info.Version != "HSDS-UK-3.0" || !strings.HasSuffix(info.OpenAPIURL, oruk+"/openapi.json") {
		t.Errorf("root = %+v", info)
	}

	services := cr.all("/services", "", 50)
	want := publicOffers(t, m)
	if diff := cmp.Diff(want, ids(t, services)); diff != "" {
		t.Fatalf("/services lists other offers than the public sees (-public +feed):\n%s", diff)
	}
	full := cr.all("/services", "full=true", 100)
	minimal := decode[orukPage](t, cr.get("/services", "/services?minimal=true"))
	if diff := cmp.Diff(want, ids(t, minimal.Contents)); diff != "" || !minimal.LastPage {
		t.Errorf("minimal=true is not every service on one page (-want +got):\n%s", diff)
	}
	sals := cr.all("/service_at_locations", "", 100)
	fullSALs := cr.all("/service_at_locations", "full=true", 100)
	orgs := cr.all("/organizations", "", 20)
	fullOrgs := cr.all("/organizations", "full=true", 100)
	taxonomies := cr.all("/taxonomies", "", 3)
	terms := cr.all("/taxonomy_terms", "", 25)
	if len(sals) != len(want) || len(fullSALs) != len(want) || len(fullOrgs) != len(orgs) {
		t.Errorf("%d services, %d and %d services at locations, %d and %d organizations", len(want), len(sals), len(fullSALs), len(orgs), len(fullOrgs))
	}

	one := func(route, path string, items []json.RawMessage, every int) {
		index := byID(t, items)
		for i, id := range ids(t, items) {
			if i%every == 0 || i == len(items)-1 {
				sameJSON(t, path+id, index[id], cr.get(route, path+id))
			}
		}
	}
	one("/services/{id}", "/services/", full, 20)
	one("/service_at_locations/{id}", "/service_at_locations/", fullSALs, 20)
	one("/organizations/{id}", "/organizations/", fullOrgs, 10)
	for _, id := range ids(t, fullOrgs)[:3] { // services fully nested: each is a full service again
		cr.get("/organizations/{id}", "/organizations/"+id+"?full_service=true")
	}
	for _, id := range ids(t, taxonomies) {
		cr.get("/taxonomies/{id}", "/taxonomies/"+id)
	}
	one("/taxonomy_terms/{id}", "/taxonomy_terms/", terms, 1)

	// Every service, fully nested, says what Carepool knows of it.
	type parts struct{ Attributes, ServiceAtLocations, CostOptions, Languages, Schedules int }
	var got parts
	for _, raw := range full {
		s := decode[openreferral.Service](t, raw)
		got.Attributes += min(len(s.Attributes), 1)
		got.ServiceAtLocations += min(len(s.ServiceAtLocations), 1)
		got.CostOptions += min(len(s.CostOptions), 1)
		got.Languages += min(len(s.Languages), 1)
		got.Schedules += min(len(s.Schedules), 1)
	}
	if n := len(full); got != (parts{n, n, n, n, n}) {
		t.Errorf("of %d full services, these many have each part: %+v", n, got)
	}
	t.Logf("%d services, %d organizations, %d taxonomies, %d terms: %d answers validated in %s (%s validating)",
		len(want), len(orgs), len(taxonomies), len(terms), cr.requests, time.Since(start).Round(time.Millisecond), cr.validating.Round(time.Millisecond))
}

// exportServices is every service of the feed, fully nested, as one caller sees it.
func exportServices(t *testing.T, c client) []openreferral.Service {
	t.Helper()
	resp, body := c.do(http.MethodGet, oruk+"/services?full=true&per_page=500", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("export: %d %.300s", resp.StatusCode, body)
	}
	p := decode[orukPage](t, body)
	if !p.LastPage {
		t.Fatalf("the export does not fit one page: %d services", p.TotalItems)
	}
	out := make([]openreferral.Service, len(p.Contents))
	for i, raw := range p.Contents {
		out[i] = decode[openreferral.Service](t, raw)
	}
	return out
}

// adminClient signs up an administrator on m and returns a client with its token.
func adminClient(t *testing.T, m *Main, base string) client {
	t.Helper()
	ctx := context.Background()
	email := "oruk-admin@example.org"
	s, err := m.Accounts.SignUp(ctx, account.SignUp{Email: email, Password: "a long enough password", Name: "Ada Admin"})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Accounts.SetAdmin(ctx, email, true); err != nil {
		t.Fatal(err)
	}
	a, err := m.Accounts.ActorForSession(ctx, s.Secret)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := m.Accounts.CreateToken(account.WithActor(ctx, a), account.NewToken{Name: "oruk test"})
	if err != nil {
		t.Fatal(err)
	}
	return client{tb: t, base: base, token: tok.Secret}
}

// withoutClaimState removes from an export what differs between a listing its provider
// publishes and the same listing imported and waiting for a claim: the status, the
// "unclaimed" attribute, and what a Carepool administrator verified (an import never
// carries verification over; an administrator checks the provider after the claim).
func withoutClaimState(services []openreferral.Service) []openreferral.Service {
	out := slices.Clone(services)
	for i := range out {
		s := &out[i]
		s.Status, s.Accreditations, s.AssuredDate = "", "", ""
		s.Attributes = slices.DeleteFunc(slices.Clone(s.Attributes), func(a openreferral.Attribute) bool {
			return a.TaxonomyTerm != nil && a.TaxonomyTerm.Taxonomy == "carepool-listing-state"
		})
	}
	return out
}

// orukRoundTrip exports the demo data set, imports it into an empty store and exports it
// again as an administrator (the import's listings wait for their providers' claims).
func orukRoundTrip(t *testing.T, base string) {
	first := exportServices(t, client{tb: t, base: base})
	feed, err := json.Marshal(first)
	if err != nil {
		t.Fatal(err)
	}
	decoded, err := openreferral.DecodeFeed(feed)
	if err != nil {
		t.Fatal(err)
	}

	empty, emptySrv := mustOpen(t)
	im := openreferral.Importer{Store: store.NewMarketplace(empty.DB)}
	rep, err := im.Import(context.Background(), "demo", decoded)
	if err != nil {
		t.Fatal(err)
	}
	orgs := rep.Organisations[openreferral.Created]
	if rep.Services[openreferral.Created] != len(first) || len(rep.Services) != 1 || len(rep.Organisations) != 1 {
		t.Fatalf("import of %d services: %v", len(first), rep.Services)
	}
	for _, r := range rep.Records {
		if len(r.Notes) > 0 {
			t.Errorf("Carepool's own feed should import without notes; service %d: %v", r.Index, r.Notes)
		}
	}

	if anon := exportServices(t, client{tb: t, base: emptySrv.URL}); len(anon) != 0 {
		t.Fatalf("the public sees %d imported listings before anyone claimed them", len(anon))
	}
	admin := adminClient(t, empty, emptySrv.URL)
	second := exportServices(t, admin)
	for _, s := range second {
		if s.Status != "inactive" || !slices.ContainsFunc(s.Attributes, func(a openreferral.Attribute) bool { return a.TaxonomyTerm.Code == "unclaimed" }) {
			t.Fatalf("imported service %s is not marked unclaimed: status %q", s.ID, s.Status)
		}
	}
	if diff := cmp.Diff(withoutClaimState(first), withoutClaimState(second)); diff != "" {
		t.Errorf("the second export differs from the first (-first +second):\n%s", diff)
	}
	if err := mustORUKValidator(t).Validate("/services", mustJSON(t, map[string]any{"total_items": len(second), "total_pages": 1,
		"page_number": 1, "size": len(second), "first_page": true, "last_page": true, "empty": false, "contents": second})); err != nil {
		t.Errorf("the administrator's export with unclaimed listings does not validate: %v", err)
	}

	// Importing again changes nothing and duplicates nothing.
	rep, err = im.Import(context.Background(), "demo", decoded)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Services[openreferral.Unchanged] != len(first) || rep.Organisations[openreferral.Unchanged] != orgs || len(rep.Organisations) != 1 {
		t.Errorf("second import: services %v, organisations %v", rep.Services, rep.Organisations)
	}
	if again := exportServices(t, admin); !cmp.Equal(second, again) {
		t.Errorf("a second import changed the export: %s", cmp.Diff(second, again))
	}
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// writeFeed writes services as a feed file and returns its name.
func writeFeed(t *testing.T, services ...any) string {
	t.Helper()
	name := filepath.Join(t.TempDir(), "feed.json")
	if err := os.WriteFile(name, mustJSON(t, services), 0o600); err != nil {
		t.Fatal(err)
	}
	return name
}

// sampleService is one valid service of another directory, in HSDS form.
func sampleService(id, orgID, name string) map[string]any {
	return map[string]any{
		"id": id, "name": name, "status": "active",
		"description":   "A friendly lunch club with a hot meal, a quiz and time to chat, every week.",
		"last_modified": "2026-10-01T09:00:00Z",
		"organization":  map[string]any{"id": orgID, "name": "Bramley Neighbours", "description": "A small charity run by and for people in Bramley, Leeds.", "email": "hello@bramley.example.org"},
		"attributes":    []any{map[string]any{"id": uuid.NewString(), "taxonomy_term": map[string]any{"id": uuid.NewString(), "name": "Lunch club", "description": "Lunch club", "taxonomy": "esdServiceTypes"}}},
		"cost_options":  []any{map[string]any{"id": uuid.NewString(), "amount": 6.5, "amount_description": "per person"}},
		"schedules":     []any{map[string]any{"id": uuid.NewString(), "freq": "WEEKLY", "byday": "WE", "opens_at": "12:00", "closes_at": "14:00"}},
		"service_at_locations": []any{map[string]any{"id": uuid.NewString(), "location": map[string]any{
			"id": uuid.NewString(), "location_type": "physical", "name": "Bramley Community Centre",
			"addresses": []any{map[string]any{"id": uuid.NewString(), "address_1": "1 Town Street", "city": "Leeds", "state_province": "West Yorkshire", "postal_code": "LS13 3AB", "country": "GB", "address_type": "physical"}},
		}}},
	}
}

func TestImportORUKCommandImportsValidRecordsAndReportsTheOthers(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	env := func(k string) string { return map[string]string{"DATA_DIR": dir, "LOG_LEVEL": "error"}[k] }
	org := uuid.NewString()
	good := sampleService(uuid.NewString(), org, "Bramley lunch club")
	free := sampleService(uuid.NewString(), org, "Bramley coffee morning")
	free["cost_options"] = []any{}
	badType := sampleService(uuid.NewString(), org, "Bramley quiz night")
	badType["schedules"] = "every Wednesday"
	feed := writeFeed(t, good, free, badType)

	var out strings.Builder
	err := run(context.Background(), []string{"import-oruk", feed}, env, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "2 of 3 services were not valid") {
		t.Fatalf("import-oruk = %v, want it to say 2 of 3 were not valid\n%s", err, out.String())
	}
	for _, want := range []string{
		"services: 1 created, 2 rejected",
		`service 1 (id "` + free["id"].(string) + `", "Bramley coffee morning"): rejected`,
		"✗ cost_options: no price",
		`service 2 (id "` + badType["id"].(string) + `", "Bramley quiz night"): rejected`,
		"✗ schedules: must be an array",
		"· languages: none given: English assumed",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the report does not say %q:\n%s", want, out.String())
		}
	}

	// A different file is a different source: -source names the first one, so this run
	// updates what the first made (nothing changed) instead of adding to it.
	out.Reset()
	err = run(context.Background(), []string{"import-oruk", "-source", "file:" + feed, writeFeed(t, good)}, env, &out, &out)
	if err != nil || !strings.Contains(out.String(), "services: 1 unchanged") {
		t.Errorf("re-import under the same source = %v:\n%s", err, out.String())
	}
}

// orukImportOne imports, as another directory's feed, one organization with one service,
// and returns their ids here: an organisation waiting for a claim, with a draft listing.
func orukImportOne(t testing.TB, m *Main) (orgID, serviceID string) {
	t.Helper()
	orgID, serviceID = uuid.NewString(), uuid.NewString()
	feed, err := openreferral.DecodeFeed(mustJSON(t, []any{sampleService(serviceID, orgID, "Bramley lunch club")}))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := (&openreferral.Importer{Store: store.NewMarketplace(m.DB)}).Import(context.Background(), "authz-"+orgID, feed)
	if err != nil || rep.Services[openreferral.Created] != 1 {
		t.Fatalf("import: %v, %+v", err, rep.Records)
	}
	return orgID, serviceID
}

// orukFirstID is the id of the first item of an ORUK list, read as anyone would.
func orukFirstID(t testing.TB, f *authzFixture, path string) string {
	t.Helper()
	resp, body := f.client("anon").do(http.MethodGet, oruk+path, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d", path, resp.StatusCode)
	}
	p := decode[orukPage](t, body)
	if len(p.Contents) == 0 {
		t.Fatalf("GET %s is empty", path)
	}
	return decode[struct{ ID string }](t, p.Contents[0]).ID
}

// authzOpenReferralRows are the routes of the Open Referral UK feed and of claims. The
// feed is public: everyone sees the same, suspended providers and drafts never appear,
// and only administrators see the listings an import made that wait for a claim.
func authzOpenReferralRows() []authzRow {
	const (
		all404    = "404 404 404 404 404 404 404 404 404"
		adminSees = "404 404 404 404 404 404 404 404 200"
	)
	unclaimed := func(t testing.TB, f *authzFixture) {
		f.vars["unclaimedOrg"], f.vars["unclaimedSvc"] = orukImportOne(t, f.m)
	}
	pendingClaim := func(t testing.TB, f *authzFixture) {
		org, _ := orukImportOne(t, f.m)
		c, err := account.NewClaims(store.NewAccounts(f.m.DB), nil).Request(f.as(t, "alice"), org, account.NewClaim{Message: "I run this lunch club."})
		if err != nil {
			t.Fatal(err)
		}
		f.vars["claim"] = c.ID
	}
	ids := func(t testing.TB, f *authzFixture) {
		f.vars["pubSAL"] = orukFirstID(t, f, "/service_at_locations?organization_id="+f.vars["provOrg"])
		f.vars["taxonomy"] = orukFirstID(t, f, "/taxonomies")
		f.vars["term"] = orukFirstID(t, f, "/taxonomy_terms")
	}
	message := authzConst(map[string]string{"message": "I run this organisation: call the number on our website."})
	return []authzRow{
		{route: "GET " + oruk, target: "-", path: oruk, want: authzAllOK},
		{route: "GET " + oruk + "/", target: "-", path: oruk + "/", want: authzAllOK},
		{route: "GET " + oruk + "/openapi.json", target: "-", path: oruk + "/openapi.json", want: authzAllOK},
		{route: "GET " + oruk + "/services", target: "public list", path: oruk + "/services?per_page=500", want: authzAllOK},
		{route: "GET " + oruk + "/services/:id", target: "published", path: oruk + "/services/{pub}", want: authzAllOK},
		{route: "GET " + oruk + "/services/:id", target: "draft", path: oruk + "/services/{draft}", want: all404},
		{route: "GET " + oruk + "/services/:id", target: "suspended's published", path: oruk + "/services/{susPub}", want: all404},
		{route: "GET " + oruk + "/services/:id", target: "unclaimed import", path: oruk + "/services/{unclaimedSvc}", want: adminSees, setup: unclaimed},
		{route: "GET " + oruk + "/service_at_locations", target: "public list", path: oruk + "/service_at_locations?postcode=LS6", want: authzAllOK},
		{route: "GET " + oruk + "/service_at_locations/:id", target: "right provider's", path: oruk + "/service_at_locations/{pubSAL}", want: authzAllOK, setup: ids},
		{route: "GET " + oruk + "/organizations", target: "public list", path: oruk + "/organizations?full=true", want: authzAllOK},
		{route: "GET " + oruk + "/organizations/:id", target: "right provider", path: oruk + "/organizations/{provOrg}", want: authzAllOK},
		{route: "GET " + oruk + "/organizations/:id", target: "suspended provider", path: oruk + "/organizations/{susOrg}", want: all404},
		{route: "GET " + oruk + "/organizations/:id", target: "unclaimed import", path: oruk + "/organizations/{unclaimedOrg}", want: adminSees, setup: unclaimed},
		{route: "GET " + oruk + "/taxonomies", target: "-", path: oruk + "/taxonomies", want: authzAllOK},
		{route: "GET " + oruk + "/taxonomies/:id", target: "first", path: oruk + "/taxonomies/{taxonomy}", want: authzAllOK, setup: ids},
		{route: "GET " + oruk + "/taxonomy_terms", target: "-", path: oruk + "/taxonomy_terms", want: authzAllOK},
		{route: "GET " + oruk + "/taxonomy_terms/:id", target: "first", path: oruk + "/taxonomy_terms/{term}", want: authzAllOK, setup: ids},
		{route: "POST /api/v1/organisations/:id/claims", target: "unclaimed import", path: "/api/v1/organisations/{unclaimedOrg}/claims",
			want: "401 201 201 201 201 201 201 201 201", setup: unclaimed, body: message},
		{route: "POST /api/v1/organisations/:id/claims", target: "right provider (owned)", path: "/api/v1/organisations/{provOrg}/claims",
			want: "401 409 409 409 409 409 409 409 409", body: message},
		{route: "GET /api/v1/me/claims", target: "self", path: "/api/v1/me/claims", want: authzUsersOK},
		{route: "GET /api/v1/admin/claims", target: "pending", path: "/api/v1/admin/claims", want: authzAdminOnly},
		{route: "POST /api/v1/admin/claims/:id/approve", target: "alice's claim", path: "/api/v1/admin/claims/{claim}/approve", want: authzAdminOnly, setup: pendingClaim},
		{route: "POST /api/v1/admin/claims/:id/reject", target: "alice's claim", path: "/api/v1/admin/claims/{claim}/reject", want: authzAdminOnly, setup: pendingClaim,
			body: authzConst(map[string]string{"reason": "We could not reach you."})},
	}
}

func TestAuthzOpenReferral(t *testing.T) {
	t.Parallel()
	runAuthzMatrix(t, newAuthzFixture(t), authzOpenReferralRows())
}

// BenchmarkOpenReferralServicesFullPage times GET /services?per_page=50&full=true on the
// demo data set, through HTTP, as a consumer sees it.
func BenchmarkOpenReferralServicesFullPage(b *testing.B) {
	m, srv := mustOpen(b)
	mustSeed(b, m)
	c := client{tb: b, base: srv.URL}
	b.ResetTimer()
	for b.Loop() {
		resp, body := c.do(http.MethodGet, oruk+"/services?per_page=50&full=true", nil)
		if resp.StatusCode != http.StatusOK || len(body) < 100_000 {
			b.Fatalf("%d, %d bytes", resp.StatusCode, len(body))
		}
	}
}

// BenchmarkOpenReferralImportDemo times importing the demo data set's export into an
// empty store (each iteration a new store).
func BenchmarkOpenReferralImportDemo(b *testing.B) {
	m, srv := mustOpen(b)
	mustSeed(b, m)
	resp, body := client{tb: b, base: srv.URL}.do(http.MethodGet, oruk+"/services?per_page=500&full=true", nil)
	if resp.StatusCode != http.StatusOK {
		b.Fatal(resp.Status)
	}
	feed, err := openreferral.DecodeFeed(body)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		b.StopTimer()
		empty, _ := mustOpen(b)
		b.StartTimer()
		rep, err := (&openreferral.Importer{Store: store.NewMarketplace(empty.DB)}).Import(context.Background(), "demo", feed)
		if err != nil || rep.Services[openreferral.Created] != len(feed.Records) {
			b.Fatalf("%v %v", err, rep.Services)
		}
	}
}
