package pooling_test

import (
	"fmt"
	"testing"

	mk "github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/pooling"
)

// world is the cast most tests need.
type world struct {
	*env
	provider    account.Organisation // Friday Arts, a small provider
	isfProvider account.Organisation // Caring Hands, an ISF provider
	ulo         account.Organisation
	council     account.Organisation
	trust       account.Organisation
	brokerage   account.Organisation
	offer       mk.Offer // £480 a session for 4 to 10 people (floor £48)
	pat         *person  // owns the provider
	ivy         *person  // owns the ISF provider
	uma         *person  // owns the user-led organisation
	cora        *person  // a commissioner of the council
	tess, tom   *person  // trustees: members of the trust
	bea         *person  // a broker of the brokerage
}

func newWorld(t *testing.T, cfg pooling.Config) *world {
	t.Helper()
	return worldOn(t, newEnv(t, cfg))
}

// worldOn builds the cast on an environment.
func worldOn(t testing.TB, e *env) *world {
	t.Helper()
	w := &world{env: e}
	w.pat, w.ivy, w.uma = e.person(t, "Pat Provider"), e.person(t, "Ivy Isf"), e.person(t, "Uma Ulo")
	w.cora, w.tess, w.tom, w.bea = e.person(t, "Cora Commissioner"), e.person(t, "Tess Trustee"), e.person(t, "Tom Trustee"), e.person(t, "Bea Broker")
	w.provider = e.org(t, w.pat, "Friday Arts", account.KindSmallProvider)
	w.isfProvider = e.org(t, w.ivy, "Caring Hands", account.KindISFProvider)
	w.ulo = e.org(t, w.uma, "Leeds People First", account.KindUserLedOrganisation)
	w.trust = e.org(t, w.tess, "Sam's Trust", account.KindTrust)
	e.member(t, w.tess, w.trust, w.tom, account.RoleMember)
	w.brokerage = e.org(t, w.bea, "Brokers Together", account.KindBrokerage)
	owner := e.person(t, "Council Owner")
	w.council = e.council(t, owner, "Leeds City Council")
	e.member(t, owner, w.council, w.cora, account.RoleCommissioner)
	w.offer = e.groupOffer(t, w.pat, w.provider, 48000, 4, 10)
	return w
}

// openPool opens a pool on the world's offer, organised by the user-led organisation.
func (w *world) openPool(t testing.TB, sessions int, edit func(*pooling.PoolInput)) pooling.PoolView {
	t.Helper()
	in := poolInput(w.offer, sessions)
	in.OrganiserOrgID = w.ulo.ID
	if edit != nil {
		edit(&in)
	}
	return w.env.openPool(t, w.uma, in)
}

// holders signs up n people, each with a direct payment.
func (e *env) holders(t testing.TB, n int) ([]*person, []pooling.Budget) {
	t.Helper()
	people, budgets := make([]*person, n), make([]pooling.Budget, n)
	for i := range people {
		people[i] = e.person(t, fmt.Sprintf("Holder %d", i+1))
		budgets[i] = e.directPayment(t, people[i])
	}
	return people, budgets
}
