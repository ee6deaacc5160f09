package account

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/carepool/carepool/infra/apperr"
)

var errOrgSuspended = apperr.Conflictf("organisation-suspended", "This organisation is suspended. Contact the platform administrators.")

// CreateOrganisation creates an organisation with the caller as its owner. Councils are
// created by administrators only, who may name another account as the owner (a council
// officer) with OwnerEmail.
func (s *Service) CreateOrganisation(ctx context.Context, in NewOrganisation) (Organisation, error) {
	a := ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return Organisation{}, err
	}
	in.Normalise()
	if err := in.Validate(); err != nil {
		return Organisation{}, err
	}
	if slices.Contains(in.Kinds, KindCouncil) && !a.IsAdmin() {
		return Organisation{}, apperr.Forbiddenf("Councils are set up by the platform administrators. Contact us to add your council.")
	}
	if in.OwnerEmail != "" && !a.IsAdmin() {
		return Organisation{}, apperr.Forbiddenf("Only platform administrators can name another owner. Create the organisation yourself, then add owners.")
	}
	if !a.IsAdmin() && len(a.OrgsOfRole(RoleOwner)) >= MaxOwnedOrganisations {
		return Organisation{}, apperr.Conflictf("too-many-organisations", "You already own %d organisations, the most allowed. Contact us if you need more.", MaxOwnedOrganisations)
	}
	ownerID := a.UserID
	if in.OwnerEmail != "" {
		owner, err := s.store.UserByEmail(ctx, in.OwnerEmail)
		if errors.Is(err, ErrUserNotFound) {
			var f apperr.Fields
			f.Add("owner_email", "no account uses this email address; ask them to sign up first")
			return Organisation{}, f.Err()
		}
		if err != nil {
			return Organisation{}, fmt.Errorf("create organisation: %w", err)
		}
		ownerID = owner.ID
	}
	now := s.now()
	o := Organisation{ID: uuid.NewString(), Name: in.Name, Kinds: slices.Clone(in.Kinds), Status: StatusActive,
		CreatedBy: a.UserID, CreatedAt: now, UpdatedAt: now, Version: 1}
	m := Member{ID: uuid.NewString(), OrgID: o.ID, UserID: ownerID, Role: RoleOwner, AddedBy: a.UserID, AddedAt: now}
	if err := s.store.CreateOrganisation(ctx, o, m); err != nil {
		return Organisation{}, fmt.Errorf("create organisation: %w", err)
	}
	return o, nil
}

// Organisation returns an organisation and whether the caller may see all of it (its
// members and administrators) rather than its public name and kinds only. A suspended
// organisation is hidden from everyone else.
func (s *Service) Organisation(ctx context.Context, id string) (o Organisation, full bool, err error) {
	a := ActorFrom(ctx)
	o, err = s.store.OrganisationByID(ctx, id)
	if err != nil {
		return Organisation{}, false, fmt.Errorf("organisation %s: %w", id, err)
	}
	full = a.IsAdmin() || a.MemberOf(id)
	if o.Suspended() && !full {
		return Organisation{}, false, ErrOrganisationNotFound
	}
	return o, full, nil
}

// UpdateOrganisation applies an owner's change to the organisation, provided it is still
// at version ifVersion (the ETag the owner read): ErrVersionMismatch otherwise.
func (s *Service) UpdateOrganisation(ctx context.Context, id string, ifVersion int64, upd OrganisationUpdate) (Organisation, error) {
	a := ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return Organisation{}, err
	}
	upd.Normalise()
	if err := upd.Validate(); err != nil {
		return Organisation{}, err
	}
	o, _, err := s.Organisation(ctx, id)
	if err != nil {
		return Organisation{}, err
	}
	if !a.HasRole(id, RoleOwner) {
		return Organisation{}, apperr.Forbiddenf("Only the organisation's owners can change its details.")
	}
	if o.Suspended() {
		return Organisation{}, errOrgSuspended
	}
	if o.Version != ifVersion {
		return Organisation{}, ErrVersionMismatch
	}
	if o, err = upd.Apply(o); err != nil {
		return Organisation{}, err
	}
	o.UpdatedAt = s.now()
	if o, err = s.store.UpdateOrganisation(ctx, o); err != nil {
		return Organisation{}, fmt.Errorf("update organisation %s: %w", id, err)
	}
	return o, nil
}

// SuspendOrganisation stops an organisation acting on the platform (administrators only).
func (s *Service) SuspendOrganisation(ctx context.Context, id string, why Suspension) (Organisation, error) {
	if err := why.Validate(true); err != nil {
		return Organisation{}, err
	}
	return s.changeStatus(ctx, id, StatusSuspended, why.Reason)
}

// ReinstateOrganisation lets a suspended organisation act again (administrators only).
func (s *Service) ReinstateOrganisation(ctx context.Context, id string, why Suspension) (Organisation, error) {
	if err := why.Validate(false); err != nil {
		return Organisation{}, err
	}
	return s.changeStatus(ctx, id, StatusActive, why.Reason)
}

func (s *Service) changeStatus(ctx context.Context, id string, to OrgStatus, reason string) (Organisation, error) {
	a := ActorFrom(ctx)
	if err := requireAdmin(a); err != nil {
		return Organisation{}, err
	}
	// Administrators act without an ETag, so a concurrent edit by an owner is retried
	// rather than reported: the status change does not depend on the other fields.
	for attempt := 0; ; attempt++ {
		o, err := s.store.OrganisationByID(ctx, id)
		if err != nil {
			return Organisation{}, fmt.Errorf("organisation %s: %w", id, err)
		}
		if o.Status == to {
			if to == StatusSuspended {
				return Organisation{}, apperr.Conflictf("already-suspended", "This organisation is already suspended.")
			}
			return Organisation{}, apperr.Conflictf("not-suspended", "This organisation is not suspended.")
		}
		now := s.now()
		o.Status, o.UpdatedAt = to, now
		o.LastChange = &StatusChange{Status: to, Reason: strings.TrimSpace(reason), By: a.UserID, At: now}
		o, err = s.store.UpdateOrganisation(ctx, o)
		if errors.Is(err, ErrVersionMismatch) && attempt < 3 {
			continue
		}
		if err != nil {
			return Organisation{}, fmt.Errorf("change status of organisation %s: %w", id, err)
		}
		return o, nil
	}
}
