package marketplace_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/infra/store"
	"github.com/carepool/carepool/infra/store/storetest"
	mk "github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
)

// testEnv is a marketplace on a fresh embedded store, with the real account service for
// people and organisations.
type testEnv struct {
	db       *store.DB
	market   *store.Marketplace
	accounts *account.Service
	svc      *mk.Service
	clock    *clock
}

// clock is a test clock that moves on by step each time it is read, so offers created in
// a row have distinct times (or, with step 0, the same time).
type clock struct {
	mu   sync.Mutex
	now  time.Time
	step time.Duration
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now
	c.now = c.now.Add(c.step)
	return now
}

func (c *clock) setStep(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.step = d
}

func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	db := storetest.Open(t)
	accounts, err := account.NewService(store.NewAccounts(db), account.Config{Password: account.TestPasswordParams})
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), step: time.Second}
	market := store.NewMarketplace(db)
	svc := mk.NewService(market, store.NewDirectory(db), c.Now, nil)
	return &testEnv{db: db, market: market, accounts: accounts, svc: svc, clock: c}
}

// person is someone with an account and a live session.
type person struct {
	env    *testEnv
	id     string
	email  string
	secret string // the session secret, also sent as a bearer token in HTTP tests
}

func (e *testEnv) signUp(t *testing.T, name string) *person {
	t.Helper()
	email := strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.org"
	s, err := e.accounts.SignUp(context.Background(), account.SignUp{Email: email, Password: "correct horse battery", Name: name})
	if err != nil {
		t.Fatalf("sign up %s: %v", name, err)
	}
	return &person{env: e, id: s.User.ID, email: email, secret: s.Secret}
}

func (e *testEnv) admin(t *testing.T, name string) *person {
	t.Helper()
	p := e.signUp(t, name)
	if err := e.accounts.SetAdmin(context.Background(), p.email, true); err != nil {
		t.Fatal(err)
	}
	return p
}

// ctx returns a context acting as the person, with their memberships as they are now.
func (p *person) ctx(t *testing.T) context.Context {
	t.Helper()
	a, err := p.env.accounts.ActorForSession(context.Background(), p.secret)
	if err != nil {
		t.Fatalf("actor for %s: %v", p.email, err)
	}
	return account.WithActor(context.Background(), a)
}

// anon is a context with nobody logged in.
var anon = context.Background()

func (e *testEnv) organisation(t *testing.T, owner *person, name string, kinds ...account.OrgKind) account.Organisation {
	t.Helper()
	o, err := e.accounts.CreateOrganisation(owner.ctx(t), account.NewOrganisation{Name: name, Kinds: kinds})
	if err != nil {
		t.Fatalf("create organisation %s: %v", name, err)
	}
	return o
}

func (e *testEnv) addMember(t *testing.T, owner *person, org account.Organisation, member *person) {
	t.Helper()
	if _, err := e.accounts.AddMember(owner.ctx(t), org.ID, account.NewMember{Email: member.email}); err != nil {
		t.Fatalf("add %s to %s: %v", member.email, org.Name, err)
	}
}

func (e *testEnv) suspend(t *testing.T, admin *person, org account.Organisation) {
	t.Helper()
	if _, err := e.accounts.SuspendOrganisation(admin.ctx(t), org.ID, account.Suspension{Reason: "safeguarding concern"}); err != nil {
		t.Fatal(err)
	}
}

func (e *testEnv) reinstate(t *testing.T, admin *person, org account.Organisation) {
	t.Helper()
	if _, err := e.accounts.ReinstateOrganisation(admin.ctx(t), org.ID, account.Suspension{}); err != nil {
		t.Fatal(err)
	}
}

// world is the cast most tests need: two providers with their people, a user-led
// organisation (not a provider), an administrator and someone who belongs nowhere.
type world struct {
	*testEnv
	art, care, ulo          account.Organisation
	alice, amir, bob, carol *person // alice owns art, amir is a member of art, bob owns care, carol owns ulo
	admin, visitor          *person
}

func newWorld(t *testing.T) *world {
	t.Helper()
	e := newTestEnv(t)
	w := &world{testEnv: e}
	w.alice, w.amir, w.bob, w.carol = e.signUp(t, "Alice Art"), e.signUp(t, "Amir Art"), e.signUp(t, "Bob Care"), e.signUp(t, "Carol Ulo")
	w.admin, w.visitor = e.admin(t, "Ada Admin"), e.signUp(t, "Vic Visitor")
	w.art = e.organisation(t, w.alice, "Headingley Art Group", account.KindCommunityGroup)
	w.care = e.organisation(t, w.bob, "Bob's Care", account.KindSmallProvider, account.KindISFProvider)
	w.ulo = e.organisation(t, w.carol, "Leeds People First", account.KindUserLedOrganisation)
	e.addMember(t, w.alice, w.art, w.amir)
	return w
}

// createOffer creates an offer as who for org and moves it to status.
func (e *testEnv) createOffer(t *testing.T, who *person, org account.Organisation, in mk.OfferInput, status mk.Status) mk.Offer {
	t.Helper()
	ctx := who.ctx(t)
	o, err := e.svc.CreateOffer(ctx, org.ID, in)
	if err != nil {
		t.Fatalf("create offer %q: %v", in.Title, err)
	}
	path := map[mk.Status][]mk.Status{
		mk.StatusDraft:     nil,
		mk.StatusPublished: {mk.StatusPublished},
		mk.StatusPaused:    {mk.StatusPublished, mk.StatusPaused},
		mk.StatusArchived:  {mk.StatusArchived},
	}[status]
	for _, to := range path {
		if o, err = e.svc.SetOfferStatus(ctx, o.ID, to, o.Version); err != nil {
			t.Fatalf("offer %q to %s: %v", in.Title, to, err)
		}
	}
	return o
}

func titled(kind mk.Kind, title string) mk.OfferInput {
	in := mk.SampleOfferInput(kind)
	in.Title = title
	return in
}

// snapshot is everything the marketplace keeps, to show that a refused request changed
// nothing.
type snapshot struct {
	Offers    []mk.Offer
	Providers []mk.Provider
	Tasks     int64
}

func (e *testEnv) snapshot(t *testing.T) snapshot {
	t.Helper()
	ctx := context.Background()
	offers, err := e.market.Offers(ctx, mk.OfferQuery{Limit: 10_000,
		Statuses: []mk.Status{mk.StatusDraft, mk.StatusPublished, mk.StatusPaused, mk.StatusArchived}})
	if err != nil {
		t.Fatal(err)
	}
	providers, err := e.market.Providers(ctx, mk.ProviderQuery{Limit: 10_000})
	if err != nil {
		t.Fatal(err)
	}
	tasks, err := e.db.NewOutbox(store.SearchTopic, "snapshot").Pending(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return snapshot{Offers: offers, Providers: providers, Tasks: tasks}
}

func (e *testEnv) assertUnchanged(t *testing.T, before snapshot) {
	t.Helper()
	if diff := cmp.Diff(before, e.snapshot(t)); diff != "" {
		t.Errorf("a refused request changed the store (-before +after):\n%s", diff)
	}
}

// kindOf names the apperr kind of err for table comparisons ("ok" for nil).
func kindOf(err error) string {
	if err == nil {
		return "ok"
	}
	k := apperr.KindOf(err)
	names := map[apperr.Kind]string{apperr.Internal: "internal", apperr.Invalid: "invalid", apperr.Unauthenticated: "unauthenticated",
		apperr.Forbidden: "forbidden", apperr.NotFound: "not found", apperr.Conflict: "conflict",
		apperr.PreconditionFailed: "precondition failed", apperr.PreconditionRequired: "precondition required"}
	if n, ok := names[k]; ok {
		return n
	}
	return fmt.Sprintf("kind %d", k)
}

func fieldNames(err error) []string {
	e, ok := apperr.As(err)
	if !ok {
		return nil
	}
	var names []string
	for _, f := range e.Fields {
		names = append(names, f.Field)
	}
	return names
}
