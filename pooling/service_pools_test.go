package pooling_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carepool/carepool/infra/apperr"
	mk "github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/pooling"
)

func TestProposePoolChecksWhoOrganises(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pooling.Config{})
	holder := w.person(t, "Hana Holder")
	w.directPayment(t, holder)
	nobody := w.person(t, "Nia Nobody")
	tests := []struct {
		name string
		who  *person
		org  string
		want apperr.Kind
		ok   bool
	}{
		{"a user-led organisation's member", w.uma, w.ulo.ID, 0, true},
		{"the offer's provider", w.pat, w.provider.ID, 0, true},
		{"a budget holder on their own", holder, "", 0, true},
		{"someone with no budget on their own", nobody, "", apperr.Forbidden, false},
		{"another provider", w.ivy, w.isfProvider.ID, apperr.Forbidden, false},
		{"an outsider naming the user-led organisation", w.pat, w.ulo.ID, apperr.Forbidden, false},
		{"a trust", w.tess, w.trust.ID, apperr.Invalid, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := poolInput(w.offer, 1)
			in.OrganiserOrgID = tt.org
			p, err := w.svc.ProposePool(tt.who.ctx(t), in)
			if tt.ok {
				if err != nil {
					t.Fatal(err)
				}
				if p.Status != pooling.StatusDraft || !slices.Contains(p.YourRoles, pooling.RoleOrganiser) {
					t.Errorf("proposed %s with roles %v", p.Status, p.YourRoles)
				}
				return
			}
			wantKind(t, err, tt.want, "")
		})
	}
	_, err := w.svc.ProposePool(context.Background(), poolInput(w.offer, 1))
	wantKind(t, err, apperr.Unauthenticated, "")
}

func TestProposePoolRefusesImpossiblePools(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pooling.Config{})
	tests := []struct {
		name  string
		edit  func(*pooling.PoolInput)
		field string
	}{
		{"a deadline in the past", func(in *pooling.PoolInput) { in.Deadline = epoch.Add(-time.Hour) }, "deadline"},
		{"sessions before the deadline", func(in *pooling.PoolInput) { in.Schedule.FirstSession = in.Deadline.Add(-time.Hour) }, "schedule.first_session"},
		{"fewer people than the offer needs", func(in *pooling.PoolInput) { in.MinPeople = 3 }, "min_people"},
		{"more people than the offer takes", func(in *pooling.PoolInput) { in.MaxPeople = 11 }, "min_people"},
		{"an offer that does not exist", func(in *pooling.PoolInput) { in.OfferID = "7a7a7a7a-7a7a-4a7a-8a7a-7a7a7a7a7a7a" }, "offer_id"},
		{"a single session that repeats", func(in *pooling.PoolInput) { in.Schedule.EveryDays = 7 }, "schedule.every_days"},
		{"notice on a single session", func(in *pooling.PoolInput) { in.Schedule.NoticeDays = 7 }, "schedule.notice_days"},
		{"a billing period longer than the pool", func(in *pooling.PoolInput) { in.Schedule.PeriodSessions = 2 }, "schedule.period_sessions"},
		{"no title", func(in *pooling.PoolInput) { in.Title = " " }, "title"},
		{"a visibility we do not have", func(in *pooling.PoolInput) { in.Visibility = "secret" }, "visibility"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := poolInput(w.offer, 1)
			in.OrganiserOrgID = w.ulo.ID
			tt.edit(&in)
			_, err := w.svc.ProposePool(w.uma.ctx(t), in)
			wantKind(t, err, apperr.Invalid, "")
			e, _ := apperr.As(err)
			if !slices.ContainsFunc(e.Fields, func(f apperr.FieldError) bool { return f.Field == tt.field }) {
				t.Errorf("fields %+v do not name %s", e.Fields, tt.field)
			}
		})
	}
}

func TestInviteOnlyPoolsOpenWithTheirCodeOnly(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pooling.Config{})
	visitor := w.person(t, "Vic Visitor")
	pool := w.openPool(t, 1, func(in *pooling.PoolInput) { in.Visibility = pooling.InviteOnly })
	if pool.InviteCode == "" {
		t.Fatal("the organiser does not see the invite code")
	}
	_, err := w.svc.Pool(visitor.ctx(t), pool.ID)
	wantKind(t, err, apperr.NotFound, "")
	seen, err := w.svc.PoolByInvite(visitor.ctx(t), pool.InviteCode)
	if err != nil {
		t.Fatal(err)
	}
	if seen.InviteCode != "" {
		t.Error("a visitor sees the invite code")
	}
	b := w.directPayment(t, visitor)
	_, err = w.svc.Pledge(visitor.ctx(t), pool.ID, pooling.PledgeInput{BudgetID: b.ID, LimitPence: 12000}, "")
	wantKind(t, err, apperr.NotFound, "")
	if _, err := w.svc.Pledge(visitor.ctx(t), pool.ID, pooling.PledgeInput{BudgetID: b.ID, LimitPence: 12000, InviteCode: pool.InviteCode}, ""); err != nil {
		t.Fatalf("pledge with the code: %v", err)
	}
	if _, err := w.svc.Pool(visitor.ctx(t), pool.ID); err != nil {
		t.Errorf("someone who pledged cannot see the pool: %v", err)
	}

	rotated, err := w.svc.RotateInvite(w.uma.ctx(t), pool.ID)
	if err != nil {
		t.Fatal(err)
	}
	if rotated.InviteCode == pool.InviteCode {
		t.Fatal("the code did not change")
	}
	_, err = w.svc.PoolByInvite(visitor.ctx(t), pool.InviteCode)
	wantKind(t, err, apperr.NotFound, "")
	_, err = w.svc.RotateInvite(visitor.ctx(t), pool.ID)
	wantKind(t, err, apperr.Forbidden, "")
	if n := w.tasks(t, "search", "pool:"); n != 0 {
		t.Errorf("an invite-only pool queued %d search tasks", n)
	}
}

func TestPublicViewShowsCountsAndAmountsButNoNames(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pooling.Config{})
	pool := w.openPool(t, 1, nil)
	people, budgets := w.holders(t, 4)
	for i := range people {
		w.pledge(t, people[i], pool.ID, budgets[i], 12000)
	}
	v, err := w.svc.Pool(context.Background(), pool.ID)
	if err != nil {
		t.Fatal(err)
	}
	if v.Taken != 4 || v.Counted != 4 || v.SharePence != 12000 || v.PlacesLeft != 6 {
		t.Errorf("public view %+v", v)
	}
	body, _ := json.Marshal(v)
	for _, secret := range append([]string{w.uma.id, pool.InviteCode}, people[0].id, people[3].id) {
		if secret != "" && strings.Contains(string(body), secret) {
			t.Errorf("the public view names %s: %s", secret, body)
		}
	}
	if w.tasks(t, "search", "pool:") == 0 {
		t.Error("a public pool's changes queued no search task")
	}

	organised, err := w.svc.Participants(w.uma.ctx(t), pool.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(organised) != 4 || organised[0].HolderID != "" {
		t.Errorf("the organiser sees %+v", organised)
	}
	_, err = w.svc.Participants(people[0].ctx(t), pool.ID)
	wantKind(t, err, apperr.Forbidden, "")
	if _, err := w.svc.ConfirmPool(w.uma.ctx(t), pool.ID, ""); err != nil {
		t.Fatal(err)
	}
	provided, err := w.svc.Participants(w.pat.ctx(t), pool.ID)
	if err != nil {
		t.Fatal(err)
	}
	if provided[0].HolderID == "" {
		t.Error("the provider of a confirmed pool does not see who is coming")
	}
}

func TestOrganiserConfirmsEarlyOnceTheMinimumIsApproved(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pooling.Config{})
	pool := w.openPool(t, 1, nil)
	people, budgets := w.holders(t, 4)
	for i := range 3 {
		w.pledge(t, people[i], pool.ID, budgets[i], 20000)
	}
	_, err := w.svc.ConfirmPool(w.uma.ctx(t), pool.ID, "")
	wantKind(t, err, apperr.Conflict, "pool-below-minimum")
	w.pledge(t, people[3], pool.ID, budgets[3], 12000)
	got, err := w.svc.ConfirmPool(w.uma.ctx(t), pool.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != pooling.StatusConfirmed || got.SharePence != 12000 || got.Counted != 4 {
		t.Errorf("confirmed %+v", got)
	}
}

func TestCancelReleasesEveryCommitmentUntilASessionIsDelivered(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pooling.Config{})
	pool := w.openPool(t, 2, nil)
	people, budgets := w.holders(t, 5)
	for i := range people {
		w.pledge(t, people[i], pool.ID, budgets[i], 12000)
	}
	if _, err := w.svc.ConfirmPool(w.uma.ctx(t), pool.ID, ""); err != nil {
		t.Fatal(err)
	}
	got, err := w.svc.CancelPool(w.pat.ctx(t), pool.ID, "The venue flooded.", "cancel-1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != pooling.StatusCancelled || got.Taken != 0 {
		t.Errorf("cancelled pool %+v", got)
	}
	for i := range people {
		v, err := w.svc.MyPledge(people[i].ctx(t), mustOnlyPledge(t, w.env, people[i]).ID)
		if err != nil {
			t.Fatal(err)
		}
		if v.Status != pooling.PledgeReleased || v.CommittedPence != 0 {
			t.Errorf("after cancelling, pledge %+v", v)
		}
	}

	second := w.openPool(t, 2, nil)
	for i := range 4 {
		w.pledge(t, people[i], second.ID, budgets[i], 12000)
	}
	if _, err := w.svc.ConfirmPool(w.uma.ctx(t), second.ID, ""); err != nil {
		t.Fatal(err)
	}
	w.clock.Set(second.Sessions[0].StartsAt)
	if _, err := w.svc.RecordDelivery(w.pat.ctx(t), second.ID, pooling.DeliveryInput{Session: 0}, ""); err != nil {
		t.Fatal(err)
	}
	_, err = w.svc.CancelPool(w.uma.ctx(t), second.ID, "", "")
	wantKind(t, err, apperr.Conflict, "pool-delivered")
}

// mustOnlyPledge returns the pledge someone most recently made.
func mustOnlyPledge(t *testing.T, e *env, p *person) pooling.PledgeView {
	t.Helper()
	ps, err := e.svc.MyPledges(p.ctx(t))
	if err != nil || len(ps) == 0 {
		t.Fatalf("pledges of %s: %v, %v", p.name, ps, err)
	}
	return ps[0]
}

func TestSharedPersonalAssistantPoolsPriceTheSessionLength(t *testing.T) {
	t.Parallel()
	e := newEnv(t, pooling.Config{})
	pa := e.person(t, "Paula PA")
	org := e.org(t, pa, "Paula Supports", "sole_trader_pa")
	in := mk.OfferInput{Kind: mk.KindPersonalAssistant, Title: "PA for getting out and about",
		Description: "Support to get out and about in Leeds, on weekday mornings.", Categories: []string{"getting-out"},
		Where: mk.WhereInput{Mode: mk.InArea, AreasServed: []string{"LS6"}}, Price: mk.Price{Unit: mk.PerHour, AmountPence: 1800},
		BudgetForms: []mk.BudgetForm{mk.DirectPayment}, Languages: []string{"en"}, Accessibility: []string{}}
	o, err := e.market.CreateOffer(pa.ctx(t), org.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if o, err = e.market.SetOfferStatus(pa.ctx(t), o.ID, mk.StatusPublished, o.Version); err != nil {
		t.Fatal(err)
	}
	pi := poolInput(o, 1)
	pi.OrganiserOrgID, pi.MaxPeople, pi.SessionMinutes = org.ID, 3, 150
	p, err := e.svc.ProposePool(pa.ctx(t), pi)
	if err != nil {
		t.Fatal(err)
	}
	want := pooling.Pricing{GroupPence: 4500, FloorPence: 1500, MinPeople: 2, MaxPeople: 3}
	if p.Pricing != want {
		t.Errorf("pricing %+v, want %+v", p.Pricing, want)
	}
	pi.SessionMinutes = 0
	_, err = e.svc.ProposePool(pa.ctx(t), pi)
	wantKind(t, err, apperr.Invalid, "")
}
