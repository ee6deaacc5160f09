package account

import (
	"context"
	"fmt"
	"time"
)

// DelegationNoticeStore changes delegations together with the notices that tell both
// people, in one transaction. Granting or revoking a delegation is a security message:
// it always goes, whatever the people's preferences.
type DelegationNoticeStore interface {
	// CreateDelegationWithNotices stores a new, active delegation and queues notices:
	// ErrDelegationExists.
	CreateDelegationWithNotices(ctx context.Context, d Delegation, n ...Notice) error
	// RevokeDelegationWithNotices revokes a delegation like RevokeDelegation and, if this
	// call revoked it, queues the notices built from it: ErrDelegationNotFound.
	RevokeDelegationWithNotices(ctx context.Context, id, by string, at time.Time, notices func(Delegation) []Notice) (Delegation, error)
}

// delegationNotices tells the holder and the representative, each naming the other.
func delegationNotices(kind string, d Delegation, holder, rep User) []Notice {
	return []Notice{
		{Key: kind + "-" + d.ID + "-holder", Kind: kind, UserID: holder.ID, To: holder.Email, Name: holder.Name,
			Other: rep.Name, Role: "holder", Path: "/account/delegations"},
		{Key: kind + "-" + d.ID + "-representative", Kind: kind, UserID: rep.ID, To: rep.Email, Name: rep.Name,
			Other: holder.Name, Role: "representative", Path: "/account/delegations"},
	}
}

// createDelegation stores a delegation granted by holderID to rep and tells both people.
func (s *Service) createDelegation(ctx context.Context, d Delegation, rep User) error {
	holder, err := s.store.UserByID(ctx, d.HolderID)
	if err != nil {
		return fmt.Errorf("holder: %w", err)
	}
	return s.store.CreateDelegationWithNotices(ctx, d, delegationNotices(NoticeDelegationGranted, d, holder, rep)...)
}

// revokeDelegation revokes a delegation and, the first time, tells both people.
func (s *Service) revokeDelegation(ctx context.Context, d Delegation, by string) error {
	users, err := s.store.UsersByID(ctx, []string{d.HolderID, d.RepresentativeID})
	if err != nil {
		return err
	}
	_, err = s.store.RevokeDelegationWithNotices(ctx, d.ID, by, s.now(), func(d Delegation) []Notice {
		return delegationNotices(NoticeDelegationRevoked, d, users[d.HolderID], users[d.RepresentativeID])
	})
	return err
}
