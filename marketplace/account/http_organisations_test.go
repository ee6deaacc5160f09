package account_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/carepool/carepool/marketplace/account"
)

// orgWorld is an organisation with one person in every role around it.
type orgWorld struct {
	*api
	orgID   string
	secrets map[string]string // by role name: owner, member, outsider, admin
}

func newOrgWorld(t *testing.T) *orgWorld {
	t.Helper()
	a := newAPI(t)
	w := &orgWorld{api: a, secrets: map[string]string{}}
	for _, who := range []string{"owner", "member", "outsider", "admin"} {
		_, w.secrets[who] = a.browserUser(t, who+"@example.org", strings.ToUpper(who[:1])+who[1:])
	}
	if err := a.svc.SetAdmin(context.Background(), "admin@example.org", true); err != nil {
		t.Fatal(err)
	}
	rec := a.do(t, http.MethodPost, "/api/v1/organisations", `{"name":"Art Club","kinds":["community_group","sole_trader_pa"]}`, asBrowser(w.secrets["owner"]))
	wantStatus(t, rec, http.StatusCreated)
	w.orgID = decode[map[string]any](t, rec)["id"].(string)
	wantStatus(t, a.do(t, http.MethodPost, "/api/v1/organisations/"+w.orgID+"/members", `{"email":"member@example.org"}`, asBrowser(w.secrets["owner"])), http.StatusCreated)
	return w
}

// as returns the request options for a role; "anonymous" sends nothing.
func (w *orgWorld) as(who string) []reqOpt {
	if who == "anonymous" {
		return nil
	}
	return []reqOpt{asBrowser(w.secrets[who])}
}

func TestHTTPOrganisationRoutesByRole(t *testing.T) {
	t.Parallel()
	type call struct {
		method, path, body string
		ifMatch            bool
	}
	routes := map[string]call{
		"read":          {http.MethodGet, "", "", false},
		"update":        {http.MethodPatch, "", `{"name":"Art Club Leeds"}`, true},
		"list":          {http.MethodGet, "/members", "", false},
		"add member":    {http.MethodPost, "/members", `{"email":"newcomer@example.org"}`, false},
		"remove member": {http.MethodDelete, "/members/{member}", "", false},
		"suspend":       {http.MethodPost, "/suspend", `{"reason":"Checking insurance"}`, false},
	}
	// want[route][role] is the status each role gets.
	want := map[string]map[string]int{
		"read":       {"anonymous": 200, "outsider": 200, "member": 200, "owner": 200, "admin": 200},
		"update":     {"anonymous": 401, "outsider": 403, "member": 403, "owner": 200, "admin": 403},
		"list":       {"anonymous": 401, "outsider": 403, "member": 200, "owner": 200, "admin": 200},
		"add member": {"anonymous": 401, "outsider": 403, "member": 403, "owner": 201, "admin": 201},
		// The member removes themselves: anyone may leave.
		"remove member": {"anonymous": 401, "outsider": 403, "member": 204, "owner": 204, "admin": 204},
		"suspend":       {"anonymous": 401, "outsider": 403, "member": 403, "owner": 403, "admin": 200},
	}
	for route, c := range routes {
		for role, status := range want[route] {
			t.Run(route+" as "+role, func(t *testing.T) {
				t.Parallel()
				w := newOrgWorld(t)
				_, _ = w.browserUser(t, "newcomer@example.org", "Newcomer")
				memberID := w.userID(t, "member@example.org")
				path := "/api/v1/organisations/" + w.orgID + strings.ReplaceAll(c.path, "{member}", memberID)
				if route == "suspend" {
					path = "/api/v1/admin/organisations/" + w.orgID + "/suspend"
				}
				opts := w.as(role)
				if c.ifMatch {
					opts = append(opts, withHeader("If-Match", `"v1"`))
				}
				var body any
				if c.body != "" {
					body = c.body
				}
				rec := w.do(t, c.method, path, body, opts...)
				wantStatus(t, rec, status)
			})
		}
	}
}

// userID looks up the id of the account with email.
func (a *api) userID(tb testing.TB, email string) string {
	tb.Helper()
	u, err := a.store.UserByEmail(context.Background(), email)
	if err != nil {
		tb.Fatal(err)
	}
	return u.ID
}

func TestHTTPOrganisationViewsKeepPrivateThingsPrivate(t *testing.T) {
	t.Parallel()
	w := newOrgWorld(t)
	path := "/api/v1/organisations/" + w.orgID
	for who, wantKeys := range map[string]string{
		"anonymous": "id,kinds,name",
		"outsider":  "id,kinds,name",
		"member":    "created_at,id,kinds,name,status,updated_at,version",
		"admin":     "created_at,id,kinds,name,status,updated_at,version",
	} {
		rec := w.do(t, http.MethodGet, path, nil, w.as(who)...)
		wantStatus(t, rec, http.StatusOK)
		if got := keysOf(decode[map[string]any](t, rec)); got != wantKeys {
			t.Errorf("%s sees %s, want %s", who, got, wantKeys)
		}
	}
	members := w.do(t, http.MethodGet, path+"/members", nil, w.as("member")...)
	wantStatus(t, members, http.StatusOK)
	items := decode[struct {
		Items []map[string]any `json:"items"`
	}](t, members).Items
	if len(items) != 2 || keysOf(items[0]) != "added_at,name,role,user_id" || strings.Contains(members.Body.String(), "@") {
		t.Errorf("member list = %s, want names and roles only, no emails", members.Body.String())
	}
}

func TestHTTPOrganisationUpdateUsesETags(t *testing.T) {
	t.Parallel()
	w := newOrgWorld(t)
	path := "/api/v1/organisations/" + w.orgID
	owner := w.as("owner")
	get := w.do(t, http.MethodGet, path, nil, owner...)
	if etag := get.Header().Get("ETag"); etag != `"v1"` {
		t.Errorf("ETag = %q, want \"v1\"", etag)
	}
	if etag := w.do(t, http.MethodGet, path, nil).Header().Get("ETag"); etag != "" {
		t.Errorf("public view has ETag %q; the version is for members", etag)
	}
	wantProblem(t, w.do(t, http.MethodPatch, path, `{"name":"New"}`, owner...), 428, "/problems/if-match-required")
	wantProblem(t, w.do(t, http.MethodPatch, path, `{"name":"New"}`, append(owner, withHeader("If-Match", "v1"))...), 400, "")
	wantProblem(t, w.do(t, http.MethodPatch, path, `{"name":"New"}`, append(owner, withHeader("If-Match", `"v7"`))...), 412, "/problems/version-mismatch")
	wantProblem(t, w.do(t, http.MethodPatch, path, `{"kinds":["council"]}`, append(owner, withHeader("If-Match", `"v1"`))...), 422, "/problems/validation")
	ok := w.do(t, http.MethodPatch, path, `{"name":"New"}`, append(owner, withHeader("If-Match", `"v1"`))...)
	wantStatus(t, ok, http.StatusOK)
	if etag := ok.Header().Get("ETag"); etag != `"v2"` {
		t.Errorf("ETag after update = %q, want \"v2\"", etag)
	}
	wantProblem(t, w.do(t, http.MethodPatch, path, `{"name":"Newer"}`, append(owner, withHeader("If-Match", `"v1"`))...), 412, "/problems/version-mismatch")
}

func TestHTTPCreateOrganisation(t *testing.T) {
	t.Parallel()
	w := newOrgWorld(t)
	rec := w.do(t, http.MethodPost, "/api/v1/organisations", `{"name":"Leeds","kinds":["council"]}`, w.as("owner")...)
	wantProblem(t, rec, 403, "/problems/forbidden")
	rec = w.do(t, http.MethodPost, "/api/v1/organisations", `{"name":"Leeds","kinds":["council"],"owner_email":"outsider@example.org"}`, w.as("admin")...)
	wantStatus(t, rec, http.StatusCreated)
	id := decode[map[string]any](t, rec)["id"].(string)
	if loc := rec.Header().Get("Location"); loc != "/api/v1/organisations/"+id {
		t.Errorf("Location = %q", loc)
	}
	if rec.Header().Get("ETag") != `"v1"` {
		t.Errorf("ETag = %q", rec.Header().Get("ETag"))
	}
	rec = w.do(t, http.MethodPost, "/api/v1/organisations/"+id+"/members", `{"email":"member@example.org","role":"commissioner"}`, w.as("outsider")...)
	wantStatus(t, rec, http.StatusCreated)
	if loc := rec.Header().Get("Location"); loc != fmt.Sprintf("/api/v1/organisations/%s/members/%s", id, w.userID(t, "member@example.org")) {
		t.Errorf("member Location = %q", loc)
	}
	me := decode[struct {
		Memberships []struct {
			OrganisationID string `json:"organisation_id"`
			Role           string `json:"role"`
		} `json:"memberships"`
	}](t, w.do(t, http.MethodGet, "/api/v1/me", nil, w.as("member")...))
	if len(me.Memberships) != 2 || me.Memberships[1].OrganisationID != id || me.Memberships[1].Role != "commissioner" {
		t.Errorf("memberships = %+v", me.Memberships)
	}
}

func TestHTTPLastOwnerCannotBeRemoved(t *testing.T) {
	t.Parallel()
	w := newOrgWorld(t)
	path := "/api/v1/organisations/" + w.orgID + "/members/" + w.userID(t, "owner@example.org")
	wantProblem(t, w.do(t, http.MethodDelete, path, nil, w.as("owner")...), 409, "/problems/last-owner")
	wantProblem(t, w.do(t, http.MethodDelete, "/api/v1/organisations/"+w.orgID+"/members/nobody", nil, w.as("owner")...), 404, "/problems/member-not-found")
}

func TestHTTPSuspendHidesTheOrganisationAndReinstateRestoresIt(t *testing.T) {
	t.Parallel()
	w := newOrgWorld(t)
	admin := w.as("admin")
	rec := w.do(t, http.MethodPost, "/api/v1/admin/organisations/"+w.orgID+"/suspend", `{"reason":"Safeguarding review"}`, admin...)
	wantStatus(t, rec, http.StatusOK)
	got := decode[struct {
		Status string `json:"status"`
		Last   struct {
			Reason string `json:"reason"`
		} `json:"last_status_change"`
	}](t, rec)
	if got.Status != string(account.StatusSuspended) || got.Last.Reason != "Safeguarding review" {
		t.Errorf("suspended = %+v", got)
	}
	wantProblem(t, w.do(t, http.MethodGet, "/api/v1/organisations/"+w.orgID, nil), 404, "/problems/organisation-not-found")
	wantStatus(t, w.do(t, http.MethodGet, "/api/v1/organisations/"+w.orgID, nil, w.as("member")...), http.StatusOK)
	wantProblem(t, w.do(t, http.MethodPost, "/api/v1/admin/organisations/"+w.orgID+"/suspend", `{}`, admin...), 422, "/problems/validation")
	wantProblem(t, w.do(t, http.MethodPost, "/api/v1/admin/organisations/"+w.orgID+"/reinstate", nil, w.as("owner")...), 403, "/problems/forbidden")
	wantStatus(t, w.do(t, http.MethodPost, "/api/v1/admin/organisations/"+w.orgID+"/reinstate", nil, admin...), http.StatusOK)
	wantStatus(t, w.do(t, http.MethodGet, "/api/v1/organisations/"+w.orgID, nil), http.StatusOK)
}
