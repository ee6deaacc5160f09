package pooling_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/infra/store"
	"github.com/carepool/carepool/infra/store/storetest"
	mk "github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/pooling"
)

// epoch is a Monday morning; tests move the clock on from it.
var epoch = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// clock is a settable test clock, safe for concurrent use.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// env is the pooling service on a fresh embedded store, with the real account and
// marketplace services for people, organisations and offers.
type env struct {
	db       *store.DB
	store    *store.Pooling
	accounts *account.Service
	market   *mk.Service
	svc      *pooling.Service
	clock    *clock
	people   atomic.Int64
}

// newEnv opens the environment and, when the test ends, checks every ledger invariant:
// every scenario ends with Verify.
func newEnv(t *testing.T, cfg pooling.Config) *env {
	t.Helper()
	e := openEnv(t, cfg)
	t.Cleanup(func() { e.verify(t) })
	return e
}

// openEnv opens the environment without the final check, for tests that break the
// ledger on purpose.
func openEnv(t *testing.T, cfg pooling.Config) *env {
	t.Helper()
	db := storetest.Open(t)
	accounts, err := account.NewService(store.NewAccounts(db), account.Config{Password: account.TestPasswordParams})
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{now: epoch}
	market := mk.NewService(store.NewMarketplace(db), store.NewDirectory(db), c.Now, nil)
	cfg.Now = c.Now
	ps := store.NewPooling(db)
	e := &env{db: db, store: ps, accounts: accounts, market: market, clock: c,
		svc: pooling.NewService(ps, market, store.NewDirectory(db), accounts, cfg)}
	return e
}

// verify fails the test if any ledger invariant is broken.
func (e *env) verify(t testing.TB) {
	t.Helper()
	rep, err := e.svc.Verify(context.Background())
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	for _, v := range rep.Violations {
		t.Errorf("invariant %s broken by %s: %s", v.Rule, v.Subject, v.Detail)
	}
}

// person is someone with an account and a session.
type person struct {
	e      *env
	id     string
	name   string
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
	return &person{e: e, id: s.User.ID, name: name, email: email, secret: s.Secret}
}

// ctx acts as the person, with their memberships as they are now.
func (p *person) ctx(t testing.TB) context.Context {
	t.Helper()
	a, err := p.e.accounts.ActorForSession(context.Background(), p.secret)
	if err != nil {
		t.Fatalf("actor for %s: %v", p.name, err)
	}
	return account.WithActor(context.Background(), a)
}

func (e *env) org(t testing.TB, owner *person, name string, kinds ...account.OrgKind) account.Organisation {
	t.Helper()
	o, err := e.accounts.CreateOrganisation(owner.ctx(t), account.NewOrganisation{Name: name, Kinds: kinds})
	if err != nil {
		t.Fatalf("create organisation %s: %v", name, err)
	}
	return o
}

// council creates a council (administrators create councils) owned by owner.
func (e *env) council(t testing.TB, owner *person, name string) account.Organisation {
	t.Helper()
	admin := e.person(t, "Council Admin")
	if err := e.accounts.SetAdmin(context.Background(), admin.email, true); err != nil {
		t.Fatal(err)
	}
	o, err := e.accounts.CreateOrganisation(admin.ctx(t), account.NewOrganisation{Name: name,
		Kinds: []account.OrgKind{account.KindCouncil}, OwnerEmail: owner.email})
	if err != nil {
		t.Fatalf("create council %s: %v", name, err)
	}
	return o
}

func (e *env) member(t testing.TB, owner *person, org account.Organisation, who *person, role account.Role) {
	t.Helper()
	if _, err := e.accounts.AddMember(owner.ctx(t), org.ID, account.NewMember{Email: who.email, Role: role}); err != nil {
		t.Fatalf("add %s to %s: %v", who.name, org.Name, err)
	}
}

// delegate records that rep acts for holder.
func (e *env) delegate(t testing.TB, holder, rep *person, kind account.DelegationKind, brokerageID string) {
	t.Helper()
	if _, err := e.accounts.GrantDelegation(holder.ctx(t), account.NewDelegation{RepresentativeEmail: rep.email, Kind: kind, BrokerageID: brokerageID}); err != nil {
		t.Fatalf("delegate %s to %s: %v", holder.name, rep.name, err)
	}
}

// groupOffer publishes a group offer: price per session for min to max people.
func (e *env) groupOffer(t testing.TB, who *person, org account.Organisation, pricePence int64, minPeople, maxPeople int) mk.Offer {
	t.Helper()
	in := mk.OfferInput{
		Kind: mk.KindCommunityActivity, Title: "Friday art and lunch",
		Description: "A relaxed art group with lunch, for adults who like to paint and chat.",
		Categories:  []string{"arts-and-crafts"},
		Where:       mk.WhereInput{Mode: mk.AtAddress, Address: &mk.Address{Line1: "1 Park Lane", Town: "Leeds", Postcode: "LS6 2AB"}, AreasServed: []string{}},
		When:        mk.Schedule{Weekly: []mk.WeeklySlot{{Day: "friday", Start: "10:00", End: "14:00"}}},
		Price:       mk.Price{Unit: mk.GroupSession, AmountPence: pricePence, Group: &mk.GroupPricing{MinPeople: minPeople, MaxPeople: maxPeople}},
		BudgetForms: []mk.BudgetForm{mk.DirectPayment, mk.IndirectPayment, mk.TrustFund, mk.BrokeredFund, mk.ISF, mk.CouncilManaged},
		Languages:   []string{"en"}, Accessibility: []string{},
	}
	ctx := who.ctx(t)
	o, err := e.market.CreateOffer(ctx, org.ID, in)
	if err != nil {
		t.Fatalf("create offer: %v", err)
	}
	if o, err = e.market.SetOfferStatus(ctx, o.ID, mk.StatusPublished, o.Version); err != nil {
		t.Fatalf("publish offer: %v", err)
	}
	return o
}

// budget records a budget as who.
func (e *env) budget(t testing.TB, who *person, in pooling.BudgetInput) pooling.Budget {
	t.Helper()
	b, err := e.svc.AddBudget(who.ctx(t), in)
	if err != nil {
		t.Fatalf("add %s budget for %s: %v", in.Form, who.name, err)
	}
	return b
}

// directPayment gives who a direct payment budget.
func (e *env) directPayment(t testing.TB, who *person) pooling.Budget {
	t.Helper()
	return e.budget(t, who, pooling.BudgetInput{Form: mk.DirectPayment})
}

// poolInput is a weekly pool on offer: deadline in a week, sessions from a fortnight on.
func poolInput(offer mk.Offer, sessions int) pooling.PoolInput {
	in := pooling.PoolInput{OfferID: offer.ID, Title: "Friday art for six of us", Visibility: pooling.Public,
		Deadline: epoch.AddDate(0, 0, 7), Schedule: pooling.Schedule{FirstSession: epoch.AddDate(0, 0, 14), Sessions: sessions}}
	if sessions > 1 {
		in.Schedule.EveryDays = 7
		in.Schedule.NoticeDays = 14
	}
	return in
}

// openPool proposes and opens a pool as who.
func (e *env) openPool(t testing.TB, who *person, in pooling.PoolInput) pooling.PoolView {
	t.Helper()
	ctx := who.ctx(t)
	p, err := e.svc.ProposePool(ctx, in)
	if err != nil {
		t.Fatalf("propose pool: %v", err)
	}
	if p, err = e.svc.OpenPool(ctx, p.ID); err != nil {
		t.Fatalf("open pool: %v", err)
	}
	return p
}

// pledge pledges from budget b as who, failing the test on error.
func (e *env) pledge(t testing.TB, who *person, poolID string, b pooling.Budget, limit int64) pooling.PledgeView {
	t.Helper()
	v, err := e.svc.Pledge(who.ctx(t), poolID, pooling.PledgeInput{BudgetID: b.ID, LimitPence: limit}, "")
	if err != nil {
		t.Fatalf("pledge %s by %s: %v", Pounds(limit), who.name, err)
	}
	return v
}

func (e *env) pool(t testing.TB, who *person, id string) pooling.PoolView {
	t.Helper()
	p, err := e.svc.Pool(who.ctx(t), id)
	if err != nil {
		t.Fatalf("read pool: %v", err)
	}
	return p
}

// tasks counts the outbox tasks of a topic whose reference starts with prefix.
func (e *env) tasks(t testing.TB, topic, prefix string) int {
	t.Helper()
	cur, err := e.db.Collection("outbox").Find(context.Background(), bson.M{"topic": topic})
	if err != nil {
		t.Fatal(err)
	}
	var tasks []store.Task
	if err := cur.All(context.Background(), &tasks); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, task := range tasks {
		if strings.HasPrefix(task.Ref, prefix) {
			n++
		}
	}
	return n
}

// Pounds is pooling.Pounds, short for messages.
var Pounds = pooling.Pounds

// wantKind fails unless err is an apperr error of kind want (and code, if given).
func wantKind(t testing.TB, err error, want apperr.Kind, code string) {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok || e.Kind != want || (code != "" && e.Code != code) {
		t.Fatalf("err = %v, want kind %d code %q", err, want, code)
	}
}
