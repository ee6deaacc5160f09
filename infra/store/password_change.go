package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/carepool/carepool/marketplace/account"
)

// ChangePassword sets a user's password hash, deletes every session but keep (the one
// that made the change; "" keeps none) and every API token, and queues the notice, in
// one transaction.
func (s *Accounts) ChangePassword(ctx context.Context, userID, passwordHash, keep string, now time.Time, n account.Notice) error {
	return s.db.Tx(ctx, func(ctx context.Context) error {
		res, err := s.db.Collection(collUsers).UpdateOne(ctx, bson.M{"_id": userID},
			bson.M{"$set": bson.M{"password_hash": passwordHash, "updated_at": now.UTC()}})
		if err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		if res.MatchedCount == 0 {
			return account.ErrUserNotFound
		}
		if _, err := s.db.Collection(collSessions).DeleteMany(ctx, bson.M{"user_id": userID, "_id": bson.M{"$ne": keep}}); err != nil {
			return fmt.Errorf("revoke sessions: %w", err)
		}
		if _, err := s.db.Collection(collAPITokens).DeleteMany(ctx, bson.M{"user_id": userID}); err != nil {
			return fmt.Errorf("revoke api tokens: %w", err)
		}
		return s.db.queueMail(ctx, n)
	})
}
