package frontend

import (
	"context"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/carepool/carepool/calendar"
	"github.com/carepool/carepool/infra/store"
	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/pooling"
	"github.com/carepool/carepool/privacy"
)

// sampleAccountDataPages are the account page with its calendar section, and the
// calendar and "your data" pages, with every optional part filled in.
func sampleAccountDataPages() []page {
	base := func(title string) Base {
		return Base{Title: title, User: &NavUser{Name: "Sam"}, CSRF: "token", Path: "/account", Terms: terms("pool")}
	}
	withErrors := func(b Base, errs ...FieldError) Base { b.Errors = errs; return b }
	data := newAccountDataPage(true)
	data.Base = withErrors(base("Your data"), FieldError{ID: "confirm", Message: "Tick the box"}, FieldError{ID: "password", Message: "Enter your password"})
	blocked := newAccountDataPage(false)
	blocked.Base = withErrors(base("Your data"), FieldError{ID: "blockers", Message: "You cannot delete your account yet"})
	blocked.Blockers = []BlockerRow{{Message: "You have a place in the pool “Art”.", Link: Link{URL: "/pledges/p1", Label: "See this pledge"}},
		{Message: "You are the only owner of “Arts”.", Link: Link{URL: "/account", Label: "See your organisations"}}}
	return []page{
		&AccountPage{Base: base("Your account"), Name: "Sam", Email: "sam@example.org", CalendarFeed: &CalendarFeedView{On: true, Since: "1 May 2026"}},
		&AccountPage{Base: base("Your account"), Name: "Sam", Email: "sam@example.org", CalendarFeed: &CalendarFeedView{}},
		&CalendarFeedPage{Base: base("Your calendar address"), URL: "https://carepool.example/calendar/abc.ics",
			WebcalURL: template.URL("webcal://carepool.example/calendar/abc.ics"), Replaced: true},
		data, blocked,
		&AccountDeletedPage{Base: Base{Title: "Your account has been deleted"}},
	}
}

func TestWebcalKeepsTheAddressButNotTheScheme(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"https://carepool.example/calendar/x.ics": "webcal://carepool.example/calendar/x.ics",
		"http://127.0.0.1:8080/calendar/x.ics":    "webcal://127.0.0.1:8080/calendar/x.ics",
	} {
		if got := webcal(in); got != want {
			t.Errorf("webcal(%q) = %q, want %q", in, got, want)
		}
	}
}

// newAccountDataTestApp is newPoolTestApp with the calendar and privacy services, so
// the account page's calendar section and the "your data" pages are mounted.
func newAccountDataTestApp(t testing.TB) (*testApp, *pooling.Service, *calendar.Service) {
	t.Helper()
	a := newTestServices(t)
	pools := pooling.NewService(store.NewPooling(a.db), a.market, store.NewDirectory(a.db), a.accounts, pooling.Config{Instance: "test"})
	a.listen() // the calendar service writes the site's address into its feeds
	cal, err := calendar.NewService(pools, store.NewMarketplace(a.db), store.NewAccounts(a.db), store.NewCalendars(a.db), calendar.Config{BaseURL: a.url})
	if err != nil {
		t.Fatal(err)
	}
	priv, err := privacy.NewService(a.accounts, pools, store.NewPrivacy(a.db), privacy.Config{Password: account.TestPasswordParams}, cal)
	if err != nil {
		t.Fatal(err)
	}
	a.serve(Config{Accounts: a.accounts, Market: a.market, Pools: pools, Calendar: cal, Privacy: priv,
		Logger: slog.New(slog.NewTextHandler(logSink(), nil))})
	return a, pools, cal
}

var feedURLInPage = regexp.MustCompile(`id="feed-url" name="feed-url" type="text" value="([^"]+)"`)

// secretOf is the secret in a feed address.
func secretOf(u string) string { return strings.TrimSuffix(u[strings.LastIndex(u, "/")+1:], ".ics") }

func TestCalendarFeedOnTheAccountPage(t *testing.T) {
	t.Parallel()
	a, _, cal := newAccountDataTestApp(t)
	email, _ := a.user("Sam Subscriber")
	b := a.browser()
	b.logIn(email)

	resp, body := b.get("/account")
	mustStatus(t, resp, body, http.StatusOK)
	mustContain(t, body, "A calendar feed is a private web address", "Your calendar feed is off", `action="/account/calendar-feed"`,
		`href="/account/data"`)

	resp, body = b.post("/account/calendar-feed", nil)
	mustStatus(t, resp, body, http.StatusOK)
	m := feedURLInPage.FindStringSubmatch(body)
	if m == nil || !strings.HasPrefix(m[1], a.url+"/calendar/") || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("the new address is not shown once and uncached: %q %q", m, resp.Header.Get("Cache-Control"))
	}
	first := m[1]
	mustContain(t, body, "This is the only time we show this address", "webcal://")
	if _, err := cal.PersonalFeed(context.Background(), secretOf(first)); err != nil {
		t.Errorf("the shown address does not work: %v", err)
	}

	resp, body = b.get("/account")
	mustContain(t, body, "Your calendar feed is on", "Make a new calendar address", "Turn off my calendar feed")
	resp, body = b.post("/account/calendar-feed", nil)
	mustStatus(t, resp, body, http.StatusOK)
	mustContain(t, body, "Your old calendar address has stopped working")
	if _, err := cal.PersonalFeed(context.Background(), secretOf(first)); !errors.Is(err, calendar.ErrFeedNotFound) {
		t.Errorf("the old address after a new one: %v", err)
	}

	b.get("/account")
	resp, body = b.post("/account/calendar-feed/off", nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/account?done=calendar-feed-off#calendar-feed" {
		t.Fatalf("turn off = %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body = b.get("/account?done=calendar-feed-off")
	mustContain(t, body, "Your calendar feed is off. Its address no longer works")
}

func TestAccountDataPagesNeedALogIn(t *testing.T) {
	t.Parallel()
	a, _, _ := newAccountDataTestApp(t)
	anon := a.browser()
	resp, _ := anon.get("/account/data")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login?next=") {
		t.Errorf("GET /account/data anonymously = %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	anon.get("/login")
	for _, path := range []string{"/account/data/delete", "/account/calendar-feed", "/account/calendar-feed/off"} {
		if resp, _ := anon.post(path, url.Values{"confirm": {"yes"}, "password": {testPassword}}); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("POST %s anonymously = %d, want 401", path, resp.StatusCode)
		}
	}
	if resp, body := anon.get("/account/deleted"); resp.StatusCode != http.StatusOK || !strings.Contains(body, "Your account has been deleted") {
		t.Errorf("the deleted page = %d", resp.StatusCode)
	}
}

func TestDeletingAnAccountFromItsPage(t *testing.T) {
	t.Parallel()
	a, pools, _ := newAccountDataTestApp(t)
	email, secret := a.user("Dora Deleteme")
	b := a.browser()
	b.logIn(email)

	// Money in flight: the page lists it and offers no form.
	pool := openTestPool(t, a, pools)
	budget, err := pools.AddBudget(a.as(secret), pooling.BudgetInput{Form: marketplace.DirectPayment})
	if err != nil {
		t.Fatal(err)
	}
	pledge, err := pools.Pledge(a.as(secret), pool.ID, pooling.PledgeInput{BudgetID: budget.ID, LimitPence: 12_000}, "k1")
	if err != nil {
		t.Fatal(err)
	}
	resp, body := b.get("/account/data")
	mustStatus(t, resp, body, http.StatusOK)
	mustContain(t, body, `href="/api/v1/me/export"`, "Before you can delete your account", `href="/pledges/`+pledge.ID+`"`, "law says")
	if strings.Contains(body, `action="/account/data/delete"`) {
		t.Error("the deletion form is offered while money is in flight")
	}
	if _, err := pools.Withdraw(a.as(secret), pledge.ID, "k2"); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name   string
		form   url.Values
		status int
		says   []string
	}{
		{"nothing filled in", url.Values{}, http.StatusUnprocessableEntity,
			[]string{"There is a problem", `href="#confirm"`, "Tick the box to confirm", `href="#password"`, "Enter your password"}},
		{"not confirmed", url.Values{"password": {testPassword}}, http.StatusUnprocessableEntity, []string{"Tick the box to confirm"}},
		{"wrong password", url.Values{"confirm": {"yes"}, "password": {"not my password"}}, http.StatusUnprocessableEntity,
			[]string{"The password is not right", "checked"}},
	}
	for _, tt := range tests {
		b.get("/account/data")
		resp, body := b.post("/account/data/delete", tt.form)
		if resp.StatusCode != tt.status {
			t.Errorf("%s = %d, want %d", tt.name, resp.StatusCode, tt.status)
		}
		mustContain(t, body, tt.says...)
	}

	b.get("/account/data")
	resp, body = b.post("/account/data/delete", url.Values{"confirm": {"yes"}, "password": {testPassword}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/account/deleted" {
		t.Fatalf("delete = %d to %q: %.500s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	if resp, _ := b.get("/account"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the account page after deletion = %d, want a redirect to log in", resp.StatusCode)
	}
	if _, err := a.accounts.LogIn(context.Background(), account.Credentials{Email: email, Password: testPassword}, "192.0.2.9"); !errors.Is(err, account.ErrInvalidCredentials) {
		t.Errorf("log in after deletion: %v", err)
	}
}

// openTestPool opens a public pool on a new provider's group offer (£480 for 4 to 8).
func openTestPool(t testing.TB, a *testApp, pools *pooling.Service) pooling.PoolView {
	t.Helper()
	orgID, _, owner := a.provider("Headingley Arts Group")
	offer := a.offer(owner, orgID, sampleOffer("Friday art and lunch"), true)
	day := time.Now().UTC().Truncate(24 * time.Hour)
	v, err := pools.ProposePool(owner, pooling.PoolInput{OfferID: offer.ID, OrganiserOrgID: orgID, Title: "Friday art for Headingley",
		Visibility: pooling.Public, Deadline: day.AddDate(0, 0, 21), Schedule: pooling.Schedule{FirstSession: day.AddDate(0, 0, 28).Add(10 * time.Hour), Sessions: 1}})
	if err == nil {
		v, err = pools.OpenPool(owner, v.ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	return v
}
