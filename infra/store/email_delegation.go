package store

import (
	"context"
	"time"

	"github.com/carepool/carepool/marketplace/account"
)

// CreateDelegationWithNotices implements account.DelegationNoticeStore.
func (s *Accounts) CreateDelegationWithNotices(ctx context.Context, d account.Delegation, n ...account.Notice) error {
	return s.db.Tx(ctx, func(ctx context.Context) error {
		if err := s.CreateDelegation(ctx, d); err != nil {
			return err
		}
		return s.db.queueMail(ctx, n...)
	})
}

// RevokeDelegationWithNotices implements account.DelegationNoticeStore. The notices are
// queued only when this call did the revoking (its time and revoker were kept), so a
// repeated revocation tells nobody twice.
func (s *Accounts) RevokeDelegationWithNotices(ctx context.Context, id, by string, at time.Time,
	notices func(account.Delegation) []account.Notice) (account.Delegation, error) {
	var d account.Delegation
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		var err error
		if d, err = s.RevokeDelegation(ctx, id, by, at); err != nil {
			return err
		}
		if d.RevokedAt == nil || !d.RevokedAt.Equal(at.UTC()) || d.RevokedBy != by {
			return nil
		}
		return s.db.queueMail(ctx, notices(d)...)
	})
	return d, err
}
