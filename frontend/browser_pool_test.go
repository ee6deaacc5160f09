package frontend

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserJoinAPool is alice's way through the demo's open pool, with axe-core and
// the 320 px reflow check on every pool page: her commitments, the pool, leaving it
// (the demo pledged from her direct payment), joining again from her council-managed
// budget (with the form's errors first), the confirmation, and then the council's
// commissioner approving it from the approvals queue.
func TestBrowserJoinAPool(t *testing.T) {
	tb := newTab(t)
	logIn := func(email string) { tb.logIn(email, "carepool-demo") }
	logIn("alice@demo.carepool.test")

	tb.open("/commitments")
	tb.mark()
	tb.mustSee("main", "Friday art and lunch for Headingley", "Managed by Leeds City Council", "Direct payment")
	tb.check("")

	// The offer page links to its pools.
	tb.follow("open the pool from commitments", chromedp.Click(chromedp.CSS(`main .govuk-summary-card__title a[href^="/pools/"]`)))
	if !strings.Contains(tb.location(), "/pools/") {
		t.Fatalf("the pool did not open: %s", tb.location())
	}
	pool := tb.location()
	tb.mark()
	tb.mustSee("main", "2 of 8 places taken", "What each person pays", "You are in this pool", "days left")
	tb.check("")

	tb.submit(`main form[action$="/withdraw"] button`)
	tb.mustSee("main", "You have left the pool", "1 of 8 places taken")
	tb.check("")

	tb.submit(`main a[href$="/join"]`)
	tb.mustSee("h1", "Join this pool")
	tb.check("")
	tb.submit("main form button[type=submit]")
	tb.mustSee(".govuk-error-summary", "Choose which budget pays", "Enter the most you will pay")
	tb.check("")

	tb.do("choose the council-managed budget", chromedp.Evaluate[chromedp.Void](
		`[...document.querySelectorAll(".govuk-radios__label")].find(l => l.textContent.includes("Managed by Leeds City Council")).click()`))
	tb.do("enter a limit", chromedp.SendKeys(chromedp.ID("limit"), "70"))
	tb.submit("main form button[type=submit]")
	tb.mustSee("main", "Waits for approval", "up to £70 for each session", "a commissioner at the council", "keep your place")
	tb.check("")

	tb.open("/commitments")
	tb.mark()
	tb.mustSee("main", "Waits for approval", "Withdrawn")
	tb.check("")

	// The council's commissioner approves it.
	tb.submit(`form[action="/logout"] button`)
	logIn("commissioner@demo.carepool.test")
	tb.open("/approvals")
	tb.mark()
	tb.mustSee("main", "Friday art and lunch for Headingley", "£70", "A commissioner at the council")
	tb.check("")
	tb.submit(`main form input[value="approve"] ~ button`)
	tb.mustSee("main", "You approved the pledge", "Nothing is waiting for your approval")
	tb.check("")

	tb.open(strings.TrimPrefix(pool, tb.base))
	tb.mark()
	tb.mustSee("main", "2 of 8 places taken")
	tb.check("")
}
