package payments

import (
	"context"
	"errors"
	"fmt"

	"github.com/carepool/carepool/pooling"
	"github.com/google/uuid"
)

// The ledger operations of card money.
const (
	OpCardCharge   pooling.Op = "card-charge"   // a card paid: the platform's Stripe balance rises
	OpCardRefund   pooling.Op = "card-refund"   // money went back to a card
	OpCardTransfer pooling.Op = "card-transfer" // money went to a provider's connected account, less the platform fee
)

// charge charges the saved card off-session and records the result. The idempotency key
// is derived from the pledge, the last billing period due and the number of charge
// attempts recorded, so a retry after a crash sends the same key and Stripe answers with
// the same PaymentIntent instead of charging again.
func (c *Cards) charge(ctx context.Context, gw Gateway, rec CardPledge, p pooling.Pledge, pool pooling.Pool, amount int64) error {
	key := fmt.Sprintf("pledge-%s-period-%d-charge-%d", p.ID, lastDuePeriod(pool), len(rec.Charges)+1)
	pi, err := gw.ChargeOffSession(ctx, OffSessionCharge{CustomerID: rec.CustomerID, PaymentMethodID: rec.PaymentMethodID,
		Amount: amount, Currency: "gbp", TransferGroup: transferGroup(p.PoolID), PledgeID: p.ID, PoolID: p.PoolID, IdempotencyKey: key})
	var decline *DeclineError
	switch {
	case errors.As(err, &decline):
		ch := CardCharge{Key: key, PaymentIntentID: decline.PaymentIntentID, PaymentMethodID: rec.PaymentMethodID,
			AmountPence: amount, Status: chargeFailed, DeclineCode: decline.DeclineCode, At: c.svc.now()}
		rec.Charges = append(rec.Charges, ch)
		return c.failed(ctx, rec, decline.Message)
	case err != nil:
		return fmt.Errorf("charge card of pledge %s: %w", p.ID, err) // not the card's fault: retried later
	}
	ch := CardCharge{Key: key, PaymentIntentID: pi.ID, ChargeID: pi.LatestChargeID, PaymentMethodID: rec.PaymentMethodID,
		AmountPence: pi.Amount, Status: chargeProcessing, At: c.svc.now()}
	if pi.Status != StatusSucceeded {
		rec.Charges = append(rec.Charges, ch)
		return c.save(ctx, rec, nil)
	}
	ch.Status = chargeSucceeded
	rec.Charges = append(rec.Charges, ch)
	return c.succeeded(ctx, rec, ch)
}

// succeeded records a successful charge with its ledger entry, and ends any grace period.
func (c *Cards) succeeded(ctx context.Context, rec CardPledge, ch CardCharge) error {
	rec.FailedAt, rec.GraceUntil, rec.Failure = nil, nil, ""
	e := c.chargeEntry(rec, ch)
	return c.save(ctx, rec, &e)
}

// chargeEntry is the ledger entry of a successful charge.
func (c *Cards) chargeEntry(rec CardPledge, ch CardCharge) pooling.Entry {
	return c.entry(rec, "card:charge:"+ch.PaymentIntentID, OpCardCharge,
		fmt.Sprintf("Card payment of %s for a pledge.", pooling.Pounds(ch.AmountPence)),
		pooling.Line{Account: stripeBalance(), AmountPence: ch.AmountPence},
		pooling.Line{Account: cardAccount(rec.PledgeID), AmountPence: -ch.AmountPence})
}

// failed records a declined charge and starts the grace period.
func (c *Cards) failed(ctx context.Context, rec CardPledge, reason string) error {
	return c.store.Tx(ctx, func(ctx context.Context) error {
		r := rec
		if err := c.startGrace(ctx, &r, reason); err != nil {
			return err
		}
		return c.saveIn(ctx, r)
	})
}

// startGrace gives the person until the end of the grace period to save a working card,
// and tells them, in the caller's transaction.
func (c *Cards) startGrace(ctx context.Context, rec *CardPledge, reason string) error {
	now := c.svc.now()
	until := now.Add(c.grace)
	rec.FailedAt, rec.GraceUntil, rec.Failure = &now, &until, reason
	return c.store.Enqueue(ctx, "notify", "pledge:"+rec.PledgeID+":charge-failed")
}

// refund gives back money no longer owed, from the newest successful charges first.
func (c *Cards) refund(ctx context.Context, gw Gateway, rec CardPledge, amount int64) error {
	for i := len(rec.Charges) - 1; i >= 0; i-- {
		ch := rec.Charges[i]
		left := ch.AmountPence - rec.refundedFrom(ch.PaymentIntentID)
		if ch.Status != chargeSucceeded || left <= 0 {
			continue
		}
		part := min(left, amount)
		key := fmt.Sprintf("pledge-%s-refund-%d", rec.PledgeID, len(rec.Refunds)+1)
		r, err := gw.Refund(ctx, RefundRequest{PaymentIntentID: ch.PaymentIntentID, Amount: part, Currency: "gbp", IdempotencyKey: key})
		if err != nil {
			return fmt.Errorf("refund card of pledge %s: %w", rec.PledgeID, err)
		}
		rec.Refunds = append(rec.Refunds, CardRefund{Key: key, RefundID: r.ID, PaymentIntentID: ch.PaymentIntentID, AmountPence: r.Amount, At: c.svc.now()})
		e := c.entry(rec, "card:refund:"+r.ID, OpCardRefund, fmt.Sprintf("Refund of %s to the card.", pooling.Pounds(r.Amount)),
			pooling.Line{Account: stripeBalance(), AmountPence: -r.Amount},
			pooling.Line{Account: cardAccount(rec.PledgeID), AmountPence: r.Amount})
		return c.save(ctx, rec, &e)
	}
	return fmt.Errorf("card pledge %s: %d to refund but no charge left to refund from", rec.PledgeID, amount)
}

func (c *CardPledge) refundedFrom(paymentIntentID string) int64 {
	var sum int64
	for _, r := range c.Refunds {
		if r.PaymentIntentID == paymentIntentID {
			sum += r.AmountPence
		}
	}
	return sum
}

// payInvoice pays a card invoice from the money the card has paid.
func (c *Cards) payInvoice(ctx context.Context, rec CardPledge, inv pooling.Invoice) error {
	amount := inv.OwingPence() - inv.PendingPence()
	if amount <= 0 || rec.Collected()-rec.paidToInvoices() < amount {
		return fmt.Errorf("card pledge %s: %d collected cannot pay %s", rec.PledgeID, rec.Collected(), inv.Reference)
	}
	key := fmt.Sprintf("card-%s-invoice-%s-%d", rec.PledgeID, inv.ID, len(rec.Paid)+1)
	if _, err := c.pools.PayInvoiceByCard(ctx, inv.ID, amount, "Card payment", key); err != nil {
		return err
	}
	rec.Paid = append(rec.Paid, CardPaid{InvoiceID: inv.ID, AmountPence: amount, FeePence: c.svc.PlatformFee(amount), At: c.svc.now()})
	return c.save(ctx, rec, nil)
}

// transfer pays the provider's connected account what an invoice paid, less the
// platform fee, in the pool's transfer group. Without a connected account that can take
// payouts it waits (the next sync tries again).
func (c *Cards) transfer(ctx context.Context, gw Gateway, rec CardPledge, i int) (bool, error) {
	paid := rec.Paid[i]
	acct, err := c.svc.store.ProviderAccount(ctx, rec.ProviderID)
	if errors.Is(err, ErrAccountNotFound) || (err == nil && (acct.AccountID == "" || !acct.CanTakeCards())) {
		return true, fmt.Errorf("provider %s cannot receive card payouts yet", rec.ProviderID)
	} else if err != nil {
		return false, err
	}
	net := paid.AmountPence - paid.FeePence
	t, err := gw.Transfer(ctx, TransferRequest{Amount: net, Currency: "gbp", DestinationAccountID: acct.AccountID,
		TransferGroup: transferGroup(rec.PoolID), PoolID: rec.PoolID, IdempotencyKey: fmt.Sprintf("card-%s-transfer-%s", rec.PledgeID, paid.InvoiceID)})
	if err != nil {
		return false, fmt.Errorf("transfer for pledge %s: %w", rec.PledgeID, err)
	}
	rec.Paid[i].TransferID = t.ID
	lines := []pooling.Line{{Account: stripeBalance(), AmountPence: -paid.AmountPence},
		{Account: payoutAccount(rec.ProviderID), AmountPence: net}}
	if paid.FeePence > 0 {
		lines = append(lines, pooling.Line{Account: stripeFees(), AmountPence: paid.FeePence})
	}
	e := c.entry(rec, "card:transfer:"+t.ID, OpCardTransfer,
		fmt.Sprintf("Transfer of %s to the provider (platform fee %s).", pooling.Pounds(net), pooling.Pounds(paid.FeePence)), lines...)
	return false, c.save(ctx, rec, &e)
}

func transferGroup(poolID string) string { return "pool_" + poolID }

// entry builds a ledger entry of card money for a pledge.
func (c *Cards) entry(rec CardPledge, key string, op pooling.Op, memo string, lines ...pooling.Line) pooling.Entry {
	return pooling.Entry{ID: newEntryID(), Key: key, Op: op, PoolID: rec.PoolID, ProviderID: rec.ProviderID,
		By: pooling.SystemActor, OnBehalfOf: rec.HolderID, At: c.svc.now(), Memo: memo, Lines: lines}
}

// save stores the record, with a ledger entry when money moved, in one transaction.
func (c *Cards) save(ctx context.Context, rec CardPledge, e *pooling.Entry) error {
	return c.store.Tx(ctx, func(ctx context.Context) error {
		if e != nil {
			if err := c.store.Post(ctx, *e); err != nil {
				return err
			}
		}
		return c.saveIn(ctx, rec)
	})
}

// saveIn stores the record in the caller's transaction, conditional on its version.
func (c *Cards) saveIn(ctx context.Context, rec CardPledge) error {
	expect := rec.Version
	rec.Version, rec.UpdatedAt = expect+1, c.svc.now()
	return c.store.SaveCardPledge(ctx, rec, expect)
}

// newEntryID returns a time-ordered id for a ledger entry.
func newEntryID() string {
	if id, err := uuid.NewV7(); err == nil {
		return id.String()
	}
	return uuid.NewString()
}
