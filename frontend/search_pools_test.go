package frontend

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/pooling"
)

func TestSearchShowsPoolsAsCardsAndFiltersThem(t *testing.T) {
	t.Parallel()
	a := newOrganiserApp(t, true)
	orgID, _, owner := a.provider("Headingley Arts Group")
	offer := a.offer(owner, orgID, sampleOffer("Friday art and lunch"), true)
	day := time.Now().UTC().Truncate(24 * time.Hour)
	pool, err := a.pools.ProposePool(owner, pooling.PoolInput{OfferID: offer.ID, OrganiserOrgID: orgID, Title: "Friday art for Headingley",
		Visibility: pooling.Public, Deadline: day.AddDate(0, 0, 21), Schedule: pooling.Schedule{FirstSession: day.AddDate(0, 0, 28).Add(10 * time.Hour)}})
	if err == nil {
		pool, err = a.pools.OpenPool(owner, pool.ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	_, secret := a.user("Alice Holder")
	holder := a.as(secret)
	b, err := a.pools.AddBudget(holder, pooling.BudgetInput{Form: marketplace.DirectPayment})
	if err == nil {
		_, err = a.pools.Pledge(holder, pool.ID, pooling.PledgeInput{BudgetID: b.ID, LimitPence: 12_000}, "")
	}
	if err != nil {
		t.Fatal(err)
	}
	a.reindex()
	br := a.browser()

	// Only pools: a card that says a group is forming, at what share, with how many.
	resp, body := br.get("/search?type=pool")
	mustStatus(t, resp, body, http.StatusOK)
	mustContain(t, body, `id="results-heading">1 result</h2>`, `href="/pools/`+pool.ID+`"`, "A group is forming",
		"A group is forming: £120 each with 4 people, 7 places left, closes on "+shortDate(pool.Deadline)+".",
		"Groups forming (pools) (1)", "Activities, services and personal assistants (1)",
		"Remove filter: </span>Groups forming (pools)")
	if strings.Contains(body, `href="/offers/`+offer.ID+`"`) {
		t.Error("an offer is listed when only pools are asked for")
	}

	// Both kinds together, each in its own card.
	_, body = br.get("/search?q=art")
	mustContain(t, body, `id="results-heading">2 results</h2>`, `href="/pools/`+pool.ID+`"`, `href="/offers/`+offer.ID+`"`)

	// A pool that stopped taking people since it was indexed is left out, not a dead end.
	if _, err := a.pools.CancelPool(owner, pool.ID, "The tutor left.", "cancel-1"); err != nil {
		t.Fatal(err)
	}
	_, body = br.get("/search?type=pool")
	mustContain(t, body, `id="results-heading">No results found</h2>`)
	if strings.Contains(body, `href="/pools/`+pool.ID+`"`) {
		t.Error("a cancelled pool is still a search result")
	}
}
