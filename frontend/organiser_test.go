package frontend

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/pooling"
)

func TestOrganiserDashboardShowsProgressAndApprovalsWithoutNames(t *testing.T) {
	t.Parallel()
	w := newOrganiserWorld(t)
	b := w.a.browser()
	b.logIn(w.uloEmail)

	resp, body := b.get("/dashboard")
	mustStatus(t, resp, body, http.StatusOK)
	mustContain(t, body, `href="/dashboard/pools"`, "Pools you organise", `href="/approvals"`, `href="/account/delegations"`)
	if strings.Contains(body, `href="/dashboard/demand"`) {
		t.Error("an organiser who is no commissioner is offered the demand page")
	}

	resp, body = b.get("/dashboard/pools")
	mustStatus(t, resp, body, http.StatusOK)
	mustContain(t, body, w.draft.Title, w.open.Title, w.invite.Title, w.running.Title,
		`id="pool-`+w.open.ID+`"`, "3 of 8 places taken. It needs at least 4 people to go ahead.",
		`<progress id="progress-`+w.open.ID+`" max="8" value="3">`,
		"1 pledge is waiting for a commissioner at the council",
		"1 pledge is waiting for the provider that holds the individual service fund",
		"You see how many, never who",
		`href="/pools/`+w.open.ID+`/messages"`,
		`href="/dashboard/pools/`+w.draft.ID+`/open"`, `href="/dashboard/pools/`+w.open.ID+`/cancel"`,
		"You can confirm it early once 4 people count whose pledges need no more approval. Now: 0.",
		w.a.url+"/invites/"+w.invite.InviteCode, "Make a new invite link", "days left")
	for _, name := range []string{"Alice Holder", "Bob Holder", "Carl Holder"} {
		if strings.Contains(body, name) {
			t.Errorf("the organiser's dashboard names %s", name)
		}
	}
	if strings.Contains(body, `href="/dashboard/pools/`+w.running.ID+`/cancel"`) {
		// It is confirmed but nothing is delivered yet, so it can still be cancelled.
	} else {
		t.Error("a confirmed pool with no session delivered cannot be cancelled")
	}

	// A new invite link: the old one stops working.
	resp, body = b.post("/dashboard/pools/"+w.invite.ID+"/invite-link", url.Values{})
	mustStatus(t, resp, body, http.StatusSeeOther)
	_, body = b.get(resp.Header.Get("Location"))
	mustContain(t, body, "The pool has a new invite link")
	if strings.Contains(body, w.invite.InviteCode) {
		t.Error("the old invite link is still shown")
	}
	resp, _ = w.a.browser().get("/invites/" + w.invite.InviteCode)
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("the old invite link answers %d, want 404", resp.StatusCode)
	}
}

func TestOrganiserProposesOpensConfirmsAndCancelsAPool(t *testing.T) {
	t.Parallel()
	w := newOrganiserWorld(t)
	b := w.a.browser()
	b.logIn(w.uloEmail)

	// Step 1: find the activity.
	_, body := b.get("/dashboard/pools/new?q=art")
	mustContain(t, body, "Which activity is the pool for?", `value="`+w.offer.ID+`"`, w.offer.Title)
	resp, body := b.get("/dashboard/pools/new?offer=" + w.offer.ID)
	mustStatus(t, resp, body, http.StatusOK)
	mustContain(t, body, "Leeds People First", "Me, as a budget holder", "Groups of 4 to 8 people")

	// An empty form lists every mistake, each linked to its field, in the form's order.
	resp, body = b.post("/dashboard/pools", url.Values{"offer": {w.offer.ID}})
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	mustContain(t, body, "<title>Error: Propose a pool",
		`<a href="#organiser">Choose who organises the pool</a>`, `<a href="#title">Enter a name for the pool</a>`,
		`<a href="#visibility">Choose who can join</a>`, `<a href="#deadline-day">Deadline: enter a date</a>`,
		`<a href="#first-day">First session: enter a date</a>`, `id="title-error"`)
	if strings.Index(body, `href="#organiser"`) > strings.Index(body, `href="#deadline-day"`) {
		t.Error("the error summary is not in the order of the form")
	}

	// The service's own checks come back next to their fields, with what was typed.
	deadline, first := time.Now().AddDate(0, 0, 10), time.Now().AddDate(0, 0, 17)
	form := url.Values{"offer": {w.offer.ID}, "organiser": {w.uloID}, "title": {"Tuesday art"}, "visibility": {"invite_only"},
		"min-people": {"2"}, "deadline-day": {deadline.Format("2")}, "deadline-month": {deadline.Format("1")}, "deadline-year": {deadline.Format("2006")},
		"first-day": {first.Format("2")}, "first-month": {first.Format("1")}, "first-year": {first.Format("2006")}, "first-time": {"10am"},
		"sessions": {"6"}, "every-days": {"7"}, "notice-days": {"14"}}
	resp, body = b.post("/dashboard/pools", form)
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	mustContain(t, body, `<a href="#min-people">The group must be between 4 and 8 people, as the offer allows</a>`, `value="Tuesday art"`)
	past := cloneValues(form)
	past.Set("min-people", "")
	past.Set("deadline-year", "2020")
	resp, body = b.post("/dashboard/pools", past)
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	mustContain(t, body, `<a href="#deadline-day">Deadline must be in the future</a>`)

	// A good form saves a draft, shown on the dashboard with its invite link.
	form.Set("min-people", "")
	resp, body = b.post("/dashboard/pools", form)
	mustStatus(t, resp, body, http.StatusSeeOther)
	id := regexp.MustCompile(`#pool-(.+)$`).FindStringSubmatch(resp.Header.Get("Location"))[1]
	_, body = b.get(resp.Header.Get("Location"))
	mustContain(t, body, "Your pool has been saved as a draft", "Tuesday art", "Not open yet", w.a.url+"/invites/")

	// Open it, after a page that says what that means.
	_, body = b.get("/dashboard/pools/" + id + "/open")
	mustContain(t, body, "Open the pool for people to join", "Only people you give the invite link to can see and join it")
	resp, body = b.post("/dashboard/pools/"+id+"/open", url.Values{})
	mustStatus(t, resp, body, http.StatusSeeOther)
	_, body = b.get(resp.Header.Get("Location"))
	mustContain(t, body, "Your pool is open", "Open to join")
	resp, body = b.post("/dashboard/pools/"+id+"/open", url.Values{})
	mustStatus(t, resp, body, http.StatusConflict)
	mustContain(t, body, `<a href="#action-button">A pool that is open cannot become open</a>`)

	// Four people join; then it can be confirmed early, once, whatever the clicks.
	code := inviteCodeOf(t, w, id)
	for _, name := range []string{"Hal", "Ida", "Jo", "Kim"} {
		_, secret := w.a.user(name + " Holder")
		ctx := w.a.as(secret)
		bud, err := w.a.pools.AddBudget(ctx, pooling.BudgetInput{Form: marketplace.DirectPayment})
		if err == nil {
			_, err = w.a.pools.Pledge(ctx, id, pooling.PledgeInput{BudgetID: bud.ID, LimitPence: 12_000, InviteCode: code}, "")
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	_, body = b.get("/dashboard/pools")
	mustContain(t, body, `href="/dashboard/pools/`+id+`/confirm"`)
	_, body = b.get("/dashboard/pools/" + id + "/confirm")
	mustContain(t, body, "Confirm the pool now", "with the 4 people who count now, each paying £120 a session")
	key := keyInPage.FindStringSubmatch(body)[1]
	for range 2 {
		resp, body = b.post("/dashboard/pools/"+id+"/confirm", url.Values{"key": {key}})
		mustStatus(t, resp, body, http.StatusSeeOther)
	}
	if v, err := w.a.pools.Pool(w.a.as(loginSecret(t, w.a, w.uloEmail)), id); err != nil || v.Status != pooling.StatusConfirmed {
		t.Fatalf("after confirming: %v %v", v.Status, err)
	}

	// Cancel it: the reason is required, and shown to the people who joined.
	_, body = b.get("/dashboard/pools/" + id + "/cancel")
	mustContain(t, body, "Cancel the pool", "The 4 people who joined will be told", "You cannot undo this")
	key = keyInPage.FindStringSubmatch(body)[1]
	resp, body = b.post("/dashboard/pools/"+id+"/cancel", url.Values{"key": {key}, "reason": {"  "}})
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	mustContain(t, body, `<a href="#reason">Enter the reason for cancelling, so the people who joined know why</a>`)
	resp, body = b.post("/dashboard/pools/"+id+"/cancel", url.Values{"key": {key}, "reason": {"The venue has closed."}})
	mustStatus(t, resp, body, http.StatusSeeOther)
	_, body = b.get(resp.Header.Get("Location"))
	mustContain(t, body, "The pool has been cancelled", "Cancelled")
}

func inviteCodeOf(t *testing.T, w *organiserWorld, poolID string) string {
	t.Helper()
	v, err := w.a.pools.Pool(w.a.as(loginSecret(t, w.a, w.uloEmail)), poolID)
	if err != nil {
		t.Fatal(err)
	}
	return v.InviteCode
}

// loginSecret logs a person in and returns their new session's secret.
func loginSecret(t *testing.T, a *organiserApp, email string) string {
	t.Helper()
	s, err := a.accounts.LogIn(t.Context(), accountCredentials(email), "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	return s.Secret
}
