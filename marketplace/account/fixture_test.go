package account_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/infra/store"
	"github.com/carepool/carepool/infra/store/storetest"
	"github.com/carepool/carepool/marketplace/account"
)

// clock is a settable clock, safe for the concurrent requests of -race tests.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// fixture is a service on a fresh in-memory store, with a test clock and cheap hashing.
type fixture struct {
	svc   *account.Service
	store *store.Accounts
	db    *store.DB
	clock *clock
	// secrets holds each signed-up user's session secret, to act as them.
	mu      sync.Mutex
	secrets map[string]string
}

func newFixture(tb testing.TB) *fixture {
	tb.Helper()
	db := storetest.Open(tb)
	clk := &clock{now: time.Date(2025, 6, 2, 9, 0, 0, 0, time.UTC)}
	accounts := store.NewAccounts(db)
	svc, err := account.NewService(accounts, account.Config{
		Password: account.TestPasswordParams,
		Limiter:  account.NewMemoryLimiter(3, 10*time.Minute),
		Now:      clk.Now,
	})
	if err != nil {
		tb.Fatalf("new service: %v", err)
	}
	return &fixture{svc: svc, store: accounts, db: db, clock: clk, secrets: map[string]string{}}
}

const testPassword = "correct horse battery"

// signUp opens an account with testPassword and remembers its session.
func (f *fixture) signUp(tb testing.TB, email, name string) account.User {
	tb.Helper()
	s, err := f.svc.SignUp(context.Background(), account.SignUp{Email: email, Password: testPassword, Name: name})
	if err != nil {
		tb.Fatalf("sign up %s: %v", name, err)
	}
	f.mu.Lock()
	f.secrets[s.User.ID] = s.Secret
	f.mu.Unlock()
	return s.User
}

// admin signs up an account and makes it a platform administrator, as the CLI does.
func (f *fixture) admin(tb testing.TB, email string) account.User {
	tb.Helper()
	u := f.signUp(tb, email, "Admin")
	if err := f.svc.SetAdmin(context.Background(), email, true); err != nil {
		tb.Fatalf("set admin: %v", err)
	}
	return u
}

// as returns a context acting as u, with memberships loaded now, as the middleware does.
func (f *fixture) as(tb testing.TB, u account.User) context.Context {
	tb.Helper()
	f.mu.Lock()
	secret := f.secrets[u.ID]
	f.mu.Unlock()
	a, err := f.svc.ActorForSession(context.Background(), secret)
	if err != nil {
		tb.Fatalf("actor for %s: %v", u.Name, err)
	}
	return account.WithActor(context.Background(), a)
}

// org creates an organisation owned by owner.
func (f *fixture) org(tb testing.TB, owner account.User, name string, kinds ...account.OrgKind) account.Organisation {
	tb.Helper()
	o, err := f.svc.CreateOrganisation(f.as(tb, owner), account.NewOrganisation{Name: name, Kinds: kinds})
	if err != nil {
		tb.Fatalf("create organisation %s: %v", name, err)
	}
	return o
}

// addMember adds u to org as role, acting as owner.
func (f *fixture) addMember(tb testing.TB, owner account.User, orgID string, u account.User, role account.Role) {
	tb.Helper()
	if _, err := f.svc.AddMember(f.as(tb, owner), orgID, account.NewMember{Email: u.Email, Role: role}); err != nil {
		tb.Fatalf("add %s as %s: %v", u.Name, role, err)
	}
}

// wantKind fails unless err is an apperr error of kind want (and, if code is set, that code).
func wantKind(tb testing.TB, err error, want apperr.Kind, code string) {
	tb.Helper()
	e, ok := apperr.As(err)
	if !ok || e.Kind != want || (code != "" && e.Code != code) {
		tb.Errorf("err = %v (%#v), want kind %v code %q", err, e, want, code)
	}
}

// fieldsOf returns the fields named in a validation error.
func fieldsOf(err error) []string {
	var names []string
	if e, ok := apperr.As(err); ok {
		for _, f := range e.Fields {
			names = append(names, f.Field)
		}
	}
	return names
}
