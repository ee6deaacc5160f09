package main

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/carepool/carepool/notify"
	"github.com/carepool/carepool/payments"
	"github.com/carepool/carepool/payments/paymentstest"
	"github.com/carepool/carepool/pooling"
)

// A card pledge from saving the card to the provider's payout: the card counts only when
// Stripe's webhook says it is saved; confirming charges the share off-session; delivering
// the session issues a card invoice that the card's money pays, and the money goes to
// the provider's connected account in the pool's transfer group. The ledger matches
// Stripe at every step.
func TestACardPledgeIsChargedAtConfirmationAndPaysTheProvider(t *testing.T) {
	t.Parallel()
	f := newCardFixture(t)
	pool := f.newPool(t, pooling.Public, true)
	id := f.cardPledge(t, pool, "pm_card_visa")
	if v, err := f.m.Pools.MyPledge(f.as(t, "alice"), id); err != nil || v.Status != pooling.PledgePledged {
		t.Fatalf("after the card was saved: %s, %v", v.Status, err)
	}
	f.fillAndConfirm(t, pool) // three people: £80 each
	rec := f.card(t, id)
	if rec.Collected() != 8_000 || len(rec.Charges) != 1 || rec.Charges[0].Status != "succeeded" {
		t.Fatalf("after confirmation the card paid %d in %+v", rec.Collected(), rec.Charges)
	}
	f.mustReconcile(t)

	f.movePastFirstSession(t, pool)
	if _, err := f.m.Pools.RecordDelivery(f.as(t, "prov"), pool, pooling.DeliveryInput{Session: 0}, ""); err != nil {
		t.Fatal(err)
	}
	f.runCards(t)
	rec = f.card(t, id)
	if len(rec.Paid) != 1 || rec.Paid[0].TransferID == "" || rec.Paid[0].AmountPence != 8_000 {
		t.Fatalf("after delivery: %+v", rec.Paid)
	}
	invs, err := f.m.Pools.Invoices(f.as(t, "prov"), pooling.InvoiceFilter{ProviderID: f.vars["provOrg"], PoolID: pool})
	if err != nil {
		t.Fatal(err)
	}
	for _, inv := range invs {
		if inv.Payer.Kind == "card" && (inv.Status != pooling.InvoicePaid || inv.Payments[0].Method != pooling.PayCard) {
			t.Errorf("the card invoice is %s with %+v", inv.Status, inv.Payments)
		}
	}
	var transfers int
	for _, c := range f.double.Calls() {
		if c.Op == "POST /v1/transfers" {
			transfers++
		}
	}
	if transfers != 1 {
		t.Errorf("%d transfers to the provider", transfers)
	}
	f.mustReconcile(t)
}

// A declined card gives the person a grace period and a way to save another card; a
// working card then pays. When nobody saves one in time, the pledge lapses and a pool
// left below its minimum fails, releasing everyone.
func TestADeclinedCardGetsAGracePeriodThenLapses(t *testing.T) {
	t.Parallel()
	f := newCardFixture(t)
	f.double.DeclinePaymentMethod("pm_card_chargeDeclined", "card_declined", "insufficient_funds")
	pool := f.newPool(t, pooling.Public, true)
	id := f.cardPledge(t, pool, "pm_card_chargeDeclined")
	f.fillAndConfirm(t, pool)
	rec := f.card(t, id)
	if rec.Collected() != 0 || rec.GraceUntil == nil || rec.Failure == "" {
		t.Fatalf("after a declined charge: collected %d, grace %v, failure %q", rec.Collected(), rec.GraceUntil, rec.Failure)
	}
	if n := f.notifyTasks(t, "pledge:"+id+":charge-failed"); n != 1 {
		t.Errorf("%d charge-failed notices", n)
	}
	f.runCards(t) // inside the grace period nothing more happens
	if again := f.card(t, id); len(again.Charges) != 1 {
		t.Errorf("the same card was charged again during the grace period: %+v", again.Charges)
	}

	// Nobody saves another card; the grace period ends.
	_, err := f.m.DB.Collection("card_pledges").UpdateOne(context.Background(), bson.M{"_id": id},
		bson.M{"$set": bson.M{"grace_until": time.Now().UTC().Add(-time.Minute)}})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := f.m.Cards.ProcessGrace(context.Background()); err != nil || n != 1 {
		t.Fatalf("ProcessGrace: %d, %v", n, err)
	}
	f.runCards(t)
	v, err := f.m.Pools.MyPledge(f.as(t, "alice"), id)
	if err != nil || v.Status != pooling.PledgeReleased {
		t.Fatalf("after the grace period the pledge is %s, %v", v.Status, err)
	}
	// Two people are left below the minimum of three: the session cannot run.
	if p := f.pool(t, pool); p.Status != pooling.StatusFailed {
		t.Errorf("the pool is %s, want failed", p.Status)
	}
	f.mustReconcile(t)
	// Alice heard both, in her inbox, from the real triggers.
	f.deliverNotifications(t)
	got := map[string]bool{}
	for _, n := range f.inbox(t, "alice") {
		got[n.Ref] = true
	}
	for _, ref := range []string{"pledge:" + id + ":charge-failed", "pledge:" + id + ":lapsed"} {
		if !got[ref] {
			t.Errorf("alice's inbox lacks %s", ref)
		}
	}
}

func TestSavingAnotherCardDuringTheGracePeriodPays(t *testing.T) {
	t.Parallel()
	f := newCardFixture(t)
	f.double.DeclinePaymentMethod("pm_card_chargeDeclined", "card_declined", "")
	pool := f.newPool(t, pooling.Public, true)
	id := f.cardPledge(t, pool, "pm_card_chargeDeclined")
	f.fillAndConfirm(t, pool)
	alice := f.client("alice")
	resp, body := alice.do(http.MethodPost, "/api/v1/pledges/"+id+"/card-setup", nil)
	authzMustStatus(t, resp, body, http.StatusCreated)
	si, err := f.double.ConfirmSetupIntent(decode[payments.CardSetup](t, body).SetupIntentID, "pm_card_visa")
	if err != nil {
		t.Fatal(err)
	}
	si.PledgeID = id
	f.webhook(t, "setup_intent.succeeded", paymentstest.SetupIntentObject(si), http.StatusOK)
	f.runCards(t)
	if rec := f.card(t, id); rec.Collected() != 8_000 || rec.GraceUntil != nil {
		t.Errorf("after saving a working card: collected %d, grace %v", rec.Collected(), rec.GraceUntil)
	}
	f.mustReconcile(t)
}

// Cancelling a confirmed pool refunds what the card paid.
func TestACancelledPoolRefundsTheCard(t *testing.T) {
	t.Parallel()
	f := newCardFixture(t)
	pool := f.newPool(t, pooling.Public, true)
	id := f.cardPledge(t, pool, "pm_card_visa")
	f.fillAndConfirm(t, pool)
	if _, err := f.m.Pools.CancelPool(f.as(t, "ulo"), pool, "The venue closed.", ""); err != nil {
		t.Fatal(err)
	}
	f.runCards(t)
	rec := f.card(t, id)
	if rec.Collected() != 0 || len(rec.Refunds) != 1 || rec.Refunds[0].AmountPence != 8_000 {
		t.Errorf("after cancelling: collected %d, refunds %+v", rec.Collected(), rec.Refunds)
	}
	f.mustReconcile(t)
}

// Webhooks: a replayed event changes nothing; a bad signature is refused and stores
// nothing; without Stripe keys the card routes say card payments are not set up.
func TestCardWebhooksApplyOnceAndCardRoutesNeedStripe(t *testing.T) {
	t.Parallel()
	f := newCardFixture(t)
	pool := f.newPool(t, pooling.Public, true)
	id := f.cardPledge(t, pool, "pm_card_visa")
	before := f.card(t, id)
	payload := paymentstest.EventJSON("evt_card_replay", "setup_intent.succeeded", time.Now(), "",
		paymentstest.SetupIntentObject(payments.SetupIntent{ID: before.SetupIntentID, PledgeID: id, PaymentMethodID: "pm_card_other", Status: payments.SetupSucceeded}))
	sig := paymentstest.Sign(cardWebhookSecret, payload, time.Now())
	f.deliver(t, payload, sig, http.StatusOK)
	f.deliver(t, payload, sig, http.StatusOK)
	if got := f.card(t, id); got.Version != before.Version+1 || got.PaymentMethodID != "pm_card_other" {
		t.Errorf("after the event twice: version %d (was %d), card %s", got.Version, before.Version, got.PaymentMethodID)
	}
	f.deliver(t, payload, paymentstest.Sign("whsec_wrong", payload, time.Now()), http.StatusBadRequest)

	plain, srv := mustOpen(t)
	mustSeed(t, plain)
	bob := demoClient(t, srv.URL, "bob@"+demoDomain)
	resp, body := bob.do(http.MethodPost, "/api/v1/pledges/"+id+"/card-setup", nil)
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), "card-payments-not-set-up") {
		t.Errorf("card setup without Stripe: %d %s", resp.StatusCode, body)
	}
}

// Reconcile reports deliberate differences between the ledger and Stripe: a charge made
// at Stripe that the ledger does not know, and a ledger entry Stripe does not list.
func TestReconcileReportsDeliberateMismatches(t *testing.T) {
	t.Parallel()
	f := newCardFixture(t)
	pool := f.newPool(t, pooling.Public, true)
	f.cardPledge(t, pool, "pm_card_visa")
	f.fillAndConfirm(t, pool)
	f.mustReconcile(t)
	cust, err := f.double.CreateCustomer(context.Background(), payments.NewCustomer{UserID: "someone", IdempotencyKey: "stray-customer"})
	if err != nil {
		t.Fatal(err)
	}
	stray, err := f.double.ChargeOffSession(context.Background(), payments.OffSessionCharge{CustomerID: cust.ID, PaymentMethodID: "pm_card_visa",
		Amount: 1234, Currency: "gbp", TransferGroup: "pool_x", PledgeID: "x", PoolID: "x", IdempotencyKey: "stray"})
	if err != nil {
		t.Fatal(err)
	}
	forged := pooling.Entry{ID: "forged", Key: "card:charge:pi_forged", Op: payments.OpCardCharge, By: pooling.SystemActor, At: time.Now().UTC(),
		Lines: []pooling.Line{{Account: "stripe:platform:balance", AmountPence: 500}, {Account: "stripe:x:card", AmountPence: -500}}}
	if _, err := f.m.DB.Collection("ledger_entries").InsertOne(context.Background(), forged); err != nil {
		t.Fatal(err)
	}
	// An invoice payment the ledger never moved.
	inv := f.councilInvoice(t)
	if _, err := f.m.DB.Collection("invoices").UpdateOne(context.Background(), bson.M{"_id": inv}, bson.M{"$set": bson.M{"paid_pence": 100}}); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	err = f.m.reconcile(context.Background(), time.Now().Add(-time.Hour), &out)
	if err == nil || !strings.Contains(out.String(), "charge "+stray.ID) || !strings.Contains(out.String(), "entry card:charge:pi_forged") ||
		!strings.Contains(out.String(), "invoice:"+inv+": invoice says paid 100") {
		t.Errorf("reconcile after two mismatches: %v\n%s", err, out.String())
	}
}

func (f *cardFixture) notifyTasks(t *testing.T, ref string) int64 {
	t.Helper()
	n, err := f.m.DB.Collection("outbox").CountDocuments(context.Background(), bson.M{"topic": "notify", "ref": ref})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// deliverNotifications runs the notifications worker until its queue is empty.
func (f *cardFixture) deliverNotifications(t *testing.T) {
	t.Helper()
	out := f.m.DB.NewNotifyOutbox("cards")
	for range 10 {
		if _, err := f.m.Notify.Drain(context.Background(), out); err != nil {
			t.Fatal(err)
		}
	}
}

// inbox is a person's notifications, through the API.
func (f *cardFixture) inbox(t *testing.T, who string) []notify.Notification {
	t.Helper()
	resp, body := f.client(who).do(http.MethodGet, "/api/v1/me/notifications?limit=100", nil)
	authzMustStatus(t, resp, body, http.StatusOK)
	return decode[notify.InboxPage](t, body).Items
}

// Two tabs starting card setup for one pledge at the same moment both get the card form.
func TestCardSetupStartedTwiceAtOnceGivesBothTheForm(t *testing.T) {
	t.Parallel()
	f := newCardFixture(t)
	pool := f.newPool(t, pooling.Public, true)
	id := f.cardPledge(t, pool, "pm_card_visa")
	alice := f.client("alice")
	var wg sync.WaitGroup
	codes := make([]int, 4)
	for i := range codes {
		wg.Go(func() {
			resp, _ := alice.do(http.MethodPost, "/api/v1/pledges/"+id+"/card-setup", nil)
			codes[i] = resp.StatusCode
		})
	}
	wg.Wait()
	for i, code := range codes {
		if code != http.StatusCreated {
			t.Errorf("setup %d: %d", i, code)
		}
	}
}
