package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/carepool/carepool/marketplace/account"
)

func init() {
	registerIndexes(collAPITokens,
		unique("api_tokens_token_hash", bson.D{{Key: "token_hash", Value: 1}}),
		plain("api_tokens_user", bson.D{{Key: "user_id", Value: 1}, {Key: "created_at", Value: -1}}),
	)
}

// tokenDoc stores an API token under the hash of its secret, never the secret.
type tokenDoc struct {
	ID         string     `bson:"_id"`
	UserID     string     `bson:"user_id"`
	Name       string     `bson:"name"`
	TokenHash  string     `bson:"token_hash"`
	Hint       string     `bson:"hint"`
	CreatedAt  time.Time  `bson:"created_at"`
	LastUsedAt *time.Time `bson:"last_used_at,omitempty"`
	ExpiresAt  *time.Time `bson:"expires_at,omitempty"`
}

func (d tokenDoc) token() account.APIToken {
	return account.APIToken{ID: d.ID, UserID: d.UserID, Name: d.Name, TokenHash: d.TokenHash, Hint: d.Hint,
		CreatedAt: d.CreatedAt.UTC(), LastUsedAt: optionalUTC(d.LastUsedAt), ExpiresAt: optionalUTC(d.ExpiresAt)}
}

// optionalUTC returns a copy of an optional time in UTC.
func optionalUTC(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// CreateToken implements account.TokenStore.
func (s *Accounts) CreateToken(ctx context.Context, t account.APIToken) error {
	doc := tokenDoc{ID: t.ID, UserID: t.UserID, Name: t.Name, TokenHash: t.TokenHash, Hint: t.Hint,
		CreatedAt: t.CreatedAt.UTC(), LastUsedAt: optionalUTC(t.LastUsedAt), ExpiresAt: optionalUTC(t.ExpiresAt)}
	if _, err := s.db.Collection(collAPITokens).InsertOne(ctx, doc); err != nil {
		return fmt.Errorf("insert api token: %w", err)
	}
	return nil
}

// TokenByHash implements account.TokenStore.
func (s *Accounts) TokenByHash(ctx context.Context, tokenHash string) (account.APIToken, error) {
	var d tokenDoc
	if err := s.findOne(ctx, collAPITokens, bson.M{"token_hash": tokenHash}, &d, account.ErrTokenNotFound); err != nil {
		return account.APIToken{}, err
	}
	return d.token(), nil
}

// TokensOf implements account.TokenStore.
func (s *Accounts) TokensOf(ctx context.Context, userID string) ([]account.APIToken, error) {
	var docs []tokenDoc
	sort := bson.D{{Key: "created_at", Value: -1}, {Key: "_id", Value: 1}}
	if err := s.findAll(ctx, collAPITokens, bson.M{"user_id": userID}, sort, &docs); err != nil {
		return nil, err
	}
	tokens := make([]account.APIToken, len(docs))
	for i, d := range docs {
		tokens[i] = d.token()
	}
	return tokens, nil
}

// TouchToken implements account.TokenStore.
func (s *Accounts) TouchToken(ctx context.Context, id string, usedAt time.Time) error {
	res, err := s.db.Collection(collAPITokens).UpdateOne(ctx, bson.M{"_id": id},
		bson.M{"$set": bson.M{"last_used_at": usedAt.UTC()}})
	if err != nil {
		return fmt.Errorf("touch api token: %w", err)
	}
	if res.MatchedCount == 0 {
		return account.ErrTokenNotFound
	}
	return nil
}

// DeleteToken implements account.TokenStore. The filter names the owner, so one person
// cannot revoke another's token by guessing its id.
func (s *Accounts) DeleteToken(ctx context.Context, userID, id string) error {
	res, err := s.db.Collection(collAPITokens).DeleteOne(ctx, bson.M{"_id": id, "user_id": userID})
	if err != nil {
		return fmt.Errorf("delete api token: %w", err)
	}
	if res.DeletedCount == 0 {
		return account.ErrTokenNotFound
	}
	return nil
}

// DeleteExpiredTokens implements account.TokenStore.
func (s *Accounts) DeleteExpiredTokens(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.db.Collection(collAPITokens).DeleteMany(ctx, bson.M{"expires_at": bson.M{"$lte": now.UTC()}})
	if err != nil {
		return 0, fmt.Errorf("delete expired api tokens: %w", err)
	}
	return res.DeletedCount, nil
}
