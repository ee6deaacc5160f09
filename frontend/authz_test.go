package frontend

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/carepool/carepool/marketplace"
)

// The authorization of the pages: which need a log-in, which need membership of the
// provider, and that nobody but the provider's members can find a draft. The API's own
// matrix (cmd/carepool/authz_test.go) covers the API routes; the pages call the same
// services, so these cells check that the pages pass the caller through and map each
// refusal to the right page.

func TestPageAuthorization(t *testing.T) {
	t.Parallel()
	a := newTestApp(t, false)
	orgID, ownerEmail, owner := a.provider("Headingley Arts Group")
	draft := a.offer(owner, orgID, sampleOffer("Draft pottery class"), false)
	pub := a.offer(owner, orgID, sampleOffer("Published art group"), true)
	strangerEmail, _ := a.user("Stella Stranger")
	otherOrg, otherEmail, _ := a.provider("Other Group")
	_ = otherOrg

	callers := map[string]*browser{"anon": a.browser(), "stranger": a.browser(), "other": a.browser(), "owner": a.browser()}
	callers["stranger"].logIn(strangerEmail)
	callers["other"].logIn(otherEmail)
	callers["owner"].logIn(ownerEmail)
	order := []string{"anon", "stranger", "other", "owner"}

	// want: one status per caller, in order; 303 is the redirect to log in.
	rows := []struct {
		method, path string
		form         url.Values
		want         string
	}{
		{"GET", "/", nil, "200 200 200 200"},
		{"GET", "/search", nil, "200 200 200 200"},
		{"GET", "/offers/" + pub.ID, nil, "200 200 200 200"},
		{"GET", "/offers/" + draft.ID, nil, "404 404 404 200"},
		{"GET", "/offers/no-such-offer", nil, "404 404 404 404"},
		{"GET", "/providers/" + orgID, nil, "200 200 200 200"},
		{"GET", "/account", nil, "303 200 200 200"},
		{"GET", "/dashboard", nil, "303 200 200 200"},
		{"GET", "/dashboard/organisations/new", nil, "303 200 200 200"},
		{"GET", "/dashboard/providers/" + orgID + "/offers/new", nil, "303 404 404 200"},
		{"GET", "/dashboard/offers/" + draft.ID + "/edit", nil, "303 404 404 200"},
		{"GET", "/dashboard/offers/" + pub.ID + "/edit", nil, "303 403 403 200"},
		{"POST", "/dashboard/providers/" + orgID + "/offers", url.Values{}, "401 404 404 422"},
		{"POST", "/dashboard/offers/" + draft.ID, url.Values{}, "401 404 404 422"},
		{"POST", "/dashboard/offers/" + pub.ID, url.Values{}, "401 403 403 422"},
		{"POST", "/dashboard/offers/" + draft.ID + "/status", url.Values{"status": {"archived"}}, "401 404 404 303"},
		{"POST", "/dashboard/offers/" + pub.ID + "/status", url.Values{"status": {"paused"}}, "401 403 403 303"},
	}
	for _, row := range rows {
		wants := strings.Fields(row.want)
		for i, who := range order {
			b := callers[who]
			resp, body, ok := callPage(t, b, who, row.method, row.path, row.form, wants[i])
			if !ok {
				continue
			}
			switch resp.StatusCode {
			case http.StatusUnauthorized, http.StatusForbidden:
				if who == "anon" {
					mustContain(t, body, "You need to log in to see this page", `href="/login?next=`)
				}
			case http.StatusNotFound:
				mustContain(t, body, "Page not found")
				if strings.Contains(body, "Draft pottery class") {
					t.Errorf("%s %s as %s shows the draft's title", row.method, row.path, who)
				}
			}
		}
	}
	// The owner's own status changes went through.
	if o, err := a.market.Offer(owner, draft.ID); err != nil || o.Status != marketplace.StatusArchived {
		t.Errorf("draft after archiving: %v, %v", o.Status, err)
	}
}

// callPage sends one request of a page authorization table as who (reading the log-in
// page first for a post, for a form token, as reading a form would give) and checks its
// status; an anonymous caller sent away must be sent to log in. It reports the response
// and whether its status was the one wanted.
func callPage(t *testing.T, b *browser, who, method, path string, form url.Values, want string) (*http.Response, string, bool) {
	t.Helper()
	var resp *http.Response
	var body string
	if method == http.MethodGet {
		resp, body = b.get(path)
	} else {
		b.get("/login")
		resp, body = b.post(path, cloneValues(form))
	}
	if got := fmt.Sprint(resp.StatusCode); got != want {
		t.Errorf("%s %s as %s = %s, want %s\n%.600s", method, path, who, got, want, body)
		return resp, body, false
	}
	if resp.StatusCode == http.StatusSeeOther && who == "anon" && !strings.HasPrefix(resp.Header.Get("Location"), "/login?next=") {
		t.Errorf("%s %s as anon redirects to %q, not to log in", method, path, resp.Header.Get("Location"))
	}
	return resp, body, true
}
