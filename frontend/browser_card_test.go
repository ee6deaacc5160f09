package frontend

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserPayByCard joins a pool paying by card in Chromium, with axe-core and the
// 320 px check on the join form, the card page, the pledge page and the provider's card
// payments page. Stripe's script cannot load here (no network in the sandbox, as for a
// person whose browser blocks it): the card page must then say so, offer paying by
// invoice instead, and still pass every check; and its own script, allowed by the card
// page's policy, must run without a console error.
func TestBrowserPayByCard(t *testing.T) {
	tb := newTab(t)
	w := newCardWorld(t, true)
	tb.base = w.a.url
	tb.logIn(w.aliceEmail, testPassword)

	tb.open("/pools/" + w.pool.ID + "/join")
	tb.mark()
	tb.mustSee("main", "How will you pay?", "Pay by card", "Pay by invoice")
	tb.check("")
	tb.do("choose the direct payment", chromedp.Evaluate[chromedp.Void](
		`[...document.querySelectorAll(".govuk-radios__label")].find(l => l.textContent.includes("Your budget: Direct payment")).click()`))
	tb.do("choose to pay by card", chromedp.Click(chromedp.ID("pay-by")))
	tb.do("enter a limit", chromedp.SendKeys(chromedp.ID("limit"), "120"))
	tb.submit("main form button[type=submit]")

	tb.mustSee("h1", "Pay by card")
	if !waitFor(tb.ctx, 10*time.Second, func() bool {
		shown, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](`!document.getElementById("card-problem").hidden`))
		return err == nil && shown
	}) {
		t.Fatal("without Stripe.js the card page does not say the card form could not load")
	}
	tb.mustSee("main", "could not load", "Pay by invoice instead", "How paying by card works")
	tb.check("card-page")

	tb.follow("open the pledge", chromedp.Click(chromedp.CSS(`main a[href^="/pledges/"]:not([href$="/card"])`)))
	tb.mustSee("main", "Paying by card", "Card needed", "Save your card")
	tb.check("")

	tb.submit(`form[action="/logout"] button`)
	tb.logIn(w.ownerEmail, testPassword)
	tb.open(providerCardsURL(w.providerID))
	tb.mark()
	tb.mustSee("main", "Card payments", "People can pay you by card", "Check or change your details at Stripe")
	tb.check("provider-card-payments")
}
