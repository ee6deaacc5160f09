package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/carepool/carepool/infra/store"
	"github.com/carepool/carepool/payments"
	"github.com/carepool/carepool/payments/paymentstest"
	"github.com/carepool/carepool/payments/stripe/stripemock"
	"github.com/carepool/carepool/pooling"
)

// TestCardSyncSendsStripeTheRequestsItAccepts runs the card flow's Stripe calls through
// the real Stripe adapter against a real stripe-mock, and checks the parameters of each
// request that reached it: saving the card (customer, setup intent), the charge at
// confirmation, the transfer to the provider once the session's invoice is paid from the
// card, and the refund when a confirmed pool is cancelled. stripe-mock validates every
// request against Stripe's OpenAPI description (an unknown or malformed parameter is a
// 400, and the flow would stop), so these are requests Stripe accepts. What the requests
// do (declines, grace, lapse, reconcile) runs on the payments test double: stripe-mock
// keeps no state. Its PaymentIntents always say requires_payment_method, so the proxy
// answers them as Stripe does for a card that needs no authentication: succeeded.
func TestCardSyncSendsStripeTheRequestsItAccepts(t *testing.T) {
	t.Parallel()
	mock := stripemock.Start(t)
	mock.Inject(stripemock.Fault{Method: http.MethodPost, Path: "/v1/payment_intents", Times: 100, Rewrite: chargeSucceeded(t)})
	m, srv := mustOpenWith(t, map[string]string{"STRIPE_SECRET_KEY": stripemock.SecretKey, "STRIPE_WEBHOOK_SECRET": cardWebhookSecret,
		"STRIPE_API_BASE": mock.URL, "PLATFORM_FEE_BASIS_POINTS": "250"}, Options{})
	f := &cardFixture{authzFixture: newAuthzFixtureOn(t, m, srv)}
	f.poolFixture(t)
	acct := f.enableOnStripeMock(t, mock)
	alice := f.vars["alice"]

	// Pool 1: saved, charged at confirmation, delivered, invoiced, paid and transferred.
	pool := f.newPool(t, pooling.Public, true)
	id := f.cardPledgeOnStripeMock(t, pool, "1")
	f.fillAndConfirm(t, pool)
	charged := f.card(t, id)
	f.movePastFirstSession(t, pool)
	if _, err := m.Pools.RecordDelivery(f.as(t, "prov"), pool, pooling.DeliveryInput{Session: 0}, ""); err != nil {
		t.Fatal(err)
	}
	f.runCards(t)
	paid := f.card(t, id)
	if len(paid.Paid) != 1 || paid.Paid[0].TransferID == "" {
		t.Fatalf("after delivery the card paid %+v", paid.Paid)
	}
	// Pool 2: charged at confirmation, then the pool is cancelled and the card refunded.
	pool2 := f.newPool(t, pooling.Public, true)
	id2 := f.cardPledgeOnStripeMock(t, pool2, "2")
	f.fillAndConfirm(t, pool2)
	if _, err := m.Pools.CancelPool(f.as(t, "ulo"), pool2, "The venue closed.", ""); err != nil {
		t.Fatal(err)
	}
	f.runCards(t)
	refunded := f.card(t, id2)
	if refunded.Collected() != 0 || len(refunded.Refunds) != 1 {
		t.Fatalf("after cancelling: collected %d, refunds %+v", refunded.Collected(), refunded.Refunds)
	}

	customer := charged.CustomerID
	fee := payments.PlatformFee(8_000, 250)
	want := []stripeRequest{
		{"POST /v1/customers", "customer-" + alice, map[string]string{"metadata[user_id]": alice}},
		{"POST /v1/setup_intents", "pledge-" + id + "-setup-1", map[string]string{"customer": customer, "usage": "off_session",
			"payment_method_types[0]": "card", "metadata[pledge_id]": id}},
		{"POST /v1/payment_intents", "pledge-" + id + "-period-0-charge-1", map[string]string{"amount": "8000", "currency": "gbp",
			"customer": customer, "payment_method": "pm_card_visa", "payment_method_types[0]": "card", "confirm": "true", "off_session": "true",
			"transfer_group": "pool_" + pool, "metadata[pledge_id]": id, "metadata[pool_id]": pool}},
		{"POST /v1/transfers", "card-" + id + "-transfer-" + paid.Paid[0].InvoiceID, map[string]string{"amount": strconv.FormatInt(8_000-fee, 10),
			"currency": "gbp", "destination": acct, "transfer_group": "pool_" + pool, "metadata[pool_id]": pool}},
		{"POST /v1/setup_intents", "pledge-" + id2 + "-setup-1", map[string]string{"customer": customer, "usage": "off_session",
			"payment_method_types[0]": "card", "metadata[pledge_id]": id2}},
		{"POST /v1/payment_intents", "pledge-" + id2 + "-period-0-charge-1", map[string]string{"amount": "8000", "currency": "gbp",
			"customer": customer, "payment_method": "pm_card_visa", "payment_method_types[0]": "card", "confirm": "true", "off_session": "true",
			"transfer_group": "pool_" + pool2, "metadata[pledge_id]": id2, "metadata[pool_id]": pool2}},
		{"POST /v1/refunds", "pledge-" + id2 + "-refund-1", map[string]string{"payment_intent": refunded.Charges[0].PaymentIntentID, "amount": "8000"}},
	}
	var got []stripeRequest
	for _, r := range mock.Requests() {
		if r.Method != http.MethodPost || strings.HasPrefix(r.Path, "/v1/account") {
			continue // onboarding, checked in payments/stripe
		}
		got = append(got, stripeRequest{Op: r.Op(), Key: r.IdempotencyKey, Params: flat(r.Form)})
		if r.StripeVersion != payments.APIVersion {
			t.Errorf("%s sent Stripe-Version %q", r.Op(), r.StripeVersion)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("requests to Stripe (-want +got):\n%s", diff)
	}
	if rep, err := m.Pools.Verify(context.Background()); err != nil || !rep.OK() {
		t.Errorf("verify the ledger: %+v, %v", rep.Violations, err)
	}
}

// stripeRequest is a request as it reached stripe-mock: operation, Idempotency-Key and
// form parameters.
type stripeRequest struct {
	Op     string
	Key    string
	Params map[string]string
}

func flat(v url.Values) map[string]string {
	out := map[string]string{}
	for k := range v {
		out[k] = v.Get(k)
	}
	return out
}

// chargeSucceeded rewrites stripe-mock's PaymentIntent as Stripe answers an off-session
// charge of a card that needs no authentication: succeeded, with its charge.
func chargeSucceeded(t *testing.T) func([]byte) []byte {
	return func(body []byte) []byte {
		var pi map[string]any
		if err := json.Unmarshal(body, &pi); err != nil {
			t.Errorf("stripe-mock's payment intent: %v", err)
			return body
		}
		id, _ := pi["id"].(string)
		pi["status"], pi["latest_charge"] = "succeeded", "ch_"+strings.TrimPrefix(id, "pi_")
		out, _ := json.Marshal(pi)
		return out
	}
}

// enableOnStripeMock onboards the provider at stripe-mock through the API (Stripe is to
// send the owner back to the provider's card payments page) and has Stripe report, by
// webhook, that its account can take charges and payouts. It returns the account's id.
func (f *cardFixture) enableOnStripeMock(t *testing.T, mock *stripemock.Server) string {
	t.Helper()
	provider := f.vars["provOrg"]
	resp, body := f.client("prov").do(http.MethodPost, "/api/v1/providers/"+provider+"/payments/onboarding", nil)
	authzMustStatus(t, resp, body, http.StatusCreated)
	want := f.m.Config.BaseURL + "/dashboard/providers/" + provider + "/card-payments"
	var links int
	for _, r := range mock.Requests() {
		if r.Path != "/v1/account_links" {
			continue
		}
		links++
		if r.Form.Get("return_url") != want || r.Form.Get("refresh_url") != want {
			t.Errorf("Stripe is to send the owner back to %q (refresh %q), want the card payments page %s",
				r.Form.Get("return_url"), r.Form.Get("refresh_url"), want)
		}
	}
	if links != 1 {
		t.Errorf("%d onboarding links asked of Stripe, want 1", links)
	}
	st, err := f.m.Payments.ProviderStatus(f.as(t, "prov"), f.vars["provOrg"])
	if err != nil || !st.OnboardingStarted {
		t.Fatalf("after onboarding: %+v, %v", st, err)
	}
	rec, err := store.NewPayments(f.m.DB).ProviderAccount(context.Background(), f.vars["provOrg"])
	if err != nil {
		t.Fatal(err)
	}
	f.webhook(t, "account.updated", paymentstest.AccountObject(payments.Account{ID: rec.AccountID, ProviderID: f.vars["provOrg"],
		ChargesEnabled: true, PayoutsEnabled: true, DetailsSubmitted: true}), http.StatusOK)
	if ok, err := f.m.Payments.CanTakeCards(context.Background(), f.vars["provOrg"]); err != nil || !ok {
		t.Fatalf("the provider cannot take cards: %v", err)
	}
	return rec.AccountID
}

// cardPledgeOnStripeMock pledges £80 a session by card from alice's direct payment, starts
// saving the card (at stripe-mock), has Stripe report the card saved, and runs the
// payments worker. n keeps the pledges' idempotency keys apart.
func (f *cardFixture) cardPledgeOnStripeMock(t *testing.T, poolID, n string) string {
	t.Helper()
	alice := f.client("alice")
	resp, body := alice.do(http.MethodPost, "/api/v1/pools/"+poolID+"/pledges", map[string]any{
		"budget_id": f.vars["alice_direct_payment"], "limit_pence": 8_000, "pay_by": "card"}, "Idempotency-Key", "card-mock-"+n)
	authzMustStatus(t, resp, body, http.StatusCreated)
	pledge := decode[pooling.PledgeView](t, body)
	resp, body = alice.do(http.MethodPost, "/api/v1/pledges/"+pledge.ID+"/card-setup", nil)
	authzMustStatus(t, resp, body, http.StatusCreated)
	setup := decode[payments.CardSetup](t, body)
	if !strings.HasPrefix(setup.SetupIntentID, "seti_") || setup.ClientSecret == "" {
		t.Fatalf("card setup at stripe-mock: %+v", setup)
	}
	f.webhook(t, "setup_intent.succeeded", paymentstest.SetupIntentObject(payments.SetupIntent{ID: setup.SetupIntentID,
		PledgeID: pledge.ID, PaymentMethodID: "pm_card_visa", Status: payments.SetupSucceeded}), http.StatusOK)
	f.runCards(t)
	return pledge.ID
}
