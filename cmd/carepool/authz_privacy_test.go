package main

import (
	"strings"
	"testing"

	"github.com/carepool/carepool/calendar"
)

// TestAuthzCalendarAndPrivacy runs the calendar and "your data" rows on the pooling
// fixture (its pools are the feeds' targets).
func TestAuthzCalendarAndPrivacy(t *testing.T) {
	t.Parallel()
	f := newAuthzFixture(t)
	f.poolFixture(t)
	runAuthzMatrix(t, f, authzPrivacyRows())
}

// authzPrivacyRows are the routes of the calendar feeds and of a person's data export and
// deletion, with the pooling columns (authzPoolRoles). A pool's feed follows GET
// /api/v1/pools/{id}; a personal feed's secret address is its only credential; every
// /me route acts on the caller alone.
func authzPrivacyRows() []authzRow {
	aliceFeed := func(rotate bool) func(testing.TB, *authzFixture) {
		return func(t testing.TB, f *authzFixture) {
			cf, err := f.m.Calendar.CreateFeed(f.as(t, "alice"))
			if err != nil {
				t.Fatal(err)
			}
			f.vars["feed"] = cf.URL[strings.LastIndex(cf.URL, "/"):]
			if rotate {
				if _, err := f.m.Calendar.CreateFeed(f.as(t, "alice")); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	rows := []authzRow{
		{route: "GET /api/v1/pools/:id/calendar.ics", target: "open public", path: "/api/v1/pools/{openPool}/calendar.ics", want: authzPoolAllOK, check: authzCheckNoHolders},
		{route: "GET /api/v1/pools/:id/calendar.ics", target: "invite-only", path: "/api/v1/pools/{invitePool}/calendar.ics", want: "404 404 404 404 200 200 404 404 404 200", check: authzCheckNoHolders},
		{route: "GET /api/v1/pools/:id/calendar.ics", target: "draft", path: "/api/v1/pools/{draftPool}/calendar.ics", want: "404 404 404 404 200 200 404 404 404 200"},
		{route: "GET /api/v1/me/calendar-feed", target: "self", path: "/api/v1/me/calendar-feed", want: authzPoolUsersOK},
		{route: "POST /api/v1/me/calendar-feed", target: "new address", path: "/api/v1/me/calendar-feed", want: "401 201 201 201 201 201 201 201 201 201",
			check: func(t testing.TB, f *authzFixture, r *authzRole, body []byte) {
				if u := decode[calendar.CreatedFeed](t, body).URL; !strings.HasPrefix(u, f.m.Config.BaseURL+"/calendar/") {
					t.Errorf("%s got feed address %q", r.key, u)
				}
			}},
		{route: "DELETE /api/v1/me/calendar-feed", target: "own feed", path: "/api/v1/me/calendar-feed", want: "401 204 204 204 204 204 204 204 204 204"},
		// The secret address is the credential: whoever has it reads alice's sessions,
		// with or without a log-in of their own; a changed or wrong one is 404 for all.
		{route: "GET /calendar/:file", target: "alice's secret", path: "/calendar{feed}", want: authzPoolAllOK, setup: aliceFeed(false), check: authzCheckNoHolders},
		{route: "GET /calendar/:file", target: "alice's old secret", path: "/calendar{feed}", want: "404 404 404 404 404 404 404 404 404 404", setup: aliceFeed(true)},
		{route: "GET /calendar/:file", target: "made-up secret", path: "/calendar/" + strings.Repeat("A", 43) + ".ics", want: "404 404 404 404 404 404 404 404 404 404"},
		{route: "GET /api/v1/me/export", target: "self", path: "/api/v1/me/export", want: authzPoolUsersOK,
			check: func(t testing.TB, f *authzFixture, r *authzRole, body []byte) {
				if got := decode[struct{ Account struct{ ID, Email string } }](t, body).Account; got.ID != r.userID || got.Email != r.email {
					t.Errorf("%s downloaded the data of %+v", r.key, got)
				}
			}},
		{route: "GET /api/v1/me/deletion", target: "self", path: "/api/v1/me/deletion", want: authzPoolUsersOK,
			check: func(t testing.TB, f *authzFixture, r *authzRole, body []byte) {
				if r.key == "alice" && decode[struct{ CanDelete bool }](t, body).CanDelete {
					t.Errorf("alice, with pledges in open pools, may delete her account: %s", body)
				}
			}},
		// A wrong password is refused for everyone and changes nothing; deletion itself is
		// tested end to end in privacy_test.go (it would remove a role from the matrix).
		{route: "POST /api/v1/me/deletion", target: "wrong password", path: "/api/v1/me/deletion", want: "401 422 422 422 422 422 422 422 422 422",
			body: authzConst(map[string]string{"password": "not the password at all"})},
	}
	for i := range rows {
		rows[i].roles = authzPoolRoles
	}
	return rows
}
