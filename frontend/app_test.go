package frontend

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/store"
	"github.com/carepool/carepool/infra/store/storetest"
	"github.com/carepool/carepool/infra/web"
	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/search"
	bleveindex "github.com/carepool/carepool/search/bleve"
)

// testApp is the pages in process, on the real services and an in-memory store, behind
// the same middleware as cmd/carepool (request ids, security headers, Authenticate and
// the one error handler). The browser tests run the real binary instead (server_test.go).
type testApp struct {
	t        testing.TB
	db       *store.DB
	accounts *account.Service
	market   *marketplace.Service
	index    search.Index
	echo     *echo.Echo
	url      string
	ln       net.Listener // the port, once taken (listen)
	n        atomic.Int64
}

// newTestApp starts the pages; withIndex adds an embedded search index (filled by
// reindex), and without it the search page falls back to the marketplace list.
func newTestApp(t testing.TB, withIndex bool) *testApp {
	t.Helper()
	a := newTestServices(t)
	cfg := Config{Accounts: a.accounts, Market: a.market, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if withIndex {
		a.addIndex(&cfg)
	}
	a.serve(cfg)
	return a
}

// newTestServices opens an in-memory store with the account and marketplace services;
// the caller adds what its pages need and calls serve.
func newTestServices(t testing.TB) *testApp {
	t.Helper()
	db := storetest.Open(t)
	accounts, err := account.NewService(store.NewAccounts(db), account.Config{Password: account.TestPasswordParams})
	if err != nil {
		t.Fatal(err)
	}
	return &testApp{t: t, db: db, accounts: accounts,
		market: marketplace.NewService(store.NewMarketplace(db), store.NewDirectory(db), nil, nil)}
}

// addIndex gives the pages an embedded search index (filled by reindex).
func (a *testApp) addIndex(cfg *Config) {
	a.t.Helper()
	idx, err := bleveindex.OpenMemory()
	if err != nil {
		a.t.Fatal(err)
	}
	a.t.Cleanup(func() { _ = idx.Close() })
	a.index, cfg.Search = idx, idx
}

// listen takes a free local port and sets the app's URL, for services that need it
// before the pages are built; serve listens itself when nobody did.
func (a *testApp) listen() {
	a.t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		a.t.Fatal(err)
	}
	a.ln, a.url = ln, "http://"+ln.Addr().String()
}

// serve mounts the pages with cfg behind the same middleware as cmd/carepool and serves
// them on the app's port.
func (a *testApp) serve(cfg Config) {
	t := a.t
	t.Helper()
	if a.ln == nil {
		a.listen()
	}
	cfg.BaseURL = a.url
	h, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e := echo.New()
	e.IPExtractor = echo.ExtractIPDirect()
	e.HTTPErrorHandler = web.NewErrorHandler(cfg.Logger, h.RenderError)
	auth := account.NewHandler(a.accounts, account.HandlerConfig{BaseURL: a.url})
	e.Use(web.RequestID(), web.Recover(cfg.Logger), web.SecurityHeaders(), auth.Authenticate)
	h.Register(e)
	a.echo = e
	srv := httptest.NewUnstartedServer(e)
	srv.Listener.Close()
	srv.Listener = a.ln
	srv.Start()
	t.Cleanup(srv.Close)
}

// reindex fills the search index from the store, as the server's indexer does.
func (a *testApp) reindex() {
	a.t.Helper()
	if _, err := search.Rebuild(context.Background(), a.index, store.NewSearchSource(a.db, nil), nil); err != nil {
		a.t.Fatal(err)
	}
}

// user signs a new person up and returns their email and session secret.
func (a *testApp) user(name string) (email, secret string) {
	a.t.Helper()
	email = fmt.Sprintf("%s-%d@example.org", strings.ToLower(strings.Fields(name)[0]), a.n.Add(1))
	s, err := a.accounts.SignUp(context.Background(), account.SignUp{Email: email, Password: testPassword, Name: name})
	if err != nil {
		a.t.Fatal(err)
	}
	return email, s.Secret
}

// as is a context acting as the session's person, with their memberships as they are now.
func (a *testApp) as(secret string) context.Context {
	a.t.Helper()
	actor, err := a.accounts.ActorForSession(context.Background(), secret)
	if err != nil {
		a.t.Fatal(err)
	}
	return account.WithActor(context.Background(), actor)
}

const testPassword = "a long enough password"

// provider makes a provider organisation owned by a new person, with a profile, and
// returns it with the owner's email and a context acting as them.
func (a *testApp) provider(name string) (orgID, ownerEmail string, owner context.Context) {
	a.t.Helper()
	ownerEmail, secret := a.user("Owner of " + name)
	org, err := a.accounts.CreateOrganisation(a.as(secret), account.NewOrganisation{Name: name, Kinds: []account.OrgKind{account.KindCommunityGroup}})
	if err != nil {
		a.t.Fatal(err)
	}
	owner = a.as(secret)
	if _, err := a.market.UpdateProvider(owner, org.ID, 0, marketplace.ProviderInput{
		Description: "A friendly community group running activities in Leeds.", AreasServed: []string{"LS6"},
		Contact: marketplace.Contact{Email: "hello@example.org"}, Languages: []string{"en"}}); err != nil {
		a.t.Fatal(err)
	}
	return org.ID, ownerEmail, owner
}

// offer creates an offer of the provider (published when publish is set).
func (a *testApp) offer(ctx context.Context, orgID string, in marketplace.OfferInput, publish bool) marketplace.Offer {
	a.t.Helper()
	o, err := a.market.CreateOffer(ctx, orgID, in)
	if err != nil {
		a.t.Fatal(err)
	}
	if publish {
		if o, err = a.market.SetOfferStatus(ctx, o.ID, marketplace.StatusPublished, 0); err != nil {
			a.t.Fatal(err)
		}
	}
	return o
}

// sampleOffer is a valid group offer at a venue in LS6.
func sampleOffer(title string) marketplace.OfferInput {
	return marketplace.OfferInput{
		Kind: marketplace.KindCommunityActivity, Title: title,
		Description: "A relaxed weekly group with a shared lunch; no experience needed and all materials provided.",
		Categories:  []string{"arts-and-crafts"},
		Where: marketplace.WhereInput{Mode: marketplace.AtAddress,
			Address: &marketplace.Address{Line1: "1 Otley Road", Town: "Leeds", Postcode: "LS6 3AA"}},
		When:          marketplace.Schedule{Weekly: []marketplace.WeeklySlot{{Day: "friday", Start: "10:00", End: "14:30"}}},
		Price:         marketplace.Price{Unit: marketplace.GroupSession, AmountPence: 48000, Group: &marketplace.GroupPricing{MinPeople: 4, MaxPeople: 8}},
		BudgetForms:   []marketplace.BudgetForm{marketplace.DirectPayment, marketplace.CouncilManaged},
		Accessibility: []string{"wheelchair_accessible"},
		Languages:     []string{"en"},
	}
}

// browser is an HTTP client that behaves like a browser on our pages: it keeps
// cookies, asks for HTML, marks its form posts same-origin (as browsers do with
// Sec-Fetch-Site) and does not follow redirects, so tests can check them.
type browser struct {
	t      testing.TB
	base   string
	client *http.Client
	token  string // the form token of the last page read
}

func (a *testApp) browser() *browser {
	return &browser{t: a.t, base: a.url, client: noRedirects()}
}

// noRedirects is a client with a cookie jar that does not follow redirects.
func noRedirects() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

var tokenInPage = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func (b *browser) do(req *http.Request) (*http.Response, string) {
	b.t.Helper()
	req.Header.Set("Accept", "text/html,application/xhtml+xml")
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	if m := tokenInPage.FindSubmatch(body); m != nil {
		b.token = string(m[1])
	}
	return resp, string(body)
}

// get reads a page.
func (b *browser) get(path string) (*http.Response, string) {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.base+path, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.do(req)
}

// post sends a form as our own pages do, with the token of the last page read.
func (b *browser) post(path string, form url.Values, headers ...string) (*http.Response, string) {
	b.t.Helper()
	form = cloneValues(form)
	if !form.Has("csrf_token") {
		form.Set("csrf_token", b.token)
	}
	req, err := http.NewRequest(http.MethodPost, b.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return b.do(req)
}

// logIn logs in through the form.
func (b *browser) logIn(email string) {
	b.t.Helper()
	b.get("/login")
	resp, body := b.post("/login", url.Values{"email": {email}, "password": {testPassword}})
	if resp.StatusCode != http.StatusSeeOther {
		b.t.Fatalf("log in as %s: %d %s", email, resp.StatusCode, body)
	}
}

func mustStatus(t testing.TB, resp *http.Response, body string, want int) {
	t.Helper()
	if resp.StatusCode != want {
		t.Fatalf("%s %s = %d, want %d\n%.6000s", resp.Request.Method, resp.Request.URL, resp.StatusCode, want, body)
	}
}

func mustContain(t testing.TB, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("page does not contain %q", w)
		}
	}
}
