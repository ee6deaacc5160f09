package payments

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/carepool/carepool/pooling"
)

// maxSyncSteps bounds one Sync: a step makes at most one call to Stripe, and a pledge
// needs a handful (charge, pay the invoice, transfer, maybe refund).
const maxSyncSteps = 12

// Sync makes a card pledge's money match what pooling says it owes: tell pooling the
// card is saved, charge what is due, refund what is no longer owed, pay card invoices
// from the money collected and transfer it to the provider. It is safe to run any number
// of times from any server copy: every Stripe call carries an idempotency key derived
// from the record, and each result is saved with its ledger entry, in one transaction,
// before the next call. A declined card starts the grace period (the person is told, and
// may save another card); once it ends, the pledge lapses. The payments worker runs it
// for each "funding pledge:<id>" task.
func (c *Cards) Sync(ctx context.Context, pledgeID string) error {
	gw, err := c.svc.Gateway()
	if err != nil {
		return err
	}
	for range maxSyncSteps {
		done, err := c.step(ctx, gw, pledgeID)
		if err != nil || done {
			return err
		}
	}
	return fmt.Errorf("card pledge %s: money still moving after %d steps", pledgeID, maxSyncSteps)
}

// step does the first thing a card pledge needs, and reports whether nothing is left.
func (c *Cards) step(ctx context.Context, gw Gateway, pledgeID string) (bool, error) {
	p, pool, err := c.pools.PledgeForPlatform(ctx, pledgeID)
	if err != nil {
		return false, err
	}
	if p.PayBy != pooling.PayByCard {
		return true, nil
	}
	rec, err := c.store.CardPledge(ctx, pledgeID)
	if errors.Is(err, ErrCardPledgeNotFound) {
		return true, nil // no card started yet: nothing to move
	} else if err != nil {
		return false, err
	}
	if rec.PaymentMethodID != "" && !rec.Approved {
		return false, c.approve(ctx, rec)
	}
	all, err := c.pools.InvoicesForPlatform(ctx, p.PoolID)
	if err != nil {
		return false, err
	}
	invoices := cardInvoices(p.ID, all)
	target, collected := owed(p, pool, invoices), rec.Collected()
	switch {
	case slices.ContainsFunc(rec.Charges, func(ch CardCharge) bool { return ch.Status == chargeProcessing }):
		return true, nil // Stripe's webhook will say how it ended
	case target > collected:
		return c.chargeOrWait(ctx, gw, rec, p, pool, invoices, target-collected)
	case collected > target:
		return false, c.refund(ctx, gw, rec, collected-target)
	}
	for _, inv := range invoices {
		if inv.OwingPence() > 0 {
			return false, c.payInvoice(ctx, rec, inv)
		}
	}
	for i, paid := range rec.Paid {
		if paid.TransferID == "" {
			done, err := c.transfer(ctx, gw, rec, i)
			return done, err
		}
	}
	return true, nil
}

// approve tells pooling the card is saved, then records that it did.
func (c *Cards) approve(ctx context.Context, rec CardPledge) error {
	if _, err := c.pools.CardSaved(ctx, rec.PledgeID); err != nil {
		return err
	}
	rec.Approved = true
	return c.save(ctx, rec, nil)
}

// chargeOrWait charges what is due, unless the last charge on this card failed: then
// the person has until the end of the grace period to save another card, after which
// the pledge lapses from the first session it has not paid for.
func (c *Cards) chargeOrWait(ctx context.Context, gw Gateway, rec CardPledge, p pooling.Pledge, pool pooling.Pool,
	invoices []pooling.Invoice, amount int64) (bool, error) {
	if rec.PaymentMethodID == "" {
		return true, nil
	}
	if rec.GraceUntil != nil && rec.lastFailedCard() == rec.PaymentMethodID {
		if c.svc.now().Before(*rec.GraceUntil) {
			return true, nil
		}
		return false, c.lapse(ctx, rec, p, pool, invoices)
	}
	return false, c.charge(ctx, gw, rec, p, pool, amount)
}

// lapseReason is what the person reads on their pledge.
const lapseReason = "The card payment failed and no other card was saved in time, so your place was released."

func (c *Cards) lapse(ctx context.Context, rec CardPledge, p pooling.Pledge, pool pooling.Pool, invoices []pooling.Invoice) error {
	from := firstUnpaidSession(p, pool, invoices, rec.Collected())
	if from < 0 {
		from = len(pool.Sessions)
	}
	if !p.Status.Final() {
		if _, err := c.pools.LapsePledge(ctx, p.ID, from, lapseReason); err != nil {
			return err
		}
	}
	rec.Lapsed, rec.GraceUntil = true, nil
	return c.save(ctx, rec, nil)
}

// lastFailedCard is the card of the last failed charge, or "".
func (c *CardPledge) lastFailedCard() string {
	for i := len(c.Charges) - 1; i >= 0; i-- {
		if c.Charges[i].Status == chargeFailed {
			return c.Charges[i].PaymentMethodID
		}
	}
	return ""
}
