package pooling

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace/account"
)

// DeliveryInput is what a provider records about a session it delivered.
type DeliveryInput struct {
	Session  int      `json:"session"`  // 0-based index into the pool's sessions
	Attended []string `json:"attended"` // pledge ids of the people who came (for the record; everyone in the session pays)
}

// RecordDelivery records that a session took place (the provider's members only): each
// participant's share moves from the pool's holding to the provider's receivable, and
// the rest of their limit for that session is released. Recording the last session
// delivers the pool. key is the Idempotency-Key.
func (s *Service) RecordDelivery(ctx context.Context, poolID string, in DeliveryInput, key string) (PoolView, error) {
	a := account.ActorFrom(ctx)
	in.Attended = slices.Compact(slices.Sorted(slices.Values(in.Attended)))
	return s.change(ctx, key, OpDeliver, struct {
		ID string
		In DeliveryInput
	}{poolID, in}, poolID, func(ctx context.Context, w *work) error {
		if err := requireProvider(a, &w.pool); err != nil {
			return err
		}
		if w.pool.Status != StatusConfirmed {
			return apperr.Conflictf("pool-not-confirmed", "Sessions can be recorded only for a confirmed pool.")
		}
		j := in.Session
		if j < 0 || j >= len(w.pool.Sessions) {
			var f apperr.Fields
			f.Add("session", "must be between 0 and %d", len(w.pool.Sessions)-1)
			return f.Err()
		}
		sess := &w.pool.Sessions[j]
		now := s.now()
		switch {
		case sess.Status == SessionDelivered:
			return apperr.Conflictf("session-delivered", "This session is already recorded as delivered.")
		case sess.Status == SessionCancelled:
			return apperr.Conflictf("session-cancelled", "This session was cancelled: %s", sess.CancelReason)
		case sess.StartsAt.After(now):
			return apperr.Conflictf("session-not-started", "This session has not started yet.")
		}
		for i, id := range in.Attended {
			if p := w.pledge(id); p == nil || !p.participates(j) {
				var f apperr.Fields
				f.Add(fmt.Sprintf("attended[%d]", i), "is not a pledge taking part in this session")
				return f.Err()
			}
		}
		sess.Status, sess.DeliveredAt, sess.DeliveredBy, sess.Attended = SessionDelivered, &now, a.UserID, in.Attended
		w.memo = fmt.Sprintf("Session %d delivered: the shares move to the provider.", j+1)
		return advance(&w.pool, w.pledges, RoleProvider, a.UserID, now)
	})
}

// MarkPeriodInvoiced records that a billing period, whose sessions are all done, has
// been invoiced (invoiceRef names the invoice): the period's shares move from the
// provider's receivable to invoiced. The invoicing code calls it as the provider.
func (s *Service) MarkPeriodInvoiced(ctx context.Context, poolID string, period int, invoiceRef, key string) (PoolView, error) {
	return s.markPeriod(ctx, poolID, period, invoiceRef, key, OpInvoice)
}

// MarkPeriodSettled records that a period's invoice has been paid (ref names the payment
// or remittance): its shares move from invoiced to settled. When every period is paid,
// the pool is settled and holds nothing.
func (s *Service) MarkPeriodSettled(ctx context.Context, poolID string, period int, ref, key string) (PoolView, error) {
	return s.markPeriod(ctx, poolID, period, ref, key, OpSettle)
}

func (s *Service) markPeriod(ctx context.Context, poolID string, period int, ref, key string, op Op) (PoolView, error) {
	a := account.ActorFrom(ctx)
	ref = strings.TrimSpace(ref)
	if ref == "" || len(ref) > 100 {
		var f apperr.Fields
		f.Add("ref", "give the invoice or payment reference (at most 100 characters)")
		return PoolView{}, f.Err()
	}
	req := struct {
		ID, Ref string
		Period  int
	}{poolID, ref, period}
	return s.change(ctx, key, op, req, poolID, func(ctx context.Context, w *work) error {
		if err := requireProvider(a, &w.pool); err != nil {
			return err
		}
		if period < 0 || period >= len(w.pool.Periods) {
			var f apperr.Fields
			f.Add("period", "must be between 0 and %d", len(w.pool.Periods)-1)
			return f.Err()
		}
		per := &w.pool.Periods[period]
		now := s.now()
		from, to, want := Receivable, Invoiced, PeriodOpen
		if op == OpSettle {
			from, to, want = Invoiced, Settled, PeriodInvoiced
		}
		if per.Status != want {
			return apperr.Conflictf("period-status", "This billing period is %s, so it cannot be marked %s.", per.Status, to)
		}
		if !periodDone(&w.pool, *per) {
			return apperr.Conflictf("period-not-done", "Some sessions of this billing period have not been delivered yet.")
		}
		lines, total := periodLines(&w.pool, w.pledges, *per, from, to)
		w.extra = lines
		if op == OpInvoice {
			per.Status, per.InvoiceRef, per.InvoicedAt, per.InvoicedBy = PeriodInvoiced, ref, &now, a.UserID
		} else {
			per.Status, per.SettlementRef, per.SettledAt, per.SettledBy = PeriodSettled, ref, &now, a.UserID
		}
		w.memo = fmt.Sprintf("Billing period %d %s (%s): %s.", period+1, to, ref, Pounds(total))
		return advance(&w.pool, w.pledges, RoleProvider, a.UserID, now)
	})
}

// requireProvider refuses everyone but the members of the pool's provider.
func requireProvider(a *account.Actor, p *Pool) error {
	if !a.CanActFor(p.ProviderID, account.RoleOwner, account.RoleMember) {
		return apperr.Forbiddenf("Only the provider of this pool can record its sessions and invoices.")
	}
	return nil
}
