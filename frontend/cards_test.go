package frontend

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/carepool/carepool/payments"
	"github.com/carepool/carepool/pooling"
)

var (
	clientSecretInPage = regexp.MustCompile(`data-client-secret="([^"]+)"`)
	cardPledgeID       = regexp.MustCompile(`^/pledges/([^/]+)/card$`)
)

func TestJoinOffersPayingByCardOnlyWhenPossible(t *testing.T) {
	t.Parallel()
	with, without := newCardWorld(t, true), newCardWorld(t, false)
	tests := []struct {
		name  string
		w     *cardWorld
		pool  pooling.PoolView
		cards bool
	}{
		{"the provider takes cards", with, with.pool, true},
		{"the provider has not set up card payments", with, with.slowPool, false},
		{"the site has no card payments", without, without.pool, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := tt.w.a.browser()
			b.logIn(tt.w.aliceEmail)
			resp, body := b.get("/pools/" + tt.pool.ID + "/join")
			mustStatus(t, resp, body, http.StatusOK)
			offered := strings.Contains(body, "How will you pay?") && strings.Contains(body, `name="pay_by" type="radio" value="card"`)
			if offered != tt.cards {
				t.Errorf("pay by card offered: %v, want %v", offered, tt.cards)
			}
			if tt.cards {
				mustContain(t, body, "Pay by card", "Pay by invoice", "charged when the group is confirmed, a period of sessions at a time")
			}
		})
	}
}

func TestJoiningByCardLeadsToTheCardPage(t *testing.T) {
	t.Parallel()
	w := newCardWorld(t, true)
	b := w.a.browser()
	b.logIn(w.aliceEmail)
	_, body := b.get("/pools/" + w.pool.ID + "/join")
	key := keyInPage.FindStringSubmatch(body)[1]
	join := func(form url.Values) (*http.Response, string) {
		form.Set("key", key)
		return b.post("/pools/"+w.pool.ID+"/join", form)
	}

	for _, tt := range []struct {
		name string
		form url.Values
		want string
	}{
		{"no way to pay chosen", url.Values{"budget": {w.aliceDirect}, "limit": {"120"}}, "Choose how you will pay: by card or by invoice"},
		{"a way that does not exist", url.Values{"budget": {w.aliceDirect}, "limit": {"120"}, "pay_by": {"cash"}}, "Choose how you will pay"},
		{"an ISF cannot pay by card", url.Values{"budget": {w.aliceISF}, "limit": {"120"}, "pay_by": {"card"}}, "This budget cannot pay by card"},
	} {
		resp, body := join(tt.form)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d, want 422", tt.name, resp.StatusCode)
		}
		mustContain(t, body, tt.want, `href="#pay-by"`)
	}

	resp, body := join(url.Values{"budget": {w.aliceDirect}, "limit": {"120"}, "pay_by": {"card"}})
	mustStatus(t, resp, body, http.StatusSeeOther)
	loc := resp.Header.Get("Location")
	m := cardPledgeID.FindStringSubmatch(loc)
	if m == nil {
		t.Fatalf("joining by card leads to %q, not the card page", loc)
	}
	id := m[1]

	// The card page mounts Stripe Elements with the SetupIntent it started, under a
	// policy that lets Stripe in; no other page has it.
	resp, body = b.get(loc)
	mustStatus(t, resp, body, http.StatusOK)
	mustContain(t, body, "Pay by card", "Card needed", `data-publishable-key="pk_test_carepool"`, `<script src="https://js.stripe.com/v3/" defer>`,
		"<noscript>", "needs JavaScript", "Pay by invoice instead", `action="/pledges/`+id+`/withdraw"`, `data-return-url="`+w.a.url+loc+`?checking=1"`)
	secret := clientSecretInPage.FindStringSubmatch(body)
	if secret == nil {
		t.Fatal("the card page has no client secret")
	}
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self' https://js.stripe.com", "frame-src https://js.stripe.com", "https://hooks.stripe.com", "connect-src https://api.stripe.com"} {
		if !strings.Contains(csp, want) {
			t.Errorf("the card page's policy %q lacks %q", csp, want)
		}
	}
	if resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("the card page (with a client secret) has Cache-Control %q", resp.Header.Get("Cache-Control"))
	}
	setups := w.a.double.Calls()
	siID := w.a.setupIntent(id)
	if !strings.HasPrefix(secret[1], siID+"_secret") {
		t.Errorf("the page's client secret %q is not the SetupIntent %s's", secret[1], siID)
	}
	resp, body = b.get("/pledges/" + id)
	mustContain(t, body, "Paying by card", "Card needed", `href="/pledges/`+id+`/card"`, "Waits for your card to be saved")
	if csp := resp.Header.Get("Content-Security-Policy"); csp != contentSecurityPolicy {
		t.Errorf("the pledge page's policy is %q, want the strict one", csp)
	}

	// Back from Stripe: the query is dropped, and the page waits for Stripe's webhook.
	resp, _ = b.get(loc + "?setup_intent=" + siID + "&setup_intent_client_secret=" + secret[1] + "&redirect_status=succeeded")
	mustStatus(t, resp, "", http.StatusSeeOther)
	if got := resp.Header.Get("Location"); got != loc+"?checking=1" {
		t.Errorf("back from Stripe redirects to %q", got)
	}
	resp, body = b.get(loc + "?checking=1")
	mustContain(t, body, "We are checking your card with Stripe", "Card needed")
	if strings.Contains(body, "data-client-secret") || len(w.a.double.Calls()) != len(setups) {
		t.Error("the checking page started another card set-up")
	}
	if csp := resp.Header.Get("Content-Security-Policy"); csp != contentSecurityPolicy {
		t.Errorf("the checking page's policy is %q, want the strict one", csp)
	}

	// Only Stripe's webhook saves the card.
	w.a.saveCard(id, siID, "pm_card_visa")
	_, body = b.get("/pledges/" + id)
	mustContain(t, body, "Card saved", "Nothing has been taken yet", `href="/pledges/`+id+`/card?change=1"`)
	w.fillAndConfirm(t)
	w.a.sync(id)
	st, err := w.a.cards.CardStatus(w.alice, id)
	if err != nil || st.State != payments.CardStatePaid || st.PaidPence <= 0 {
		t.Fatalf("after confirmation: %+v, %v", st, err)
	}
	_, body = b.get("/pledges/" + id)
	mustContain(t, body, "Paid by card", "Your card has paid "+pounds(st.PaidPence)+" so far")
}

// A declined charge: the pledge page says what happened, what to do and by when, and
// links to the card page, which offers the card form again (and no leaving for free:
// the group is confirmed). Saving another card there pays.
func TestAFailedCardChargeShowsTheWayToPay(t *testing.T) {
	t.Parallel()
	w := newCardWorld(t, true)
	w.a.double.DeclinePaymentMethod("pm_card_chargeDeclined", "card_declined", "insufficient_funds")
	b := w.a.browser()
	b.logIn(w.aliceEmail)
	pl, err := w.a.pools.Pledge(w.alice, w.pool.ID, pooling.PledgeInput{BudgetID: w.aliceDirect, LimitPence: 12_000, PayBy: pooling.PayByCard}, "card-1")
	if err != nil {
		t.Fatal(err)
	}
	b.get(cardURL(pl.ID))
	w.a.saveCard(pl.ID, w.a.setupIntent(pl.ID), "pm_card_chargeDeclined")
	w.fillAndConfirm(t)
	w.a.sync(pl.ID)

	_, body := b.get("/pledges/" + pl.ID)
	mustContain(t, body, "Card payment failed", "save another card by", "your place is released",
		`href="/pledges/`+pl.ID+`/card"`, "Save another card and pay")
	resp, body := b.get(cardURL(pl.ID))
	mustStatus(t, resp, body, http.StatusOK)
	mustContain(t, body, "Card payment failed", "data-client-secret=")
	if strings.Contains(body, "Pay by invoice instead") {
		t.Error("the card page of a confirmed pledge offers to leave and join again by invoice")
	}
	w.a.saveCard(pl.ID, w.a.setupIntent(pl.ID), "pm_card_visa")
	_, body = b.get("/pledges/" + pl.ID)
	mustContain(t, body, "Paid by card")
}

func TestProviderCardPaymentsPage(t *testing.T) {
	t.Parallel()
	w := newCardWorld(t, true)
	owner, member := w.a.browser(), w.a.browser()
	owner.logIn(w.ownerEmail)
	member.logIn(w.memberEmail)
	page := providerCardsURL(w.providerID)

	_, body := owner.get("/dashboard")
	mustContain(t, body, `href="`+page+`"`)
	resp, body := owner.get(page)
	mustStatus(t, resp, body, http.StatusOK)
	mustContain(t, body, "Card payments", "This provider can take card payments and receive the money.",
		"People can pay you by card</dt><dd class=\"govuk-summary-list__value\">Yes", "Check or change your details at Stripe", `action="`+page+`/onboarding"`)
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "form-action 'self' https://connect.stripe.com") {
		t.Errorf("the page's policy %q does not let its form lead to Stripe", csp)
	}
	resp, body = owner.post(page+"/onboarding", url.Values{})
	mustStatus(t, resp, body, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "https://") {
		t.Errorf("onboarding leads to %q, not to Stripe", loc)
	}
	var returnURL string
	for _, c := range w.a.double.Calls() {
		if r, ok := c.Request.(payments.AccountLinkRequest); ok {
			returnURL = r.ReturnURL
		}
	}
	if returnURL != w.a.url+page {
		t.Errorf("Stripe sends the owner back to %q, want this page", returnURL)
	}

	_, body = member.get(page)
	mustContain(t, body, "Only an owner of Headingley Arts Group can set up card payments")
	if strings.Contains(body, `action="`+page+`/onboarding"`) {
		t.Error("a plain member is offered to start onboarding")
	}

	slow := w.a.browser()
	slow.logIn(w.slowOwnerEmail)
	_, body = slow.get(providerCardsURL(w.slowID))
	mustContain(t, body, "Card payments are not set up for this provider yet", "Set-up with Stripe started</dt><dd class=\"govuk-summary-list__value\">Not yet",
		"Set up card payments with Stripe")

	off := newCardWorld(t, false)
	b := off.a.browser()
	b.logIn(off.ownerEmail)
	resp, body = b.get(providerCardsURL(off.providerID))
	mustStatus(t, resp, body, http.StatusOK)
	mustContain(t, body, "Card payments are not set up on this site")
	if strings.Contains(body, "/onboarding") {
		t.Error("a site without Stripe offers onboarding")
	}
}

// TestCardPagesAuthorization is every role on every card page: anonymous, a stranger,
// the budget holder, the provider's owner and plain member, and an administrator.
func TestCardPagesAuthorization(t *testing.T) {
	t.Parallel()
	w := newCardWorld(t, true)
	pl, err := w.a.pools.Pledge(w.alice, w.pool.ID, pooling.PledgeInput{BudgetID: w.aliceDirect, LimitPence: 12_000, PayBy: pooling.PayByCard}, "card-1")
	if err != nil {
		t.Fatal(err)
	}
	order := []string{"anon", "stranger", "holder", "owner", "member", "admin"}
	callers := map[string]*browser{}
	for who, email := range map[string]string{"anon": "", "stranger": w.strangerEmail, "holder": w.aliceEmail,
		"owner": w.ownerEmail, "member": w.memberEmail, "admin": w.adminEmail} {
		callers[who] = w.a.browser()
		if email != "" {
			callers[who].logIn(email)
		}
	}
	cards := providerCardsURL(w.providerID)
	// want: one status per caller, in order; 303 is the redirect to log in, or to Stripe.
	rows := []struct{ method, path, want string }{
		{"GET", cardURL(pl.ID), "303 404 200 404 404 404"},
		{"GET", cardURL(w.invoicePledge), "303 404 404 404 404 404"}, // paid by invoice: no card page
		{"GET", cardURL("no-such-pledge"), "303 404 404 404 404 404"},
		{"GET", pledgeURL(pl.ID), "303 404 200 404 404 200"}, // administrators see pledges, not their card
		{"GET", cards, "303 404 404 200 200 404"},
		{"POST", cards + "/onboarding", "401 404 404 303 403 404"},
		{"GET", providerCardsURL(w.slowID), "303 404 404 404 404 404"},
		{"POST", providerCardsURL(w.slowID) + "/onboarding", "401 404 404 404 404 404"},
	}
	for _, row := range rows {
		wants := strings.Fields(row.want)
		for i, who := range order {
			b := callers[who]
			var resp *http.Response
			var body string
			if row.method == http.MethodGet {
				resp, body = b.get(row.path)
			} else {
				b.get("/login") // a form token, as reading a form would give
				resp, body = b.post(row.path, url.Values{})
			}
			if got := strconv.Itoa(resp.StatusCode); got != wants[i] {
				t.Errorf("%s %s as %s = %s, want %s\n%.400s", row.method, row.path, who, got, wants[i], body)
				continue
			}
			if resp.StatusCode == http.StatusOK && who != "holder" && strings.Contains(body, cardURL(pl.ID)) {
				t.Errorf("%s %s as %s links to the holder's card page", row.method, row.path, who)
			}
			if resp.StatusCode == http.StatusSeeOther && who == "anon" && !strings.HasPrefix(resp.Header.Get("Location"), "/login?next=") {
				t.Errorf("%s %s as anon redirects to %q, not to log in", row.method, row.path, resp.Header.Get("Location"))
			}
			if resp.StatusCode == http.StatusNotFound {
				mustContain(t, body, "Page not found")
			}
		}
	}
}

// "Pay by invoice instead" on the card page leaves the pool and brings the person back
// to the join form, where they can join again paying by invoice.
func TestPayByInvoiceInsteadLeavesAndJoinsAgain(t *testing.T) {
	t.Parallel()
	w := newCardWorld(t, true)
	b := w.a.browser()
	b.logIn(w.aliceEmail)
	pl, err := w.a.pools.Pledge(w.alice, w.pool.ID, pooling.PledgeInput{BudgetID: w.aliceDirect, LimitPence: 12_000, PayBy: pooling.PayByCard}, "card-1")
	if err != nil {
		t.Fatal(err)
	}
	_, body := b.get(cardURL(pl.ID))
	m := regexp.MustCompile(`name="key" value="([^"]+)">\s*<input type="hidden" name="back" value="([^"]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("the card page has no form to leave and join again")
	}
	resp, body := b.post(pledgeURL(pl.ID)+"/withdraw", url.Values{"key": {m[1]}, "back": {m[2]}})
	mustStatus(t, resp, body, http.StatusSeeOther)
	resp, body = b.get(resp.Header.Get("Location"))
	mustStatus(t, resp, body, http.StatusOK)
	mustContain(t, body, "You have left the pool", "Join this pool", "How will you pay?")
	resp, body = b.post("/pools/"+w.pool.ID+"/join", url.Values{"budget": {w.aliceDirect}, "limit": {"120"}, "pay_by": {"invoice"},
		"key": {keyInPage.FindStringSubmatch(body)[1]}})
	mustStatus(t, resp, body, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/pledges/") || strings.HasSuffix(loc, "/card") {
		t.Fatalf("joining again by invoice leads to %q", loc)
	}
	_, body = b.get(resp.Header.Get("Location"))
	if strings.Contains(body, "Paying by card") {
		t.Error("the pledge by invoice shows a card")
	}
	mustContain(t, body, "pay the provider by bank transfer")
}
