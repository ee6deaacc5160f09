package account

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/google/uuid"

	"github.com/carepool/carepool/infra/apperr"
)

// GrantDelegation records that the account with in.RepresentativeEmail acts for the
// caller, who is the budget holder. A broker who names a brokerage must belong to it.
func (s *Service) GrantDelegation(ctx context.Context, in NewDelegation) (DelegationView, error) {
	a := ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return DelegationView{}, err
	}
	in.Normalise()
	if err := in.Validate(); err != nil {
		return DelegationView{}, err
	}
	var f apperr.Fields
	rep, err := s.store.UserByEmail(ctx, in.RepresentativeEmail)
	if errors.Is(err, ErrUserNotFound) {
		f.Add("representative_email", "no account uses this email address; ask them to sign up first")
		return DelegationView{}, f.Err()
	}
	if err != nil {
		return DelegationView{}, fmt.Errorf("grant delegation: %w", err)
	}
	if in.BrokerageID != "" {
		if err := s.checkBrokerage(ctx, rep.ID, in.BrokerageID); err != nil {
			return DelegationView{}, err
		}
	}
	d := Delegation{ID: uuid.NewString(), HolderID: a.UserID, RepresentativeID: rep.ID, Kind: in.Kind,
		BrokerageID: in.BrokerageID, CreatedAt: s.now()}
	if err := d.Validate(); err != nil {
		return DelegationView{}, err
	}
	if err := s.createDelegation(ctx, d, rep); err != nil {
		return DelegationView{}, fmt.Errorf("grant delegation: %w", err)
	}
	return DelegationView{Delegation: d, Holder: Person{ID: a.UserID, Name: a.Name}, Representative: Person{ID: rep.ID, Name: rep.Name}}, nil
}

// checkBrokerage refuses a brokerage the representative does not belong to, or that is
// not an active brokerage. It says the same for an organisation that does not exist, so
// the check reveals nothing about organisations the representative is not in.
func (s *Service) checkBrokerage(ctx context.Context, repID, orgID string) error {
	ms, err := s.store.MembershipsOf(ctx, repID)
	if err != nil {
		return fmt.Errorf("grant delegation: %w", err)
	}
	var f apperr.Fields
	i := slices.IndexFunc(ms, func(m Membership) bool { return m.OrgID == orgID })
	switch {
	case i < 0:
		f.Add("brokerage_id", "the broker must be a member of this brokerage")
	case !slices.Contains(ms[i].OrgKinds, KindBrokerage):
		f.Add("brokerage_id", "must be a brokerage organisation")
	case ms[i].OrgSuspended:
		f.Add("brokerage_id", "this brokerage is suspended")
	}
	return f.Err()
}

// DelegationsGranted returns the delegations the caller granted, newest first, revoked
// ones included.
func (s *Service) DelegationsGranted(ctx context.Context) ([]DelegationView, error) {
	a := ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return nil, err
	}
	ds, err := s.store.DelegationsByHolder(ctx, a.UserID)
	if err != nil {
		return nil, fmt.Errorf("delegations granted: %w", err)
	}
	return s.delegationViews(ctx, ds)
}

// DelegationsToMe returns the delegations granted to the caller: whom they act for.
func (s *Service) DelegationsToMe(ctx context.Context) ([]DelegationView, error) {
	a := ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return nil, err
	}
	ds, err := s.store.DelegationsByRepresentative(ctx, a.UserID)
	if err != nil {
		return nil, fmt.Errorf("delegations to me: %w", err)
	}
	return s.delegationViews(ctx, ds)
}

func (s *Service) delegationViews(ctx context.Context, ds []Delegation) ([]DelegationView, error) {
	var ids []string
	for _, d := range ds {
		ids = append(ids, d.HolderID, d.RepresentativeID)
	}
	users, err := s.store.UsersByID(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("delegations: %w", err)
	}
	views := make([]DelegationView, len(ds))
	for i, d := range ds {
		views[i] = DelegationView{Delegation: d,
			Holder:         Person{ID: d.HolderID, Name: users[d.HolderID].Name},
			Representative: Person{ID: d.RepresentativeID, Name: users[d.RepresentativeID].Name}}
	}
	return views, nil
}

// RevokeDelegation revokes a delegation the caller granted. It stays on record. Another
// person's delegation is ErrDelegationNotFound.
func (s *Service) RevokeDelegation(ctx context.Context, id string) error {
	a := ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return err
	}
	d, err := s.store.DelegationByID(ctx, id)
	if err != nil {
		return fmt.Errorf("revoke delegation: %w", err)
	}
	if d.HolderID != a.UserID {
		return ErrDelegationNotFound
	}
	if err := s.revokeDelegation(ctx, d, a.UserID); err != nil {
		return fmt.Errorf("revoke delegation: %w", err)
	}
	return nil
}

// ActiveDelegation returns the active delegation from holder to representative:
// ErrDelegationNotFound when there is none. It checks no caller: it is the query other
// features use to decide whether the caller may act for a holder.
func (s *Service) ActiveDelegation(ctx context.Context, holderID, representativeID string) (Delegation, error) {
	d, err := s.store.ActiveDelegation(ctx, holderID, representativeID)
	if err != nil {
		return Delegation{}, fmt.Errorf("active delegation: %w", err)
	}
	return d, nil
}
