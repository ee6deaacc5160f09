package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/carepool/carepool/marketplace/account"
)

func init() {
	registerIndexes(collSessions,
		unique("sessions_token_hash", bson.D{{Key: "token_hash", Value: 1}}),
		plain("sessions_expires_at", bson.D{{Key: "expires_at", Value: 1}}),
	)
}

// sessionDoc stores a session under the hash of its secret; the secret itself is never
// stored, so reading the database does not let anyone log in.
type sessionDoc struct {
	ID         string    `bson:"_id"`
	TokenHash  string    `bson:"token_hash"`
	UserID     string    `bson:"user_id"`
	CreatedAt  time.Time `bson:"created_at"`
	LastSeenAt time.Time `bson:"last_seen_at"`
	ExpiresAt  time.Time `bson:"expires_at"`
}

// CreateSession implements account.SessionStore.
func (s *Accounts) CreateSession(ctx context.Context, sess account.Session) error {
	doc := sessionDoc{ID: sess.ID, TokenHash: sess.TokenHash, UserID: sess.UserID,
		CreatedAt: sess.CreatedAt.UTC(), LastSeenAt: sess.LastSeenAt.UTC(), ExpiresAt: sess.ExpiresAt.UTC()}
	if _, err := s.db.Collection(collSessions).InsertOne(ctx, doc); err != nil {
		return fmt.Errorf("insert session: %w", err)
	}
	return nil
}

// SessionByHash implements account.SessionStore.
func (s *Accounts) SessionByHash(ctx context.Context, tokenHash string) (account.Session, error) {
	var d sessionDoc
	if err := s.findOne(ctx, collSessions, bson.M{"token_hash": tokenHash}, &d, account.ErrSessionNotFound); err != nil {
		return account.Session{}, err
	}
	return account.Session{ID: d.ID, TokenHash: d.TokenHash, UserID: d.UserID, CreatedAt: d.CreatedAt.UTC(),
		LastSeenAt: d.LastSeenAt.UTC(), ExpiresAt: d.ExpiresAt.UTC()}, nil
}

// TouchSession implements account.SessionStore.
func (s *Accounts) TouchSession(ctx context.Context, id string, seenAt, expiresAt time.Time) error {
	res, err := s.db.Collection(collSessions).UpdateOne(ctx, bson.M{"_id": id},
		bson.M{"$set": bson.M{"last_seen_at": seenAt.UTC(), "expires_at": expiresAt.UTC()}})
	if err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	if res.MatchedCount == 0 {
		return account.ErrSessionNotFound
	}
	return nil
}

// DeleteSession implements account.SessionStore.
func (s *Accounts) DeleteSession(ctx context.Context, id string) error {
	if _, err := s.db.Collection(collSessions).DeleteOne(ctx, bson.M{"_id": id}); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteExpiredSessions implements account.SessionStore.
func (s *Accounts) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.db.Collection(collSessions).DeleteMany(ctx, bson.M{"expires_at": bson.M{"$lte": now.UTC()}})
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	return res.DeletedCount, nil
}
