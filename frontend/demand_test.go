package frontend

import (
	"net/http"
	"strings"
	"testing"
)

func TestDemandPageShowsCountsToCommissionersOnly(t *testing.T) {
	t.Parallel()
	w := newOrganiserWorld(t)
	commissioner := w.a.browser()
	commissioner.logIn(w.commissionerMail)

	_, body := commissioner.get("/dashboard")
	mustContain(t, body, `href="/dashboard/demand"`, "Where people are pooling")
	resp, body := commissioner.get("/dashboard/demand")
	mustStatus(t, resp, body, http.StatusOK)
	// Two open pools (3 and 0 places taken, so 1 and 4 people short); the draft and the
	// confirmed pool do not count. The area is the offer's outward code and town. Bob's
	// pledge waits for this council.
	mustContain(t, body, "How to read this page", "Open pools", "LS6 (Leeds)", "Arts and crafts",
		`<dd class="govuk-summary-list__value">2</dd>`, `<dd class="govuk-summary-list__value">3</dd>`, `<dd class="govuk-summary-list__value">5</dd>`,
		"Waiting for a commissioner", w.open.Title, `href="/pools/`+w.open.ID+`"`, "0 of the 4 people needed count now",
		`href="/approvals"`)
	for _, secret := range []string{"Alice Holder", "Bob Holder", "Carl Holder", w.invite.Title} {
		if strings.Contains(body, secret) {
			t.Errorf("the demand page shows %q", secret)
		}
	}

	stranger := w.a.browser()
	stranger.logIn(w.uloEmail)
	resp, body = stranger.get("/dashboard/demand")
	mustStatus(t, resp, body, http.StatusForbidden)
	mustContain(t, body, "Only commissioners of a council can see where people are pooling")
}
