package payments_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/carepool/carepool/infra/store"
	"github.com/carepool/carepool/infra/store/storetest"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/payments"
	"github.com/carepool/carepool/payments/paymentstest"
	"github.com/carepool/carepool/payments/stripe"
)

const secret = "whsec_payments_test"

// epoch is a Monday morning; tests move the clock on from it.
var epoch = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

// env is the payments service on a fresh embedded store, with the real account service
// for people and organisations, the in-process gateway double, and stripe-go's webhook
// verification (events are signed with the test's secret).
type env struct {
	db       *store.DB
	store    *store.Payments
	accounts *account.Service
	double   *paymentstest.Double
	svc      *payments.Service
	clock    *clock
	people   atomic.Int64
	events   atomic.Int64
}

func newEnv(t testing.TB) *env { return openEnv(t, true) }

// openEnv opens the environment; configured false leaves out the gateway and verifier,
// as on a site without STRIPE_SECRET_KEY.
func openEnv(t testing.TB, configured bool) *env {
	t.Helper()
	db := storetest.Open(t)
	accounts, err := account.NewService(store.NewAccounts(db), account.Config{Password: account.TestPasswordParams})
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{now: epoch}
	e := &env{db: db, store: store.NewPayments(db), accounts: accounts, clock: c, double: paymentstest.NewDouble(c.Now)}
	var gw payments.Gateway
	var v payments.Verifier
	if configured {
		gw, v = e.double, stripe.NewVerifier(secret)
	}
	e.svc = payments.NewService(e.store, store.NewDirectory(db), gw, v, payments.Config{Now: c.Now})
	return e
}

// person is someone with an account and a session.
type person struct {
	e      *env
	id     string
	email  string
	secret string
}

func (e *env) person(t testing.TB, name string) *person {
	t.Helper()
	n := e.people.Add(1)
	email := fmt.Sprintf("%s.%d@example.org", strings.ToLower(strings.ReplaceAll(name, " ", ".")), n)
	s, err := e.accounts.SignUp(context.Background(), account.SignUp{Email: email, Password: "correct horse battery", Name: name})
	if err != nil {
		t.Fatalf("sign up %s: %v", name, err)
	}
	return &person{e: e, id: s.User.ID, email: email, secret: s.Secret}
}

func (e *env) admin(t testing.TB) *person {
	t.Helper()
	a := e.person(t, "Admin")
	if err := e.accounts.SetAdmin(context.Background(), a.email, true); err != nil {
		t.Fatal(err)
	}
	return a
}

// ctx acts as the person, with their memberships as they are now.
func (p *person) ctx(t testing.TB) context.Context {
	t.Helper()
	a, err := p.e.accounts.ActorForSession(context.Background(), p.secret)
	if err != nil {
		t.Fatalf("actor: %v", err)
	}
	return account.WithActor(context.Background(), a)
}

func (e *env) org(t testing.TB, owner *person, kind account.OrgKind) account.Organisation {
	t.Helper()
	o, err := e.accounts.CreateOrganisation(owner.ctx(t), account.NewOrganisation{Name: "Org " + owner.email, Kinds: []account.OrgKind{kind}})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func (e *env) member(t testing.TB, owner *person, org account.Organisation, who *person, role account.Role) {
	t.Helper()
	if _, err := e.accounts.AddMember(owner.ctx(t), org.ID, account.NewMember{Email: who.email, Role: role}); err != nil {
		t.Fatal(err)
	}
}

// provider is a provider organisation with an owner and a plain member.
type provider struct {
	account.Organisation
	owner, member *person
}

func (e *env) provider(t testing.TB) provider {
	t.Helper()
	owner, member := e.person(t, "Olive Owner"), e.person(t, "Mo Member")
	org := e.org(t, owner, account.KindCommunityGroup)
	e.member(t, owner, org, member, account.RoleMember)
	return provider{Organisation: org, owner: owner, member: member}
}

// onboard starts onboarding as the owner and returns the record made.
func (e *env) onboard(t testing.TB, p provider) payments.ProviderAccount {
	t.Helper()
	if _, err := e.svc.StartOnboarding(p.owner.ctx(t), p.ID, "https://carepool.test/dashboard"); err != nil {
		t.Fatalf("start onboarding: %v", err)
	}
	rec, err := e.store.ProviderAccount(context.Background(), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// deliver signs an event as Stripe would and hands it to the service.
func (e *env) deliver(t testing.TB, payload []byte) error {
	t.Helper()
	return e.svc.HandleWebhook(context.Background(), payload, paymentstest.Sign(secret, payload, time.Now()))
}

// accountUpdated renders an account.updated event for acct, created at at.
func (e *env) accountUpdated(acct payments.Account, at time.Time) []byte {
	id := fmt.Sprintf("evt_account_%d", e.events.Add(1))
	return paymentstest.EventJSON(id, "account.updated", at, acct.ID, paymentstest.AccountObject(acct))
}
