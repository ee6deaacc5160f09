package frontend

import (
	"context"
	"log/slog"
	"net"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/store"
	"github.com/carepool/carepool/infra/store/storetest"
	"github.com/carepool/carepool/infra/web"
	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/pooling"
	bleveindex "github.com/carepool/carepool/search/bleve"
)

// The organiser's pages in process: newPoolTestApp's pages, plus People (finding and
// naming people, as cmd/carepool wires it), an optional search index, and a clock for
// the pooling service that tests can move, so that sessions can have started.

// peopleAccounts is the account service with People: the lookups the pages need to
// name people, on the same store (cmd/carepool wires the same).
type peopleAccounts struct {
	*account.Service
	store *store.Accounts
}

func (p peopleAccounts) UserIDByEmail(ctx context.Context, email string) (string, error) {
	return p.store.UserIDByEmail(ctx, email)
}

func (p peopleAccounts) UserNames(ctx context.Context, ids []string) (map[string]string, error) {
	return p.store.UserNames(ctx, ids)
}

var _ People = peopleAccounts{}

// shiftClock is the pooling service's clock in these tests: now, moved by an offset.
type shiftClock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *shiftClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *shiftClock) Set(offset time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset = offset
}

// organiserApp is the pages with pools, People, and optionally a search index.
type organiserApp struct {
	*testApp
	pools *pooling.Service
	clock *shiftClock
}

func newOrganiserApp(t testing.TB, withIndex bool) *organiserApp {
	t.Helper()
	db := storetest.Open(t)
	accounts, err := account.NewService(store.NewAccounts(db), account.Config{Password: account.TestPasswordParams})
	if err != nil {
		t.Fatal(err)
	}
	a := &organiserApp{testApp: &testApp{t: t, db: db, accounts: accounts,
		market: marketplace.NewService(store.NewMarketplace(db), store.NewDirectory(db), nil, nil)}, clock: &shiftClock{}}
	a.pools = pooling.NewService(store.NewPooling(db), a.market, store.NewDirectory(db), accounts, pooling.Config{Instance: "test", Now: a.clock.Now})
	cfg := Config{Accounts: peopleAccounts{accounts, store.NewAccounts(db)}, Market: a.market, Pools: a.pools,
		Logger: slog.New(slog.NewTextHandler(logSink(), nil))}
	if withIndex {
		idx, err := bleveindex.OpenMemory()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = idx.Close() })
		a.index, cfg.Search = idx, idx
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	a.url = "http://" + ln.Addr().String()
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
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return a
}

// org creates an organisation of the given kinds owned by a new person, and returns it
// with the owner's email and a context acting as them.
func (a *organiserApp) org(name string, kinds ...account.OrgKind) (account.Organisation, string, context.Context) {
	a.t.Helper()
	email, secret := a.user("Owner of " + name)
	o, err := a.accounts.CreateOrganisation(a.as(secret), account.NewOrganisation{Name: name, Kinds: kinds})
	if err != nil {
		a.t.Fatal(err)
	}
	return o, email, a.as(secret)
}

// admin signs up an administrator.
func (a *organiserApp) admin() (string, context.Context) {
	a.t.Helper()
	email, secret := a.user("Ada Admin")
	if err := a.accounts.SetAdmin(context.Background(), email, true); err != nil {
		a.t.Fatal(err)
	}
	return email, a.as(secret)
}

// council creates a council (administrators do) with a commissioner, and returns it
// with the commissioner's email.
func (a *organiserApp) council(name string) (account.Organisation, string) {
	a.t.Helper()
	_, admin := a.admin()
	ownerEmail, ownerSecret := a.user("Owner of " + name)
	c, err := a.accounts.CreateOrganisation(admin, account.NewOrganisation{Name: name, Kinds: []account.OrgKind{account.KindCouncil}, OwnerEmail: ownerEmail})
	if err != nil {
		a.t.Fatal(err)
	}
	email, _ := a.user("Cora Commissioner")
	if _, err := a.accounts.AddMember(a.as(ownerSecret), c.ID, account.NewMember{Email: email, Role: account.RoleCommissioner}); err != nil {
		a.t.Fatal(err)
	}
	return c, email
}
