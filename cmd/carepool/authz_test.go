package main

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/carepool/carepool/frontend"
	"github.com/carepool/carepool/infra/web"
	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/pooling"
)

// The authorization matrix: every route against every role (see authzRoles), each cell
// asserting the status, that a refused request (and every read) changed nothing in the
// store, and that no response shows someone else's email. Where the product is wrong
// today a cell carries the right status and a bug note, so it fails until fixed.

// authzRow is one route acting on one target, with the status each role should get.
type authzRow struct {
	route   string // as registered on echo: "METHOD /path/:param"
	target  string // what the request acts on, for the test name
	path    string // the request path; {name} is f.vars[name], {self} the caller's user id
	want    string // the statuses in authzRoles order
	body    func(t testing.TB, f *authzFixture, r *authzRole) any
	header  func(t testing.TB, f *authzFixture) []string
	setup   func(t testing.TB, f *authzFixture) // makes the target: before the first cell, and again after a cell used it up
	cleanup func(t testing.TB, f *authzFixture, r *authzRole, status int)
	check   func(t testing.TB, f *authzFixture, r *authzRole, body []byte) // on success: what the caller may see
	bug     map[string]string                                              // role → why the product is wrong in this cell
	binary  bool                                                           // not JSON: no email leak check
	roles   []string                                                       // the columns, when not authzRoles (pooling: authzPoolRoles)
}

// cols returns the roles the row's statuses are for, in order.
func (row authzRow) cols() []string {
	if row.roles != nil {
		return row.roles
	}
	return authzRoles
}

func (row authzRow) method() string { m, _, _ := strings.Cut(row.route, " "); return m }

func (row authzRow) statuses(t testing.TB) []int {
	fields := strings.Fields(row.want)
	if len(fields) != len(row.cols()) {
		t.Fatalf("%s: %d statuses for %d roles", row.route, len(fields), len(row.cols()))
	}
	want := make([]int, len(fields))
	for i, s := range fields {
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatalf("%s: status %q: %v", row.route, s, err)
		}
		want[i] = n
	}
	return want
}

const (
	authzAllOK      = "200 200 200 200 200 200 200 200 200"
	authzUsersOK    = "401 200 200 200 200 200 200 200 200"
	authzAdminOnly  = "401 403 403 403 403 403 403 403 200"
	authzMembersSee = "404 404 404 200 200 404 404 404 200" // hidden from all but members and administrators
)

func TestAuthzMatrixCoversEveryRoute(t *testing.T) {
	t.Parallel()
	m, _ := mustOpen(t)
	rows := slices.Concat(authzPlatformRows(), authzAccountRows(), authzMarketplaceRows(), authzPoolRows(), authzOpenReferralRows(), authzMailRows(), authzInvoiceRows(), authzNotifyRows(), authzPrivacyRows(), authzCardRows())
	rows = append(rows, authzPaymentsRows()...)
	covered := map[string]bool{}
	for _, row := range rows {
		covered[row.route] = true
		row.statuses(t)
		for key := range row.bug {
			if !slices.Contains(row.cols(), key) {
				t.Errorf("%s: bug note for unknown role %q", row.route, key)
			}
		}
	}
	registered := map[string]bool{}
	for _, r := range m.Echo.Routes() {
		if r.Method == "echo_route_any" || r.Path == "" || r.Path == "/*" {
			continue
		}
		// HTML pages are not API routes: frontend/authz_test.go covers who may see them.
		if frontend.IsPageRoute(r) {
			continue
		}
		route := r.Method + " " + r.Path
		registered[route] = true
		if !covered[route] {
			t.Errorf("route %s has no row in the authorization matrix: add one for every role", route)
		}
	}
	for route := range covered {
		if !registered[route] {
			t.Errorf("the authorization matrix has a row for %s, which is not a route", route)
		}
	}
}

func TestAuthzPlatformAndAccounts(t *testing.T) {
	t.Parallel()
	runAuthzMatrix(t, newAuthzFixture(t), slices.Concat(authzPlatformRows(), authzAccountRows(), authzMailRows()))
}

func TestAuthzMarketplace(t *testing.T) {
	t.Parallel()
	runAuthzMatrix(t, newAuthzFixture(t), authzMarketplaceRows())
}

// runAuthzMatrix runs every cell in order on one seeded instance, and logs the matrix of
// statuses it saw (with -v); a cell that differs from the table is marked with "!".
func runAuthzMatrix(t *testing.T, f *authzFixture, rows []authzRow) {
	var state authzStoreState
	var table []string
	for _, row := range rows {
		want := row.statuses(t)
		got := make([]string, len(row.cols()))
		setup := row.setup != nil
		t.Run(strings.ReplaceAll(row.route, "/", "_")+"/"+row.target, func(t *testing.T) {
			for i, key := range row.cols() {
				got[i] = "---"
				t.Run(key, func(t *testing.T) {
					if setup {
						row.setup(t, f)
					}
					status := f.cell(t, row, f.roles[key], want[i], &state)
					// A cell that succeeded used its target up (archived, revoked, ...).
					setup = row.setup != nil && status < 300
					got[i] = strconv.Itoa(status)
					if status != want[i] {
						got[i] += "!"
					}
				})
			}
		})
		table = append(table, fmt.Sprintf("%-56s %-22s %s", row.route, row.target, strings.Join(got, " ")))
	}
	if testing.Verbose() {
		t.Logf("\n%-56s %-22s %s\n%s", "route", "target", strings.Join(rows[0].cols(), " "), strings.Join(table, "\n"))
	}
}

// cell sends one request as r and checks the status, the store and the response. A cell
// expected to be refused, and every read, must leave the store as it found it.
func (f *authzFixture) cell(t *testing.T, row authzRow, r *authzRole, want int, state *authzStoreState) int {
	repl := []string{"{self}", r.userID}
	if r.userID == "" {
		repl[1] = "00000000-0000-4000-8000-000000000000"
	}
	for k, v := range f.vars {
		repl = append(repl, "{"+k+"}", v)
	}
	path := strings.NewReplacer(repl...).Replace(row.path)
	var body any
	if row.body != nil {
		body = row.body(t, f, r)
	}
	var headers []string
	if row.header != nil {
		headers = row.header(t, f)
	}
	mustNotChange := row.method() == http.MethodGet || want >= 400
	if mustNotChange {
		*state = f.snapshot(t, *state)
	}
	resp, got := client{tb: t, base: f.base, token: r.token}.do(row.method(), path, body, headers...)
	status := resp.StatusCode
	if mustNotChange {
		before := *state
		*state = f.snapshot(t, before)
		if diff := authzFingerprintDiff(before.fp, state.fp); len(diff) > 0 {
			t.Errorf("%s %s as %s answered %d but changed the store: %v", row.method(), path, r.key, status, diff)
		}
	}
	if row.cleanup != nil {
		row.cleanup(t, f, r, status)
	}

	switch why, isBug := row.bug[r.key]; {
	case status != want && isBug:
		t.Errorf("KNOWN DISCREPANCY: %s %s as %s = %d, want %d: %s\nbody: %.300s", row.method(), path, r.key, status, want, why, got)
	case status != want:
		t.Errorf("%s %s as %s = %d, want %d: %.300s", row.method(), path, r.key, status, want, got)
	case isBug:
		t.Errorf("%s %s as %s now answers %d as it should: remove the bug note", row.method(), path, r.key, status)
	}
	if status >= 400 && resp.Header.Get("Content-Type") != web.ProblemContentType {
		t.Errorf("refusal %d is %q, want %s", status, resp.Header.Get("Content-Type"), web.ProblemContentType)
	}
	if !row.binary {
		sent, _ := json.Marshal(body)
		lower := bytes.ToLower(got)
		for _, email := range f.emails {
			if email != r.email && !authzContainsEmail(sent, email) && authzContainsEmail(lower, email) {
				t.Errorf("%s %s shows %s's email to %s: %.300s", row.method(), path, email, r.key, got)
			}
		}
	}
	if status < 300 && row.check != nil {
		row.check(t, f, r, got)
	}
	return status
}

// authzPlatformRows are the routes outside the features: health, documents, backups.
func authzPlatformRows() []authzRow {
	return []authzRow{
		{route: "GET /healthz", target: "-", path: "/healthz", want: authzAllOK},
		{route: "GET /readyz", target: "-", path: "/readyz", want: authzAllOK},
		{route: "GET /api/v1/openapi.json", target: "-", path: "/api/v1/openapi.json", want: authzAllOK},
		{route: "GET /api/v1/vocabulary", target: "-", path: "/api/v1/vocabulary", want: authzAllOK},
		{route: "GET /api/v1/admin/backup", target: "whole store", path: "/api/v1/admin/backup", want: authzAdminOnly, binary: true},
	}
}

// authzAccountRows are the routes of accounts, tokens, organisations and delegations.
func authzAccountRows() []authzRow {
	ifMatchOrg := func(name string) func(testing.TB, *authzFixture) []string {
		return func(t testing.TB, f *authzFixture) []string {
			return []string{"If-Match", authzETag(f.organisation(t, f.vars[name]).Version)}
		}
	}
	freshUser := func(t testing.TB, f *authzFixture) { f.vars["freshEmail"], f.vars["freshID"] = f.newUser(t) }
	return []authzRow{
		{route: "POST /api/v1/accounts", target: "new account", path: "/api/v1/accounts", want: "201 201 201 201 201 201 201 201 201",
			body: func(t testing.TB, f *authzFixture, _ *authzRole) any {
				return map[string]string{"email": fmt.Sprintf("signup-%d@example.org", f.next()), "password": "a long enough password", "name": "New Person"}
			}},
		{route: "POST /api/v1/sessions", target: "pa@ credentials", path: "/api/v1/sessions", want: "201 201 201 201 201 201 201 201 201",
			body: authzConst(map[string]string{"email": "pa@" + demoDomain, "password": DemoPassword})},
		// With a bearer token there is no session to end: nothing happens.
		{route: "DELETE /api/v1/sessions/current", target: "no cookie", path: "/api/v1/sessions/current", want: "204 204 204 204 204 204 204 204 204"},
		{route: "GET /api/v1/me", target: "self", path: "/api/v1/me", want: authzUsersOK,
			check: func(t testing.TB, f *authzFixture, r *authzRole, body []byte) {
				if me := decode[struct{ ID, Email string }](t, body); me.ID != r.userID || me.Email != r.email {
					t.Errorf("%s sees account %+v", r.key, me)
				}
			}},
		{route: "PATCH /api/v1/me", target: "self (same name)", path: "/api/v1/me", want: authzUsersOK,
			body: func(_ testing.TB, _ *authzFixture, r *authzRole) any {
				return map[string]string{"name": cmp.Or(r.name, "Nobody")}
			}},
		{route: "GET /api/v1/me/tokens", target: "self", path: "/api/v1/me/tokens", want: authzUsersOK,
			check: func(t testing.TB, f *authzFixture, r *authzRole, body []byte) {
				ts := decode[authzItems[struct{ ID string }]](t, body).Items
				if !slices.ContainsFunc(ts, func(x struct{ ID string }) bool { return x.ID == r.tokenID }) || (r.key != "alice" && len(ts) != 1) {
					t.Errorf("%s sees tokens %v, want only their own (%s)", r.key, ts, r.tokenID)
				}
			}},
		// Tokens are made from a browser session only, never with another token.
		{route: "POST /api/v1/me/tokens", target: "with a token", path: "/api/v1/me/tokens", want: "401 403 403 403 403 403 403 403 403",
			body: authzConst(map[string]string{"name": "minted by a token"})},
		{route: "DELETE /api/v1/me/tokens/:id", target: "alice's token", path: "/api/v1/me/tokens/{spare}", want: "401 204 404 404 404 404 404 404 404",
			setup: func(t testing.TB, f *authzFixture) {
				tok, err := f.m.Accounts.CreateToken(f.asSession(t, "alice"), account.NewToken{Name: "spare"})
				if err != nil {
					t.Fatal(err)
				}
				f.vars["spare"] = tok.ID
			}},
		{route: "POST /api/v1/organisations", target: "new provider", path: "/api/v1/organisations", want: "401 201 201 201 201 201 201 201 201",
			body: func(t testing.TB, f *authzFixture, _ *authzRole) any {
				return map[string]any{"name": fmt.Sprintf("Matrix Group %d", f.next()), "kinds": []string{"community_group"}}
			}},
		{route: "POST /api/v1/organisations", target: "new council", path: "/api/v1/organisations", want: "401 403 403 403 403 403 403 403 201",
			body: func(t testing.TB, f *authzFixture, _ *authzRole) any {
				return map[string]any{"name": fmt.Sprintf("Matrix Council %d", f.next()), "kinds": []string{"council"}}
			}},
		{route: "GET /api/v1/organisations/:id", target: "right provider", path: "/api/v1/organisations/{provOrg}", want: authzAllOK,
			check: authzCheckOrganisation(authzRolesIn("prov", "member", "admin"))},
		{route: "GET /api/v1/organisations/:id", target: "council", path: "/api/v1/organisations/{council}", want: authzAllOK,
			check: authzCheckOrganisation(authzRolesIn("comm", "admin"))},
		{route: "GET /api/v1/organisations/:id", target: "suspended provider", path: "/api/v1/organisations/{susOrg}", want: authzMembersSee,
			check: authzCheckOrganisation(authzRolesIn("prov", "member", "admin"))},
		{route: "PATCH /api/v1/organisations/:id", target: "right provider", path: "/api/v1/organisations/{provOrg}", want: "401 403 403 200 403 403 403 403 403",
			header: ifMatchOrg("provOrg"),
			body: func(t testing.TB, f *authzFixture, _ *authzRole) any {
				return map[string]string{"name": f.organisation(t, f.vars["provOrg"]).Name}
			}},
		{route: "PATCH /api/v1/organisations/:id", target: "suspended provider", path: "/api/v1/organisations/{susOrg}", want: "401 404 404 409 403 404 404 404 403",
			header: ifMatchOrg("susOrg"),
			body:   authzConst(map[string]string{"name": "Matrix Renamed Suspended"})},
		{route: "GET /api/v1/organisations/:id/members", target: "right provider", path: "/api/v1/organisations/{provOrg}/members", want: "401 403 403 200 200 403 403 403 200",
			check: authzCheckMembers},
		{route: "GET /api/v1/organisations/:id/members", target: "council", path: "/api/v1/organisations/{council}/members", want: "401 403 403 403 403 403 403 200 200",
			check: authzCheckMembers},
		{route: "GET /api/v1/organisations/:id/members", target: "suspended provider", path: "/api/v1/organisations/{susOrg}/members", want: "401 404 404 200 200 404 404 404 200",
			check: authzCheckMembers},
		{route: "POST /api/v1/organisations/:id/members", target: "right provider", path: "/api/v1/organisations/{provOrg}/members", want: "401 403 403 201 403 403 403 403 201",
			setup: freshUser,
			body: func(t testing.TB, f *authzFixture, _ *authzRole) any {
				return map[string]string{"email": f.vars["freshEmail"], "role": "member"}
			}},
		{route: "POST /api/v1/organisations/:id/members", target: "suspended provider", path: "/api/v1/organisations/{susOrg}/members", want: "401 404 404 409 403 404 404 404 409",
			body: authzConst(map[string]string{"email": "pa@" + demoDomain, "role": "member"})},
		{route: "DELETE /api/v1/organisations/:id/members/:user_id", target: "a member of right prov", path: "/api/v1/organisations/{provOrg}/members/{freshID}",
			want: "401 403 403 204 403 403 403 403 204",
			setup: func(t testing.TB, f *authzFixture) {
				freshUser(t, f)
				if _, err := f.m.Accounts.AddMember(f.as(t, "prov"), f.vars["provOrg"], account.NewMember{Email: f.vars["freshEmail"]}); err != nil {
					t.Fatal(err)
				}
			}},
		// Leaving: any member may; the last owner may not (409); a non-member has nothing to leave.
		{route: "DELETE /api/v1/organisations/:id/members/:user_id", target: "self from right prov", path: "/api/v1/organisations/{provOrg}/members/{self}",
			want: "401 403 403 409 204 403 403 403 404",
			cleanup: func(t testing.TB, f *authzFixture, r *authzRole, status int) {
				if status == http.StatusNoContent {
					if _, err := f.m.Accounts.AddMember(f.as(t, "prov"), f.vars["provOrg"], account.NewMember{Email: r.email}); err != nil {
						t.Fatal(err)
					}
				}
			}},
		{route: "GET /api/v1/me/delegations", target: "own grants", path: "/api/v1/me/delegations", want: authzUsersOK,
			check: func(t testing.TB, f *authzFixture, r *authzRole, body []byte) {
				ds := decode[authzItems[authzDelegation]](t, body).Items
				for _, d := range ds {
					if d.Holder.ID != r.userID {
						t.Errorf("%s sees a delegation granted by %s", r.key, d.Holder.ID)
					}
				}
				if r.key == "alice" && !slices.ContainsFunc(ds, func(d authzDelegation) bool { return d.Representative.ID == f.roles["bob"].userID && d.Active }) {
					t.Errorf("alice does not see her delegation to bob: %s", body)
				}
			}},
		{route: "POST /api/v1/me/delegations", target: "to a fresh account", path: "/api/v1/me/delegations", want: "401 201 201 201 201 201 201 201 201",
			setup: freshUser,
			body: func(t testing.TB, f *authzFixture, _ *authzRole) any {
				return map[string]string{"representative_email": f.vars["freshEmail"], "kind": "trusted_other"}
			}},
		{route: "DELETE /api/v1/me/delegations/:id", target: "alice's delegation", path: "/api/v1/me/delegations/{deleg}", want: "401 204 404 404 404 404 404 404 404",
			setup: func(t testing.TB, f *authzFixture) {
				freshUser(t, f)
				d, err := f.m.Accounts.GrantDelegation(f.as(t, "alice"), account.NewDelegation{RepresentativeEmail: f.vars["freshEmail"], Kind: account.DelegationTrustedOther})
				if err != nil {
					t.Fatal(err)
				}
				f.vars["deleg"] = d.ID
			}},
		{route: "GET /api/v1/me/representing", target: "grants to self", path: "/api/v1/me/representing", want: authzUsersOK,
			check: func(t testing.TB, f *authzFixture, r *authzRole, body []byte) {
				ds := decode[authzItems[authzDelegation]](t, body).Items
				for _, d := range ds {
					if d.Representative.ID != r.userID {
						t.Errorf("%s sees a delegation to %s", r.key, d.Representative.ID)
					}
				}
				if r.key == "bob" && !slices.ContainsFunc(ds, func(d authzDelegation) bool { return d.Holder.ID == f.roles["alice"].userID }) {
					t.Errorf("bob does not see that he acts for alice: %s", body)
				}
			}},
		{route: "POST /api/v1/admin/organisations/:id/suspend", target: "right provider", path: "/api/v1/admin/organisations/{provOrg}/suspend", want: authzAdminOnly,
			body: authzConst(map[string]string{"reason": "Matrix test"}),
			cleanup: func(t testing.TB, f *authzFixture, _ *authzRole, status int) {
				if status == http.StatusOK {
					if _, err := f.m.Accounts.ReinstateOrganisation(f.as(t, "admin"), f.vars["provOrg"], account.Suspension{}); err != nil {
						t.Fatal(err)
					}
				}
			}},
		{route: "POST /api/v1/admin/organisations/:id/reinstate", target: "suspended provider", path: "/api/v1/admin/organisations/{susOrg}/reinstate", want: authzAdminOnly,
			body: authzConst(map[string]string{"reason": "Matrix test"}),
			cleanup: func(t testing.TB, f *authzFixture, _ *authzRole, status int) {
				if status == http.StatusOK {
					if _, err := f.m.Accounts.SuspendOrganisation(f.as(t, "admin"), f.vars["susOrg"], account.Suspension{Reason: "matrix fixture"}); err != nil {
						t.Fatal(err)
					}
				}
			}},
	}
}

// authzMarketplaceRows are the routes of offers and provider profiles.
func authzMarketplaceRows() []authzRow {
	ifMatchOffer := func(name string) func(testing.TB, *authzFixture) []string {
		return func(t testing.TB, f *authzFixture) []string {
			return []string{"If-Match", authzETag(f.offer(t, f.vars[name]).Version)}
		}
	}
	ifMatchProvider := func(name string) func(testing.TB, *authzFixture) []string {
		return func(t testing.TB, f *authzFixture) []string {
			return []string{"If-Match", authzETag(f.provider(t, f.vars[name]).Version)}
		}
	}
	offerBody := func(t testing.TB, f *authzFixture, _ *authzRole) any { return f.sample }
	freshOffer := func(published bool) func(testing.TB, *authzFixture) {
		return func(t testing.TB, f *authzFixture) { f.vars["fresh"] = f.newOffer(t, f.vars["provOrg"], published) }
	}
	profileBody := func(t testing.TB, f *authzFixture, _ *authzRole) any {
		return authzProviderInput(f.provider(t, f.vars["provOrg"]))
	}
	return []authzRow{
		{route: "GET /api/v1/offers", target: "public list", path: "/api/v1/offers?limit=100", want: authzAllOK, check: authzCheckPublished},
		{route: "GET /api/v1/search", target: "public search", path: "/api/v1/search?q=swimming&per_page=100", want: authzAllOK},
		{route: "GET /api/v1/offers", target: "right prov's drafts", path: "/api/v1/offers?provider_id={provOrg}&status=draft", want: "422 422 422 200 200 422 422 422 200",
			check: authzCheckDrafts},
		{route: "GET /api/v1/offers/:id", target: "published", path: "/api/v1/offers/{pub}", want: authzAllOK},
		{route: "GET /api/v1/offers/:id", target: "draft", path: "/api/v1/offers/{draft}", want: authzMembersSee},
		{route: "GET /api/v1/offers/:id", target: "suspended's published", path: "/api/v1/offers/{susPub}", want: authzMembersSee},
		{route: "PUT /api/v1/offers/:id", target: "draft", path: "/api/v1/offers/{draft}", want: "401 404 404 200 200 404 404 404 403",
			header: ifMatchOffer("draft"), body: offerBody},
		{route: "PUT /api/v1/offers/:id", target: "published", path: "/api/v1/offers/{pub}", want: "401 403 403 200 200 403 403 403 403",
			header: ifMatchOffer("pub"), body: func(t testing.TB, f *authzFixture, _ *authzRole) any {
				return authzOfferInput(f.offer(t, f.vars["pub"]))
			}},
		{route: "POST /api/v1/offers/:id/publish", target: "fresh draft", path: "/api/v1/offers/{fresh}/publish", want: "401 404 404 200 200 404 404 404 403",
			setup: freshOffer(false)},
		{route: "POST /api/v1/offers/:id/publish", target: "suspended's draft", path: "/api/v1/offers/{susDraft}/publish", want: "401 404 404 409 409 404 404 404 403"},
		{route: "POST /api/v1/offers/:id/pause", target: "fresh published", path: "/api/v1/offers/{fresh}/pause", want: "401 403 403 200 200 403 403 403 200",
			setup: freshOffer(true)},
		{route: "POST /api/v1/offers/:id/archive", target: "fresh draft", path: "/api/v1/offers/{fresh}/archive", want: "401 404 404 200 200 404 404 404 200",
			setup: freshOffer(false)},
		{route: "GET /api/v1/providers", target: "public list", path: "/api/v1/providers?limit=100", want: authzAllOK,
			check: func(t testing.TB, f *authzFixture, r *authzRole, body []byte) {
				for _, p := range decode[authzItems[marketplace.Provider]](t, body).Items {
					if p.ID == f.vars["susOrg"] {
						t.Errorf("%s sees the suspended provider in the public list", r.key)
					}
				}
			}},
		{route: "GET /api/v1/providers/:id", target: "right provider", path: "/api/v1/providers/{provOrg}", want: authzAllOK, check: authzCheckProvider},
		{route: "GET /api/v1/providers/:id", target: "suspended provider", path: "/api/v1/providers/{susOrg}", want: authzMembersSee, check: authzCheckProvider},
		{route: "PUT /api/v1/providers/:id", target: "right provider", path: "/api/v1/providers/{provOrg}", want: "401 403 403 200 200 403 403 403 403",
			header: ifMatchProvider("provOrg"), body: profileBody},
		{route: "PUT /api/v1/providers/:id", target: "suspended provider", path: "/api/v1/providers/{susOrg}", want: "401 404 404 409 409 404 404 404 403",
			header: ifMatchProvider("susOrg"), body: profileBody},
		{route: "GET /api/v1/providers/:id/offers", target: "right provider", path: "/api/v1/providers/{provOrg}/offers", want: authzAllOK, check: authzCheckPublished},
		{route: "GET /api/v1/providers/:id/offers", target: "right prov's drafts", path: "/api/v1/providers/{provOrg}/offers?status=draft", want: "422 422 422 200 200 422 422 422 200",
			check: authzCheckDrafts},
		{route: "GET /api/v1/providers/:id/offers", target: "suspended provider", path: "/api/v1/providers/{susOrg}/offers", want: authzMembersSee},
		{route: "POST /api/v1/providers/:id/offers", target: "right provider", path: "/api/v1/providers/{provOrg}/offers", want: "401 403 403 201 201 403 403 403 403",
			body: offerBody},
		{route: "POST /api/v1/providers/:id/offers", target: "suspended provider", path: "/api/v1/providers/{susOrg}/offers", want: "401 404 404 409 409 404 404 404 403",
			body: offerBody},
		{route: "POST /api/v1/admin/providers/:id/verification", target: "right provider", path: "/api/v1/admin/providers/{provOrg}/verification", want: authzAdminOnly,
			body: func(t testing.TB, f *authzFixture, _ *authzRole) any {
				v := f.provider(t, f.vars["provOrg"]).Verification
				return marketplace.VerificationInput{DBS: v.DBSVerified, Insurance: v.InsuranceVerified, CQC: v.CQCVerified}
			}},
	}
}

// The pooling columns' common rows (authzPoolRoles order).
const (
	authzPoolAllOK   = "200 200 200 200 200 200 200 200 200 200"
	authzPoolUsersOK = "401 200 200 200 200 200 200 200 200 200"
)

// authzPoolRows are the routes of pools, pledges, approvals, delivery, budgets, ISF
// accounts and statements, with the pooling columns (authzPoolRoles). Routes that move
// money are sent with a fresh Idempotency-Key; one row shows it is required.
func authzPoolRows() []authzRow {
	fresh := func(make func(testing.TB, *authzFixture) string) func(testing.TB, *authzFixture) {
		return func(t testing.TB, f *authzFixture) { f.vars["fresh"] = make(t, f) }
	}
	openPool := fresh(func(t testing.TB, f *authzFixture) string { return f.newPool(t, pooling.Public, true) })
	draftPool := fresh(func(t testing.TB, f *authzFixture) string { return f.newPool(t, pooling.Public, false) })
	pledgeFrom := func(budget string) func(testing.TB, *authzFixture) {
		return fresh(func(t testing.TB, f *authzFixture) string {
			return f.newPledge(t, "alice", budget, f.newPool(t, pooling.Public, true))
		})
	}
	poolBody := func(t testing.TB, f *authzFixture, _ *authzRole) any { return f.poolInput() }
	ownBudget := map[string]string{"alice": "alice_direct_payment", "bob": "alice_direct_payment", "stranger": "stranger_direct_payment"}
	rows := []authzRow{
		{route: "GET /api/v1/pools", target: "public list", path: "/api/v1/pools?limit=100", want: authzPoolAllOK, check: authzCheckInviteHidden},
		{route: "POST /api/v1/pools", target: "for the ULO", path: "/api/v1/pools", want: "401 403 403 403 201 403 403 403 403 403", body: poolBody},
		{route: "GET /api/v1/pools/:id", target: "open public", path: "/api/v1/pools/{openPool}", want: authzPoolAllOK, check: authzCheckInviteHidden},
		{route: "GET /api/v1/pools/:id", target: "draft", path: "/api/v1/pools/{draftPool}", want: "404 404 404 404 200 200 404 404 404 200"},
		{route: "GET /api/v1/pools/:id", target: "invite-only", path: "/api/v1/pools/{invitePool}", want: "404 404 404 404 200 200 404 404 404 200"},
		{route: "GET /api/v1/invites/:code", target: "invite code", path: "/api/v1/invites/{inviteCode}", want: authzPoolAllOK, check: authzCheckInviteHidden},
		{route: "PUT /api/v1/pools/:id", target: "fresh draft", path: "/api/v1/pools/{fresh}", want: "401 404 404 404 200 403 404 404 404 403", setup: draftPool, header: authzPoolIfMatch, body: poolBody},
		{route: "POST /api/v1/pools/:id/open", target: "fresh draft", path: "/api/v1/pools/{fresh}/open", want: "401 404 404 404 200 403 404 404 404 403", setup: draftPool},
		{route: "POST /api/v1/pools/:id/invite-code", target: "open invite-only", path: "/api/v1/pools/{invitePool}/invite-code", want: "401 404 404 404 200 403 404 404 404 403",
			cleanup: func(t testing.TB, f *authzFixture, _ *authzRole, _ int) {
				f.vars["inviteCode"] = f.pool(t, f.vars["invitePool"]).InviteCode
			}},
		{route: "POST /api/v1/pools/:id/confirm", target: "at its minimum", path: "/api/v1/pools/{fresh}/confirm", want: "401 403 403 403 200 403 403 403 403 403", header: authzKey,
			setup: fresh(func(t testing.TB, f *authzFixture) string { return f.confirmablePool(t) })},
		{route: "POST /api/v1/pools/:id/confirm", target: "no Idempotency-Key", path: "/api/v1/pools/{openPool}/confirm", want: "401 400 400 400 400 400 400 400 400 400"},
		{route: "POST /api/v1/pools/:id/cancel", target: "fresh open", path: "/api/v1/pools/{fresh}/cancel", want: "401 403 403 403 200 200 403 403 403 200", header: authzKey, setup: openPool,
			body: authzConst(map[string]string{"reason": "Matrix test"})},
		{route: "GET /api/v1/pools/:id/participants", target: "open with a pledge", path: "/api/v1/pools/{openPool}/participants", want: "401 403 403 403 200 200 403 403 403 200", check: authzCheckNoHolders},
		{route: "POST /api/v1/pools/:id/pledges", target: "own or alice's budget", path: "/api/v1/pools/{fresh}/pledges", want: "401 201 201 404 404 404 404 404 201 404", header: authzKey, setup: openPool,
			body: func(t testing.TB, f *authzFixture, r *authzRole) any {
				return pooling.PledgeInput{BudgetID: f.vars[cmp.Or(ownBudget[r.key], "alice_direct_payment")], LimitPence: 8_000}
			}},
		{route: "POST /api/v1/pools/:id/pledges", target: "no Idempotency-Key", path: "/api/v1/pools/{openPool}/pledges", want: "401 400 400 400 400 400 400 400 400 400",
			body: func(t testing.TB, f *authzFixture, r *authzRole) any {
				return pooling.PledgeInput{BudgetID: f.vars["stranger_direct_payment"], LimitPence: 8_000}
			}},
		{route: "POST /api/v1/pools/:id/deliveries", target: "session 0 (past)", path: "/api/v1/pools/{fresh}/deliveries", want: "401 403 403 403 403 200 403 403 403 403", header: authzKey,
			setup: fresh(func(t testing.TB, f *authzFixture) string { return f.confirmedPool(t, true) }),
			body:  authzConst(pooling.DeliveryInput{Session: 0})},
		{route: "GET /api/v1/pools/:id/statement", target: "open pool", path: "/api/v1/pools/{openPool}/statement", want: "200 200 200 200 200 200 200 200 200 200"},
		{route: "GET /api/v1/pools/:id/statement", target: "open pool as CSV", path: "/api/v1/pools/{openPool}/statement?format=csv", want: "200 200 200 200 200 200 200 200 200 200", binary: true},
		{route: "GET /api/v1/me/pools", target: "managed", path: "/api/v1/me/pools", want: authzPoolUsersOK},
		{route: "GET /api/v1/me/pledges", target: "own", path: "/api/v1/me/pledges", want: authzPoolUsersOK},
		{route: "GET /api/v1/me/approvals", target: "waiting for me", path: "/api/v1/me/approvals", want: authzPoolUsersOK},
		{route: "GET /api/v1/pledges/:id", target: "alice's", path: "/api/v1/pledges/{alicePledge}", want: "401 200 200 200 404 404 404 404 404 200"},
		{route: "POST /api/v1/pledges/:id/withdraw", target: "alice's", path: "/api/v1/pledges/{fresh}/withdraw", want: "401 200 200 403 404 404 404 404 404 403", header: authzKey,
			setup: pledgeFrom("alice_direct_payment")},
		{route: "POST /api/v1/pledges/:id/approve", target: "from council budget", path: "/api/v1/pledges/{fresh}/approve", want: "401 403 403 403 404 404 404 200 404 403", header: authzKey,
			setup: pledgeFrom("alice_council_managed")},
		{route: "POST /api/v1/pledges/:id/approve", target: "from alice's ISF", path: "/api/v1/pledges/{fresh}/approve", want: "401 403 403 403 404 404 200 404 404 403", header: authzKey,
			setup: pledgeFrom("alice_isf")},
		{route: "POST /api/v1/pledges/:id/decline", target: "from council budget", path: "/api/v1/pledges/{fresh}/decline", want: "401 403 403 403 404 404 404 200 404 403", header: authzKey,
			setup: pledgeFrom("alice_council_managed"), body: authzConst(map[string]string{"reason": "Matrix test"})},
		{route: "GET /api/v1/people/:id/budgets", target: "alice's", path: "/api/v1/people/{alice}/budgets", want: "401 200 200 200 403 403 403 403 403 200"},
		{route: "GET /api/v1/people/:id/budgets", target: "me", path: "/api/v1/people/me/budgets", want: authzPoolUsersOK},
		{route: "GET /api/v1/people/:id/statement", target: "alice's", path: "/api/v1/people/{alice}/statement", want: "401 200 200 200 403 403 403 403 403 200"},
		{route: "POST /api/v1/budgets", target: "own direct payment", path: "/api/v1/budgets", want: "401 201 201 201 201 201 201 201 201 201",
			body: authzConst(map[string]any{"form": "direct_payment", "actual_pence": 50_000})},
		{route: "POST /api/v1/budgets", target: "alice's, by email", path: "/api/v1/budgets", want: "401 201 201 403 403 403 403 201 403 403",
			body: func(t testing.TB, f *authzFixture, _ *authzRole) any {
				return map[string]any{"form": "council_managed", "holder_email": "alice@" + demoDomain, "holder_org_id": f.vars["council"]}
			}},
		{route: "GET /api/v1/budgets/:id/statement", target: "alice's council", path: "/api/v1/budgets/{alice_council_managed}/statement", want: "401 200 200 200 404 404 404 200 404 200"},
		{route: "GET /api/v1/providers/:id/isf-accounts", target: "isf provider", path: "/api/v1/providers/{isfOrg}/isf-accounts", want: "401 403 403 403 403 403 200 403 403 200"},
		{route: "POST /api/v1/providers/:id/isf-accounts", target: "for alice by email", path: "/api/v1/providers/{isfOrg}/isf-accounts", want: "401 403 403 403 403 403 201 403 403 403", header: authzKey,
			body: authzConst(map[string]any{"holder_email": "alice@" + demoDomain, "allocated_pence": 10_000})},
		{route: "POST /api/v1/isf-accounts/:id/adjustments", target: "alice's ISF", path: "/api/v1/isf-accounts/{alice_isf}/adjustments", want: "401 404 404 404 404 404 200 404 404 404", header: authzKey,
			body: authzConst(map[string]any{"delta_pence": 1_000, "reason": "Matrix test"})},
		{route: "GET /api/v1/isf-accounts/:id/statement", target: "alice's ISF", path: "/api/v1/isf-accounts/{alice_isf}/statement", want: "401 200 200 200 404 404 200 404 404 200"},
		{route: "GET /api/v1/providers/:id/statement", target: "right provider", path: "/api/v1/providers/{provOrg}/statement", want: "401 403 403 403 403 200 403 403 403 200"},
	}
	for i := range rows {
		rows[i].roles = authzPoolRoles
	}
	return rows
}
