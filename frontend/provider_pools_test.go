package frontend

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/carepool/carepool/pooling"
)

func TestProviderSeesPoolsAndRecordsASession(t *testing.T) {
	t.Parallel()
	w := newOrganiserWorld(t)
	b := w.a.browser()
	b.logIn(w.providerEmail)

	_, body := b.get("/dashboard")
	mustContain(t, body, `href="/dashboard/providers/`+w.providerID+`/pools"`)
	if strings.Contains(body, "isf-accounts") {
		t.Error("a community group is offered the ISF page")
	}
	resp, body := b.get("/dashboard/providers/" + w.providerID + "/pools")
	mustStatus(t, resp, body, http.StatusOK)
	mustContain(t, body, "Groups forming", w.open.Title, w.invite.Title, "3 of 8 places taken", "Going ahead", w.running.Title,
		"Record Session 1: ", "Record Session 3: ", "Next session", "Session 4: ")
	if strings.Contains(body, w.draft.Title) {
		t.Error("the provider sees the organiser's draft in its list")
	}
	if strings.Contains(body, "Record Session 4") {
		t.Error("a session to come can be recorded")
	}
	for _, name := range []string{"Alice Holder", "Dee Holder"} {
		if strings.Contains(body, name) {
			t.Errorf("the provider's list names %s", name)
		}
	}

	// The form lists the places in the session by number, never by name, all ticked.
	resp, body = b.get("/dashboard/pools/" + w.running.ID + "/sessions/1")
	mustStatus(t, resp, body, http.StatusOK)
	mustContain(t, body, "Record a session", "Session 1: ", "Place 1 (pledge ending ", "Place 4 (pledge ending ", "Who came?")
	if strings.Contains(body, "Dee Holder") {
		t.Error("the record form names a person")
	}
	places := regexp.MustCompile(`name="attended" type="checkbox" value="([^"]+)" checked`).FindAllStringSubmatch(body, -1)
	if len(places) != 4 {
		t.Fatalf("%d places ticked, want 4", len(places))
	}
	key := keyInPage.FindStringSubmatch(body)[1]
	form := url.Values{"key": {key}, "attended": {places[0][1], places[2][1]}}
	for range 2 { // sent twice, recorded once
		resp, body = b.post("/dashboard/pools/"+w.running.ID+"/sessions/1", form)
		mustStatus(t, resp, body, http.StatusSeeOther)
	}
	_, body = b.get(resp.Header.Get("Location"))
	mustContain(t, body, "The session has been recorded")
	if strings.Contains(body, "Record Session 1") {
		t.Error("session 1 can still be recorded")
	}
	v, err := w.a.pools.Pool(w.a.as(loginSecret(t, w.a, w.providerEmail)), w.running.ID)
	if err != nil {
		t.Fatal(err)
	}
	s := v.Sessions[0]
	want := []string{places[0][1], places[2][1]}
	slices.Sort(want)
	if s.Status != pooling.SessionDelivered || !slices.Equal(s.Attended, want) {
		t.Errorf("session 1: %s, attended %v, want delivered with %v", s.Status, s.Attended, want)
	}

	// Recording it again with a new form, or a session to come, is refused in words.
	resp, body = b.post("/dashboard/pools/"+w.running.ID+"/sessions/1", url.Values{"key": {"another"}})
	mustStatus(t, resp, body, http.StatusConflict)
	mustContain(t, body, `<a href="#attended">This session is already recorded as delivered.</a>`)
	resp, body = b.post("/dashboard/pools/"+w.running.ID+"/sessions/4", url.Values{"key": {"k4"}})
	mustStatus(t, resp, body, http.StatusConflict)
	mustContain(t, body, "This session has not started yet")
	resp, body = b.post("/dashboard/pools/"+w.running.ID+"/sessions/2", url.Values{"key": {"k2"}, "attended": {"not-a-pledge"}})
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	mustContain(t, body, "Choose only the places listed")

	// The provider can cancel a pool forming on its offers, with a reason.
	_, body = b.get("/dashboard/pools/" + w.open.ID + "/cancel")
	key = keyInPage.FindStringSubmatch(body)[1]
	resp, body = b.post("/dashboard/pools/"+w.open.ID+"/cancel", url.Values{"key": {key}, "reason": {"Our tutor is ill for the term."}})
	mustStatus(t, resp, body, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/dashboard/providers/"+w.providerID+"/pools?done=pool-cancelled") {
		t.Errorf("after cancelling, the provider goes to %s", loc)
	}
}
