package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"

	"github.com/carepool/carepool/marketplace/account"
)

// collEmailTokens holds the single-use tokens sent by email (address verification,
// password reset), under the hash of their secret.
const collEmailTokens = "email_tokens"

func init() {
	registerIndexes(collEmailTokens,
		unique("email_tokens_hash", bson.D{{Key: "hash", Value: 1}}),
		plain("email_tokens_user", bson.D{{Key: "user_id", Value: 1}, {Key: "purpose", Value: 1}}),
	)
}

type emailTokenDoc struct {
	ID        string     `bson:"_id"`
	Purpose   string     `bson:"purpose"`
	UserID    string     `bson:"user_id"`
	Email     string     `bson:"email"`
	Hash      string     `bson:"hash"`
	CreatedAt time.Time  `bson:"created_at"`
	ExpiresAt time.Time  `bson:"expires_at"`
	UsedAt    *time.Time `bson:"used_at"`
}

func newEmailTokenDoc(t account.EmailToken) emailTokenDoc {
	return emailTokenDoc{ID: t.ID, Purpose: t.Purpose, UserID: t.UserID, Email: t.Email, Hash: t.Hash,
		CreatedAt: t.CreatedAt.UTC(), ExpiresAt: t.ExpiresAt.UTC()}
}

// CreateUserWithToken implements account.EmailStore.
func (s *Accounts) CreateUserWithToken(ctx context.Context, u account.User, t account.EmailToken, n account.Notice) error {
	return s.db.Tx(ctx, func(ctx context.Context) error {
		if err := s.CreateUser(ctx, u); err != nil {
			return err
		}
		if _, err := s.db.Collection(collEmailTokens).InsertOne(ctx, newEmailTokenDoc(t)); err != nil {
			return fmt.Errorf("insert email token: %w", err)
		}
		return s.db.queueMail(ctx, n)
	})
}

// CreateEmailToken implements account.EmailStore.
func (s *Accounts) CreateEmailToken(ctx context.Context, t account.EmailToken, n account.Notice) error {
	return s.db.Tx(ctx, func(ctx context.Context) error {
		if _, err := s.db.Collection(collEmailTokens).InsertOne(ctx, newEmailTokenDoc(t)); err != nil {
			return fmt.Errorf("insert email token: %w", err)
		}
		return s.db.queueMail(ctx, n)
	})
}

// useEmailToken marks the unused, unexpired token of purpose with hash used, by one
// conditional update, so of two requests with the same token only one succeeds.
func (s *Accounts) useEmailToken(ctx context.Context, purpose, hash string, now time.Time) (emailTokenDoc, error) {
	var doc emailTokenDoc
	err := s.db.Collection(collEmailTokens).FindOneAndUpdate(ctx,
		bson.M{"hash": hash, "purpose": purpose, "used_at": nil, "expires_at": bson.M{"$gt": now.UTC()}},
		bson.M{"$set": bson.M{"used_at": now.UTC()}}).Decode(&doc)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return doc, account.ErrEmailTokenInvalid
	}
	if err != nil {
		return doc, fmt.Errorf("use email token: %w", err)
	}
	return doc, nil
}

// VerifyEmail implements account.EmailStore.
func (s *Accounts) VerifyEmail(ctx context.Context, hash string, now time.Time) (account.User, error) {
	var u account.User
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		t, err := s.useEmailToken(ctx, account.PurposeVerifyEmail, hash, now)
		if err != nil {
			return err
		}
		// The address must still be the one the token was sent to.
		res, err := s.db.Collection(collUsers).UpdateOne(ctx, bson.M{"_id": t.UserID, "email": t.Email},
			bson.M{"$set": bson.M{"email_verified_at": now.UTC(), "updated_at": now.UTC()}})
		if err != nil {
			return fmt.Errorf("mark email verified: %w", err)
		}
		if res.MatchedCount == 0 {
			return account.ErrEmailTokenInvalid
		}
		u, err = s.UserByID(ctx, t.UserID)
		return err
	})
	return u, err
}
