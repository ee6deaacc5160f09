package account

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/carepool/carepool/infra/apperr"
)

// CreateToken creates an API token for the caller and returns it with its secret, which
// is shown this once. Only a browser session may create tokens: otherwise a leaked token
// could mint fresh tokens that outlive its own revocation.
func (s *Service) CreateToken(ctx context.Context, in NewToken) (CreatedToken, error) {
	a := ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return CreatedToken{}, err
	}
	if a.Method == AuthToken {
		return CreatedToken{}, apperr.Forbiddenf("API tokens can only be created from a logged-in browser session, not with another token.")
	}
	in.Normalise()
	now := s.now()
	if err := in.Validate(now); err != nil {
		return CreatedToken{}, err
	}
	existing, err := s.store.TokensOf(ctx, a.UserID)
	if err != nil {
		return CreatedToken{}, fmt.Errorf("create token: %w", err)
	}
	if len(existing) >= MaxTokensPerUser {
		return CreatedToken{}, apperr.Conflictf("too-many-tokens", "You have %d API tokens, the most allowed. Revoke one you no longer use first.", len(existing))
	}
	secret := TokenPrefix + newSecret()
	t := APIToken{ID: uuid.NewString(), UserID: a.UserID, Name: in.Name, TokenHash: HashSecret(secret),
		Hint: secret[len(secret)-4:], CreatedAt: now}
	if in.ExpiresAt != nil {
		exp := in.ExpiresAt.UTC().Truncate(time.Millisecond)
		t.ExpiresAt = &exp
	}
	if err := s.store.CreateToken(ctx, t); err != nil {
		return CreatedToken{}, fmt.Errorf("create token: %w", err)
	}
	return CreatedToken{APIToken: t, Secret: secret}, nil
}

// Tokens returns the caller's API tokens, newest first (without their secrets, which are
// not kept).
func (s *Service) Tokens(ctx context.Context) ([]APIToken, error) {
	a := ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return nil, err
	}
	ts, err := s.store.TokensOf(ctx, a.UserID)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	return ts, nil
}

// RevokeToken revokes one of the caller's API tokens at once. Someone else's token is
// ErrTokenNotFound, so that token ids reveal nothing.
func (s *Service) RevokeToken(ctx context.Context, id string) error {
	a := ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return err
	}
	if err := s.store.DeleteToken(ctx, a.UserID, id); err != nil {
		return fmt.Errorf("revoke token: %w", err)
	}
	return nil
}
