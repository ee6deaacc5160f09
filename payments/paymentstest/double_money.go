package paymentstest

import (
	"context"
	"fmt"
	"time"

	"github.com/carepool/carepool/payments"
)

// ChargeOffSession implements payments.Gateway. A decline (DeclineNext,
// DeclinePaymentMethod) creates the PaymentIntent with status requires_payment_method
// and a failed charge, and is returned again for the same key, as Stripe does.
func (d *Double) ChargeOffSession(ctx context.Context, req payments.OffSessionCharge) (payments.PaymentIntent, error) {
	if err := req.Validate(); err != nil {
		return payments.PaymentIntent{}, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	const op = "POST /v1/payment_intents"
	if r, err, done := d.begin(op, req.IdempotencyKey, req); done {
		return replay[payments.PaymentIntent](r, err)
	}
	if _, ok := d.customers[req.CustomerID]; !ok {
		err := fmt.Errorf("double: charge: no such customer %s", req.CustomerID)
		d.remember(op, req.IdempotencyKey, req, payments.PaymentIntent{}, err)
		return payments.PaymentIntent{}, err
	}
	pi := payments.PaymentIntent{ID: d.newID("pi"), Status: payments.StatusSucceeded, Amount: req.Amount, Currency: payments.GBP,
		CustomerID: req.CustomerID, PaymentMethodID: req.PaymentMethodID, TransferGroup: req.TransferGroup,
		PledgeID: req.PledgeID, PoolID: req.PoolID}
	ch := payments.Charge{ID: d.newID("ch"), PaymentIntentID: pi.ID, Amount: req.Amount, Currency: payments.GBP,
		Status: "succeeded", TransferGroup: req.TransferGroup, Created: d.stamp()}
	pi.LatestChargeID = ch.ID
	var err error
	if dec, ok := d.takeDecline(req.PaymentMethodID); ok {
		pi.Status, ch.Status = payments.StatusRequiresPaymentMethod, "failed"
		pi.LastError = payments.NewDeclineError(dec.code, dec.declineCode, pi.ID)
		err = fmt.Errorf("double: charge card off-session: %w", pi.LastError)
	}
	d.paymentIntents[pi.ID] = pi
	d.charges = append(d.charges, ch)
	d.remember(op, req.IdempotencyKey, req, pi, err)
	return pi, err
}

// takeDecline returns the decline the next charge on paymentMethodID gets, if any.
func (d *Double) takeDecline(paymentMethodID string) (decline, bool) {
	if len(d.declineNext) > 0 {
		dec := d.declineNext[0]
		d.declineNext = d.declineNext[1:]
		return dec, true
	}
	dec, ok := d.declineMethod[paymentMethodID]
	return dec, ok
}

// stamp is the time Stripe would give a new object: whole seconds.
func (d *Double) stamp() time.Time { return d.now().UTC().Truncate(time.Second) }

// Refund implements payments.Gateway. Refunding more than is left of the charge is
// refused, as Stripe refuses it.
func (d *Double) Refund(ctx context.Context, req payments.RefundRequest) (payments.Refund, error) {
	if err := req.Validate(); err != nil {
		return payments.Refund{}, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	const op = "POST /v1/refunds"
	if r, err, done := d.begin(op, req.IdempotencyKey, req); done {
		return replay[payments.Refund](r, err)
	}
	fail := func(err error) (payments.Refund, error) {
		d.remember(op, req.IdempotencyKey, req, payments.Refund{}, err)
		return payments.Refund{}, err
	}
	pi, ok := d.paymentIntents[req.PaymentIntentID]
	if !ok {
		return fail(fmt.Errorf("double: refund: %w", payments.ErrNotFound))
	}
	i := d.chargeIndex(pi.LatestChargeID)
	if pi.Status != payments.StatusSucceeded || i < 0 {
		return fail(fmt.Errorf("double: refund: payment intent %s has no successful charge", pi.ID))
	}
	ch := &d.charges[i]
	if left := ch.Amount - ch.AmountRefunded; req.Amount > left {
		return fail(fmt.Errorf("double: refund: %d pence is more than the %d pence left of charge %s", req.Amount, left, ch.ID))
	}
	ch.AmountRefunded += req.Amount
	r := payments.Refund{ID: d.newID("re"), PaymentIntentID: pi.ID, ChargeID: ch.ID, Amount: req.Amount, Currency: payments.GBP,
		Status: "succeeded", Created: d.stamp()}
	d.refunds = append(d.refunds, r)
	d.remember(op, req.IdempotencyKey, req, r, nil)
	return r, nil
}

func (d *Double) chargeIndex(id string) int {
	for i, ch := range d.charges {
		if ch.ID == id {
			return i
		}
	}
	return -1
}

// Transfer implements payments.Gateway. The destination must be a connected account
// the Double created.
func (d *Double) Transfer(ctx context.Context, req payments.TransferRequest) (payments.Transfer, error) {
	if err := req.Validate(); err != nil {
		return payments.Transfer{}, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	const op = "POST /v1/transfers"
	if r, err, done := d.begin(op, req.IdempotencyKey, req); done {
		return replay[payments.Transfer](r, err)
	}
	if _, ok := d.accounts[req.DestinationAccountID]; !ok {
		err := fmt.Errorf("double: transfer: no such destination account %s", req.DestinationAccountID)
		d.remember(op, req.IdempotencyKey, req, payments.Transfer{}, err)
		return payments.Transfer{}, err
	}
	t := payments.Transfer{ID: d.newID("tr"), Amount: req.Amount, Currency: payments.GBP, DestinationAccountID: req.DestinationAccountID,
		TransferGroup: req.TransferGroup, Created: d.stamp()}
	d.transfers = append(d.transfers, t)
	d.remember(op, req.IdempotencyKey, req, t, nil)
	return t, nil
}

// ChargesSince implements payments.Gateway.
func (d *Double) ChargesSince(ctx context.Context, since time.Time) ([]payments.Charge, error) {
	return listSince(d, "GET /v1/charges", func() []payments.Charge { return d.charges }, since, func(c payments.Charge) time.Time { return c.Created })
}

// RefundsSince implements payments.Gateway.
func (d *Double) RefundsSince(ctx context.Context, since time.Time) ([]payments.Refund, error) {
	return listSince(d, "GET /v1/refunds", func() []payments.Refund { return d.refunds }, since, func(r payments.Refund) time.Time { return r.Created })
}

// TransfersSince implements payments.Gateway.
func (d *Double) TransfersSince(ctx context.Context, since time.Time) ([]payments.Transfer, error) {
	return listSince(d, "GET /v1/transfers", func() []payments.Transfer { return d.transfers }, since, func(t payments.Transfer) time.Time { return t.Created })
}

// listSince lists what was created at or after since (compared in whole seconds, as
// Stripe's created[gte] is), oldest first: the order things were created in. all is
// read with the lock held.
func listSince[T any](d *Double, op string, all func() []T, since time.Time, created func(T) time.Time) ([]T, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, err, done := d.begin(op, "", nil); done {
		return nil, err
	}
	out := []T{}
	for _, x := range all() {
		if created(x).Unix() >= since.Unix() {
			out = append(out, x)
		}
	}
	return out, nil
}
