package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carepool/carepool/infra/store"
	"github.com/carepool/carepool/infra/web"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/payments"
	"github.com/carepool/carepool/payments/paymentstest"
	"github.com/carepool/carepool/payments/stripe/stripemock"
)

// paymentsWebhookSecret is the webhook signing secret of the Mains these tests boot.
const paymentsWebhookSecret = "whsec_carepool_e2e"

// mustOpenPayments boots Main like mustOpen, with card payments on the Stripe API at
// stripeURL (a stripe-mock), or off when stripeURL is empty, and returns its log.
func mustOpenPayments(tb testing.TB, stripeURL string) (*Main, *httptest.Server, *syncBuffer) {
	tb.Helper()
	env := map[string]string{}
	if stripeURL != "" {
		env["STRIPE_SECRET_KEY"], env["STRIPE_WEBHOOK_SECRET"], env["STRIPE_API_BASE"] = stripemock.SecretKey, paymentsWebhookSecret, stripeURL
	}
	return mustOpenLogged(tb, env, Options{})
}

// providerOrgOf returns the id of the provider organisation a demo account owns.
func providerOrgOf(tb testing.TB, m *Main, c client) string {
	tb.Helper()
	a, err := m.Accounts.ActorForToken(context.Background(), c.token)
	if err != nil {
		tb.Fatal(err)
	}
	for _, ms := range a.Memberships {
		if ms.Role == account.RoleOwner && slices.ContainsFunc(ms.OrgKinds, account.OrgKind.IsProvider) {
			return ms.OrgID
		}
	}
	tb.Fatal("the account owns no provider")
	return ""
}

// signedWebhook posts an event to the webhook route, signed with secret.
func signedWebhook(tb testing.TB, base string, payload []byte, secret string) (*http.Response, []byte) {
	tb.Helper()
	return client{tb: tb, base: base}.do(http.MethodPost, "/api/v1/webhooks/stripe", string(payload),
		payments.SignatureHeader, paymentstest.Sign(secret, payload, time.Now()))
}

func TestCardPaymentsOnboardingAndWebhooksEndToEnd(t *testing.T) {
	t.Parallel()
	mock := stripemock.Start(t)
	m, srv, _ := mustOpenPayments(t, mock.URL)
	mustSeed(t, m)
	prov := demoClient(t, srv.URL, "provider@"+demoDomain)
	org := providerOrgOf(t, m, prov)
	onboarding := "/api/v1/providers/" + org + "/payments/onboarding"

	// Others are refused before anything reaches Stripe.
	for _, who := range []client{{tb: t, base: srv.URL}, demoClient(t, srv.URL, "other-provider@"+demoDomain), demoClient(t, srv.URL, "admin@"+demoDomain)} {
		if resp, body := who.do(http.MethodPost, onboarding, nil); resp.StatusCode != http.StatusUnauthorized && resp.StatusCode != http.StatusForbidden {
			t.Errorf("onboarding as someone else: %d %s", resp.StatusCode, body)
		}
	}
	if n := len(mock.Requests()); n != 0 {
		t.Errorf("refused onboardings sent %d requests to Stripe", n)
	}

	resp, body := prov.do(http.MethodPost, onboarding, nil)
	if resp.StatusCode != http.StatusCreated || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("onboarding as the owner: %d %v %s", resp.StatusCode, resp.Header, body)
	}
	if link := decode[payments.Onboarding](t, body); !strings.HasPrefix(link.URL, "https://") || link.ExpiresAt.IsZero() {
		t.Errorf("onboarding link %+v", link)
	}
	var ops []string
	for _, r := range mock.Requests() {
		ops = append(ops, r.Op())
	}
	if want := []string{"POST /v1/accounts", "POST /v1/account_links"}; !slices.Equal(ops, want) || mock.Requests()[0].IdempotencyKey != "carepool-connect-account-"+org {
		t.Errorf("requests to Stripe %q (first key %q), want %q, the account made with the provider's key", ops, mock.Requests()[0].IdempotencyKey, want)
	}
	rec, err := store.NewPayments(m.DB).ProviderAccount(context.Background(), org)
	if err != nil || !strings.HasPrefix(rec.AccountID, "acct_") {
		t.Fatalf("record %+v, %v", rec, err)
	}

	status := func() payments.ProviderStatus {
		resp, body := prov.do(http.MethodGet, "/api/v1/providers/"+org+"/payments", nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status: %d %s", resp.StatusCode, body)
		}
		return decode[payments.ProviderStatus](t, body)
	}
	if st := status(); !st.OnboardingStarted || st.CanTakeCards {
		t.Errorf("after onboarding (stripe-mock's account has nothing enabled): %+v", st)
	}

	// Stripe says the account is ready (a few seconds after the account was read: reports
	// of one second merge cautiously): the status follows, once, and never rolls back.
	ready := paymentstest.EventJSON("evt_e2e_ready", "account.updated", time.Now().Add(3*time.Second), rec.AccountID,
		paymentstest.AccountObject(payments.Account{ID: rec.AccountID, ProviderID: org, ChargesEnabled: true, PayoutsEnabled: true, DetailsSubmitted: true}))
	for range 2 {
		if resp, body := signedWebhook(t, srv.URL, ready, paymentsWebhookSecret); resp.StatusCode != http.StatusOK {
			t.Fatalf("webhook: %d %s", resp.StatusCode, body)
		}
	}
	stale := paymentstest.EventJSON("evt_e2e_stale", "account.updated", time.Now().Add(-time.Hour), rec.AccountID,
		paymentstest.AccountObject(payments.Account{ID: rec.AccountID, ProviderID: org}))
	if resp, body := signedWebhook(t, srv.URL, stale, paymentsWebhookSecret); resp.StatusCode != http.StatusOK {
		t.Fatalf("stale webhook: %d %s", resp.StatusCode, body)
	}
	if st := status(); !st.CanTakeCards {
		t.Errorf("after account.updated: %+v", st)
	}
	if after, _ := store.NewPayments(m.DB).ProviderAccount(context.Background(), org); after.Version != rec.Version+1 {
		t.Errorf("the record went from version %d to %d, want one change", rec.Version, after.Version)
	}
	if ok, err := m.Payments.CanTakeCards(context.Background(), org); !ok || err != nil {
		t.Errorf("CanTakeCards = %v, %v", ok, err)
	}

	// A forged delivery is refused and leaves no trace.
	forged := paymentstest.EventJSON("evt_e2e_forged", "account.updated", time.Now(), rec.AccountID, paymentstest.AccountObject(payments.Account{ID: rec.AccountID, ProviderID: org}))
	resp, body = signedWebhook(t, srv.URL, forged, "whsec_guessed")
	if p := decode[web.Problem](t, body); resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Content-Type") != web.ProblemContentType ||
		p.Type != "/problems/bad-request" || len(p.Errors) == 0 || p.Errors[0].Field != "Stripe-Signature" {
		t.Errorf("forged webhook: %d %s", resp.StatusCode, body)
	}
	if _, err := store.NewPayments(m.DB).Event(context.Background(), "evt_e2e_forged"); err == nil {
		t.Error("the forged event was stored")
	}
	huge := bytes.Repeat([]byte("x"), 2<<20)
	if resp, body := signedWebhook(t, srv.URL, huge, paymentsWebhookSecret); resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("a 2 MiB body: %d %.200s", resp.StatusCode, body)
	}
}

func TestWithoutStripeCardRoutesSayNotSetUpAndEverythingElseWorks(t *testing.T) {
	t.Parallel()
	m, srv, _ := mustOpenPayments(t, "")
	mustSeed(t, m)
	prov := demoClient(t, srv.URL, "provider@"+demoDomain)
	org := providerOrgOf(t, m, prov)
	routes := []struct{ method, path string }{
		{http.MethodPost, "/api/v1/providers/" + org + "/payments/onboarding"},
		{http.MethodGet, "/api/v1/providers/" + org + "/payments"},
	}
	for _, r := range routes {
		resp, body := prov.do(r.method, r.path, nil)
		p := decode[web.Problem](t, body)
		if resp.StatusCode != http.StatusServiceUnavailable || p.Type != "/problems/card-payments-not-set-up" ||
			!strings.HasPrefix(p.Detail, "Card payments are not set up on this site.") {
			t.Errorf("%s %s: %d %s", r.method, r.path, resp.StatusCode, body)
		}
	}
	payload := paymentstest.EventJSON("evt_1", "account.updated", time.Now(), "acct_1", paymentstest.AccountObject(payments.Account{ID: "acct_1"}))
	if resp, body := signedWebhook(t, srv.URL, payload, paymentsWebhookSecret); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("webhook: %d %s", resp.StatusCode, body)
	}
	// Everything else works: the provider's profile, the public pools, budgets.
	for _, path := range []string{"/api/v1/providers/" + org, "/api/v1/pools", "/api/v1/offers?limit=5", "/api/v1/people/me/budgets"} {
		if resp, body := prov.do(http.MethodGet, path, nil); resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d %.200s", path, resp.StatusCode, body)
		}
	}
	if ok, err := m.Payments.CanTakeCards(context.Background(), org); ok || err != nil {
		t.Errorf("CanTakeCards without Stripe = %v, %v", ok, err)
	}
}

func TestStripeSecretsNeverShowInTheConfigOrTheLogs(t *testing.T) {
	t.Parallel()
	mock := stripemock.Start(t)
	m, srv, logs := mustOpenPayments(t, mock.URL)
	mustSeed(t, m)
	// A failing Stripe makes the server log the cause of a 503.
	mock.Inject(stripemock.Fault{Path: "/v1/accounts", Status: 500, Times: 10, Body: `{"error":{"type":"api_error","message":"down"}}`})
	prov := demoClient(t, srv.URL, "provider@"+demoDomain)
	org := providerOrgOf(t, m, prov)
	if resp, body := prov.do(http.MethodPost, "/api/v1/providers/"+org+"/payments/onboarding", nil); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("onboarding while Stripe fails: %d %s", resp.StatusCode, body)
	}
	var shown bytes.Buffer
	fmt.Fprintf(&shown, "%s %v %+v", m.Config, m.Config, m.Config)
	slog.New(slog.NewJSONHandler(&shown, nil)).Info("config", "config", m.Config)
	slog.New(slog.NewTextHandler(&shown, nil)).Info("config", "config", m.Config)
	for name, text := range map[string]string{"the logs": logs.String(), "the config": shown.String()} {
		for _, secret := range []string{stripemock.SecretKey, paymentsWebhookSecret} {
			if strings.Contains(text, secret) {
				t.Errorf("%s show a Stripe secret:\n%s", name, text)
			}
		}
	}
	if !strings.Contains(logs.String(), "card-payments-unavailable") && !strings.Contains(logs.String(), "could not reach") {
		t.Errorf("the 503 was not logged with its cause:\n%s", logs.String())
	}
	if !strings.Contains(shown.String(), "stripe at "+mock.URL) {
		t.Errorf("the config does not say where Stripe is: %s", shown.String())
	}
}

func TestStripeConfigIsBothSecretsOrNeither(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  map[string]string
		want string // in the error; "" means valid
	}{
		{"neither", map[string]string{}, ""},
		{"both", map[string]string{"STRIPE_SECRET_KEY": "sk_test_1", "STRIPE_WEBHOOK_SECRET": "whsec_1"}, ""},
		{"key only", map[string]string{"STRIPE_SECRET_KEY": "sk_test_1"}, "STRIPE_WEBHOOK_SECRET is required"},
		{"webhook secret only", map[string]string{"STRIPE_WEBHOOK_SECRET": "whsec_1"}, "without STRIPE_SECRET_KEY"},
		{"publishable key", map[string]string{"STRIPE_SECRET_KEY": "pk_test_1", "STRIPE_WEBHOOK_SECRET": "whsec_1"}, "publishable"},
		{"fee", map[string]string{"PLATFORM_FEE_BASIS_POINTS": "250"}, ""},
		{"fee over 100%", map[string]string{"PLATFORM_FEE_BASIS_POINTS": "10001"}, "PLATFORM_FEE_BASIS_POINTS"},
		{"fee as a percentage", map[string]string{"PLATFORM_FEE_BASIS_POINTS": "2.5"}, "PLATFORM_FEE_BASIS_POINTS"},
	}
	for _, tt := range tests {
		cfg, err := ConfigFromEnv(func(k string) string { return tt.env[k] })
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		case tt.name == "fee" && cfg.PlatformFeeBasisPoints != 250:
			t.Errorf("fee: %d basis points", cfg.PlatformFeeBasisPoints)
		}
	}
}
