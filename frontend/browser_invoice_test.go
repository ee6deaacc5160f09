package frontend

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/pooling"
)

// TestBrowserJoinConfirmDeliverAndSettle is issue 7's whole way through a one-session
// pool in Chromium, with axe-core and the 320 px check on each page: a direct payment
// holder and an ISF holder join from the pool's page, the ISF provider approves its
// holder's pledge, the organiser confirms the pool, the provider records the session
// (which issues the invoices), and the ISF provider settles its invoice from the funds
// it holds. The pooling clock stands a month back while the pool forms.
func TestBrowserJoinConfirmDeliverAndSettle(t *testing.T) {
	tb := newTab(t)
	w := newOrganiserWorld(t)
	tb.base = w.a.url
	logIn := func(email string) { tb.logIn(email, testPassword) }
	logOut := func() { tb.submit(`form[action="/logout"] button`) }

	w.a.clock.Set(-30 * 24 * time.Hour)
	uloCtx := w.a.as(loginSecret(t, w.a, w.uloEmail))
	from := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -30)
	pool, err := w.a.pools.ProposePool(uloCtx, pooling.PoolInput{OfferID: w.offer.ID, OrganiserOrgID: w.uloID, Title: "Art day out",
		Description: "One day of painting together.", Visibility: pooling.Public, Deadline: from.AddDate(0, 0, 7),
		Schedule: pooling.Schedule{FirstSession: from.AddDate(0, 0, 14).Add(10 * time.Hour), Sessions: 1}})
	if err == nil {
		pool, err = w.a.pools.OpenPool(uloCtx, pool.ID)
	}
	if err != nil {
		t.Fatal(err)
	}

	join := func(email, budget string) {
		t.Helper()
		logIn(email)
		tb.open("/pools/" + pool.ID + "/join")
		tb.mark()
		tb.check("")
		tb.do("choose the "+budget, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(
			`[...document.querySelectorAll(".govuk-radios__label")].find(l => l.textContent.toLowerCase().includes(%q)).click()`, budget)))
		tb.do("enter a limit", chromedp.SendKeys(chromedp.ID("limit"), "120"))
		tb.submit("main form button[type=submit]")
		tb.check("")
		logOut()
	}
	join(w.aliceEmail, "individual service fund")
	join(w.bobEmail, "direct payment")
	for i := range 2 { // two more people, so the pool reaches its minimum of four
		_, secret := w.a.user(fmt.Sprintf("Other%d Holder", i))
		ctx := w.a.as(secret)
		b, err := w.a.pools.AddBudget(ctx, pooling.BudgetInput{Form: marketplace.DirectPayment})
		if err == nil {
			_, err = w.a.pools.Pledge(ctx, pool.ID, pooling.PledgeInput{BudgetID: b.ID, LimitPence: 12_000}, "")
		}
		if err != nil {
			t.Fatal(err)
		}
	}

	// The ISF provider approves alice's pledge from its queue.
	logIn(w.isfEmail)
	tb.open("/approvals")
	tb.mark()
	tb.mustSee("main", "Art day out")
	tb.check("")
	// Its queue also holds another pool's pledge: approve the one for this pool.
	tb.follow("approve alice's pledge", chromedp.Evaluate[chromedp.Void](
		`[...document.querySelectorAll(".govuk-summary-card")].find(c => c.textContent.includes("Art day out")).querySelector('input[value="approve"] ~ button').click()`))
	tb.mustSee("main", "You approved the pledge")
	logOut()

	// The organiser confirms it: four people at £120 each.
	logIn(w.uloEmail)
	tb.open("/dashboard/pools/" + pool.ID + "/confirm")
	tb.mark()
	tb.mustSee("main", "with the 4 people who count now, each paying £120 a session")
	tb.check("")
	tb.submit(`#action-button`)
	tb.mustSee("main", "The pool is going ahead")
	logOut()

	// Today: the provider records the session, which issues one invoice per payer.
	w.a.clock.Set(0)
	logIn(w.providerEmail)
	tb.open("/dashboard/pools/" + pool.ID + "/sessions/1")
	tb.mark()
	tb.check("")
	tb.submit(`main form button[type=submit]`)
	tb.mustSee("main", "The session has been recorded")
	tb.open("/invoices")
	tb.mark()
	tb.mustSee("main", "Invoices Headingley Arts Group issued", "Leeds Support", "Waiting for payment")
	tb.check("")
	logOut()

	// The ISF provider settles its invoice from the fund it holds.
	logIn(w.isfEmail)
	tb.open("/invoices")
	tb.mark()
	tb.mustSee("main", "Invoices Leeds Support must pay", "£120")
	tb.check("")
	tb.submit(`main .govuk-summary-card__title a[href^="/invoices/"]`)
	tb.mustSee("h1", "Invoice INV-")
	tb.mustSee("main", "From the individual service funds held", "Still owed")
	tb.check("invoice")
	tb.submit(`main form[action$="/payments"] button[type=submit]`)
	tb.mustSee("main", "The payment is recorded", "Paid")
	tb.check("")
	invs, err := w.a.pools.Invoices(w.a.as(loginSecret(t, w.a, w.isfEmail)), pooling.InvoiceFilter{PayerID: w.isfID, PoolID: pool.ID})
	if err != nil || len(invs) != 1 || invs[0].Status != pooling.InvoicePaid || invs[0].Payments[0].Method != pooling.PayFromISF {
		t.Fatalf("the ISF provider's invoice: %+v, %v", invs, err)
	}
	if !strings.HasPrefix(invs[0].Reference, "INV-") {
		t.Errorf("reference %q", invs[0].Reference)
	}
}
