package main

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/pooling"
)

// seedPools gives the demo a little pooling: alice's council-managed budget with Leeds
// City Council, her direct payment, an individual service fund at the demo ISF provider,
// and one open public pool on a group offer of the demo community group, organised by
// the user-led organisation, with two pledges (alice's and carl's). Everything goes
// through the services, so it obeys the same rules as a person's requests.
func (s *seeder) seedPools(ctx context.Context) error {
	as := func(local string) (context.Context, *account.Actor, error) {
		started, err := s.m.Accounts.LogIn(ctx, account.Credentials{Email: local + "@" + demoDomain, Password: DemoPassword}, "127.0.0.1")
		if err != nil {
			return nil, nil, fmt.Errorf("log in %s: %w", local, err)
		}
		a, err := s.m.Accounts.ActorForSession(ctx, started.Secret)
		if err != nil {
			return nil, nil, err
		}
		return account.WithActor(ctx, a), a, nil
	}
	orgOf := func(a *account.Actor, kind account.OrgKind) (string, error) {
		for _, m := range a.Memberships {
			if slices.Contains(m.OrgKinds, kind) {
				return m.OrgID, nil
			}
		}
		return "", fmt.Errorf("%s belongs to no %s", a.UserID, kind)
	}
	carl, err := s.person(ctx, "carl", "Carl Holder")
	if err != nil {
		return err
	}
	aliceCtx, alice, err := as("alice")
	if err != nil {
		return err
	}
	var orgs [4]string
	for i, who := range []struct {
		local string
		kind  account.OrgKind
	}{{"commissioner", account.KindCouncil}, {"isf", account.KindISFProvider}, {"ulo", account.KindUserLedOrganisation}, {"provider", account.KindCommunityGroup}} {
		_, a, err := as(who.local)
		if err != nil {
			return err
		}
		if orgs[i], err = orgOf(a, who.kind); err != nil {
			return err
		}
	}
	council, isfOrg, uloOrg, provOrg := orgs[0], orgs[1], orgs[2], orgs[3]
	isfCtx, _, err := as("isf")
	if err != nil {
		return err
	}
	uloCtx, _, err := as("ulo")
	if err != nil {
		return err
	}
	provCtx, _, err := as("provider")
	if err != nil {
		return err
	}

	if _, err := s.m.Pools.AddBudget(aliceCtx, pooling.BudgetInput{Form: marketplace.CouncilManaged, HolderOrgID: council,
		Label: "Managed by Leeds City Council", ActualPence: 520_000, PeriodStart: "2026-04-01", PeriodEnd: "2027-03-31"}); err != nil {
		return fmt.Errorf("alice's council-managed budget: %w", err)
	}
	direct, err := s.m.Pools.AddBudget(aliceCtx, pooling.BudgetInput{Form: marketplace.DirectPayment, Label: "Direct payment", ActualPence: 300_000})
	if err != nil {
		return fmt.Errorf("alice's direct payment: %w", err)
	}
	if _, err := s.m.Pools.OpenISFAccount(isfCtx, isfOrg, pooling.ISFInput{HolderID: alice.UserID, Label: "Alice's individual service fund",
		AllocatedPence: 200_000, PeriodStart: "2026-04-01", PeriodEnd: "2027-03-31"}, "seed-isf-alice"); err != nil {
		return fmt.Errorf("alice's ISF: %w", err)
	}
	carlDirect, err := s.m.Pools.AddBudget(carl.ctx, pooling.BudgetInput{Form: marketplace.DirectPayment, Label: "Direct payment", ActualPence: 150_000})
	if err != nil {
		return fmt.Errorf("carl's direct payment: %w", err)
	}

	// A group offer of the demo community group, every budget form welcome.
	offer, err := s.m.Market.CreateOffer(provCtx, provOrg, marketplace.OfferInput{
		Kind: marketplace.KindCommunityActivity, Title: "Friday art and lunch",
		Description: "A relaxed art group with a shared lunch, for adults who like to paint, draw and chat. All materials provided.",
		Categories:  []string{"arts-and-crafts"},
		Where:       marketplace.WhereInput{Mode: marketplace.AtAddress, Address: &marketplace.Address{Line1: "Headingley Community Hall, 1 Park Lane", Town: "Leeds", Postcode: "LS6 2AB"}, AreasServed: []string{}},
		When:        marketplace.Schedule{Weekly: []marketplace.WeeklySlot{{Day: "friday", Start: "10:00", End: "14:00"}}},
		Price:       marketplace.Price{Unit: marketplace.GroupSession, AmountPence: 24_000, Group: &marketplace.GroupPricing{MinPeople: 3, MaxPeople: 8}},
		BudgetForms: []marketplace.BudgetForm{marketplace.DirectPayment, marketplace.IndirectPayment, marketplace.TrustFund, marketplace.BrokeredFund, marketplace.ISF, marketplace.CouncilManaged},
		Languages:   []string{"en"}, Accessibility: []string{},
	})
	if err == nil {
		offer, err = s.m.Market.SetOfferStatus(provCtx, offer.ID, marketplace.StatusPublished, offer.Version)
	}
	if err != nil {
		return fmt.Errorf("group offer: %w", err)
	}
	s.n.Offers++

	// Dates are relative to today, at a whole day, so the pool stays open in the demo.
	day := time.Now().UTC().Truncate(24 * time.Hour)
	pool, err := s.m.Pools.ProposePool(uloCtx, pooling.PoolInput{OfferID: offer.ID, OrganiserOrgID: uloOrg,
		Title: "Friday art and lunch for Headingley", Description: "Six of us from the Forum would like a weekly art group. Join us!",
		Visibility: pooling.Public, Deadline: day.AddDate(0, 0, 21),
		Schedule: pooling.Schedule{FirstSession: day.AddDate(0, 0, 28).Add(10 * time.Hour), EveryDays: 7, Sessions: 8, NoticeDays: 14}})
	if err == nil {
		pool, err = s.m.Pools.OpenPool(uloCtx, pool.ID)
	}
	if err != nil {
		return fmt.Errorf("demo pool: %w", err)
	}
	for _, p := range []struct {
		ctx    context.Context
		budget string
		limit  int64
		key    string
	}{{aliceCtx, direct.ID, 8_000, "seed-pledge-alice"}, {carl.ctx, carlDirect.ID, 6_000, "seed-pledge-carl"}} {
		if _, err := s.m.Pools.Pledge(p.ctx, pool.ID, pooling.PledgeInput{BudgetID: p.budget, LimitPence: p.limit}, p.key); err != nil {
			return fmt.Errorf("demo pledge: %w", err)
		}
	}
	return nil
}
