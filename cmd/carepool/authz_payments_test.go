package main

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/payments"
	"github.com/carepool/carepool/payments/paymentstest"
	"github.com/carepool/carepool/payments/stripe/stripemock"
)

// authzPaymentsRows are the routes of card payments: provider onboarding (the owners),
// the set-up status (members and administrators) and Stripe's webhook (no session: the
// signature decides, the same for every role). They run on a Main with card payments on
// (newAuthzPaymentsFixture); without Stripe the allowed cells answer 503 instead.
func authzPaymentsRows() []authzRow {
	checkStatus := func(t testing.TB, f *authzFixture, r *authzRole, body []byte) {
		if st := decode[payments.ProviderStatus](t, body); st.ProviderID == "" || st.Summary == "" {
			t.Errorf("%s sees status %+v", r.key, st)
		}
	}
	webhookBody := func(secret string) (func(testing.TB, *authzFixture, *authzRole) any, func(testing.TB, *authzFixture) []string) {
		body := func(_ testing.TB, f *authzFixture, _ *authzRole) any {
			payload := paymentstest.EventJSON(fmt.Sprintf("evt_matrix_%d", f.next()), "customer.created", time.Now(), "",
				map[string]any{"id": "cus_matrix", "object": "customer"})
			f.vars["webhookPayload"] = string(payload)
			return string(payload)
		}
		header := func(_ testing.TB, f *authzFixture) []string {
			return []string{payments.SignatureHeader, paymentstest.Sign(secret, []byte(f.vars["webhookPayload"]), time.Now())}
		}
		return body, header
	}
	signedBody, signedHeader := webhookBody(paymentsWebhookSecret)
	forgedBody, forgedHeader := webhookBody("whsec_guessed")
	return []authzRow{
		{route: "POST /api/v1/providers/:id/payments/onboarding", target: "right provider", path: "/api/v1/providers/{provOrg}/payments/onboarding",
			want: "401 403 403 201 403 403 403 403 403"},
		{route: "POST /api/v1/providers/:id/payments/onboarding", target: "suspended provider", path: "/api/v1/providers/{susOrg}/payments/onboarding",
			want: "401 404 404 409 403 404 404 404 403"},
		{route: "POST /api/v1/providers/:id/payments/onboarding", target: "council", path: "/api/v1/providers/{council}/payments/onboarding",
			want: "401 404 404 404 404 404 404 404 404"},
		{route: "GET /api/v1/providers/:id/payments", target: "right provider", path: "/api/v1/providers/{provOrg}/payments",
			want: "401 403 403 200 200 403 403 403 200", check: checkStatus},
		{route: "GET /api/v1/providers/:id/payments", target: "suspended provider", path: "/api/v1/providers/{susOrg}/payments",
			want: "401 404 404 200 200 404 404 404 200", check: checkStatus},
		{route: "POST /api/v1/webhooks/stripe", target: "signed event", path: "/api/v1/webhooks/stripe",
			want: "200 200 200 200 200 200 200 200 200", body: signedBody, header: signedHeader},
		{route: "POST /api/v1/webhooks/stripe", target: "forged signature", path: "/api/v1/webhooks/stripe",
			want: "400 400 400 400 400 400 400 400 400", body: forgedBody, header: forgedHeader},
	}
}

func TestAuthzPayments(t *testing.T) {
	t.Parallel()
	runAuthzMatrix(t, newAuthzPaymentsFixture(t), authzPaymentsRows())
}

// newAuthzPaymentsFixture is the matrix's fixture on a Main with card payments on
// stripe-mock: the callers of every role, the right provider (prov owns it, member
// belongs), a suspended provider of the same two, and the council.
func newAuthzPaymentsFixture(t *testing.T) *authzFixture {
	t.Helper()
	mock := stripemock.Start(t)
	m, srv, _ := mustOpenPayments(t, mock.URL)
	mustSeed(t, m)
	f := &authzFixture{t: t, m: m, base: srv.URL, roles: map[string]*authzRole{"anon": {key: "anon"}}, vars: map[string]string{}}
	for key, local := range authzEmails {
		f.roles[key] = f.login(t, key, local+"@"+demoDomain, DemoPassword)
	}
	f.vars["provOrg"] = f.orgOf(t, "prov", account.KindCommunityGroup)
	f.vars["council"] = f.orgOf(t, "comm", account.KindCouncil)
	email := "matrix-member@example.org"
	resp, body := f.client("anon").do(http.MethodPost, "/api/v1/accounts",
		map[string]string{"email": email, "password": "a long enough password", "name": "Mo Member"})
	authzMustStatus(t, resp, body, http.StatusCreated)
	f.roles["member"] = f.login(t, "member", email, "a long enough password")
	f.addMember(t, "prov", f.vars["provOrg"], email)

	resp, body = f.client("prov").do(http.MethodPost, "/api/v1/organisations",
		map[string]any{"name": "Matrix Suspended Group", "kinds": []string{"community_group"}})
	authzMustStatus(t, resp, body, http.StatusCreated)
	f.vars["susOrg"] = decode[struct{ ID string }](t, body).ID
	f.addMember(t, "prov", f.vars["susOrg"], email)
	if _, err := m.Accounts.SuspendOrganisation(f.as(t, "admin"), f.vars["susOrg"], account.Suspension{Reason: "matrix fixture"}); err != nil {
		t.Fatal(err)
	}
	for _, r := range f.roles {
		if r.email != "" {
			f.emails = append(f.emails, r.email)
		}
	}
	return f
}
