package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/carepool/carepool/marketplace/account"
)

// ChangeEmail uses up a change-email token and moves its account to the token's address
// (verified: the link reached it), telling the old address, in one transaction:
// account.ErrEmailTokenInvalid, account.ErrEmailTaken (the unique index on email).
func (s *Accounts) ChangeEmail(ctx context.Context, hash string, now time.Time,
	notice func(old account.User) account.Notice) (account.User, error) {
	var u account.User
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		t, err := s.useEmailToken(ctx, account.PurposeChangeEmail, hash, now)
		if err != nil {
			return err
		}
		old, err := s.UserByID(ctx, t.UserID)
		if err != nil {
			return err
		}
		_, err = s.db.Collection(collUsers).UpdateOne(ctx, bson.M{"_id": t.UserID},
			bson.M{"$set": bson.M{"email": t.Email, "email_verified_at": now.UTC(), "updated_at": now.UTC()}})
		if IsDuplicateKey(err) {
			return account.ErrEmailTaken
		}
		if err != nil {
			return fmt.Errorf("change email: %w", err)
		}
		if u, err = s.UserByID(ctx, t.UserID); err != nil {
			return err
		}
		return s.db.queueMail(ctx, notice(old))
	})
	return u, err
}
