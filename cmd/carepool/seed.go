package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/carepool/carepool/infra/store"
	"github.com/carepool/carepool/marketplace/account"
)

// DemoPassword is the password of every demo account (see the README).
const DemoPassword = "carepool-demo"

// demoDomain is reserved for testing (RFC 2606), so no demo email can reach anyone.
const demoDomain = "demo.carepool.test"

// seeder loads the demo data through the services, so every record passes the same
// validation and rules as one a person creates. The random source has a fixed seed:
// every run produces the same data set.
type seeder struct {
	m     *Main
	rng   *rand.Rand
	admin context.Context
	n     seedCounts
}

type seedCounts struct{ Users, Organisations, Offers int }

// seedIfEmpty loads the demo data when the store has no accounts yet.
func (m *Main) seedIfEmpty(ctx context.Context, out io.Writer) (bool, error) {
	counts, err := m.DB.Counts(ctx)
	if err != nil {
		return false, err
	}
	if counts["users"] > 0 {
		return false, nil
	}
	return true, m.Seed(ctx, out)
}

// Seed loads the demo data set into an empty store.
func (m *Main) Seed(ctx context.Context, out io.Writer) error {
	s := &seeder{m: m, rng: rand.New(rand.NewPCG(2026, 11))}
	if err := s.run(ctx); err != nil {
		return fmt.Errorf("seed demo data: %w", err)
	}
	fmt.Fprintf(out, "Loaded demo data: %d accounts, %d organisations, %d offers. Every demo account's password is %q.\n",
		s.n.Users, s.n.Organisations, s.n.Offers, DemoPassword)
	return nil
}

func (s *seeder) run(ctx context.Context) error {
	admin, err := s.person(ctx, "admin", "Ada Administrator")
	if err != nil {
		return err
	}
	if err := s.m.Accounts.SetAdmin(ctx, admin.email, true); err != nil {
		return err
	}
	if s.admin, err = s.refresh(ctx, admin); err != nil {
		return err
	}
	if err := s.demoPeople(ctx); err != nil {
		return err
	}
	for i, town := range demoTowns {
		if err := s.town(ctx, i, town); err != nil {
			return fmt.Errorf("%s: %w", town.Name, err)
		}
	}
	return s.seedPools(ctx)
}

// demoPerson is a signed-up demo account and its session.
type demoPerson struct {
	email, secret string
	ctx           context.Context
}

func (s *seeder) person(ctx context.Context, local, name string) (demoPerson, error) {
	email := local + "@" + demoDomain
	started, err := s.m.Accounts.SignUp(ctx, account.SignUp{Email: email, Password: DemoPassword, Name: name})
	if err != nil {
		return demoPerson{}, fmt.Errorf("sign up %s: %w", email, err)
	}
	s.n.Users++
	// Notification emails go to proved addresses only; nobody can prove an address on
	// the reserved demo domain, so the demo's are marked proved.
	if err := store.NewAccounts(s.m.DB).MarkEmailVerified(ctx, started.User.ID, time.Now()); err != nil {
		return demoPerson{}, err
	}
	p := demoPerson{email: email, secret: started.Secret}
	p.ctx, err = s.refresh(ctx, p)
	return p, err
}

// refresh returns a context acting as p, with p's current memberships.
func (s *seeder) refresh(ctx context.Context, p demoPerson) (context.Context, error) {
	a, err := s.m.Accounts.ActorForSession(ctx, p.secret)
	if err != nil {
		return nil, err
	}
	return account.WithActor(ctx, a), nil
}

func (s *seeder) org(p demoPerson, name string, kinds ...account.OrgKind) (account.Organisation, context.Context, error) {
	org, err := s.m.Accounts.CreateOrganisation(p.ctx, account.NewOrganisation{Name: name, Kinds: kinds})
	if err != nil {
		return org, nil, fmt.Errorf("create %s: %w", name, err)
	}
	s.n.Organisations++
	ctx, err := s.refresh(context.WithoutCancel(p.ctx), p)
	return org, ctx, err
}

// demoPeople creates the documented accounts, one for each role (see the README).
func (s *seeder) demoPeople(ctx context.Context) error {
	alice, err := s.person(ctx, "alice", "Alice Walker")
	if err != nil {
		return err
	}
	for _, rep := range []struct {
		local, name string
		kind        account.DelegationKind
	}{{"bob", "Bob Walker", account.DelegationTrustedOther}} {
		if _, err := s.person(ctx, rep.local, rep.name); err != nil {
			return err
		}
		if _, err := s.m.Accounts.GrantDelegation(alice.ctx, account.NewDelegation{RepresentativeEmail: rep.local + "@" + demoDomain, Kind: rep.kind}); err != nil {
			return fmt.Errorf("delegation to %s: %w", rep.local, err)
		}
	}
	// User-led organisations: the documented organiser's in Leeds, and one in each other town.
	for _, u := range []struct{ local, person, org string }{
		{"ulo", "Uma Organiser", "Leeds Disabled People's Forum"},
		{"ulo.bristol", "Kofi Mensah", "Bristol Independent Living Network"},
		{"ulo.norwich", "Ruth Hale", "Norwich People First"},
	} {
		p, err := s.person(ctx, u.local, u.person)
		if err != nil {
			return err
		}
		if _, _, err := s.org(p, u.org, account.KindUserLedOrganisation); err != nil {
			return err
		}
	}
	broker, err := s.person(ctx, "broker", "Brian Broker")
	if err != nil {
		return err
	}
	brokerage, _, err := s.org(broker, "Independent Support Brokers Leeds", account.KindBrokerage)
	if err != nil {
		return err
	}
	if _, err := s.m.Accounts.GrantDelegation(alice.ctx, account.NewDelegation{RepresentativeEmail: broker.email, Kind: account.DelegationBroker, BrokerageID: brokerage.ID}); err != nil {
		return fmt.Errorf("delegation to broker: %w", err)
	}
	if _, err := s.person(ctx, "commissioner", "Carol Commissioner"); err != nil {
		return err
	}
	return nil
}

// town creates a town's council (with the demo commissioner in Leeds) and its providers.
func (s *seeder) town(ctx context.Context, townIndex int, t demoTown) error {
	council, err := s.m.Accounts.CreateOrganisation(s.admin, account.NewOrganisation{Name: t.Council, Kinds: []account.OrgKind{account.KindCouncil}})
	if err != nil {
		return err
	}
	s.n.Organisations++
	if townIndex == 0 {
		if _, err := s.m.Accounts.AddMember(s.admin, council.ID, account.NewMember{Email: "commissioner@" + demoDomain, Role: account.RoleCommissioner}); err != nil {
			return err
		}
	}
	plan := []struct {
		kind   account.OrgKind
		count  int
		offers int
		suffix []string
	}{
		{account.KindCommunityGroup, 7, 6, []string{"Community Group", "Friends Club", "Arts Collective", "Social Club"}},
		{account.KindSmallProvider, 6, 5, []string{"Care Co-operative", "Support Services", "Care"}},
		{account.KindSoleTraderPA, 5, 3, nil},
		{account.KindISFProvider, 2, 5, []string{"Support Partnership", "Living Support"}},
	}
	for _, p := range plan {
		for i := range p.count {
			if err := s.provider(ctx, townIndex, t, p.kind, i, p.offers, p.suffix); err != nil {
				return err
			}
		}
	}
	return nil
}
