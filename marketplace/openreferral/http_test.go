package openreferral_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/web"
	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/marketplace/openreferral"
)

// directory is a Source that publishes fixed listings: public ones to everyone, and
// unclaimed ones to administrators as well.
type directory struct {
	public, unclaimed []marketplace.Listing
}

func (d directory) Published(ctx context.Context) (marketplace.Published, error) {
	ls := d.public
	if account.ActorFrom(ctx).IsAdmin() {
		ls = append(append([]marketplace.Listing{}, d.public...), d.unclaimed...)
	}
	var pub marketplace.Published
	seen := map[string]bool{}
	for _, l := range ls {
		pub.Listings = append(pub.Listings, l)
		if !seen[l.Provider.ID] {
			seen[l.Provider.ID] = true
			pub.Providers = append(pub.Providers, l.Provider)
		}
	}
	return pub, nil
}

var stamp = time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)

func sampleListing(t *testing.T, id, providerID string, modified time.Time, edit func(*marketplace.OfferInput)) marketplace.Listing {
	t.Helper()
	in := marketplace.OfferInput{Kind: marketplace.KindCommunityActivity, Title: "Friday art and lunch",
		Description: "A relaxed weekly art group with a shared lunch; all materials provided.",
		Categories:  []string{"arts-and-crafts"},
		Where:       marketplace.WhereInput{Mode: marketplace.AtAddress, Address: &marketplace.Address{Line1: "12 Otley Road", Town: "Leeds", Postcode: "LS6 3AA"}},
		When:        marketplace.Schedule{Weekly: []marketplace.WeeklySlot{{Day: "friday", Start: "10:00", End: "14:30"}}},
		Price:       marketplace.Price{Unit: marketplace.GroupSession, AmountPence: 48000, Group: &marketplace.GroupPricing{MinPeople: 4, MaxPeople: 10}},
		BudgetForms: []marketplace.BudgetForm{marketplace.DirectPayment}, Languages: []string{"en"}}
	if edit != nil {
		edit(&in)
	}
	in.Normalize()
	if err := in.Validate(); err != nil {
		t.Fatal(err)
	}
	o := marketplace.ImportedOffer(id, providerID, in, modified, modified)
	o.Status = marketplace.StatusPublished
	p := marketplace.ImportedProfile(providerID, marketplace.ProviderInput{Description: "A community group in Leeds, run by local people.",
		Contact: marketplace.Contact{Email: "hello@group.example.org"}}, stamp)
	p.Name = "Leeds Friends Club"
	return marketplace.Listing{Offer: o, Provider: &marketplace.DirectoryProvider{Provider: p, HasProfile: true, OrgUpdatedAt: stamp}}
}

const (
	org1 = "11111111-1111-4111-8111-111111111111"
	org2 = "22222222-2222-4222-8222-222222222222"
	svcA = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"
	svcB = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb"
	svcC = "cccccccc-cccc-4ccc-8ccc-cccccccccccc"
	svcU = "dddddddd-dddd-4ddd-8ddd-dddddddddddd"
)

// server serves the API over a fixed directory, with the application's error handler;
// an Authorization header "admin" makes the caller an administrator.
func server(t *testing.T) *httptest.Server {
	t.Helper()
	dir := directory{public: []marketplace.Listing{
		sampleListing(t, svcA, org1, stamp, nil),
		sampleListing(t, svcB, org1, stamp.Add(48*time.Hour), func(in *marketplace.OfferInput) {
			in.Title, in.Categories = "Saturday swimming", []string{"swimming"}
			in.When.Weekly = []marketplace.WeeklySlot{{Day: "saturday", Start: "09:00", End: "10:30"}}
			in.Where = marketplace.WhereInput{Mode: marketplace.AtAddress, Address: &marketplace.Address{Line1: "1 Pool Lane", Town: "Bristol", Postcode: "BS1 4DJ"}}
		}),
		sampleListing(t, svcC, org2, stamp, func(in *marketplace.OfferInput) {
			in.Title, in.Kind = "Support at home", marketplace.KindService
			in.Price = marketplace.Price{Unit: marketplace.PerHour, AmountPence: 2000}
			in.Where = marketplace.WhereInput{Mode: marketplace.InArea, AreasServed: []string{"LS7", "LS6"}}
			in.When = marketplace.Schedule{Notes: "By arrangement."}
		}),
	}}
	u := sampleListing(t, svcU, "33333333-3333-4333-8333-333333333333", stamp, nil)
	u.Offer.Status, u.Provider.Unclaimed = marketplace.StatusDraft, true
	dir.unclaimed = []marketplace.Listing{u}

	e := echo.New()
	e.HTTPErrorHandler = web.NewErrorHandler(slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	e.Use(func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if c.Request().Header.Get("Authorization") == "admin" {
				ctx := account.WithActor(c.Request().Context(), &account.Actor{UserID: "u1", Admin: true})
				c.SetRequest(c.Request().WithContext(ctx))
			}
			return next(c)
		}
	})
	openreferral.NewHandler(openreferral.Config{Directory: dir, BaseURL: "https://carepool.example"}).Register(e)
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, srv *httptest.Server, path string, headers ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

type page struct {
	TotalItems int `json:"total_items"`
	Contents   []struct {
		ID      string
		Status  string
		Service *struct{ ID string }
	} `json:"contents"`
}

func listIDs(t *testing.T, srv *httptest.Server, path string, headers ...string) []string {
	t.Helper()
	resp, body := get(t, srv, path, headers...)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d %s", path, resp.StatusCode, body)
	}
	var p page
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatal(err)
	}
	ids := []string{}
	for _, c := range p.Contents {
		if c.Service != nil {
			ids = append(ids, c.Service.ID)
		} else {
			ids = append(ids, c.ID)
		}
	}
	return ids
}

func TestListsFilterByTheParametersOfTheProfile(t *testing.T) {
	t.Parallel()
	srv := server(t)
	swimming := "/openreferral/v3/taxonomy_terms?search=swimming"
	_, body := get(t, srv, swimming)
	var terms struct{ Contents []openreferral.TaxonomyTerm }
	if err := json.Unmarshal(body, &terms); err != nil || len(terms.Contents) != 1 {
		t.Fatalf("GET %s: %s", swimming, body)
	}
	tests := []struct {
		name, path string
		headers    []string
		want       []string
	}{
		{"everything the public sees, by id", "/openreferral/v3/services", nil, []string{svcA, svcB, svcC}},
		{"administrators also see listings waiting for a claim", "/openreferral/v3/services", []string{"Authorization", "admin"}, []string{svcA, svcB, svcC, svcU}},
		{"a page", "/openreferral/v3/services?per_page=2&page=2", nil, []string{svcC}},
		{"search", "/openreferral/v3/services?search=SWIMMING+saturday", nil, []string{svcB}},
		{"a taxonomy term", "/openreferral/v3/services?taxonomy_term_id=" + terms.Contents[0].ID, nil, []string{svcB}},
		{"an organization", "/openreferral/v3/services?organization_id=" + org2, nil, []string{svcC}},
		{"modified on or after", "/openreferral/v3/services?modified_after=2026-10-02T00:00:00Z", nil, []string{svcB}},
		{"a day", "/openreferral/v3/services?day=FR", nil, []string{svcA}},
		{"a day and a start", "/openreferral/v3/services?day=saturday&start_time=09:00&end_time=10:30", nil, []string{svcB}},
		{"services covering a postcode, nearest first", "/openreferral/v3/service_at_locations?postcode=LS6+1AA", nil, []string{svcA, svcC}},
		{"venues within a distance", "/openreferral/v3/service_at_locations?postcode=BS2&proximity=3000", nil, []string{svcB}},
		{"organizations", "/openreferral/v3/organizations?search=friends", nil, []string{org1, org2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, listIDs(t, srv, tt.path, tt.headers...)); diff != "" {
				t.Errorf("GET %s (-want +got):\n%s", tt.path, diff)
			}
		})
	}
}

func TestAnswersAreOpenToAnyWebPageAndCachedForThePublicOnly(t *testing.T) {
	t.Parallel()
	srv := server(t)
	tests := []struct {
		name, path string
		headers    []string
		status     int
		cache      string
	}{
		{"the root", "/openreferral/v3/", nil, 200, "public, max-age=60"},
		{"the root without its slash", "/openreferral/v3", nil, 200, "public, max-age=60"},
		{"a list as an administrator", "/openreferral/v3/services", []string{"Authorization", "admin"}, 200, "private, no-store"},
		{"an unknown service", "/openreferral/v3/services/" + svcU, nil, 404, "public, max-age=60"},
		{"a malformed id", "/openreferral/v3/services/42", nil, 404, "public, max-age=60"},
		{"a parameter it does not support", "/openreferral/v3/services?minimum_age=18", nil, 422, "public, max-age=60"},
		{"an unclaimed listing to an administrator", "/openreferral/v3/services/" + svcU, []string{"Authorization", "admin"}, 200, "private, no-store"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			resp, body := get(t, srv, tt.path, tt.headers...)
			if resp.StatusCode != tt.status || resp.Header.Get("Access-Control-Allow-Origin") != "*" || resp.Header.Get("Cache-Control") != tt.cache {
				t.Errorf("GET %s = %d, CORS %q, cache %q: %.300s", tt.path, resp.StatusCode,
					resp.Header.Get("Access-Control-Allow-Origin"), resp.Header.Get("Cache-Control"), body)
			}
			if tt.status >= 400 && resp.Header.Get("Content-Type") != web.ProblemContentType {
				t.Errorf("GET %s: a %d is %q, want a problem", tt.path, tt.status, resp.Header.Get("Content-Type"))
			}
		})
	}
}

func TestTheOwnOpenAPIDocumentListsTheFeedAloneAtThisServer(t *testing.T) {
	t.Parallel()
	srv := server(t)
	_, body := get(t, srv, "/openreferral/v3/openapi.json")
	var doc struct {
		Servers []struct{ URL string }
		Paths   map[string]any
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Servers) != 1 || doc.Servers[0].URL != "https://carepool.example/openreferral/v3" {
		t.Errorf("servers = %+v", doc.Servers)
	}
	for _, p := range []string{"/", "/services", "/services/{id}", "/service_at_locations", "/service_at_locations/{id}", "/organizations",
		"/organizations/{id}", "/taxonomies", "/taxonomies/{id}", "/taxonomy_terms", "/taxonomy_terms/{id}", "/openapi.json"} {
		if _, ok := doc.Paths[p]; !ok {
			t.Errorf("the document does not list %s", p)
		}
	}
	for p := range doc.Paths {
		if strings.HasPrefix(p, "/api/") || strings.HasPrefix(p, "/openreferral") {
			t.Errorf("the document lists %s", p)
		}
	}
}

func TestOpenAPIFragmentDocumentsEveryRouteAndNoOther(t *testing.T) {
	t.Parallel()
	e := echo.New()
	openreferral.NewHandler(openreferral.Config{}).Register(e)
	var registered []string
	for _, r := range e.Routes() {
		registered = append(registered, r.Method+" "+r.Path)
	}
	documented, err := web.Operations(openreferral.OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(registered)
	if diff := cmp.Diff(documented, registered); diff != "" {
		t.Errorf("routes (-documented +registered):\n%s", diff)
	}
	if _, err := web.OpenAPI(openreferral.OpenAPI); err != nil {
		t.Errorf("the fragment does not merge into the base document: %v", err)
	}
}

// TestOpenAPIFragmentReferencesResolve checks every local $ref of the fragment, merged
// into the base document, and that the ORUK responses refer to HSDS's published schemas.
func TestOpenAPIFragmentReferencesResolve(t *testing.T) {
	t.Parallel()
	merged, err := web.OpenAPI(openreferral.OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(merged, &doc); err != nil {
		t.Fatal(err)
	}
	hsds := 0
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok {
				switch {
				case strings.HasPrefix(ref, "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"):
					hsds++
				case !resolves(doc, ref):
					t.Errorf("%s: $ref %q does not resolve", path, ref)
				}
			}
			for k, c := range v {
				walk(path+"/"+k, c)
			}
		case []any:
			for i, c := range v {
				walk(fmt.Sprintf("%s/%d", path, i), c)
			}
		}
	}
	walk("#", doc)
	if hsds < 10 {
		t.Errorf("only %d references to HSDS schemas", hsds)
	}
}

func resolves(doc map[string]any, ref string) bool {
	var cur any = doc
	for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		m, ok := cur.(map[string]any)
		if !ok {
			return false
		}
		if cur, ok = m[strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")]; !ok {
			return false
		}
	}
	return true
}
