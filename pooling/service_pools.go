package pooling

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
)

// ProposePool creates a draft pool on an offer the caller can see. The organiser is a
// user-led organisation the caller acts for, the offer's provider (its members), or,
// when in.OrganiserOrgID is empty, the caller as a budget holder with a recorded budget.
func (s *Service) ProposePool(ctx context.Context, in PoolInput) (PoolView, error) {
	a := account.ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return PoolView{}, err
	}
	in.Normalize()
	if err := in.Validate(); err != nil {
		return PoolView{}, err
	}
	offer, err := s.offerFor(ctx, in.OfferID)
	if err != nil {
		return PoolView{}, err
	}
	pricing, err := pricingFor(offer, in)
	if err != nil {
		return PoolView{}, err
	}
	org, err := s.organiserFor(ctx, a, in.OrganiserOrgID, offer)
	if err != nil {
		return PoolView{}, err
	}
	now := s.now()
	if !in.Deadline.After(now) {
		var f apperr.Fields
		f.Add("deadline", "must be in the future")
		return PoolView{}, f.Err()
	}
	p := Pool{ID: s.cfg.NewID(), OfferID: offer.ID, ProviderID: offer.ProviderID, OfferKind: offer.Kind,
		Organiser: Organiser{OrgID: org, UserID: a.UserID}, BudgetForms: slices.Clone(offer.BudgetForms),
		Version: 1, CreatedAt: now, UpdatedAt: now}
	p.applyInput(in, pricing)
	if err := p.move(StatusDraft, RoleOrganiser, a.UserID, now, "proposed"); err != nil {
		return PoolView{}, err
	}
	if err := s.store.CreatePool(ctx, p); err != nil {
		return PoolView{}, fmt.Errorf("propose pool: %w", err)
	}
	return viewOf(a, p), nil
}

// applyInput writes an organiser's input over a draft.
func (p *Pool) applyInput(in PoolInput, pricing Pricing) {
	p.Title, p.Description, p.Visibility = in.Title, in.Description, in.Visibility
	p.Pricing, p.SessionMinutes, p.Schedule = pricing, in.SessionMinutes, in.Schedule
	p.Deadline, p.GraceDays = in.Deadline, in.GraceWorkingDays
	p.Sessions, p.Periods = in.Schedule.layout()
	switch {
	case p.Visibility == Public:
		p.InviteCode = ""
	case p.InviteCode == "":
		p.InviteCode = newInviteCode()
	}
}

// ReplaceDraft rewrites a draft pool (organisers only) if it is still at version. The
// offer stays the same.
func (s *Service) ReplaceDraft(ctx context.Context, id string, version int64, in PoolInput) (PoolView, error) {
	a := account.ActorFrom(ctx)
	in.Normalize()
	if err := in.Validate(); err != nil {
		return PoolView{}, err
	}
	return s.change(ctx, "", "replace-draft", nil, id, func(ctx context.Context, w *work) error {
		if !isOrganiser(a, &w.pool) {
			return apperr.Forbiddenf("Only the pool's organiser can change it.")
		}
		if w.pool.Status != StatusDraft {
			return apperr.Conflictf("pool-not-draft", "Only a draft pool can be rewritten.")
		}
		if w.pool.Version != version {
			return apperr.ErrVersionMismatch
		}
		if in.OfferID != w.pool.OfferID {
			var f apperr.Fields
			f.Add("offer_id", "cannot change; propose a new pool for another offer")
			return f.Err()
		}
		offer, err := s.offerFor(ctx, in.OfferID)
		if err != nil {
			return err
		}
		pricing, err := pricingFor(offer, in)
		if err != nil {
			return err
		}
		w.pool.applyInput(in, pricing)
		return nil
	})
}

// OpenPool opens a draft for pledges (organisers only). Its deadline must be ahead.
func (s *Service) OpenPool(ctx context.Context, id string) (PoolView, error) {
	a := account.ActorFrom(ctx)
	return s.change(ctx, "", "open", nil, id, func(ctx context.Context, w *work) error {
		role, err := roleFor(w.pool.Status, StatusOpen, rolesIn(a, &w.pool))
		if err != nil {
			return err
		}
		now := s.now()
		if !w.pool.Deadline.After(now) {
			return apperr.Conflictf("deadline-passed", "The deadline of this draft has passed. Set a later one, then open it.")
		}
		due := w.pool.Deadline
		w.pool.DueAt = &due
		return w.pool.move(StatusOpen, role, a.UserID, now, "opened for pledges")
	})
}

// RotateInvite gives an invite-only pool a new invite code, so the old link stops
// working (organisers only).
func (s *Service) RotateInvite(ctx context.Context, id string) (PoolView, error) {
	a := account.ActorFrom(ctx)
	return s.change(ctx, "", "rotate-invite", nil, id, func(ctx context.Context, w *work) error {
		if !isOrganiser(a, &w.pool) {
			return apperr.Forbiddenf("Only the pool's organiser can change its invite link.")
		}
		if w.pool.Visibility != InviteOnly {
			return apperr.Conflictf("pool-public", "This pool is public, so it has no invite link.")
		}
		if w.pool.Status.Final() {
			return apperr.Conflictf("pool-closed", "This pool is closed.")
		}
		w.pool.InviteCode = newInviteCode()
		return nil
	})
}

// ConfirmPool confirms an open pool before its deadline, once its approved counted
// pledges reach the minimum (organisers only).
func (s *Service) ConfirmPool(ctx context.Context, id, key string) (PoolView, error) {
	a := account.ActorFrom(ctx)
	return s.change(ctx, key, OpConfirm, struct{ ID string }{id}, id, func(ctx context.Context, w *work) error {
		if _, err := roleFor(w.pool.Status, StatusConfirmed, rolesIn(a, &w.pool)); err != nil {
			return err
		}
		w.memo = "Pool confirmed by its organiser: counted shares move into the pool."
		w.notify = append(w.notify, "pool:"+id+":confirmed")
		return confirm(&w.pool, w.pledges, RoleOrganiser, a.UserID, s.now(), "confirmed by the organiser")
	})
}

// CancelPool calls a pool off before any session is delivered (its organiser, its
// provider, or an administrator), releasing every commitment.
func (s *Service) CancelPool(ctx context.Context, id, reason, key string) (PoolView, error) {
	a := account.ActorFrom(ctx)
	reason = strings.TrimSpace(reason)
	if utf8.RuneCountInString(reason) > 500 {
		var f apperr.Fields
		f.Add("reason", "must be at most 500 characters")
		return PoolView{}, f.Err()
	}
	return s.change(ctx, key, OpCancel, struct{ ID, Reason string }{id, reason}, id, func(ctx context.Context, w *work) error {
		role, err := roleFor(w.pool.Status, StatusCancelled, rolesIn(a, &w.pool))
		if err != nil {
			return err
		}
		if w.pool.anyDelivered() {
			return apperr.Conflictf("pool-delivered", "Sessions of this pool have been delivered, so it can no longer be cancelled.")
		}
		now := s.now()
		if reason == "" {
			reason = "cancelled"
		}
		if err := w.pool.move(StatusCancelled, role, a.UserID, now, reason); err != nil {
			return err
		}
		w.releaseAll(a.UserID, now, "The pool was cancelled, so nothing is taken.", "It was cancelled.")
		w.memo = "Pool cancelled: every commitment released."
		w.notify = append(w.notify, "pool:"+id+":cancelled")
		return nil
	})
}

// releaseAll ends a pool that will not go ahead: every session not done is cancelled and
// every pledge still live is released.
func (w *work) releaseAll(by string, now time.Time, pledgeNote, sessionNote string) {
	for j := range w.pool.Sessions {
		if s := &w.pool.Sessions[j]; s.Status == SessionScheduled {
			s.Status, s.CancelReason = SessionCancelled, sessionNote
		}
	}
	for _, p := range w.pledges {
		if !p.Status.Final() {
			p.set(PledgeReleased, by, now, pledgeNote)
		}
	}
	w.pool.Taken, w.pool.DueAt = 0, nil
}

// change runs one change to a pool in a transaction (under an idempotency key, if any)
// and returns the pool as the caller now sees it.
func (s *Service) change(ctx context.Context, key string, op Op, req any, id string, apply func(ctx context.Context, w *work) error) (PoolView, error) {
	a := account.ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return PoolView{}, err
	}
	if !marketplace.ValidID(id) {
		return PoolView{}, ErrPoolNotFound
	}
	_, err := s.once(ctx, key, string(op), req, func(ctx context.Context) (string, error) {
		w, err := s.load(ctx, id)
		if err != nil {
			return "", err
		}
		if !canSee(a, &w.pool, "", w.pledges) {
			return "", ErrPoolNotFound
		}
		w.op, w.by = op, a.UserID
		if err := apply(ctx, w); err != nil {
			return "", err
		}
		return "pool:" + id, w.commit(ctx)
	})
	if err != nil {
		return PoolView{}, wrap(err, "%s pool %s", op, id)
	}
	return s.Pool(ctx, id)
}
