package privacy_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/carepool/carepool/calendar"
	"github.com/carepool/carepool/infra/store"
	"github.com/carepool/carepool/infra/store/storetest"
	mk "github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/pooling"
	"github.com/carepool/carepool/privacy"
)

var epoch = time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)

const password = "correct horse battery"

// env is the privacy service on the real account, marketplace, pooling and calendar
// services over a fresh embedded store, with a provider's group offer to pool.
type env struct {
	db       *store.DB
	accounts *account.Service
	market   *mk.Service
	pools    *pooling.Service
	cal      *calendar.Service
	svc      *privacy.Service
	n        int
	provider *person
	org      account.Organisation
	offer    mk.Offer
}

func newEnv(t *testing.T) *env {
	t.Helper()
	db := storetest.Open(t)
	now := func() time.Time { return epoch }
	accounts, err := account.NewService(store.NewAccounts(db), account.Config{Password: account.TestPasswordParams, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	market := mk.NewService(store.NewMarketplace(db), store.NewDirectory(db), now, nil)
	pools := pooling.NewService(store.NewPooling(db), market, store.NewDirectory(db), accounts, pooling.Config{Now: now})
	cal, err := calendar.NewService(pools, store.NewMarketplace(db), store.NewAccounts(db), store.NewCalendars(db),
		calendar.Config{BaseURL: "https://carepool.example", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := privacy.NewService(accounts, pools, store.NewPrivacy(db), privacy.Config{Password: account.TestPasswordParams, Now: now}, cal)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{db: db, accounts: accounts, market: market, pools: pools, cal: cal, svc: svc}
	e.provider = e.person(t, "Pat Provider")
	e.org = e.provider.organisation(t, "Headingley Arts")
	e.offer = e.groupOffer(t)
	t.Cleanup(func() {
		rep, err := pools.Verify(context.Background())
		if err != nil || !rep.OK() {
			t.Errorf("verify: %v %+v", err, rep.Violations)
		}
	})
	return e
}

type person struct {
	e                  *env
	id, name, email    string
	session, apiSecret string
	budget             pooling.Budget
}

// person signs someone up with a session, an API token and a labelled direct payment.
func (e *env) person(t testing.TB, name string) *person {
	t.Helper()
	e.n++
	email := fmt.Sprintf("%s.%d@example.org", strings.ToLower(strings.ReplaceAll(name, " ", ".")), e.n)
	s, err := e.accounts.SignUp(context.Background(), account.SignUp{Email: email, Password: password, Name: name})
	if err != nil {
		t.Fatal(err)
	}
	p := &person{e: e, id: s.User.ID, name: name, email: email, session: s.Secret}
	tok, err := e.accounts.CreateToken(p.ctx(t), account.NewToken{Name: "my script"})
	if err != nil {
		t.Fatal(err)
	}
	p.apiSecret = tok.Secret
	if p.budget, err = e.pools.AddBudget(p.ctx(t), pooling.BudgetInput{Form: mk.DirectPayment, Label: name + "'s money"}); err != nil {
		t.Fatal(err)
	}
	return p
}

func (p *person) ctx(t testing.TB) context.Context {
	t.Helper()
	a, err := p.e.accounts.ActorForSession(context.Background(), p.session)
	if err != nil {
		t.Fatalf("actor for %s: %v", p.name, err)
	}
	return account.WithActor(context.Background(), a)
}

func (p *person) organisation(t testing.TB, name string) account.Organisation {
	t.Helper()
	o, err := p.e.accounts.CreateOrganisation(p.ctx(t), account.NewOrganisation{Name: name, Kinds: []account.OrgKind{account.KindCommunityGroup}})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func (e *env) groupOffer(t testing.TB) mk.Offer {
	t.Helper()
	in := mk.OfferInput{Kind: mk.KindCommunityActivity, Title: "Friday art and lunch",
		Description: "A relaxed art group with lunch, for adults who like to paint and chat.",
		Categories:  []string{"arts-and-crafts"},
		Where:       mk.WhereInput{Mode: mk.AtAddress, Address: &mk.Address{Line1: "1 Park Lane", Town: "Leeds", Postcode: "LS6 2AB"}, AreasServed: []string{}},
		When:        mk.Schedule{Weekly: []mk.WeeklySlot{{Day: "friday", Start: "10:00", End: "14:00"}}},
		Price:       mk.Price{Unit: mk.GroupSession, AmountPence: 24000, Group: &mk.GroupPricing{MinPeople: 3, MaxPeople: 8}},
		BudgetForms: []mk.BudgetForm{mk.DirectPayment, mk.IndirectPayment}, Languages: []string{"en"}, Accessibility: []string{}}
	ctx := e.provider.ctx(t)
	o, err := e.market.CreateOffer(ctx, e.org.ID, in)
	if err == nil {
		o, err = e.market.SetOfferStatus(ctx, o.ID, mk.StatusPublished, o.Version)
	}
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// openPool opens a one-session pool proposed by who as a budget holder (no organisation).
func (e *env) openPool(t testing.TB, who *person, title string) pooling.PoolView {
	t.Helper()
	in := pooling.PoolInput{OfferID: e.offer.ID, Title: title, Description: "Proposed by " + who.name + " for friends.",
		Visibility: pooling.Public, Deadline: epoch.AddDate(0, 0, 7), Schedule: pooling.Schedule{FirstSession: epoch.AddDate(0, 0, 14), Sessions: 1}}
	ctx := who.ctx(t)
	p, err := e.pools.ProposePool(ctx, in)
	if err == nil {
		p, err = e.pools.OpenPool(ctx, p.ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// pledge pledges £80 a session from b, as who (the holder, or someone acting for them).
func (e *env) pledge(t testing.TB, who *person, poolID string, b pooling.Budget) pooling.PledgeView {
	t.Helper()
	e.n++
	v, err := e.pools.Pledge(who.ctx(t), poolID, pooling.PledgeInput{BudgetID: b.ID, LimitPence: 8_000}, fmt.Sprintf("k%d", e.n))
	if err != nil {
		t.Fatalf("pledge by %s: %v", who.name, err)
	}
	return v
}

// storeHolds reports the collections that still hold s anywhere in a document.
func (e *env) storeHolds(t testing.TB, s string) []string {
	t.Helper()
	ctx := context.Background()
	counts, err := e.db.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for name := range counts {
		cur, err := e.db.Collection(name).Find(ctx, bson.M{})
		if err != nil {
			t.Fatal(err)
		}
		var docs []bson.Raw
		if err := cur.All(ctx, &docs); err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			if strings.Contains(strings.ToLower(d.String()), strings.ToLower(s)) {
				found = append(found, name+": "+d.String())
			}
		}
	}
	return found
}
