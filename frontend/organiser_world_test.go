package frontend

import (
	"context"
	"testing"
	"time"

	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/pooling"
)

// organiserWorld is the cast of the organiser's pages: a provider with a group offer
// (£480 a session for 4 to 8 people), a user-led organisation that organises pools on
// it, an ISF provider holding two people's funds, a council with a commissioner, and
// these pools, all organised by the user-led organisation:
//   - draft: proposed, not open yet;
//   - open: public, with alice's direct payment pledge, bob's council-managed pledge
//     waiting for the commissioner and carl's ISF pledge waiting for the ISF provider;
//   - invite: invite-only and open, with nobody yet;
//   - running: confirmed with four people, its first session sixteen days ago.
type organiserWorld struct {
	a                          *organiserApp
	offer                      marketplace.Offer
	providerID, uloID, isfID   string
	councilID                  string
	providerEmail, uloEmail    string
	isfEmail, commissionerMail string
	aliceEmail, bobEmail       string
	strangerEmail, adminEmail  string
	alice                      context.Context
	aliceDirect                pooling.Budget
	aliceISF, carlISF          pooling.ISFAccount
	draft, open, invite        pooling.PoolView
	running                    pooling.PoolView
}

func newOrganiserWorld(t *testing.T) *organiserWorld {
	t.Helper()
	a := newOrganiserApp(t, false)
	w := &organiserWorld{a: a}
	var provider context.Context
	w.providerID, w.providerEmail, provider = a.provider("Headingley Arts Group")
	in := sampleOffer("Friday art and lunch")
	in.BudgetForms = append(in.BudgetForms, marketplace.ISF)
	w.offer = a.offer(provider, w.providerID, in, true)
	ulo, uloEmail, uloCtx := a.org("Leeds People First", account.KindUserLedOrganisation)
	w.uloID, w.uloEmail = ulo.ID, uloEmail
	isf, isfEmail, isfCtx := a.org("Leeds Support", account.KindISFProvider)
	w.isfID, w.isfEmail = isf.ID, isfEmail
	council, commissioner := a.council("Leeds City Council")
	w.councilID, w.commissionerMail = council.ID, commissioner
	w.strangerEmail, _ = a.user("Stella Stranger")
	w.adminEmail, _ = a.admin()

	check := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	holder := func(name string) (string, context.Context, pooling.Budget) {
		email, secret := a.user(name)
		ctx := a.as(secret)
		b, err := a.pools.AddBudget(ctx, pooling.BudgetInput{Form: marketplace.DirectPayment, Label: "Direct payment"})
		check(err)
		return email, ctx, b
	}
	var bob, carl context.Context
	w.aliceEmail, w.alice, w.aliceDirect = holder("Alice Holder")
	w.bobEmail, bob, _ = holder("Bob Holder")
	_, carl, _ = holder("Carl Holder")
	bobManaged, err := a.pools.AddBudget(bob, pooling.BudgetInput{Form: marketplace.CouncilManaged, HolderOrgID: w.councilID})
	check(err)
	w.aliceISF, err = a.pools.OpenISFAccount(isfCtx, w.isfID, pooling.ISFInput{HolderID: account.ActorFrom(w.alice).UserID, AllocatedPence: 200_000}, "isf-a")
	check(err)
	w.carlISF, err = a.pools.OpenISFAccount(isfCtx, w.isfID, pooling.ISFInput{HolderID: account.ActorFrom(carl).UserID, AllocatedPence: 150_000}, "isf-c")
	check(err)

	day := time.Now().UTC().Truncate(24 * time.Hour)
	propose := func(title string, vis pooling.Visibility, from time.Time, open bool) pooling.PoolView {
		v, err := a.pools.ProposePool(uloCtx, pooling.PoolInput{OfferID: w.offer.ID, OrganiserOrgID: w.uloID, Title: title,
			Description: "A weekly art group.", Visibility: vis, Deadline: from.AddDate(0, 0, 7),
			Schedule: pooling.Schedule{FirstSession: from.AddDate(0, 0, 14).Add(10 * time.Hour), EveryDays: 7, Sessions: 4}})
		check(err)
		if open {
			v, err = a.pools.OpenPool(uloCtx, v.ID)
			check(err)
		}
		return v
	}
	pledge := func(ctx context.Context, pool pooling.PoolView, budget string, limit int64) {
		_, err := a.pools.Pledge(ctx, pool.ID, pooling.PledgeInput{BudgetID: budget, LimitPence: limit, InviteCode: pool.InviteCode}, "")
		check(err)
	}
	w.draft = propose("Saturday art, still a draft", pooling.Public, day, false)
	w.open = propose("Friday art for Headingley", pooling.Public, day, true)
	pledge(w.alice, w.open, w.aliceDirect.ID, 12_000)
	pledge(bob, w.open, bobManaged.ID, 12_000)
	pledge(carl, w.open, w.carlISF.ID, 12_000)
	w.invite = propose("Friday art for the Forum", pooling.InviteOnly, day, true)

	// The running pool happened thirty days ago, as far as the pooling service knows.
	a.clock.Set(-30 * 24 * time.Hour)
	running := propose("Friday art since last month", pooling.Public, day.AddDate(0, 0, -30), true)
	for _, name := range []string{"Dee", "Eve", "Fay", "Gus"} {
		_, ctx, b := holder(name + " Holder")
		pledge(ctx, running, b.ID, 12_000)
	}
	_, err = a.pools.ConfirmPool(uloCtx, running.ID, "confirm-running")
	check(err)
	a.clock.Set(0)
	w.running, err = a.pools.Pool(uloCtx, running.ID)
	check(err)
	return w
}
