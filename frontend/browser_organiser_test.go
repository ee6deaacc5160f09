package frontend

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/pooling"
)

// TestBrowserOrganiseAPoolAndRecordASession drives the organiser's and the provider's
// pages in Chromium, with axe-core and the 320 px check on each: the user-led
// organisation's organiser finds an activity, proposes a pool (with the form's errors
// first), opens it, and confirms it once four people have joined; the provider then
// records its first session. It runs against the pages in process (organiserApp), so
// that the pooling service's clock can stand a month back while the pool forms and
// today when the session is recorded.
func TestBrowserOrganiseAPoolAndRecordASession(t *testing.T) {
	tb := newTab(t)
	w := newOrganiserWorld(t)
	tb.base = w.a.url
	logIn := func(email string) { tb.logIn(email, testPassword) }
	logIn(w.uloEmail)

	tb.open("/dashboard")
	tb.mark()
	tb.check("")
	tb.submit(`main a[href="/dashboard/pools"]`)
	tb.mustSee("h1", "Pools you organise")
	tb.mustSee("main", w.open.Title, "1 pledge is waiting for a commissioner at the council", "Make a new invite link")
	tb.check("")

	// Find the activity, choose it.
	tb.submit(`main a[href="/dashboard/pools/new"]`)
	tb.check("")
	tb.do("search for it", chromedp.SendKeys(chromedp.ID("q"), "art"))
	tb.submit(`main form button.govuk-button--secondary`)
	tb.do("choose it", chromedp.Click(chromedp.CSS(`label[for="found"]`)))
	tb.submit(`main form:last-of-type button[type=submit]`)
	tb.mustSee("h1", "Propose a pool")
	tb.check("")

	// The empty form first: the summary lists every mistake.
	tb.submit(`main form button[type=submit]`)
	tb.mustSee(".govuk-error-summary", "Choose who organises the pool", "Enter a name for the pool", "Deadline: enter a date")
	tb.check("pool-propose-errors")

	// A month ago, as far as pooling knows: the pool forms then, and its first session
	// has taken place by today.
	w.a.clock.Set(-30 * 24 * time.Hour)
	then := time.Now().AddDate(0, 0, -30).In(ukTime)
	deadline, first := then.AddDate(0, 0, 7), then.AddDate(0, 0, 14)
	tb.do("fill in the pool",
		chromedp.Click(chromedp.CSS(`label[for="organiser"]`)),
		chromedp.SendKeys(chromedp.ID("title"), "Tuesday art for the Forum"),
		chromedp.SendKeys(chromedp.ID("description"), "Members of the Forum who would like to paint together."),
		chromedp.Click(chromedp.CSS(`label[for="visibility"]`)),
		chromedp.SendKeys(chromedp.ID("deadline-day"), deadline.Format("2")),
		chromedp.SendKeys(chromedp.ID("deadline-month"), deadline.Format("1")),
		chromedp.SendKeys(chromedp.ID("deadline-year"), deadline.Format("2006")),
		chromedp.SendKeys(chromedp.ID("first-day"), first.Format("2")),
		chromedp.SendKeys(chromedp.ID("first-month"), first.Format("1")),
		chromedp.SendKeys(chromedp.ID("first-year"), first.Format("2006")),
		chromedp.SendKeys(chromedp.ID("first-time"), "10am"),
		chromedp.SendKeys(chromedp.ID("sessions"), "4"),
	)
	tb.submit(`main form button[type=submit]`)
	tb.mustSee("main", "Your pool has been saved as a draft", "Tuesday art for the Forum")
	m := regexp.MustCompile(`#pool-(.+)$`).FindStringSubmatch(tb.location())
	if m == nil {
		t.Fatalf("no pool in %s", tb.location())
	}
	id := m[1]
	tb.check("")

	tb.submit(`main a[href="/dashboard/pools/` + id + `/open"]`)
	tb.mustSee("main", "It will be listed on Carepool")
	tb.check("")
	tb.submit(`#action-button`)
	tb.mustSee("main", "Your pool is open")

	for i := range 4 {
		_, secret := w.a.user(fmt.Sprintf("Joiner%d Holder", i))
		ctx := w.a.as(secret)
		b, err := w.a.pools.AddBudget(ctx, pooling.BudgetInput{Form: marketplace.DirectPayment})
		if err == nil {
			_, err = w.a.pools.Pledge(ctx, id, pooling.PledgeInput{BudgetID: b.ID, LimitPence: 12_000}, "")
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	tb.open("/dashboard/pools")
	tb.mark()
	tb.submit(`main a[href="/dashboard/pools/` + id + `/confirm"]`)
	tb.mustSee("main", "with the 4 people who count now, each paying £120 a session")
	tb.check("")
	tb.submit(`#action-button`)
	tb.mustSee("main", "The pool is going ahead", "Going ahead")
	tb.check("")

	// Today: the provider records the first session.
	w.a.clock.Set(0)
	tb.submit(`form[action="/logout"] button`)
	logIn(w.providerEmail)
	tb.open("/dashboard")
	tb.mark()
	tb.submit(`main a[href="/dashboard/providers/` + w.providerID + `/pools"]`)
	tb.mustSee("h1", "Pools on your offers")
	tb.check("")
	tb.submit(`main a[href="/dashboard/pools/` + id + `/sessions/1"]`)
	tb.mustSee("main", "Record a session", "Place 1 (pledge ending", "Place 4 (pledge ending")
	tb.check("")
	tb.do("untick one place", chromedp.Click(chromedp.CSS(`label[for="attended-3"]`)))
	tb.submit(`main form button[type=submit]`)
	tb.mustSee("main", "The session has been recorded")
	tb.check("")
	v, err := w.a.pools.Pool(w.a.as(loginSecret(t, w.a, w.providerEmail)), id)
	if err != nil {
		t.Fatal(err)
	}
	if s := v.Sessions[0]; s.Status != pooling.SessionDelivered || len(s.Attended) != 3 {
		t.Errorf("session 1 is %s with %d attending, want delivered with 3", s.Status, len(s.Attended))
	}
}

// TestBrowserFundsDemandAndDelegations checks the ISF provider's, the commissioner's and
// the delegations pages in Chromium (axe-core, 320 px), and stops a delegation there.
func TestBrowserFundsDemandAndDelegations(t *testing.T) {
	tb := newTab(t)
	w := newOrganiserWorld(t)
	tb.base = w.a.url
	logIn := func(email string) { tb.logIn(email, testPassword) }
	visit := func(email string, paths ...string) {
		t.Helper()
		logIn(email)
		for _, p := range paths {
			tb.open(p)
			tb.mark()
			tb.check("")
		}
		tb.submit(`form[action="/logout"] button`)
	}
	isf := "/dashboard/providers/" + w.isfID + "/isf-accounts"
	visit(w.isfEmail, isf, isf+"/"+w.aliceISF.ID+"/adjust", isf+"/"+w.aliceISF.ID+"/statement")
	visit(w.commissionerMail, "/dashboard/demand")
	logIn(w.aliceEmail)
	tb.open("/account/delegations")
	tb.mark()
	tb.check("")
	tb.submit(`main form button[type=submit]`)
	tb.mustSee(".govuk-error-summary", "Enter the email address", "Choose what they will do for you")
	tb.check("")
	tb.do("choose bob", chromedp.SendKeys(chromedp.ID("email"), w.bobEmail), chromedp.Click(chromedp.CSS(`label[for="kind"]`)))
	tb.submit(`main form button[type=submit]`)
	tb.mustSee("main", "They can now act for you", "Bob Holder")
	tb.submit(`main a[href$="/stop"]`)
	tb.check("")
	tb.submit(`main form button[type=submit]`)
	tb.mustSee("main", "They can no longer act for you")
}

// TestBrowserSearchPoolsAndTheDemoOrganiser uses the demo data on the real server: the
// open pool as a card in search (only pools), the demo organiser's dashboard and the
// demo commissioner's view of demand, with axe-core and the 320 px check, and
// screenshots of the organiser's dashboard and of the pools in search.
func TestBrowserSearchPoolsAndTheDemoOrganiser(t *testing.T) {
	tb := newTab(t)
	srv := sharedServer(t)
	found := waitFor(context.Background(), 30*time.Second, func() bool {
		resp, body := (&browser{t: t, base: srv.URL, client: noRedirects()}).get("/search?type=pool")
		return resp.StatusCode == 200 && strings.Contains(body, "A group is forming:")
	})
	if !found {
		t.Fatal("the demo pool is not found by search")
	}
	tb.open("/search?type=pool")
	tb.mark()
	tb.mustSee("main", "Friday art and lunch for Headingley", "A group is forming:", "places left, closes on")
	tb.check("search-pools")

	logIn := func(email string) { tb.logIn(email, "carepool-demo") }
	logIn("ulo@demo.carepool.test")
	tb.open("/dashboard/pools")
	tb.mark()
	tb.mustSee("main", "Friday art and lunch for Headingley", "2 of 8 places taken")
	tb.check("organiser-dashboard")
	tb.submit(`form[action="/logout"] button`)
	logIn("commissioner@demo.carepool.test")
	tb.open("/dashboard/demand")
	tb.mark()
	tb.mustSee("main", "Where people are pooling", "LS6 (Leeds)")
	tb.check("demand")
}
