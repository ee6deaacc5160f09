package frontend

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/carepool/carepool/marketplace/account"
)

// Who may see and use the organiser's, provider's, ISF provider's, commissioner's and
// delegations pages: every role on every new page. 303 is the redirect to log in for
// anonymous visitors (or, for a form, to the next page); 404 means the page does not
// admit the object exists for this caller; 403 that they may see it but not do this.
func TestOrganiserPageAuthorization(t *testing.T) {
	t.Parallel()
	w := newOrganiserWorld(t)
	a := w.a
	order := []string{"anon", "stranger", "holder", "ulo", "provider", "isf", "commissioner", "admin"}
	callers := map[string]*browser{}
	for who, email := range map[string]string{"stranger": w.strangerEmail, "holder": w.aliceEmail, "ulo": w.uloEmail,
		"provider": w.providerEmail, "isf": w.isfEmail, "commissioner": w.commissionerMail, "admin": w.adminEmail} {
		callers[who] = a.browser()
		callers[who].logIn(email)
	}
	callers["anon"] = a.browser()
	grant, err := a.accounts.GrantDelegation(w.alice, accountDelegation(w.bobEmail))
	if err != nil {
		t.Fatal(err)
	}
	draft, open, invite, running := w.draft.ID, w.open.ID, w.invite.ID, w.running.ID
	pools := "/dashboard/providers/" + w.providerID + "/pools"
	isf := "/dashboard/providers/" + w.isfID + "/isf-accounts"

	rows := []struct {
		method, path string
		form         url.Values
		want         string
	}{
		{"GET", "/dashboard", nil, "303 200 200 200 200 200 200 200"},
		{"GET", "/dashboard/pools", nil, "303 200 200 200 200 200 200 200"},
		{"GET", "/dashboard/pools/new", nil, "303 200 200 200 200 200 200 200"},
		{"GET", "/dashboard/pools/new?offer=" + w.offer.ID, nil, "303 200 200 200 200 200 200 200"},
		{"GET", "/dashboard/pools/new?offer=no-such-offer", nil, "303 404 404 404 404 404 404 404"},
		// A draft is its organiser's; the provider sees it (and may cancel it), others may not know it.
		{"GET", "/dashboard/pools/" + draft + "/open", nil, "303 404 404 200 403 404 404 403"},
		{"GET", "/dashboard/pools/" + open + "/confirm", nil, "303 403 403 200 403 403 403 403"},
		{"GET", "/dashboard/pools/" + open + "/cancel", nil, "303 403 403 200 200 403 403 200"},
		{"GET", "/dashboard/pools/" + invite + "/cancel", nil, "303 404 404 200 200 404 404 200"},
		{"POST", "/dashboard/pools/" + invite + "/invite-link", url.Values{}, "401 404 404 303 403 404 404 403"},
		{"POST", "/dashboard/pools/" + draft + "/open", url.Values{}, "401 404 404 303 403 404 404 403"},
		{"POST", "/dashboard/pools", url.Values{"offer": {w.offer.ID}}, "401 422 422 422 422 422 422 422"},
		{"GET", pools, nil, "303 404 404 404 200 404 404 404"},
		{"GET", "/dashboard/pools/" + running + "/sessions/1", nil, "303 403 403 403 200 403 403 403"},
		{"POST", "/dashboard/pools/" + running + "/sessions/1", url.Values{}, "401 403 403 403 303 403 403 403"},
		{"GET", "/dashboard/pools/" + running + "/sessions/9", nil, "303 403 403 403 404 403 403 403"},
		{"GET", isf, nil, "303 404 404 404 404 200 404 404"},
		{"GET", isf + "/" + w.aliceISF.ID + "/statement", nil, "303 404 404 404 404 200 404 404"},
		{"GET", isf + "/" + w.aliceISF.ID + "/adjust", nil, "303 404 404 404 404 200 404 404"},
		{"POST", isf, url.Values{}, "401 404 404 404 404 422 404 404"},
		{"GET", "/dashboard/providers/" + w.providerID + "/isf-accounts", nil, "303 404 404 404 404 404 404 404"},
		{"GET", "/dashboard/demand", nil, "303 403 403 403 403 403 200 200"},
		{"GET", "/account/delegations", nil, "303 200 200 200 200 200 200 200"},
		{"GET", "/account/delegations/" + grant.ID + "/stop", nil, "303 404 200 404 404 404 404 404"},
		{"POST", "/account/delegations/" + grant.ID + "/stop", url.Values{}, "401 404 303 404 404 404 404 404"},
	}
	for _, row := range rows {
		wants := strings.Fields(row.want)
		// The organiser goes last, so that their changes (opening the draft) do not
		// change what the others see.
		for _, i := range []int{0, 1, 2, 4, 5, 6, 7, 3} {
			who := order[i]
			b := callers[who]
			resp, body, ok := callPage(t, b, who, row.method, row.path, row.form, wants[i])
			if !ok {
				continue
			}
			switch resp.StatusCode {
			case http.StatusNotFound:
				mustContain(t, body, "Page not found")
				for _, secret := range []string{w.draft.Title, w.invite.Title, "Alice Holder"} {
					if strings.Contains(body, secret) {
						t.Errorf("%s %s as %s shows %q", row.method, row.path, who, secret)
					}
				}
			}
		}
	}
}

// accountDelegation is a delegation to the account with this email, as a trusted other.
func accountDelegation(email string) account.NewDelegation {
	return account.NewDelegation{RepresentativeEmail: email, Kind: account.DelegationTrustedOther}
}

func accountCredentials(email string) account.Credentials {
	return account.Credentials{Email: email, Password: testPassword}
}
