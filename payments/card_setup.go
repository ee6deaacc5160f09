package payments

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/pooling"
)

// CardSetup is what the browser needs to save a card with Stripe Elements. The client
// secret is for the browser only: it is never logged or stored.
type CardSetup struct {
	PledgeID       string `json:"pledge_id"`
	SetupIntentID  string `json:"setup_intent_id"`
	ClientSecret   string `json:"client_secret"`
	PublishableKey string `json:"publishable_key,omitempty"`
}

// StartCardSetup starts saving a card for a card pledge (its holder, or whoever made the
// pledge): a Stripe customer for the holder (made once) and a SetupIntent for the pledge.
// It is also the "pay" link after a declined charge: a newly saved card is charged for
// what is due. The card counts as saved only when Stripe says so (webhook).
func (c *Cards) StartCardSetup(ctx context.Context, pledgeID string) (CardSetup, error) {
	a := account.ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return CardSetup{}, err
	}
	p, _, err := c.pools.PledgeForPlatform(ctx, pledgeID)
	if errors.Is(err, pooling.ErrPledgeNotFound) || (err == nil && a.UserID != p.HolderID && a.UserID != p.PledgedBy) {
		return CardSetup{}, pooling.ErrPledgeNotFound
	} else if err != nil {
		return CardSetup{}, err
	}
	gw, err := c.svc.Gateway()
	if err != nil {
		return CardSetup{}, err
	}
	switch {
	case p.PayBy != pooling.PayByCard:
		return CardSetup{}, apperr.Conflictf("not-a-card-pledge", "This pledge is paid by invoice, not by card.")
	case p.Status.Final():
		return CardSetup{}, apperr.Conflictf("pledge-closed", "This pledge is %s, so no card is needed.", p.Status)
	}
	rec, err := c.recordFor(ctx, p)
	if err != nil {
		return CardSetup{}, err
	}
	if rec.CustomerID == "" {
		cust, err := gw.CreateCustomer(ctx, NewCustomer{UserID: p.HolderID, IdempotencyKey: "customer-" + p.HolderID})
		if err != nil {
			return CardSetup{}, fmt.Errorf("create customer: %w", err)
		}
		rec.CustomerID = cust.ID
		if err := c.store.SaveCustomer(ctx, p.HolderID, cust.ID); err != nil {
			return CardSetup{}, err
		}
	}
	attempt := len(rec.SetupIntents) + 1
	si, err := gw.CreateSetupIntent(ctx, SetupIntentRequest{CustomerID: rec.CustomerID, PledgeID: p.ID,
		IdempotencyKey: fmt.Sprintf("pledge-%s-setup-%d", p.ID, attempt)})
	if err != nil {
		return CardSetup{}, fmt.Errorf("create setup intent: %w", err)
	}
	rec.SetupIntentID = si.ID
	rec.SetupIntents = append(rec.SetupIntents, si.ID)
	if err := c.save(ctx, rec, nil); err != nil {
		// Two tabs opened at once send the same idempotency key, so Stripe answered both
		// with this SetupIntent: whichever saved first recorded it for both.
		again, rerr := c.store.CardPledge(ctx, p.ID)
		if !errors.Is(err, ErrChanged) || rerr != nil || !slices.Contains(again.SetupIntents, si.ID) {
			return CardSetup{}, err
		}
	}
	return CardSetup{PledgeID: p.ID, SetupIntentID: si.ID, ClientSecret: si.ClientSecret, PublishableKey: c.publishableKey}, nil
}

// recordFor returns a pledge's card record, or a new one.
func (c *Cards) recordFor(ctx context.Context, p pooling.Pledge) (CardPledge, error) {
	rec, err := c.store.CardPledge(ctx, p.ID)
	if !errors.Is(err, ErrCardPledgeNotFound) {
		return rec, err
	}
	cust, err := c.store.Customer(ctx, p.HolderID)
	if err != nil {
		return rec, err
	}
	return CardPledge{PledgeID: p.ID, PoolID: p.PoolID, ProviderID: p.ProviderID, HolderID: p.HolderID, CustomerID: cust,
		Charges: []CardCharge{}, Refunds: []CardRefund{}, Paid: []CardPaid{}}, nil
}

// onSetupSucceeded records the card a SetupIntent saved, and queues the pledge for the
// worker (which tells pooling, and charges what is due). Only SetupIntents this record
// started count.
func (c *Cards) onSetupSucceeded(ctx context.Context, e Event) error {
	si := e.SetupIntent
	if si == nil || si.PledgeID == "" || si.PaymentMethodID == "" {
		return nil
	}
	rec, err := c.store.CardPledge(ctx, si.PledgeID)
	if errors.Is(err, ErrCardPledgeNotFound) {
		return nil // not ours
	} else if err != nil {
		return err
	}
	if !slices.Contains(rec.SetupIntents, si.ID) || rec.PaymentMethodID == si.PaymentMethodID {
		return nil
	}
	now := c.svc.now()
	rec.PaymentMethodID, rec.CardSavedAt = si.PaymentMethodID, &now
	if err := c.saveIn(ctx, rec); err != nil {
		return err
	}
	return c.store.Enqueue(ctx, pooling.CardTopic, "pledge:"+rec.PledgeID)
}

// onPaymentIntent settles a charge that was still processing when it was made: it
// succeeded (the money is recorded in the ledger) or failed (the grace period starts).
func (c *Cards) onPaymentIntent(ctx context.Context, e Event) error {
	pi := e.PaymentIntent
	if pi == nil || pi.PledgeID == "" {
		return nil
	}
	rec, err := c.store.CardPledge(ctx, pi.PledgeID)
	if errors.Is(err, ErrCardPledgeNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	i := slices.IndexFunc(rec.Charges, func(ch CardCharge) bool { return ch.PaymentIntentID == pi.ID })
	if i < 0 || rec.Charges[i].Status != chargeProcessing {
		return nil // unknown, or already known how it ended (events can come twice, late, or out of order)
	}
	ch := &rec.Charges[i]
	if pi.Status == StatusSucceeded {
		ch.Status, ch.ChargeID = chargeSucceeded, pi.LatestChargeID
		rec.FailedAt, rec.GraceUntil, rec.Failure = nil, nil, ""
		if err := c.store.Post(ctx, c.chargeEntry(rec, *ch)); err != nil {
			return err
		}
	} else {
		ch.Status = chargeFailed
		if err := c.startGrace(ctx, &rec, "The card payment did not go through."); err != nil {
			return err
		}
	}
	if err := c.saveIn(ctx, rec); err != nil {
		return err
	}
	return c.store.Enqueue(ctx, pooling.CardTopic, "pledge:"+rec.PledgeID)
}

// ProcessGrace queues every card pledge whose grace period has ended, so the worker
// lapses it (or charges a card saved meanwhile). Run it from a job.
func (c *Cards) ProcessGrace(ctx context.Context) (int, error) {
	recs, err := c.store.CardPledgesInGrace(ctx, c.svc.now())
	if err != nil {
		return 0, err
	}
	for _, r := range recs {
		if err := c.store.Enqueue(ctx, pooling.CardTopic, "pledge:"+r.PledgeID); err != nil {
			return 0, err
		}
	}
	return len(recs), nil
}
