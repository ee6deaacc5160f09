package frontend

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/carepool/carepool/infra/store"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/pooling"
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
	a := &organiserApp{testApp: newTestServices(t), clock: &shiftClock{}}
	a.pools = pooling.NewService(store.NewPooling(a.db), a.market, store.NewDirectory(a.db), a.accounts, pooling.Config{Instance: "test", Now: a.clock.Now})
	cfg := Config{Accounts: peopleAccounts{a.accounts, store.NewAccounts(a.db)}, Market: a.market, Pools: a.pools,
		Logger: slog.New(slog.NewTextHandler(logSink(), nil))}
	if withIndex {
		a.addIndex(&cfg)
	}
	a.serve(cfg)
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
