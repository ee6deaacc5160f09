package store

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.mongodb.org/mongo-driver/bson"

	"github.com/carepool/carepool/marketplace/account"
)

// openAccountsForTest returns the account store on a fresh in-memory database.
func openAccountsForTest(tb testing.TB) (*Accounts, *DB) {
	tb.Helper()
	ctx := context.Background()
	db, err := OpenMemory(ctx)
	if err != nil {
		tb.Fatalf("open memory store: %v", err)
	}
	tb.Cleanup(func() { _ = db.Close(ctx) })
	return NewAccounts(db), db
}

var accountsT0 = time.Date(2025, 3, 1, 9, 30, 0, 0, time.UTC)

func mustCreateUserForTest(tb testing.TB, s *Accounts, id, email string) account.User {
	tb.Helper()
	u := account.User{ID: id, Email: email, Name: "Name of " + id, PasswordHash: "$argon2id$stub", CreatedAt: accountsT0, UpdatedAt: accountsT0}
	if err := s.CreateUser(context.Background(), u); err != nil {
		tb.Fatalf("create user %s: %v", id, err)
	}
	return u
}

func TestAccountsUserRoundTripsAndEmailIsUnique(t *testing.T) {
	t.Parallel()
	s, _ := openAccountsForTest(t)
	ctx := context.Background()
	want := mustCreateUserForTest(t, s, "u1", "ada@example.org")

	got, err := s.UserByEmail(ctx, "ada@example.org")
	if err != nil {
		t.Fatalf("UserByEmail: %v", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("user (-want +got):\n%s", diff)
	}
	dup := want
	dup.ID = "u2"
	if err := s.CreateUser(ctx, dup); !errors.Is(err, account.ErrEmailTaken) {
		t.Errorf("second user with the same email: err = %v, want ErrEmailTaken", err)
	}
	if _, err := s.UserByID(ctx, "nobody"); !errors.Is(err, account.ErrUserNotFound) {
		t.Errorf("UserByID(unknown) err = %v, want ErrUserNotFound", err)
	}
	renamed, err := s.RenameUser(ctx, "u1", "Ada L.", accountsT0.Add(time.Hour))
	if err != nil || renamed.Name != "Ada L." || !renamed.UpdatedAt.Equal(accountsT0.Add(time.Hour)) {
		t.Errorf("RenameUser = %+v, %v", renamed, err)
	}
}

func TestAccountsConcurrentSignUpsWithOneEmailMakeOneAccount(t *testing.T) {
	t.Parallel()
	s, _ := openAccountsForTest(t)
	var wg sync.WaitGroup
	errs := make(chan error, 10)
	for i := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			u := account.User{ID: "u" + string(rune('a'+i)), Email: "same@example.org", CreatedAt: accountsT0, UpdatedAt: accountsT0}
			errs <- s.CreateUser(context.Background(), u)
		}()
	}
	wg.Wait()
	close(errs)
	created := 0
	for err := range errs {
		switch {
		case err == nil:
			created++
		case !errors.Is(err, account.ErrEmailTaken):
			t.Errorf("unexpected error: %v", err)
		}
	}
	if created != 1 {
		t.Errorf("created %d accounts, want 1", created)
	}
}

func TestAccountsSessionsAndTokensAreStoredByHashOnly(t *testing.T) {
	t.Parallel()
	s, db := openAccountsForTest(t)
	ctx := context.Background()
	const secret = "the-secret-cookie-value"
	sess := account.Session{ID: "s1", TokenHash: account.HashSecret(secret), UserID: "u1", CreatedAt: accountsT0,
		LastSeenAt: accountsT0, ExpiresAt: accountsT0.Add(time.Hour)}
	if err := s.CreateSession(ctx, sess); err != nil {
		t.Fatal(err)
	}
	tok := account.APIToken{ID: "t1", UserID: "u1", Name: "script", TokenHash: account.HashSecret("cp_" + secret), Hint: "alue", CreatedAt: accountsT0}
	if err := s.CreateToken(ctx, tok); err != nil {
		t.Fatal(err)
	}
	for coll, id := range map[string]string{collSessions: "s1", collAPITokens: "t1"} {
		var raw bson.M
		if err := db.Collection(coll).FindOne(ctx, bson.M{"_id": id}).Decode(&raw); err != nil {
			t.Fatalf("read raw %s: %v", coll, err)
		}
		for k, v := range raw {
			if str, ok := v.(string); ok && (str == secret || str == "cp_"+secret) {
				t.Errorf("%s.%s holds the secret itself", coll, k)
			}
		}
		if h, _ := raw["token_hash"].(string); len(h) != 64 {
			t.Errorf("%s.token_hash = %q, want a 64-hex-digit SHA-256", coll, h)
		}
	}
	got, err := s.SessionByHash(ctx, account.HashSecret(secret))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(sess, got); diff != "" {
		t.Errorf("session (-want +got):\n%s", diff)
	}
}

func TestAccountsPurgeRemovesOnlyExpired(t *testing.T) {
	t.Parallel()
	s, _ := openAccountsForTest(t)
	ctx := context.Background()
	for i, exp := range []time.Duration{-time.Hour, 0, time.Hour} {
		id := string(rune('a' + i))
		if err := s.CreateSession(ctx, account.Session{ID: id, TokenHash: id, UserID: "u", ExpiresAt: accountsT0.Add(exp)}); err != nil {
			t.Fatal(err)
		}
		e := accountsT0.Add(exp)
		if err := s.CreateToken(ctx, account.APIToken{ID: id, UserID: "u", TokenHash: id, ExpiresAt: &e}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CreateToken(ctx, account.APIToken{ID: "forever", UserID: "u", TokenHash: "forever"}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.DeleteExpiredSessions(ctx, accountsT0); err != nil || n != 2 {
		t.Errorf("DeleteExpiredSessions = %d, %v; want 2", n, err)
	}
	if n, err := s.DeleteExpiredTokens(ctx, accountsT0); err != nil || n != 2 {
		t.Errorf("DeleteExpiredTokens = %d, %v; want 2", n, err)
	}
	left, _ := s.TokensOf(ctx, "u")
	if len(left) != 2 {
		t.Errorf("tokens left = %d, want 2 (one unexpired, one without expiry)", len(left))
	}
}
