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

// mayApprove reports whether the caller may give approval kind to pledge p from budget
// b. Nobody approves their own pledge.
//
//	isf_provider     an owner or member of the ISF provider holding the ISF
//	commissioner     a commissioner of the council holding the budget
//	second_trustee   the budget holder, a member of the trust, or another trustee of the holder
//	second_approver  the budget holder, or another of their representatives
func (s *Service) mayApprove(ctx context.Context, a *account.Actor, kind ApprovalKind, p Pledge, b Budget) (bool, error) {
	if a.Anonymous() || a.UserID == p.PledgedBy {
		return false, nil
	}
	switch kind {
	case ApprovalISFProvider:
		return a.CanActFor(b.HolderOrgID, account.RoleOwner, account.RoleMember), nil
	case ApprovalCommissioner:
		return a.CanActFor(b.HolderOrgID, account.RoleCommissioner), nil
	case ApprovalSecondTrustee:
		if a.UserID == b.HolderID || a.CanActFor(b.HolderOrgID, account.RoleOwner, account.RoleMember) {
			return true, nil
		}
		d, err := s.delegations.ActiveDelegation(ctx, b.HolderID, a.UserID)
		if apperr.Is(err, apperr.NotFound) {
			return false, nil
		}
		return err == nil && d.Kind == account.DelegationTrustee, err
	case ApprovalSecondApprover:
		if a.UserID == b.HolderID {
			return true, nil
		}
		return s.representsHolder(ctx, a, b.HolderID)
	}
	return false, nil
}

// approvalFor returns the first missing approval of p the caller may give.
func (s *Service) approvalFor(ctx context.Context, a *account.Actor, p Pledge, b Budget) (ApprovalKind, bool, error) {
	for _, k := range p.Needs {
		ok, err := s.mayApprove(ctx, a, k, p, b)
		if err != nil || ok {
			return k, ok, err
		}
	}
	return "", false, nil
}

// Approve gives the caller's approval to a pledge waiting for it (see mayApprove for
// who gives which). With its last approval the pledge counts: it may confirm a full
// pool, or one in its grace period, or join a confirmed one. key is the Idempotency-Key.
func (s *Service) Approve(ctx context.Context, pledgeID, key string) (PledgeView, error) {
	return s.decide(ctx, pledgeID, key, true, "")
}

// Decline refuses a pledge waiting for the caller's approval: its reservation is
// released and its place freed. key is the Idempotency-Key.
func (s *Service) Decline(ctx context.Context, pledgeID, reason, key string) (PledgeView, error) {
	reason = strings.TrimSpace(reason)
	if utf8.RuneCountInString(reason) > 500 {
		var f apperr.Fields
		f.Add("reason", "must be at most 500 characters")
		return PledgeView{}, f.Err()
	}
	return s.decide(ctx, pledgeID, key, false, reason)
}

func (s *Service) decide(ctx context.Context, pledgeID, key string, approve bool, reason string) (PledgeView, error) {
	a := account.ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return PledgeView{}, err
	}
	op := OpApprove
	if !approve {
		op = OpDecline
	}
	_, err := s.once(ctx, key, string(op), struct{ ID, Reason string }{pledgeID, reason}, func(ctx context.Context) (string, error) {
		p, b, err := s.pledgeAndBudget(ctx, pledgeID)
		if err != nil {
			return "", err
		}
		kind, ok, err := s.approvalFor(ctx, a, p, b)
		if err != nil {
			return "", err
		}
		if !ok {
			if seen, _ := s.maySeePledge(ctx, a, p, b); seen {
				if p.Status != PledgeWaitingApproval {
					return "", apperr.Conflictf("pledge-not-waiting", "This pledge is not waiting for approval.")
				}
				return "", apperr.Forbiddenf("You cannot approve this pledge.")
			}
			return "", ErrPledgeNotFound
		}
		w, err := s.load(ctx, p.PoolID)
		if err != nil {
			return "", err
		}
		pl := w.pledge(p.ID)
		if pl.Status != PledgeWaitingApproval {
			return "", apperr.Conflictf("pledge-not-waiting", "This pledge is not waiting for approval.")
		}
		now := s.now()
		w.op, w.by, w.onBehalf = op, a.UserID, pl.HolderID
		if !approve {
			if reason == "" {
				reason = "The approver declined this pledge."
			}
			pl.set(PledgeDeclined, a.UserID, now, reason)
			w.pool.Taken--
			w.memo = "Pledge declined: its reservation is released."
			w.notify = append(w.notify, "pledge:"+pl.ID+":declined")
			return "pledge:" + pl.ID, w.commit(ctx)
		}
		w.memo = "Pledge approved."
		if err := s.grant(w, pl, b, kind, a.UserID, now); err != nil {
			return "", err
		}
		return "pledge:" + pl.ID, w.commit(ctx)
	})
	if err != nil {
		return PledgeView{}, wrap(err, "%s pledge %s", op, pledgeID)
	}
	return s.MyPledge(ctx, pledgeID)
}

// PendingApprovals lists the pledges waiting for an approval the caller can give: as an
// ISF provider's or trust's member, a council's commissioner, or a budget holder. (A
// representative asked to be the second approver finds the pledge through its
// notification.)
func (s *Service) PendingApprovals(ctx context.Context) ([]PledgeView, error) {
	a := account.ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return nil, err
	}
	parties := []string{"holder:" + a.UserID}
	for _, m := range a.Memberships {
		if !m.OrgSuspended {
			parties = append(parties, "org:"+m.OrgID)
		}
	}
	ps, err := s.store.Pledges(ctx, PledgeQuery{PendingWith: parties})
	if err != nil {
		return nil, fmt.Errorf("pending approvals: %w", err)
	}
	out := []PledgeView{}
	for _, p := range ps {
		b, err := s.store.Budget(ctx, p.BudgetID)
		if err != nil {
			return nil, fmt.Errorf("pending approvals: %w", err)
		}
		if _, ok, err := s.approvalFor(ctx, a, p, b); err != nil {
			return nil, err
		} else if !ok {
			continue
		}
		pool, err := s.store.Pool(ctx, p.PoolID)
		if err != nil {
			return nil, fmt.Errorf("pending approvals: %w", err)
		}
		out = append(out, pledgeViewOf(p, pool))
	}
	return out, nil
}

// pledgeAndBudget reads a pledge and the budget it draws on.
func (s *Service) pledgeAndBudget(ctx context.Context, id string) (Pledge, Budget, error) {
	if !marketplace.ValidID(id) {
		return Pledge{}, Budget{}, ErrPledgeNotFound
	}
	p, err := s.store.Pledge(ctx, id)
	if err != nil {
		return Pledge{}, Budget{}, err
	}
	b, err := s.store.Budget(ctx, p.BudgetID)
	if err != nil {
		return Pledge{}, Budget{}, fmt.Errorf("budget of pledge %s: %w", id, err)
	}
	return p, b, nil
}

// grant records one approval of a waiting pledge. With its last approval the pledge
// counts (afterApproval), and the organisers hear if that brings the pool to its minimum.
func (s *Service) grant(w *work, pl *Pledge, b Budget, kind ApprovalKind, by string, now time.Time) error {
	pl.Needs = slices.DeleteFunc(pl.Needs, func(k ApprovalKind) bool { return k == kind })
	pl.Approvals = append(pl.Approvals, Approval{Kind: kind, By: by, At: now})
	pl.PendingWith = pendingWith(pl.Needs, b)
	pl.History = append(pl.History, PledgeEvent{At: now, By: by, Status: pl.Status, Note: "approved: " + string(kind)})
	if len(pl.Needs) > 0 {
		return nil
	}
	pl.set(PledgePledged, by, now, "approved")
	w.notify = append(w.notify, "pledge:"+pl.ID+":approved")
	if err := s.afterApproval(w, pl, by, now, false); err != nil {
		return err
	}
	if w.pool.Status == StatusOpen && w.read.ConfirmableK < w.pool.Pricing.MinPeople && w.pool.ConfirmableK >= w.pool.Pricing.MinPeople {
		w.notify = append(w.notify, "pool:"+w.pool.ID+":minimum-reached")
	}
	return nil
}
