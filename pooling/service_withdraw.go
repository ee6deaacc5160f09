package pooling

import (
	"context"
	"fmt"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace/account"
)

// Withdraw takes a pledge back, by its budget holder, whoever made it, or a
// representative who may pledge from its budget. Before confirmation (or while it
// waits for approval) the whole reservation is released. From a confirmed recurring
// pool it leaves after the pool's notice period: it still pays for the sessions starting
// within the notice, and the others share the sessions after (which are cancelled if
// they no longer work within everyone's limits). A confirmed one-off pool cannot be
// left. key is the Idempotency-Key.
func (s *Service) Withdraw(ctx context.Context, pledgeID, key string) (PledgeView, error) {
	a := account.ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return PledgeView{}, err
	}
	_, err := s.once(ctx, key, string(OpWithdraw), struct{ ID string }{pledgeID}, func(ctx context.Context) (string, error) {
		p, b, err := s.pledgeAndBudget(ctx, pledgeID)
		if err != nil {
			return "", err
		}
		if ok, err := s.mayWithdraw(ctx, a, p, b); err != nil || !ok {
			if seen, _ := s.maySeePledge(ctx, a, p, b); seen && err == nil {
				return "", apperr.Forbiddenf("Only the budget holder, or someone acting for them, can withdraw this pledge.")
			}
			return "", errOr(err, ErrPledgeNotFound)
		}
		w, err := s.load(ctx, p.PoolID)
		if err != nil {
			return "", err
		}
		pl, now := w.pledge(p.ID), s.now()
		w.op, w.by, w.onBehalf = OpWithdraw, a.UserID, pl.HolderID
		switch {
		case pl.Status.Final():
			return "", apperr.Conflictf("pledge-closed", "This pledge is already %s.", pl.Status)
		case pl.seated():
			pl.set(PledgeWithdrawn, a.UserID, now, "Withdrawn.")
			w.pool.Taken--
			w.memo = "Pledge withdrawn: its reservation is released."
		default: // confirmed
			if err := leave(&w.pool, w.pledges, pl, a.UserID, now); err != nil {
				return "", err
			}
			w.memo = "Notice given: the sessions after the notice period are released."
			if err := advance(&w.pool, w.pledges, RoleSystem, SystemActor, now); err != nil {
				return "", err
			}
			if w.pool.Status == StatusFailed { // no session is left to go ahead
				w.notify = append(w.notify, "pool:"+w.pool.ID+":failed")
			}
		}
		w.notify = append(w.notify, "pledge:"+pl.ID+":withdrawn")
		return "pledge:" + pl.ID, w.commit(ctx)
	})
	if err != nil {
		return PledgeView{}, wrap(err, "withdraw pledge %s", pledgeID)
	}
	return s.MyPledge(ctx, pledgeID)
}

// mayWithdraw reports whether the caller may take back a pledge.
func (s *Service) mayWithdraw(ctx context.Context, a *account.Actor, p Pledge, b Budget) (bool, error) {
	if a.UserID == p.PledgedBy || a.UserID == p.HolderID {
		return true, nil
	}
	return s.actsFor(ctx, a, b)
}

// maySeePledge reports whether the caller may see a pledge in full: its holder, whoever
// made it, the holder's representatives, whoever may approve it or did, administrators.
func (s *Service) maySeePledge(ctx context.Context, a *account.Actor, p Pledge, b Budget) (bool, error) {
	if a.Anonymous() {
		return false, nil
	}
	if a.IsAdmin() || a.UserID == p.HolderID || a.UserID == p.PledgedBy {
		return true, nil
	}
	for _, ap := range p.Approvals {
		if ap.By == a.UserID {
			return true, nil
		}
	}
	if b.HolderOrgID != "" && (a.MemberOf(b.HolderOrgID)) {
		return true, nil // the ISF provider, council, trust or brokerage holding the budget
	}
	return s.representsHolder(ctx, a, p.HolderID)
}

// MyPledge returns a pledge the caller may see, in plain English; NotFound otherwise.
func (s *Service) MyPledge(ctx context.Context, id string) (PledgeView, error) {
	a := account.ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return PledgeView{}, err
	}
	p, b, err := s.pledgeAndBudget(ctx, id)
	if err != nil {
		return PledgeView{}, wrap(err, "pledge %s", id)
	}
	if ok, err := s.maySeePledge(ctx, a, p, b); err != nil || !ok {
		return PledgeView{}, errOr(err, ErrPledgeNotFound)
	}
	pool, err := s.store.Pool(ctx, p.PoolID)
	if err != nil {
		return PledgeView{}, fmt.Errorf("pool of pledge %s: %w", id, err)
	}
	return pledgeViewOf(p, pool), nil
}

// MyPledges lists the pledges the caller holds or made, newest first.
func (s *Service) MyPledges(ctx context.Context) ([]PledgeView, error) {
	a := account.ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return nil, err
	}
	ps, err := s.store.Pledges(ctx, PledgeQuery{Person: a.UserID})
	if err != nil {
		return nil, fmt.Errorf("my pledges: %w", err)
	}
	out := make([]PledgeView, 0, len(ps))
	for _, p := range ps {
		pool, err := s.store.Pool(ctx, p.PoolID)
		if err != nil {
			return nil, fmt.Errorf("pool of pledge %s: %w", p.ID, err)
		}
		out = append(out, pledgeViewOf(p, pool))
	}
	return out, nil
}

func errOr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}
