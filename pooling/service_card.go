package pooling

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/carepool/carepool/infra/apperr"
)

// The methods of this file act for the platform (the payments worker and Stripe's
// webhooks), not for a caller: never expose them over HTTP.

// CardSaved records that a card pledge's card is saved for later payments (Stripe's
// setup_intent.succeeded): the pledge has its card_saved approval, and with its last
// approval it counts. Repeating it changes nothing.
func (s *Service) CardSaved(ctx context.Context, pledgeID string) (PledgeView, error) {
	err := s.store.Tx(ctx, func(ctx context.Context) error {
		p, err := s.store.Pledge(ctx, pledgeID)
		if err != nil {
			return err
		}
		if !slices.Contains(p.Needs, ApprovalCard) {
			return nil // already saved, or the pledge went meanwhile
		}
		b, err := s.store.Budget(ctx, p.BudgetID)
		if err != nil {
			return err
		}
		w, err := s.load(ctx, p.PoolID)
		if err != nil {
			return err
		}
		pl := w.pledge(p.ID)
		w.op, w.by, w.onBehalf = OpApprove, SystemActor, pl.HolderID
		w.memo = "Card saved for this pledge."
		if err := s.grant(w, pl, b, ApprovalCard, SystemActor, s.now()); err != nil {
			return err
		}
		return w.commit(ctx)
	})
	if err != nil {
		return PledgeView{}, wrap(err, "card saved for pledge %s", pledgeID)
	}
	return s.pledgeView(ctx, pledgeID)
}

// LapsePledge takes a card pledge whose payment failed and was not made within its grace
// period out of its pool, from session `from` on (the first session it has not paid
// for): like leaving without notice. The pool is re-evaluated: the others' shares are
// recomputed within their limits; sessions that no longer work are cancelled, and a pool
// left with none that can run fails (everything is released, and card money refunded).
func (s *Service) LapsePledge(ctx context.Context, pledgeID string, from int, reason string) (PledgeView, error) {
	err := s.store.Tx(ctx, func(ctx context.Context) error {
		p, err := s.store.Pledge(ctx, pledgeID)
		if err != nil {
			return err
		}
		w, err := s.load(ctx, p.PoolID)
		if err != nil {
			return err
		}
		pl, now := w.pledge(p.ID), s.now()
		if pl.Status.Final() || pl.PayBy != PayByCard {
			return apperr.Conflictf("pledge-closed", "This pledge cannot lapse: it is %s.", pl.Status)
		}
		w.op, w.by, w.onBehalf = OpWithdraw, SystemActor, pl.HolderID
		w.memo = "A card payment was not made in time: the pledge lapses and its place is released."
		w.notify = append(w.notify, "pledge:"+pl.ID+":lapsed")
		if pl.seated() || pl.Status != PledgeConfirmed {
			pl.set(PledgeReleased, SystemActor, now, reason)
			w.pool.Taken--
			return w.commit(ctx)
		}
		lapse(&w.pool, w.pledges, pl, max(from, pl.From), now, reason)
		w.notify = append(w.notify, "pool:"+w.pool.ID+":shares-changed")
		if err := advance(&w.pool, w.pledges, RoleSystem, SystemActor, now); err != nil {
			return err
		}
		return w.commit(ctx)
	})
	if err != nil {
		return PledgeView{}, wrap(err, "lapse pledge %s", pledgeID)
	}
	return s.pledgeView(ctx, pledgeID)
}

// PayInvoiceByCard records that a card invoice was paid from its pledge's card charges
// (the payments worker, with its own idempotency key).
func (s *Service) PayInvoiceByCard(ctx context.Context, invoiceID string, amount int64, ref, key string) (Invoice, error) {
	var out Invoice
	err := s.store.Tx(ctx, func(ctx context.Context) error {
		inv, err := s.store.Invoice(ctx, invoiceID)
		if err != nil {
			return err
		}
		for _, p := range inv.Payments {
			if p.ID == key {
				out = inv
				return nil // done before
			}
		}
		if inv.Payer.Kind != "card" {
			return apperr.Conflictf("not-a-card-invoice", "Invoice %s is not paid by card.", inv.Reference)
		}
		if amount <= 0 || amount > inv.OwingPence()-inv.PendingPence() {
			return fmt.Errorf("card payment of %d for invoice %s owing %d", amount, inv.Reference, inv.OwingPence())
		}
		w, err := s.load(ctx, inv.PoolID)
		if err != nil {
			return err
		}
		now := s.now()
		w.op, w.by, w.invoice, w.invoiceRead = OpSettle, SystemActor, &inv, inv.Version
		pay := InvoicePayment{ID: key, AmountPence: amount, Method: PayCard, Reference: ref, Status: PaymentApplied,
			RecordedBy: SystemActor, RecordedAt: now, ApprovedBy: SystemActor, AppliedAt: &now}
		inv.Payments = append(inv.Payments, pay)
		if err := w.applyPayment(ctx, pay); err != nil {
			return err
		}
		out = inv
		return w.commit(ctx)
	})
	return out, err
}

// lapse ends a confirmed pledge's part in a pool at session from, and shares the
// sessions after it among the others.
func lapse(pool *Pool, pledges []*Pledge, p *Pledge, from int, now time.Time, reason string) {
	p.Until, p.Active = from, false
	if p.Until <= p.From {
		p.set(PledgeReleased, SystemActor, now, reason)
	} else {
		p.History = append(p.History, PledgeEvent{At: now, By: SystemActor, Status: p.Status,
			Note: fmt.Sprintf("lapsed: leaves before session %d (%s)", from+1, reason)})
	}
	pool.Taken--
	reshare(pool, pledges, from)
}

// PledgeForPlatform returns a pledge and its pool as they are, for the platform's own
// workers (the payments worker), without a caller's checks.
func (s *Service) PledgeForPlatform(ctx context.Context, id string) (Pledge, Pool, error) {
	p, err := s.store.Pledge(ctx, id)
	if err != nil {
		return Pledge{}, Pool{}, err
	}
	pool, err := s.store.Pool(ctx, p.PoolID)
	if err != nil {
		return Pledge{}, Pool{}, fmt.Errorf("pool of pledge %s: %w", id, err)
	}
	return p, pool, nil
}

// InvoicesForPlatform returns a pool's invoices, for the platform's own workers.
func (s *Service) InvoicesForPlatform(ctx context.Context, poolID string) ([]Invoice, error) {
	return s.store.Invoices(ctx, InvoiceQuery{PoolID: poolID})
}

func (s *Service) pledgeView(ctx context.Context, id string) (PledgeView, error) {
	p, pool, err := s.PledgeForPlatform(ctx, id)
	if err != nil {
		return PledgeView{}, err
	}
	return pledgeViewOf(p, pool), nil
}
