package account_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace/account"
)

func TestTokenCreateListRevoke(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	u := f.signUp(t, "ada@example.org", "Ada")
	ctx := f.as(t, u)
	created, err := f.svc.CreateToken(ctx, account.NewToken{Name: " payroll script "})
	if err != nil {
		t.Fatalf("CreateToken: %v", err)
	}
	if !strings.HasPrefix(created.Secret, "cp_") || len(created.Secret) != 3+43 || created.Name != "payroll script" ||
		created.Hint != created.Secret[len(created.Secret)-4:] {
		t.Errorf("created token = %+v", created)
	}
	a, err := f.svc.ActorForToken(context.Background(), created.Secret)
	if err != nil || a.UserID != u.ID || a.Method != account.AuthToken || a.TokenID != created.ID {
		t.Fatalf("ActorForToken = %+v, %v", a, err)
	}
	list, err := f.svc.Tokens(ctx)
	if err != nil || len(list) != 1 || list[0].ID != created.ID || list[0].LastUsedAt == nil {
		t.Fatalf("Tokens = %+v, %v; want the one token, with its use recorded", list, err)
	}
	if err := f.svc.RevokeToken(ctx, created.ID); err != nil {
		t.Fatalf("RevokeToken: %v", err)
	}
	if _, err := f.svc.ActorForToken(context.Background(), created.Secret); err != account.ErrInvalidToken {
		t.Errorf("revoked token: err = %v, want ErrInvalidToken", err)
	}
	if err := f.svc.RevokeToken(ctx, created.ID); !errors.Is(err, account.ErrTokenNotFound) {
		t.Errorf("revoking twice: err = %v, want ErrTokenNotFound", err)
	}
}

func TestTokenIsStoredAsAHashOnly(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	u := f.signUp(t, "ada@example.org", "Ada")
	created, err := f.svc.CreateToken(f.as(t, u), account.NewToken{Name: "ci"})
	if err != nil {
		t.Fatal(err)
	}
	var raw bson.M
	if err := f.db.Collection("api_tokens").FindOne(context.Background(), bson.M{"_id": created.ID}).Decode(&raw); err != nil {
		t.Fatal(err)
	}
	if raw["token_hash"] != account.HashSecret(created.Secret) {
		t.Errorf("token_hash = %v, want the SHA-256 of the secret", raw["token_hash"])
	}
	for k, v := range raw {
		if s, ok := v.(string); ok && strings.Contains(s, created.Secret[3:20]) {
			t.Errorf("field %s holds (part of) the secret", k)
		}
	}
	var sess bson.M
	if err := f.db.Collection("sessions").FindOne(context.Background(), bson.M{"user_id": u.ID}).Decode(&sess); err != nil {
		t.Fatal(err)
	}
	if sess["token_hash"] != account.HashSecret(f.secrets[u.ID]) {
		t.Errorf("session token_hash = %v, want the SHA-256 of the cookie secret", sess["token_hash"])
	}
}

func TestTokenRules(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ada := f.signUp(t, "ada@example.org", "Ada")
	bob := f.signUp(t, "bob@example.org", "Bob")
	ctx := f.as(t, ada)
	past := f.clock.Now().Add(-time.Minute)
	soon := f.clock.Now().Add(time.Hour)

	t.Run("expiry must be in the future", func(t *testing.T) {
		_, err := f.svc.CreateToken(ctx, account.NewToken{Name: "x", ExpiresAt: &past})
		wantKind(t, err, apperr.Invalid, "")
	})
	t.Run("name is required", func(t *testing.T) {
		_, err := f.svc.CreateToken(ctx, account.NewToken{Name: " "})
		wantKind(t, err, apperr.Invalid, "")
	})
	t.Run("an expired token is refused", func(t *testing.T) {
		tok, err := f.svc.CreateToken(ctx, account.NewToken{Name: "short", ExpiresAt: &soon})
		if err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(time.Hour)
		if _, err := f.svc.ActorForToken(context.Background(), tok.Secret); err != account.ErrInvalidToken {
			t.Errorf("expired token: err = %v, want ErrInvalidToken", err)
		}
	})
	t.Run("someone else's token cannot be revoked and is not found", func(t *testing.T) {
		tok, err := f.svc.CreateToken(f.as(t, bob), account.NewToken{Name: "bob's"})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.svc.RevokeToken(f.as(t, ada), tok.ID); !errors.Is(err, account.ErrTokenNotFound) {
			t.Errorf("revoking another's token: err = %v, want ErrTokenNotFound", err)
		}
		if _, err := f.svc.ActorForToken(context.Background(), tok.Secret); err != nil {
			t.Errorf("bob's token after ada's attempt: %v", err)
		}
	})
	t.Run("a token cannot create tokens", func(t *testing.T) {
		tok, err := f.svc.CreateToken(ctx, account.NewToken{Name: "parent"})
		if err != nil {
			t.Fatal(err)
		}
		a, err := f.svc.ActorForToken(context.Background(), tok.Secret)
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.CreateToken(account.WithActor(context.Background(), a), account.NewToken{Name: "child"})
		wantKind(t, err, apperr.Forbidden, "")
	})
	t.Run("anonymous callers have no tokens", func(t *testing.T) {
		_, err := f.svc.Tokens(context.Background())
		wantKind(t, err, apperr.Unauthenticated, "")
	})
	t.Run("unknown or malformed secrets are invalid", func(t *testing.T) {
		for _, s := range []string{"", "cp_", "cp_nope", "not-a-token"} {
			if _, err := f.svc.ActorForToken(context.Background(), s); err != account.ErrInvalidToken {
				t.Errorf("ActorForToken(%q) err = %v", s, err)
			}
		}
	})
}

func TestPurgeExpiredRemovesExpiredTokens(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	u := f.signUp(t, "ada@example.org", "Ada")
	soon := f.clock.Now().Add(time.Hour)
	if _, err := f.svc.CreateToken(f.as(t, u), account.NewToken{Name: "short", ExpiresAt: &soon}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.CreateToken(f.as(t, u), account.NewToken{Name: "forever"}); err != nil {
		t.Fatal(err)
	}
	n, err := f.svc.PurgeExpired(context.Background(), f.clock.Now().Add(2*time.Hour))
	if err != nil || n.Tokens != 1 || n.Sessions != 0 {
		t.Errorf("PurgeExpired = %+v, %v; want 1 token, 0 sessions", n, err)
	}
}
