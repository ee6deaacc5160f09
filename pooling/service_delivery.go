package pooling

import (
	"context"
	"fmt"
	"slices"

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
		w.notify = append(w.notify, fmt.Sprintf("pool:%s:session:%d:delivered", w.pool.ID, j))
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
