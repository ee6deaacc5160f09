package frontend

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/carepool/carepool/infra/store"
	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/payments"
	"github.com/carepool/carepool/payments/paymentstest"
	"github.com/carepool/carepool/payments/stripe"
	"github.com/carepool/carepool/pooling"
)

// The card pages in process: the real pooling and payments services on the embedded
// store, with the payments test double in Stripe's place (it remembers SetupIntents and
// can decline a card, which stripe-mock cannot) and Stripe's webhooks signed as Stripe
// signs them and verified by the Stripe adapter.

const cardTestSecret = "whsec_frontend_cards"

// cardApp is the pages with card payments (or, without cards, a payments service with
// no Stripe keys, as on a site without STRIPE_SECRET_KEY).
type cardApp struct {
	*testApp
	pools  *pooling.Service
	svc    *payments.Service
	cards  *payments.Cards // nil without cards
	double *paymentstest.Double
	events atomic.Int64
}

func newCardApp(t testing.TB, withCards bool) *cardApp {
	t.Helper()
	a := &cardApp{testApp: newTestServices(t), double: paymentstest.NewDouble(time.Now)}
	db, accounts := a.db, a.accounts
	var gw payments.Gateway
	var verifier payments.Verifier
	if withCards {
		gw, verifier = a.double, stripe.NewVerifier(cardTestSecret)
	}
	a.svc = payments.NewService(store.NewPayments(db), store.NewDirectory(db), gw, verifier, payments.Config{PlatformFeeBasisPoints: 250})
	poolCfg := pooling.Config{Instance: "test"}
	if withCards {
		poolCfg.Cards = a.svc
	}
	a.pools = pooling.NewService(store.NewPooling(db), a.market, store.NewDirectory(db), accounts, poolCfg)
	cfg := Config{Accounts: a.accounts, Market: a.market, Pools: a.pools, ProviderPayments: a.svc,
		Logger: slog.New(slog.NewTextHandler(logSink(), nil))}
	if withCards {
		a.cards = payments.NewCards(a.svc, a.pools, store.NewCards(db), payments.CardConfig{PublishableKey: "pk_test_carepool"})
		cfg.Cards = a.cards
	}
	a.serve(cfg)
	return a
}

// webhook delivers a signed Stripe event to the payments service, as its endpoint does.
func (a *cardApp) webhook(eventType string, object map[string]any) {
	a.t.Helper()
	// Stripe stamps events in whole seconds, after what it last answered.
	payload := paymentstest.EventJSON(fmt.Sprintf("evt_pages_%d", a.events.Add(1)), eventType, time.Now().Add(2*time.Second), "", object)
	if err := a.svc.HandleWebhook(context.Background(), payload, paymentstest.Sign(cardTestSecret, payload, time.Now())); err != nil {
		a.t.Fatalf("webhook %s: %v", eventType, err)
	}
}

// enableCards onboards a provider (as its owner) and has Stripe report that it can
// take charges and payouts.
func (a *cardApp) enableCards(owner context.Context, providerID string) {
	a.t.Helper()
	if _, err := a.svc.StartOnboarding(owner, providerID, a.url+providerCardsURL(providerID)); err != nil {
		a.t.Fatal(err)
	}
	rec, err := store.NewPayments(a.db).ProviderAccount(context.Background(), providerID)
	if err != nil {
		a.t.Fatal(err)
	}
	acct, err := a.double.SetAccountStatus(rec.AccountID, payments.AccountStatus{ChargesEnabled: true, PayoutsEnabled: true, DetailsSubmitted: true})
	if err != nil {
		a.t.Fatal(err)
	}
	acct.ProviderID = providerID
	a.webhook("account.updated", paymentstest.AccountObject(acct))
}

// saveCard does what the browser and Stripe do once the person has typed a card into
// the SetupIntent's form: Stripe confirms it and tells us by webhook, and the payments
// worker runs.
func (a *cardApp) saveCard(pledgeID, setupIntentID, paymentMethod string) {
	a.t.Helper()
	si, err := a.double.ConfirmSetupIntent(setupIntentID, paymentMethod)
	if err != nil {
		a.t.Fatal(err)
	}
	si.PledgeID = pledgeID
	a.webhook("setup_intent.succeeded", paymentstest.SetupIntentObject(si))
	a.sync(pledgeID)
}

// sync runs the payments worker for a pledge.
func (a *cardApp) sync(pledgeID string) {
	a.t.Helper()
	if err := a.cards.Sync(context.Background(), pledgeID); err != nil {
		a.t.Fatalf("sync card pledge %s: %v", pledgeID, err)
	}
}

// cardWorld is a provider that can take cards (with an owner and a plain member) and
// its open pool (£480 a session for 4 to 8 people, 8 weekly sessions), a provider that
// has not set up card payments and its open pool, and alice, who holds a direct payment
// and an individual service fund.
type cardWorld struct {
	a                         *cardApp
	providerID, slowID        string
	ownerEmail, memberEmail   string
	slowOwnerEmail            string
	aliceEmail, strangerEmail string
	adminEmail                string
	owner, alice              context.Context
	pool, slowPool            pooling.PoolView
	aliceDirect, aliceISF     string
	invoicePledge             string // alice's pledge by invoice to the slow provider's pool
}

func newCardWorld(t *testing.T, withCards bool) *cardWorld {
	t.Helper()
	a := newCardApp(t, withCards)
	w := &cardWorld{a: a}
	check := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	w.providerID, w.ownerEmail, w.owner = a.provider("Headingley Arts Group")
	w.memberEmail, _ = a.user("Mo Member")
	_, err := a.accounts.AddMember(w.owner, w.providerID, account.NewMember{Email: w.memberEmail, Role: account.RoleMember})
	check(err)
	slowID, slowOwnerEmail, slowOwner := a.provider("Slow Start Group")
	w.slowOwnerEmail = slowOwnerEmail
	w.slowID = slowID
	if withCards {
		a.enableCards(w.owner, w.providerID)
	}
	in := sampleOffer("Friday art and lunch")
	in.BudgetForms = append(in.BudgetForms, marketplace.ISF)
	day := time.Now().UTC().Truncate(24 * time.Hour)
	open := func(owner context.Context, providerID, title string) pooling.PoolView {
		o := a.offer(owner, providerID, in, true)
		v, err := a.pools.ProposePool(owner, pooling.PoolInput{OfferID: o.ID, OrganiserOrgID: providerID, Title: title,
			Description: "A weekly art group.", Visibility: pooling.Public, Deadline: day.AddDate(0, 0, 21),
			Schedule: pooling.Schedule{FirstSession: day.AddDate(0, 0, 28).Add(10 * time.Hour), EveryDays: 7, Sessions: 8, NoticeDays: 14}})
		if err == nil {
			v, err = a.pools.OpenPool(owner, v.ID)
		}
		check(err)
		return v
	}
	w.pool = open(w.owner, w.providerID, "Friday art for Headingley")
	w.slowPool = open(slowOwner, slowID, "Friday art at Slow Start")

	var secret string
	w.aliceEmail, secret = a.user("Alice Holder")
	w.alice = a.as(secret)
	direct, err := a.pools.AddBudget(w.alice, pooling.BudgetInput{Form: marketplace.DirectPayment, Label: "Direct payment", ActualPence: 500_000})
	check(err)
	w.aliceDirect = direct.ID
	_, isfSecret := a.user("Ian Isf")
	isfOrg, err := a.accounts.CreateOrganisation(a.as(isfSecret), account.NewOrganisation{Name: "Leeds Support", Kinds: []account.OrgKind{account.KindISFProvider}})
	check(err)
	isf, err := a.pools.OpenISFAccount(a.as(isfSecret), isfOrg.ID, pooling.ISFInput{HolderID: account.ActorFrom(w.alice).UserID, Label: "Alice's ISF", AllocatedPence: 200_000}, "isf-1")
	check(err)
	w.aliceISF = isf.ID
	pl, err := a.pools.Pledge(w.alice, w.slowPool.ID, pooling.PledgeInput{BudgetID: w.aliceDirect, LimitPence: 12_000}, "slow-1")
	check(err)
	w.invoicePledge = pl.ID
	w.strangerEmail, _ = a.user("Stella Stranger")
	w.adminEmail, _ = a.user("Ada Admin")
	check(a.accounts.SetAdmin(context.Background(), w.adminEmail, true))
	return w
}

// fillAndConfirm adds three people paying by invoice at £120 a session and confirms the
// pool as its organiser: four people at £120 each.
func (w *cardWorld) fillAndConfirm(t *testing.T) {
	t.Helper()
	for i := range 3 {
		_, secret := w.a.user(fmt.Sprintf("Other%d Holder", i))
		ctx := w.a.as(secret)
		b, err := w.a.pools.AddBudget(ctx, pooling.BudgetInput{Form: marketplace.DirectPayment})
		if err == nil {
			_, err = w.a.pools.Pledge(ctx, w.pool.ID, pooling.PledgeInput{BudgetID: b.ID, LimitPence: 12_000}, "")
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.a.pools.ConfirmPool(w.owner, w.pool.ID, "confirm-"+w.pool.ID); err != nil {
		t.Fatal(err)
	}
}

// setupIntent is the SetupIntent the card page started last for a pledge.
func (a *cardApp) setupIntent(pledgeID string) string {
	a.t.Helper()
	rec, err := store.NewCards(a.db).CardPledge(context.Background(), pledgeID)
	if err != nil {
		a.t.Fatal(err)
	}
	return rec.SetupIntentID
}
