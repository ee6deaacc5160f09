package notify

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/pooling"
)

// The people around a pool, a pledge or an organisation, read from the store.

// addApprovers adds whoever can give the approvals a waiting pledge still needs (see
// pooling's mayApprove), except whoever made it.
func (s *Service) addApprovers(ctx context.Context, aud *audience, pl *pooling.Pledge) error {
	b, err := s.pools.Budget(ctx, pl.BudgetID)
	if err != nil {
		return fmt.Errorf("budget of pledge %s: %w", pl.ID, err)
	}
	for _, k := range pl.Needs {
		var ids []string
		switch k {
		case pooling.ApprovalISFProvider:
			ids, err = s.orgMembers(ctx, b.HolderOrgID, account.RoleOwner, account.RoleMember)
		case pooling.ApprovalCommissioner:
			ids, err = s.orgMembers(ctx, b.HolderOrgID, account.RoleCommissioner)
		case pooling.ApprovalSecondTrustee:
			ids, err = s.orgMembers(ctx, b.HolderOrgID, account.RoleOwner, account.RoleMember)
			if err == nil {
				var reps []string
				reps, err = s.representatives(ctx, b.HolderID, account.DelegationTrustee)
				ids = append(append([]string{b.HolderID}, ids...), reps...)
			}
		case pooling.ApprovalSecondApprover:
			var reps []string
			reps, err = s.representatives(ctx, b.HolderID, "")
			ids = append([]string{b.HolderID}, reps...)
		}
		if err != nil {
			return err
		}
		// Nobody approves their own pledge.
		aud.addUsers(slices.DeleteFunc(ids, func(id string) bool { return id == pl.PledgedBy }), RoleApprover)
	}
	return nil
}

// addManagers adds the pool's organisers and, when provider is set, its provider's members.
func (s *Service) addManagers(ctx context.Context, aud *audience, pool pooling.Pool, provider bool) error {
	ids, err := s.organisers(ctx, pool)
	if err != nil {
		return err
	}
	aud.addUsers(ids, RoleOrganiser)
	if provider {
		ids, err = s.orgMembers(ctx, pool.ProviderID, account.RoleOwner, account.RoleMember)
		aud.addUsers(ids, RoleProvider)
	}
	return err
}

// organisers are whoever proposed a pool on their own, or the owners and members of the
// organisation that proposed it.
func (s *Service) organisers(ctx context.Context, pool pooling.Pool) ([]string, error) {
	if pool.Organiser.OrgID == "" {
		return []string{pool.Organiser.UserID}, nil
	}
	return s.orgMembers(ctx, pool.Organiser.OrgID, account.RoleOwner, account.RoleMember)
}

func (s *Service) orgMembers(ctx context.Context, orgID string, roles ...account.Role) ([]string, error) {
	if orgID == "" {
		return nil, nil
	}
	ms, err := s.people.Members(ctx, orgID)
	if err != nil {
		return nil, fmt.Errorf("members of organisation %s: %w", orgID, err)
	}
	var ids []string
	for _, m := range ms {
		if slices.Contains(roles, m.Role) {
			ids = append(ids, m.UserID)
		}
	}
	return ids, nil
}

// representatives are the people holding an active delegation from a holder (of a kind,
// or of any kind when kind is "").
func (s *Service) representatives(ctx context.Context, holderID string, kind account.DelegationKind) ([]string, error) {
	ds, err := s.people.DelegationsByHolder(ctx, holderID)
	if err != nil {
		return nil, fmt.Errorf("delegations of %s: %w", holderID, err)
	}
	var ids []string
	for _, d := range ds {
		if d.Active() && (kind == "" || d.Kind == kind) {
			ids = append(ids, d.RepresentativeID)
		}
	}
	return ids, nil
}

func (s *Service) poolAndPledges(ctx context.Context, id string) (pooling.Pool, []pooling.Pledge, error) {
	pool, err := s.pools.Pool(ctx, id)
	if err != nil {
		return pool, nil, err
	}
	pledges, err := s.pools.PoolPledges(ctx, id)
	if err != nil {
		return pool, nil, fmt.Errorf("pledges of pool %s: %w", id, err)
	}
	return pool, pledges, nil
}

// transitionAt is when a pool last moved to a status.
func transitionAt(p pooling.Pool, to pooling.Status) (time.Time, bool) {
	for i := len(p.History) - 1; i >= 0; i-- {
		if p.History[i].To == to {
			return p.History[i].At, true
		}
	}
	return time.Time{}, false
}

// eventAt returns the pledge's event recorded at exactly the time a pool changed: the
// same transaction changed both.
func eventAt(pl *pooling.Pledge, at time.Time) (pooling.PledgeEvent, bool) {
	for i := len(pl.History) - 1; i >= 0; i-- {
		if pl.History[i].At.Equal(at) {
			return pl.History[i], true
		}
	}
	return pooling.PledgeEvent{}, false
}

// participates reports whether a pledge pays for session j of its confirmed pool.
func participates(pl *pooling.Pledge, j int) bool {
	return (pl.Status == pooling.PledgeConfirmed || pl.Status == pooling.PledgeCompleted) && pl.From <= j && j < pl.Until
}
