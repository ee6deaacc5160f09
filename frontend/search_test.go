package frontend

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/carepool/carepool/marketplace"
)

func TestSearchPageWithIndex(t *testing.T) {
	t.Parallel()
	a := newTestApp(t, true)
	orgID, _, owner := a.provider("Headingley Swimmers")
	swim := sampleOffer("Quiet swimming for adults")
	swim.Categories = []string{"swimming"}
	swim.When.Weekly[0].Day = "saturday"
	a.offer(owner, orgID, swim, true)
	for i := range 24 {
		in := sampleOffer(fmt.Sprintf("Art group number %d", i+1))
		if i%2 == 0 {
			in.Accessibility = []string{"hearing_loop"}
		}
		a.offer(owner, orgID, in, true)
	}
	a.offer(owner, orgID, sampleOffer("Secret draft art group"), false)
	a.reindex()
	b := a.browser()

	resp, body := b.get("/search?q=swimming")
	mustStatus(t, resp, body, http.StatusOK)
	mustContain(t, body, "1 result", `<mark class="cp-match">swimming</mark>`, "Quiet", "Headingley Swimmers",
		"Saturday, in the morning and afternoon", "Direct payment and Council-managed budget")

	// Facets count, and choosing one keeps the other choices of its group visible.
	resp, body = b.get("/search?q=group&category=arts-and-crafts&category=swimming")
	mustStatus(t, resp, body, http.StatusOK)
	mustContain(t, body, "25 results", "Arts and crafts (24)", "Swimming (1)", "Wheelchair accessible (13)", "Hearing loop (12)",
		"Showing 1 to 20 of 25", `aria-label="Page 2"`, `rel="next"`)
	if strings.Contains(body, "Secret draft") {
		t.Error("a draft is in the results")
	}
	// Applied filters can be removed one at a time.
	mustContain(t, body, "Remove filter: </span>Arts and crafts", `href="/search?category=swimming&amp;q=group"`)

	resp, body = b.get("/search?q=group&page=2")
	mustContain(t, body, "Showing 21 to 25 of 25", `rel="prev"`)

	// Query understanding: "near LS6" becomes a filter shown as removable.
	resp, body = b.get("/search?q=art+near+LS6")
	mustStatus(t, resp, body, http.StatusOK)
	mustContain(t, body, "Within 10 miles of LS6", `href="/search?q=art"`)

	// A wrong value is an error next to its field, and the search still runs without it.
	resp, body = b.get("/search?q=art&near=ZZ99&max_price=lots")
	mustStatus(t, resp, body, http.StatusOK)
	mustContain(t, body, `<a href="#near">Enter a real postcode`, `<a href="#max-price">Enter the most you want to pay`,
		"24 results", `id="near-error"`)
}

func TestSearchPageWithoutIndexFallsBackToTheList(t *testing.T) {
	t.Parallel()
	a := newTestApp(t, false)
	orgID, _, owner := a.provider("Kirkstall Crafts")
	a.offer(owner, orgID, sampleOffer("Kirkstall craft club"), true)
	swim := sampleOffer("Kirkstall swimming")
	swim.Categories = []string{"swimming"}
	a.offer(owner, orgID, swim, true)

	resp, body := a.browser().get("/search?category=swimming&category=arts-and-crafts&q=anything")
	mustStatus(t, resp, body, http.StatusOK)
	mustContain(t, body, "Search is not working fully", "Kirkstall swimming", `type="radio"`)
	if strings.Contains(body, "Kirkstall craft club") {
		t.Error("the list ignored the category")
	}
	if got := marketplace.Label(marketplace.Categories, "swimming"); !strings.Contains(body, got) {
		t.Errorf("the applied filter %q is not shown", got)
	}
}
