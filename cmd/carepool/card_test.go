package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/carepool/carepool/infra/store"
	"github.com/carepool/carepool/payments"
	"github.com/carepool/carepool/payments/paymentstest"
	"github.com/carepool/carepool/pooling"
)

// cardWebhookSecret signs the test's webhook events.
const cardWebhookSecret = "whsec_card_test"

// cardFixture is a seeded server with card payments on the payments test double (it can
// decline cards, which stripe-mock cannot), and the provider's connected account able to
// take cards.
type cardFixture struct {
	*authzFixture
	double *paymentstest.Double
	events int
}

func newCardFixture(t *testing.T) *cardFixture {
	t.Helper()
	double := paymentstest.NewDouble(time.Now)
	m, srv := mustOpenWith(t, map[string]string{"STRIPE_SECRET_KEY": "sk_test_cards", "STRIPE_WEBHOOK_SECRET": cardWebhookSecret},
		Options{Gateway: double})
	f := &cardFixture{authzFixture: newAuthzFixtureOn(t, m, srv), double: double}
	f.poolFixture(t)
	if _, err := m.Payments.StartOnboarding(f.as(t, "prov"), f.vars["provOrg"], "https://carepool.test/dashboard"); err != nil {
		t.Fatal(err)
	}
	rec, err := store.NewPayments(m.DB).ProviderAccount(context.Background(), f.vars["provOrg"])
	if err != nil {
		t.Fatal(err)
	}
	acct, err := double.SetAccountStatus(rec.AccountID, payments.AccountStatus{ChargesEnabled: true, PayoutsEnabled: true, DetailsSubmitted: true})
	if err != nil {
		t.Fatal(err)
	}
	acct.ProviderID = f.vars["provOrg"]
	f.webhook(t, "account.updated", paymentstest.AccountObject(acct), http.StatusOK)
	return f
}

// webhook delivers a signed event to the real endpoint and returns its body.
func (f *cardFixture) webhook(t *testing.T, eventType string, object map[string]any, want int) []byte {
	t.Helper()
	f.events++
	// Stripe stamps events in whole seconds, after what it last answered.
	payload := paymentstest.EventJSON(fmt.Sprintf("evt_card_%d", f.events), eventType, time.Now().Add(2*time.Second), "", object)
	return f.deliver(t, payload, paymentstest.Sign(cardWebhookSecret, payload, time.Now()), want)
}

func (f *cardFixture) deliver(t *testing.T, payload []byte, signature string, want int) []byte {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, f.base+"/api/v1/webhooks/stripe", strings.NewReader(string(payload)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(payments.SignatureHeader, signature)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != want {
		t.Fatalf("webhook %.60s: %d %s, want %d", payload, resp.StatusCode, body, want)
	}
	return body
}

// cardPledge pledges £80 a session by card from alice's direct payment, saves the card
// with pm through the API and Stripe's webhook, and runs the payments worker.
func (f *cardFixture) cardPledge(t *testing.T, poolID, pm string) string {
	t.Helper()
	alice := f.client("alice")
	resp, body := alice.do(http.MethodPost, "/api/v1/pools/"+poolID+"/pledges", map[string]any{
		"budget_id": f.vars["alice_direct_payment"], "limit_pence": 8_000, "pay_by": "card"}, "Idempotency-Key", "card-"+poolID)
	authzMustStatus(t, resp, body, http.StatusCreated)
	pledge := decode[pooling.PledgeView](t, body)
	if pledge.Status != pooling.PledgeWaitingApproval || len(pledge.Needs) != 1 || pledge.Needs[0] != pooling.ApprovalCard {
		t.Fatalf("a new card pledge: %s needing %v", pledge.Status, pledge.Needs)
	}
	resp, body = alice.do(http.MethodPost, "/api/v1/pledges/"+pledge.ID+"/card-setup", nil)
	authzMustStatus(t, resp, body, http.StatusCreated)
	setup := decode[payments.CardSetup](t, body)
	if setup.ClientSecret == "" || resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("card setup: %+v, Cache-Control %q", setup, resp.Header.Get("Cache-Control"))
	}
	si, err := f.double.ConfirmSetupIntent(setup.SetupIntentID, pm)
	if err != nil {
		t.Fatal(err)
	}
	si.PledgeID = pledge.ID
	f.webhook(t, "setup_intent.succeeded", paymentstest.SetupIntentObject(si), http.StatusOK)
	f.runCards(t)
	return pledge.ID
}

// runCards runs the payments worker until its queue is empty.
func (f *cardFixture) runCards(t *testing.T) {
	t.Helper()
	for range 5 {
		if err := f.m.runCards(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
}

// fillAndConfirm adds bob's and the stranger's pledges (by invoice) and confirms the pool.
func (f *cardFixture) fillAndConfirm(t *testing.T, poolID string) {
	t.Helper()
	for _, who := range []string{"bob", "stranger"} {
		f.newPledge(t, who, who+"_direct_payment", poolID)
	}
	if _, err := f.m.Pools.ConfirmPool(f.as(t, "ulo"), poolID, ""); err != nil {
		t.Fatal(err)
	}
	f.runCards(t)
}

// mustReconcile fails unless verify and reconcile find nothing.
func (f *cardFixture) mustReconcile(t *testing.T) {
	t.Helper()
	rep, err := f.m.Pools.Verify(context.Background())
	if err != nil || !rep.OK() {
		t.Errorf("verify: %+v, %v", rep.Violations, err)
	}
	var out strings.Builder
	if err := f.m.reconcile(context.Background(), time.Now().Add(-time.Hour), &out); err != nil {
		t.Errorf("reconcile: %v\n%s", err, out.String())
	}
}

func (f *cardFixture) card(t *testing.T, pledgeID string) payments.CardPledge {
	t.Helper()
	rec, err := store.NewCards(f.m.DB).CardPledge(context.Background(), pledgeID)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

func (f *cardFixture) movePastFirstSession(t *testing.T, poolID string) {
	t.Helper()
	_, err := f.m.DB.Collection("pools").UpdateOne(context.Background(), bson.M{"_id": poolID},
		bson.M{"$set": bson.M{"sessions.0.starts_at": time.Now().UTC().Add(-time.Hour).Truncate(time.Millisecond)}})
	if err != nil {
		t.Fatal(err)
	}
}
