package pooling_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/infra/store"
	"github.com/carepool/carepool/infra/store/storetest"
	mk "github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/pooling"
)

// demandWorld has two open pools on an art group in LS6 (one public with two people,
// one invite-only with three people and a council-managed pledge waiting for the
// council's commissioner), and on a swimming group in LS11 a pool that failed 39 days
// before the report (three joined, one left) and one that failed 92 days before it.
type demandWorld struct {
	*world
	reportAt       time.Time
	public, invite pooling.PoolView
}

func newDemandWorld(t *testing.T) *demandWorld {
	t.Helper()
	w := &demandWorld{world: newWorld(t, pooling.Config{}), reportAt: epoch.AddDate(0, 0, 99)}
	swim := w.swimmingOffer(t)
	later := func(in *pooling.PoolInput) {
		in.Deadline, in.Schedule.FirstSession = epoch.AddDate(0, 0, 120), epoch.AddDate(0, 0, 127)
	}
	w.public = w.openPool(t, 1, later)
	w.invite = w.openPool(t, 1, func(in *pooling.PoolInput) { later(in); in.Visibility = pooling.InviteOnly })
	failedLately := poolInput(swim, 1)
	failedLately.OrganiserOrgID = w.ulo.ID
	failedLately.Deadline, failedLately.Schedule.FirstSession = epoch.AddDate(0, 0, 60), epoch.AddDate(0, 0, 67)
	recent := w.env.openPool(t, w.uma, failedLately)
	longAgo := poolInput(swim, 1)
	longAgo.OrganiserOrgID = w.ulo.ID
	old := w.env.openPool(t, w.uma, longAgo)

	invite := w.pool(t, w.uma, w.invite.ID)
	people, budgets := w.holders(t, 9)
	for i, poolID := range []string{w.public.ID, w.public.ID, w.invite.ID, w.invite.ID, w.invite.ID, recent.ID, recent.ID, recent.ID, old.ID} {
		in := pooling.PledgeInput{BudgetID: budgets[i].ID, LimitPence: 20000}
		if poolID == invite.ID {
			in.InviteCode = invite.InviteCode
		}
		if _, err := w.svc.Pledge(people[i].ctx(t), poolID, in, ""); err != nil {
			t.Fatal(err)
		}
	}
	left := mustOnlyPledge(t, w.env, people[7])
	if _, err := w.svc.Withdraw(people[7].ctx(t), left.ID, ""); err != nil {
		t.Fatal(err)
	}
	managed := w.person(t, "Mo Managed")
	b := w.budget(t, managed, pooling.BudgetInput{Form: mk.CouncilManaged, HolderOrgID: w.council.ID})
	if _, err := w.svc.Pledge(managed.ctx(t), invite.ID, pooling.PledgeInput{BudgetID: b.ID, LimitPence: 20000, InviteCode: invite.InviteCode}, ""); err != nil {
		t.Fatal(err)
	}
	w.processDeadlines(t, old.Deadline)
	w.processDeadlines(t, recent.Deadline)
	w.clock.Set(w.reportAt)
	return w
}

// swimmingOffer publishes a swimming group at a pool in LS11.
func (w *demandWorld) swimmingOffer(t *testing.T) mk.Offer {
	t.Helper()
	ctx := w.pat.ctx(t)
	in := mk.OfferInput{Kind: mk.KindCommunityActivity, Title: "Quiet swimming", Description: "A calm swimming session for adults.",
		Categories:  []string{"swimming"},
		Where:       mk.WhereInput{Mode: mk.AtAddress, Address: &mk.Address{Line1: "Pool Road", Town: "Leeds", Postcode: "LS11 5AA"}, AreasServed: []string{}},
		When:        mk.Schedule{Weekly: []mk.WeeklySlot{{Day: "monday", Start: "10:00", End: "11:00"}}},
		Price:       mk.Price{Unit: mk.GroupSession, AmountPence: 40000, Group: &mk.GroupPricing{MinPeople: 4, MaxPeople: 8}},
		BudgetForms: []mk.BudgetForm{mk.DirectPayment, mk.CouncilManaged}, Languages: []string{"en"}, Accessibility: []string{}}
	o, err := w.market.CreateOffer(ctx, w.provider.ID, in)
	if err == nil {
		o, err = w.market.SetOfferStatus(ctx, o.ID, mk.StatusPublished, o.Version)
	}
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func TestDemandCountsOpenAndFailedPoolsByAreaAndCategory(t *testing.T) {
	t.Parallel()
	w := newDemandWorld(t)
	got, err := w.svc.Demand(w.cora.ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	artsLS6 := pooling.DemandRow{OpenPools: 2, PlacesTaken: 6, PeopleShort: 2}
	swimLS11 := pooling.DemandRow{FailedPools: 1, FailedJoined: 2, FailedNeeded: 4}
	row := func(r pooling.DemandRow, key, label string) pooling.DemandRow { r.Key, r.Label = key, label; return r }
	want := pooling.DemandReport{
		At: w.reportAt, FailedSince: w.reportAt.Add(-pooling.DemandWindow),
		Totals: pooling.DemandRow{Label: "All areas", OpenPools: 2, PlacesTaken: 6, PeopleShort: 2,
			FailedPools: 1, FailedJoined: 2, FailedNeeded: 4},
		ByArea:     []pooling.DemandRow{row(artsLS6, "LS6", "LS6 (Leeds)"), row(swimLS11, "LS11", "LS11 (Leeds)")},
		ByCategory: []pooling.DemandRow{row(artsLS6, "arts-and-crafts", "Arts and crafts"), row(swimLS11, "swimming", "Swimming")},
		Waiting: []pooling.WaitingPool{{Title: "A pool for invited people only", Area: "LS6 (Leeds)", Deadline: w.invite.Deadline,
			Waiting: 1, Taken: 4, Confirmable: 3, MinPeople: 4, ReachesMinimum: true}},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("demand (-want +got):\n%s", d)
	}
}

func TestDemandWaitingPoolsAreThoseOfTheCallersCouncil(t *testing.T) {
	t.Parallel()
	w := newDemandWorld(t)
	admin := w.person(t, "Ada Admin")
	if err := w.accounts.SetAdmin(context.Background(), admin.email, true); err != nil {
		t.Fatal(err)
	}
	other := w.person(t, "Olly Other")
	owner := w.person(t, "Other Owner")
	w.member(t, owner, w.env.council(t, owner, "Bradford Council"), other, account.RoleCommissioner)
	for _, tt := range []struct {
		name    string
		who     *person
		waiting int
	}{
		{"an administrator sees every council's", admin, 1},
		{"a commissioner of another council sees none", other, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := w.svc.Demand(tt.who.ctx(t))
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Waiting) != tt.waiting {
				t.Errorf("%d pools waiting, want %d: %+v", len(rep.Waiting), tt.waiting, rep.Waiting)
			}
			if rep.Totals.OpenPools != 2 || rep.Totals.FailedPools != 1 {
				t.Errorf("totals %+v, want every council's pools counted", rep.Totals)
			}
		})
	}
}

func TestDemandIsForCommissionersAndAdministrators(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pooling.Config{})
	councilOwner := w.person(t, "Wendy Owner")
	w.env.council(t, councilOwner, "Wakefield Council")
	for _, tt := range []struct {
		name string
		ctx  context.Context
		want apperr.Kind
	}{
		{"nobody logged in", context.Background(), apperr.Unauthenticated},
		{"a budget holder", w.person(t, "Holly Holder").ctx(t), apperr.Forbidden},
		{"a council's owner who is not a commissioner", councilOwner.ctx(t), apperr.Forbidden},
		{"a user-led organisation's owner", w.uma.ctx(t), apperr.Forbidden},
		{"a provider", w.pat.ctx(t), apperr.Forbidden},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := w.svc.Demand(tt.ctx)
			wantKind(t, err, tt.want, "")
		})
	}
	rep, err := w.svc.Demand(w.cora.ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Totals.OpenPools != 0 || len(rep.ByArea) != 0 || len(rep.Waiting) != 0 {
		t.Errorf("an empty platform: %+v", rep)
	}
}

// BenchmarkDemand: the report over 1,000 open pools with a pledge each and 1,000 pools
// that failed with a pledge each, on the embedded store in memory. Demand scans the open
// and failed pools, then reads each failed pool's pledges (one find per pool).
func BenchmarkDemand(b *testing.B) {
	db := storetest.Open(b)
	accounts, err := account.NewService(store.NewAccounts(db), account.Config{Password: account.TestPasswordParams})
	if err != nil {
		b.Fatal(err)
	}
	c := &clock{now: epoch}
	market := mk.NewService(store.NewMarketplace(db), store.NewDirectory(db), c.Now, nil)
	e := &env{db: db, store: store.NewPooling(db), accounts: accounts, market: market, clock: c}
	e.svc = pooling.NewService(e.store, market, store.NewDirectory(db), accounts, pooling.Config{Now: c.Now})
	pat, uma, cora, owner := e.person(b, "Pat Provider"), e.person(b, "Uma Ulo"), e.person(b, "Cora Commissioner"), e.person(b, "Council Owner")
	offer := e.groupOffer(b, pat, e.org(b, pat, "Friday Arts", account.KindSmallProvider), 48000, 4, 10)
	ulo := e.org(b, uma, "Leeds People First", account.KindUserLedOrganisation)
	e.member(b, owner, e.council(b, owner, "Leeds City Council"), cora, account.RoleCommissioner)
	const n = 1000
	people, budgets := e.holders(b, n)
	fill := func(deadline time.Time) {
		for i := range n {
			in := poolInput(offer, 1)
			in.OrganiserOrgID = ulo.ID
			in.Deadline, in.Schedule.FirstSession = deadline, deadline.AddDate(0, 0, 7)
			p := e.openPool(b, uma, in)
			e.pledge(b, people[i], p.ID, budgets[i], 20000)
		}
	}
	fill(epoch.AddDate(0, 0, 7))
	at := epoch.AddDate(0, 0, 8)
	c.Set(at)
	for {
		rep, err := e.svc.ProcessDeadlines(context.Background(), at)
		if err != nil {
			b.Fatal(err)
		}
		if rep.Failed == 0 {
			break
		}
	}
	fill(epoch.AddDate(0, 0, 30))
	ctx := cora.ctx(b)
	b.ResetTimer()
	for range b.N {
		rep, err := e.svc.Demand(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if rep.Totals.OpenPools != n || rep.Totals.FailedPools != n {
			b.Fatalf("totals %+v", rep.Totals)
		}
	}
}

// Over many pools Demand reads every pledge in one pass rather than pool by pool: the
// counts are the same.
func TestDemandCountsManyFailedPoolsInOnePass(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pooling.Config{})
	const n = 25
	people, budgets := w.holders(t, 2*n)
	for i := range n {
		p := w.openPool(t, 1, nil)
		w.pledge(t, people[2*i], p.ID, budgets[2*i], 20000)
		left := w.pledge(t, people[2*i+1], p.ID, budgets[2*i+1], 20000)
		if _, err := w.svc.Withdraw(people[2*i+1].ctx(t), left.ID, ""); err != nil {
			t.Fatal(err)
		}
	}
	w.processDeadlines(t, epoch.AddDate(0, 0, 8))
	rep, err := w.svc.Demand(w.cora.ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	want := pooling.DemandRow{Label: "All areas", FailedPools: n, FailedJoined: n, FailedNeeded: 4 * n}
	if d := cmp.Diff(want, rep.Totals); d != "" {
		t.Errorf("totals (-want +got):\n%s", d)
	}
}
