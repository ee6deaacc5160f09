package frontend

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestISFProviderOpensAdjustsAndReadsFunds(t *testing.T) {
	t.Parallel()
	w := newOrganiserWorld(t)
	b := w.a.browser()
	b.logIn(w.isfEmail)
	page := "/dashboard/providers/" + w.isfID + "/isf-accounts"

	_, body := b.get("/dashboard")
	mustContain(t, body, `href="`+page+`"`, "Individual service funds held")
	resp, body := b.get(page)
	mustStatus(t, resp, body, http.StatusOK)
	// Carl's ISF pledge of £120 for 4 sessions is set aside from his £1,500.
	mustContain(t, body, "Alice Holder", "£2,000", "Carl Holder", "£1,500", "£1,020", "£480", `id="isf-`+w.carlISF.ID+`"`)

	// Opening a fund: every mistake at once, next to its field.
	key := keyInPage.FindStringSubmatch(body)[1]
	for _, tt := range []struct {
		form url.Values
		want []string
	}{
		{url.Values{}, []string{`<a href="#email">Enter the email address of the person whose fund this is</a>`, `<a href="#allocation">Enter the allocation in pounds</a>`}},
		{url.Values{"email": {"nobody@example.org"}, "allocation": {"lots"}},
			[]string{"No one has a Carepool account with this email address", "Enter the allocation in pounds, like 2000 or 1250.50", `value="nobody@example.org"`}},
		{url.Values{"email": {w.bobEmail}, "allocation": {"0"}}, []string{"Enter more than £0"}},
	} {
		tt.form.Set("key", key)
		resp, body = b.post(page, tt.form)
		mustStatus(t, resp, body, http.StatusUnprocessableEntity)
		mustContain(t, body, append(tt.want, "<title>Error: Individual service funds")...)
	}
	form := url.Values{"key": {key}, "email": {strings.ToUpper(w.bobEmail)}, "allocation": {"£1,250.50"}, "label": {"Bob’s support"}}
	for range 2 { // sent twice, opened once
		resp, body = b.post(page, form)
		mustStatus(t, resp, body, http.StatusSeeOther)
	}
	_, body = b.get(resp.Header.Get("Location"))
	mustContain(t, body, "The individual service fund has been opened", "Bob Holder", "£1,250.50")
	if n := strings.Count(body, "Bob Holder"); n != 3 { // the row and the two hidden link texts
		t.Errorf("Bob's fund is listed %d times over, want once (3 mentions)", n)
	}

	// Changing an allocation: never below what is committed.
	adjust := page + "/" + w.carlISF.ID + "/adjust"
	_, body = b.get(adjust)
	mustContain(t, body, "Change the allocation", "Carl Holder", "£1,020")
	key = keyInPage.FindStringSubmatch(body)[1]
	resp, body = b.post(adjust, url.Values{"key": {key}})
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	mustContain(t, body, `<a href="#direction">`, `<a href="#amount">Enter the amount in pounds</a>`, `<a href="#reason">`)
	resp, body = b.post(adjust, url.Values{"key": {key}, "direction": {"decrease"}, "amount": {"1100"}, "reason": {"Reassessment"}})
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	mustContain(t, body, "You can take off at most £1,020: the rest is committed to pools or spent")
	key = keyInPage.FindStringSubmatch(body)[1]
	resp, body = b.post(adjust, url.Values{"key": {key}, "direction": {"increase"}, "amount": {"500"}, "reason": {"New period from April"}})
	mustStatus(t, resp, body, http.StatusSeeOther)
	_, body = b.get(resp.Header.Get("Location"))
	mustContain(t, body, "The allocation has been changed", "£2,000", "£1,520")

	// The statement, with its downloads.
	resp, body = b.get(page + "/" + w.carlISF.ID + "/statement")
	mustStatus(t, resp, body, http.StatusOK)
	mustContain(t, body, "Statement of Carl Holder’s fund", "Left to commit", "Set aside", "allocation changed: New period from April",
		`href="/api/v1/isf-accounts/`+w.carlISF.ID+`/statement?format=csv"`)
	resp, _ = b.get(page + "/" + w.aliceISF.ID + "x/statement")
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("a fund that is not the provider's: %d, want 404", resp.StatusCode)
	}
}
