package frontend

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
)

// offerForm is the offer form filled in as a person would.
func offerForm(title string) url.Values {
	return url.Values{
		"kind": {"community_activity"}, "title": {title},
		"description": {"Singing, acting and making music together, with a small show at the end of each term."},
		"categories":  {"music-and-drama", "social-club"}, "where-mode": {"address"},
		"where-address-line1": {"12 Chapeltown Road"}, "where-address-town": {"Leeds"}, "where-address-postcode": {"ls7 3aa"},
		"where-areas-served": {""},
		"when-weekly-0-day":  {"monday"}, "when-weekly-0-start": {"13:00"}, "when-weekly-0-end": {"15:30"},
		"when-weekly-1-day": {""}, "when-weekly-1-start": {""}, "when-weekly-1-end": {""},
		"when-dated-0-date": {""}, "when-dated-0-date-month": {""}, "when-dated-0-date-year": {""}, "when-dated-0-start": {""}, "when-dated-0-end": {""},
		"price-unit": {"group_session"}, "price-amount": {"300"}, "price-group-min-people": {"5"}, "price-group-max-people": {"15"},
		"price-group-floor": {""}, "budget-forms": {"direct_payment", "isf", "council_managed"},
		"accessibility": {"hearing_loop"}, "languages": {"en"},
	}
}

func TestProviderCreatesEditsAndPublishesAnOffer(t *testing.T) {
	t.Parallel()
	a := newTestApp(t, false)
	b := a.browser()
	email, _ := a.user("Pat Provider")
	b.logIn(email)

	// A new person registers their organisation first.
	resp, body := b.get("/dashboard")
	mustStatus(t, resp, body, http.StatusOK)
	mustContain(t, body, "Register your organisation")
	b.get("/dashboard/organisations/new")
	resp, body = b.post("/dashboard/organisations", url.Values{"name": {""}})
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	mustContain(t, body, `<a href="#name">Enter the name of your organisation</a>`, `<a href="#kinds">Choose what kind of provider you are</a>`)
	resp, body = b.post("/dashboard/organisations", url.Values{"name": {"Chapeltown Singers"}, "kinds": {"community_group"}})
	mustStatus(t, resp, body, http.StatusSeeOther)
	resp, body = b.get(resp.Header.Get("Location"))
	mustStatus(t, resp, body, http.StatusOK)
	mustContain(t, body, "Your organisation has been registered", "Chapeltown Singers", "Add an offer")
	newURL := regexpFind(t, body, `href="(/dashboard/providers/[^"]+/offers/new)"`)

	// An empty form lists every problem, each linked to its field, in the form's order.
	resp, body = b.get(newURL)
	mustStatus(t, resp, body, http.StatusOK)
	action := strings.TrimSuffix(newURL, "/new")
	resp, body = b.post(action, url.Values{"when-weekly-0-day": {""}, "when-dated-0-date": {""}})
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	mustContain(t, body, "<title>Error: Add an offer",
		`<a href="#kind">Choose what kind of offer this is</a>`,
		`<a href="#title">Enter a title</a>`,
		`<a href="#description">Enter a description</a>`,
		`<a href="#categories">Choose at least one thing the offer is about</a>`,
		`<a href="#where-mode">Choose where the offer happens</a>`,
		`<a href="#price-amount">Enter the price</a>`,
		`<a href="#budget-forms">Choose at least one kind of budget you accept</a>`,
		`<a href="#languages">Choose at least one language</a>`,
		`id="title-error"`, `govuk-form-group--error`)
	if strings.Index(body, `href="#kind"`) > strings.Index(body, `href="#title"`) {
		t.Error("the error summary is not in the order of the form")
	}

	// Mistakes in typed values come back next to their fields, with what was typed.
	bad := offerForm("Chapeltown drama and music")
	bad.Set("price-amount", "three hundred")
	bad.Set("when-weekly-1-day", "tuesday")
	bad.Set("when-weekly-1-start", "25:00")
	bad.Set("when-weekly-1-end", "26:00")
	resp, body = b.post(action, bad)
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	mustContain(t, body, `<a href="#price-amount">Enter the price in pounds, such as 12.50</a>`,
		`<a href="#when-weekly-1-start">Start time for regular time 2 must be a 24-hour time such as 09:30</a>`,
		`value="three hundred"`, `value="25:00"`, `value="Chapeltown drama and music"`)

	// A good form saves a draft and goes back to the dashboard.
	resp, body = b.post(action, offerForm("Chapeltown drama and music"))
	mustStatus(t, resp, body, http.StatusSeeOther)
	resp, body = b.get(strings.Split(resp.Header.Get("Location"), "#")[0])
	mustContain(t, body, "Your offer has been saved as a draft", "Chapeltown drama and music", "Draft", ">Publish<")
	editURL := regexpFind(t, body, `href="(/dashboard/offers/[^"]+/edit)"`)
	offerID := strings.Split(editURL, "/")[3]
	o, err := a.market.Offer(a.as(sessionOf(t, a, email)), offerID)
	if err != nil {
		t.Fatal(err)
	}
	if o.Price.AmountPence != 30000 || o.Where.Address.Postcode != "LS7 3AA" || len(o.When.Weekly) != 1 || o.Status != marketplace.StatusDraft {
		t.Errorf("saved offer = %+v", o)
	}

	// Editing shows the saved values; saving with an old version is refused kindly.
	resp, body = b.get(editURL)
	mustStatus(t, resp, body, http.StatusOK)
	mustContain(t, body, `value="300"`, `value="13:00"`, `name="version" value="1"`)
	changed := offerForm("Chapeltown drama, music and song")
	changed.Set("version", "1")
	resp, body = b.post("/dashboard/offers/"+offerID, changed)
	mustStatus(t, resp, body, http.StatusSeeOther)
	resp, body = b.post("/dashboard/offers/"+offerID, changed) // version 1 again
	mustStatus(t, resp, body, http.StatusConflict)
	mustContain(t, body, "Someone else changed this offer", `name="version" value="2"`)

	// Publish: the public can now see it.
	resp, body = b.post("/dashboard/offers/"+offerID+"/status", url.Values{"status": {"published"}, "version": {"2"}})
	mustStatus(t, resp, body, http.StatusSeeOther)
	if got := resp.Header.Get("Location"); got != "/dashboard?done=offer-published#offer-"+offerID {
		t.Errorf("after publishing, redirected to %q", got)
	}
	resp, body = a.browser().get("/offers/" + offerID)
	mustStatus(t, resp, body, http.StatusOK)
	mustContain(t, body, "Chapeltown drama, music and song", "What each person pays for a session", "£60", "£20",
		"Direct payment (DP)", "Hearing loop", "Chapeltown Singers")
}

func regexpFind(t testing.TB, body, pattern string) string {
	t.Helper()
	m := regexp.MustCompile(pattern).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no match for %s", pattern)
	}
	return m[1]
}

// sessionOf logs the person in through the service, for checks made behind the pages.
func sessionOf(t testing.TB, a *testApp, email string) string {
	t.Helper()
	s, err := a.accounts.LogIn(t.Context(), account.Credentials{Email: email, Password: testPassword}, "127.0.0.2")
	if err != nil {
		t.Fatal(err)
	}
	return s.Secret
}
