package frontend

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func TestDelegationsGrantListAndStop(t *testing.T) {
	t.Parallel()
	w := newOrganiserWorld(t)
	alice, bob := w.a.browser(), w.a.browser()
	alice.logIn(w.aliceEmail)
	bob.logIn(w.bobEmail)

	_, body := alice.get("/account/delegations")
	mustContain(t, body, "People who act for you", "Nobody can act for you", "A trusted other", "A trustee", "A support broker",
		"You do not act for anyone")

	// Mistakes come back next to their fields.
	resp, body := alice.post("/account/delegations", url.Values{})
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	mustContain(t, body, `<a href="#email">Enter the email address of the person who will act for you</a>`,
		`<a href="#kind">Choose what they will do for you</a>`)
	resp, body = alice.post("/account/delegations", url.Values{"email": {"nobody@example.org"}, "kind": {"trusted_other"}})
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	mustContain(t, body, `<a href="#email">No account uses this email address; ask them to sign up first</a>`, `value="nobody@example.org"`)
	resp, body = alice.post("/account/delegations", url.Values{"email": {w.aliceEmail}, "kind": {"trustee"}})
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	mustContain(t, body, "Email address must be someone else")

	resp, body = alice.post("/account/delegations", url.Values{"email": {w.bobEmail}, "kind": {"trusted_other"}})
	mustStatus(t, resp, body, http.StatusSeeOther)
	_, body = alice.get(resp.Header.Get("Location"))
	mustContain(t, body, "They can now act for you", "Bob Holder", "Trusted other", "Active", "Stop this")

	// Bob acts for alice, and has a way to what he can do for her.
	_, body = bob.get("/account/delegations")
	mustContain(t, body, "People you act for", "Alice Holder", `href="/commitments"`)

	// Stopping it asks first, then ends it for good.
	stop := regexp.MustCompile(`href="(/account/delegations/[^"]+/stop)"`).FindStringSubmatch(body)
	if stop != nil {
		t.Fatal("bob is offered to stop a delegation he did not give")
	}
	_, body = alice.get("/account/delegations")
	stop = regexp.MustCompile(`href="(/account/delegations/[^"]+/stop)"`).FindStringSubmatch(body)
	if stop == nil {
		t.Fatal("no way to stop the delegation")
	}
	resp, body = alice.get(stop[1])
	mustStatus(t, resp, body, http.StatusOK)
	mustContain(t, body, "Stop Bob Holder acting for you?", "can no longer join or leave pools for you")
	resp, body = bob.post(stop[1], url.Values{})
	mustStatus(t, resp, body, http.StatusNotFound)
	resp, body = alice.post(stop[1], url.Values{})
	mustStatus(t, resp, body, http.StatusSeeOther)
	_, body = alice.get(resp.Header.Get("Location"))
	mustContain(t, body, "They can no longer act for you", "Stopped")
	if strings.Contains(body, "Stop this") {
		t.Error("a stopped delegation can be stopped again")
	}
	resp, _ = alice.get(stop[1])
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("the stop page of a stopped delegation: %d, want 404", resp.StatusCode)
	}
	_, body = alice.get("/account")
	mustContain(t, body, `href="/account/delegations"`)
}
