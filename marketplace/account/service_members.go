package account

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/carepool/carepool/infra/apperr"
)

// Members returns who belongs to an organisation, by name and role. The list is private
// to the organisation's members and administrators.
func (s *Service) Members(ctx context.Context, orgID string) ([]MemberView, error) {
	a := ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return nil, err
	}
	if _, _, err := s.Organisation(ctx, orgID); err != nil {
		return nil, err
	}
	if !a.MemberOf(orgID) && !a.IsAdmin() {
		return nil, apperr.Forbiddenf("Only the organisation's members can see who belongs to it.")
	}
	ms, err := s.store.Members(ctx, orgID)
	if err != nil {
		return nil, fmt.Errorf("members of %s: %w", orgID, err)
	}
	ids := make([]string, len(ms))
	for i, m := range ms {
		ids[i] = m.UserID
	}
	users, err := s.store.UsersByID(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("members of %s: %w", orgID, err)
	}
	views := make([]MemberView, len(ms))
	for i, m := range ms {
		views[i] = MemberView{UserID: m.UserID, Name: users[m.UserID].Name, Role: m.Role, AddedAt: m.AddedAt}
	}
	return views, nil
}

// AddMember adds the account with an email to an organisation (owners and administrators).
func (s *Service) AddMember(ctx context.Context, orgID string, in NewMember) (MemberView, error) {
	a := ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return MemberView{}, err
	}
	in.Normalise()
	if err := in.Validate(); err != nil {
		return MemberView{}, err
	}
	o, _, err := s.Organisation(ctx, orgID)
	if err != nil {
		return MemberView{}, err
	}
	if !a.HasRole(orgID, RoleOwner) && !a.IsAdmin() {
		return MemberView{}, apperr.Forbiddenf("Only the organisation's owners can add members.")
	}
	if o.Suspended() {
		return MemberView{}, errOrgSuspended
	}
	if in.Role == RoleCommissioner && !o.HasKind(KindCouncil) {
		var f apperr.Fields
		f.Add("role", "commissioner is a role in councils only")
		return MemberView{}, f.Err()
	}
	u, err := s.store.UserByEmail(ctx, in.Email)
	if errors.Is(err, ErrUserNotFound) {
		// Owners learn whether an address has an account; that is what adding by email
		// means, and only owners can ask.
		var f apperr.Fields
		f.Add("email", "no account uses this email address; ask them to sign up first")
		return MemberView{}, f.Err()
	}
	if err != nil {
		return MemberView{}, fmt.Errorf("add member: %w", err)
	}
	m := Member{ID: uuid.NewString(), OrgID: orgID, UserID: u.ID, Role: in.Role, AddedBy: a.UserID, AddedAt: s.now()}
	if err := s.store.AddMember(ctx, m); err != nil {
		return MemberView{}, fmt.Errorf("add member: %w", err)
	}
	return MemberView{UserID: u.ID, Name: u.Name, Role: m.Role, AddedAt: m.AddedAt}, nil
}

// RemoveMember removes a person from an organisation. Owners and administrators remove
// anyone; any member may leave. The last owner is never removed (ErrLastOwner).
func (s *Service) RemoveMember(ctx context.Context, orgID, userID string) error {
	a := ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return err
	}
	if _, _, err := s.Organisation(ctx, orgID); err != nil {
		return err
	}
	leaving := userID == a.UserID && a.MemberOf(orgID)
	if !leaving && !a.HasRole(orgID, RoleOwner) && !a.IsAdmin() {
		return apperr.Forbiddenf("Only the organisation's owners can remove members.")
	}
	if _, err := s.store.RemoveMember(ctx, orgID, userID); err != nil {
		return fmt.Errorf("remove member: %w", err)
	}
	return nil
}
