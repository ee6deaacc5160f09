package pooling

import (
	"context"
	"fmt"
	"slices"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
)

// offerFor returns the offer a pool is proposed on: published and visible to the caller.
func (s *Service) offerFor(ctx context.Context, id string) (marketplace.Offer, error) {
	o, err := s.offers.Offer(ctx, id)
	if apperr.Is(err, apperr.NotFound) || (err == nil && o.Status != marketplace.StatusPublished) {
		var f apperr.Fields
		f.Add("offer_id", "no published offer has this id")
		return o, f.Err()
	}
	return o, err
}

// organiserFor checks who proposes a pool and returns the organising organisation ("" for
// a budget holder proposing on their own).
func (s *Service) organiserFor(ctx context.Context, a *account.Actor, orgID string, offer marketplace.Offer) (string, error) {
	if orgID == "" {
		budgets, err := s.store.BudgetsOf(ctx, a.UserID)
		if err != nil {
			return "", fmt.Errorf("propose pool: %w", err)
		}
		if len(budgets) == 0 {
			return "", apperr.Forbiddenf("Record your personal budget first, or propose the pool through your organisation.")
		}
		return "", nil
	}
	org, err := s.dir.Organisation(ctx, orgID)
	if apperr.Is(err, apperr.NotFound) {
		var f apperr.Fields
		f.Add("organiser_org_id", "no organisation has this id")
		return "", f.Err()
	}
	if err != nil {
		return "", fmt.Errorf("propose pool: %w", err)
	}
	if !a.CanActFor(org.ID, account.RoleOwner, account.RoleMember) {
		return "", apperr.Forbiddenf("Only active members of %s can propose pools for it.", org.Name)
	}
	switch {
	case org.HasKind(account.KindUserLedOrganisation):
		return org.ID, nil
	case org.ID == offer.ProviderID:
		return org.ID, nil
	case isProviderOrg(org):
		return "", apperr.Forbiddenf("A provider can propose pools on its own offers only.")
	}
	var f apperr.Fields
	f.Add("organiser_org_id", "must be a user-led organisation or the offer's provider")
	return "", f.Err()
}

func isProviderOrg(o account.Organisation) bool {
	return slices.ContainsFunc(o.Kinds, account.OrgKind.IsProvider)
}
