package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/carepool/carepool/marketplace/account"
)

// ResetPassword implements account.ResetStore: the token is used up, the password set,
// every session, API token and other reset token of the person removed, and the notice
// queued, all in one transaction.
func (s *Accounts) ResetPassword(ctx context.Context, hash, passwordHash string, now time.Time,
	notice func(account.User) account.Notice) (account.User, error) {
	var u account.User
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		t, err := s.useEmailToken(ctx, account.PurposePasswordReset, hash, now)
		if err != nil {
			return err
		}
		res, err := s.db.Collection(collUsers).UpdateOne(ctx, bson.M{"_id": t.UserID, "email": t.Email},
			bson.M{"$set": bson.M{"password_hash": passwordHash, "updated_at": now.UTC()}})
		if err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		if res.MatchedCount == 0 {
			return account.ErrEmailTokenInvalid // the address changed since the link was sent
		}
		if _, err := s.db.Collection(collSessions).DeleteMany(ctx, bson.M{"user_id": t.UserID}); err != nil {
			return fmt.Errorf("revoke sessions: %w", err)
		}
		if _, err := s.db.Collection(collAPITokens).DeleteMany(ctx, bson.M{"user_id": t.UserID}); err != nil {
			return fmt.Errorf("revoke api tokens: %w", err)
		}
		if _, err := s.db.Collection(collEmailTokens).UpdateMany(ctx,
			bson.M{"user_id": t.UserID, "purpose": account.PurposePasswordReset, "used_at": nil},
			bson.M{"$set": bson.M{"used_at": now.UTC()}}); err != nil {
			return fmt.Errorf("retire reset tokens: %w", err)
		}
		if u, err = s.UserByID(ctx, t.UserID); err != nil {
			return err
		}
		return s.db.queueMail(ctx, notice(u))
	})
	return u, err
}
