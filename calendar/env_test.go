package calendar_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/carepool/carepool/calendar"
	"github.com/carepool/carepool/infra/store"
	"github.com/carepool/carepool/infra/store/storetest"
	mk "github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/pooling"
)

// epoch is Thursday 1 October 2026, 09:00 UTC (10:00 in London). The tests' pools meet on
// Saturdays either side of the last Sunday of October, when the clocks go back.
var epoch = time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)

// clock is a settable test clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *clock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.now = t }

// env is the calendar service on the real account, marketplace and pooling services,
// over a fresh embedded store.
type env struct {
	db       *store.DB
	accounts *account.Service
	market   *mk.Service
	pools    *pooling.Service
	cal      *calendar.Service
	clock    *clock
	n        int

	provider, organiser *person
	providerOrg, ulo    account.Organisation
	offer               mk.Offer
}

func newEnv(t testing.TB) *env {
	t.Helper()
	db := storetest.Open(t)
	accounts, err := account.NewService(store.NewAccounts(db), account.Config{Password: account.TestPasswordParams})
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{now: epoch}
	market := mk.NewService(store.NewMarketplace(db), store.NewDirectory(db), c.Now, nil)
	pools := pooling.NewService(store.NewPooling(db), market, store.NewDirectory(db), accounts, pooling.Config{Now: c.Now})
	cal, err := calendar.NewService(pools, store.NewMarketplace(db), store.NewAccounts(db), store.NewCalendars(db),
		calendar.Config{BaseURL: "https://carepool.example/", Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{db: db, accounts: accounts, market: market, pools: pools, cal: cal, clock: c}
	e.provider, e.organiser = e.person(t, "Pat Provider"), e.person(t, "Uma Organiser")
	e.providerOrg = e.org(t, e.provider, "Headingley Arts", account.KindCommunityGroup)
	e.ulo = e.org(t, e.organiser, "Leeds People First", account.KindUserLedOrganisation)
	e.offer = e.groupOffer(t)
	t.Cleanup(func() {
		rep, err := pools.Verify(context.Background())
		if err != nil || !rep.OK() {
			t.Errorf("verify: %v %+v", err, rep.Violations)
		}
	})
	return e
}

// person is someone with an account and a session.
type person struct {
	e            *env
	id, name     string
	email        string
	secret       string
	directBudget pooling.Budget
}

func (e *env) person(t testing.TB, name string) *person {
	t.Helper()
	e.n++
	email := fmt.Sprintf("%s.%d@example.org", strings.ToLower(strings.Fields(name)[0]), e.n)
	s, err := e.accounts.SignUp(context.Background(), account.SignUp{Email: email, Password: "correct horse battery", Name: name})
	if err != nil {
		t.Fatal(err)
	}
	return &person{e: e, id: s.User.ID, name: name, email: email, secret: s.Secret}
}

// holder is a person with a direct payment.
func (e *env) holder(t testing.TB, name string) *person {
	t.Helper()
	p := e.person(t, name)
	b, err := e.pools.AddBudget(p.ctx(t), pooling.BudgetInput{Form: mk.DirectPayment})
	if err != nil {
		t.Fatal(err)
	}
	p.directBudget = b
	return p
}

func (p *person) ctx(t testing.TB) context.Context {
	t.Helper()
	a, err := p.e.accounts.ActorForSession(context.Background(), p.secret)
	if err != nil {
		t.Fatal(err)
	}
	return account.WithActor(context.Background(), a)
}

func (e *env) org(t testing.TB, owner *person, name string, kind account.OrgKind) account.Organisation {
	t.Helper()
	o, err := e.accounts.CreateOrganisation(owner.ctx(t), account.NewOrganisation{Name: name, Kinds: []account.OrgKind{kind}})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// groupOffer publishes a Saturday art group: £240 a session for 3 to 8 people, 10:00 to
// 12:30 at a venue in Leeds.
func (e *env) groupOffer(t testing.TB) mk.Offer {
	t.Helper()
	in := mk.OfferInput{Kind: mk.KindCommunityActivity, Title: "Saturday art and lunch",
		Description: "A relaxed art group with lunch, for adults who like to paint and chat.",
		Categories:  []string{"arts-and-crafts"},
		Where:       mk.WhereInput{Mode: mk.AtAddress, Address: &mk.Address{Line1: "1 Park Lane", Town: "Leeds", Postcode: "LS6 2AB"}, AreasServed: []string{}},
		When:        mk.Schedule{Weekly: []mk.WeeklySlot{{Day: "saturday", Start: "10:00", End: "12:30"}}},
		Price:       mk.Price{Unit: mk.GroupSession, AmountPence: 24000, Group: &mk.GroupPricing{MinPeople: 3, MaxPeople: 8}},
		BudgetForms: []mk.BudgetForm{mk.DirectPayment}, Languages: []string{"en"}, Accessibility: []string{}}
	ctx := e.provider.ctx(t)
	o, err := e.market.CreateOffer(ctx, e.providerOrg.ID, in)
	if err == nil {
		o, err = e.market.SetOfferStatus(ctx, o.ID, mk.StatusPublished, o.Version)
	}
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// saturdays are the sessions of the tests' pools: 10:00 London time on 17 and 24
// October 2026 (BST), and a week after on 31 October (after the clocks went back).
var firstSaturday = time.Date(2026, 10, 17, 9, 0, 0, 0, time.UTC)

// openPool opens a weekly three-session pool organised by the user-led organisation.
func (e *env) openPool(t testing.TB, vis pooling.Visibility) pooling.PoolView {
	t.Helper()
	in := pooling.PoolInput{OfferID: e.offer.ID, OrganiserOrgID: e.ulo.ID, Title: "Art for six of us", Visibility: vis,
		Description: "Six friends from the Headingley group.", Deadline: epoch.AddDate(0, 0, 7),
		Schedule: pooling.Schedule{FirstSession: firstSaturday, Sessions: 3, EveryDays: 7}}
	ctx := e.organiser.ctx(t)
	p, err := e.pools.ProposePool(ctx, in)
	if err == nil {
		p, err = e.pools.OpenPool(ctx, p.ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (e *env) pledge(t testing.TB, who *person, poolID string, limit int64, invite string) pooling.PledgeView {
	t.Helper()
	v, err := e.pools.Pledge(who.ctx(t), poolID, pooling.PledgeInput{BudgetID: who.directBudget.ID, LimitPence: limit, InviteCode: invite},
		fmt.Sprintf("pledge-%d", e.n))
	e.n++
	if err != nil {
		t.Fatalf("pledge by %s: %v", who.name, err)
	}
	return v
}

// feedEvent is what a test reads back of one event, through an independent parser.
type feedEvent struct {
	UID, Summary, Location, Status, Sequence, URL, Description string
	Start, End                                                 time.Time
	StartRaw                                                   string
}

// parseFeed parses a feed with golang-ical and returns its events by UID order.
func parseFeed(t testing.TB, body []byte) []feedEvent {
	t.Helper()
	cal, err := ics.ParseCalendar(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("parse feed: %v\n%s", err, body)
	}
	var out []feedEvent
	for _, ev := range cal.Events() {
		get := func(p ics.ComponentProperty) string {
			if v := ev.GetProperty(p); v != nil {
				return v.Value
			}
			return ""
		}
		start, err := ev.GetStartAt()
		if err != nil {
			t.Fatalf("DTSTART: %v", err)
		}
		end, err := ev.GetEndAt()
		if err != nil {
			t.Fatalf("DTEND: %v", err)
		}
		out = append(out, feedEvent{UID: get(ics.ComponentPropertyUniqueId), Summary: get(ics.ComponentPropertySummary),
			Location: get(ics.ComponentPropertyLocation), Status: get(ics.ComponentPropertyStatus),
			Sequence: get(ics.ComponentPropertySequence), URL: get(ics.ComponentPropertyUrl),
			Description: get(ics.ComponentPropertyDescription), Start: start.UTC(), End: end.UTC(),
			StartRaw: get(ics.ComponentPropertyDtStart)})
	}
	return out
}
