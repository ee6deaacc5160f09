package store

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/carepool/carepool/marketplace/account"
)

func TestEmailTokenWorksOnceUnderConcurrency(t *testing.T) {
	t.Parallel()
	s, db := openAccountsForTest(t)
	u := account.User{ID: "u1", Email: "ann@example.org", Name: "Ann", PasswordHash: "$argon2id$stub", CreatedAt: accountsT0, UpdatedAt: accountsT0}
	tok := account.EmailToken{ID: "t1", Purpose: account.PurposeVerifyEmail, UserID: u.ID, Email: u.Email, Hash: "h1",
		CreatedAt: accountsT0, ExpiresAt: accountsT0.Add(time.Hour)}
	n := account.Notice{Key: "verify-t1", Kind: account.NoticeVerifyEmail, UserID: u.ID, To: u.Email, Path: "/x?token=s"}
	if err := s.CreateUserWithToken(context.Background(), u, tok, n); err != nil {
		t.Fatal(err)
	}
	// The user, the token, the mail and its outbox task were written together.
	for coll, want := range map[string]int64{collUsers: 1, collEmailTokens: 1, collMail: 1, outboxCollection: 1} {
		if got, _ := db.Collection(coll).CountDocuments(context.Background(), bson.M{}); got != want {
			t.Errorf("%s: %d documents, want %d", coll, got, want)
		}
	}
	// A second account with the same email writes nothing at all.
	u2 := u
	u2.ID = "u2"
	tok2 := tok
	tok2.ID, tok2.Hash = "t2", "h2"
	n2 := n
	n2.Key = "verify-t2"
	if err := s.CreateUserWithToken(context.Background(), u2, tok2, n2); !errors.Is(err, account.ErrEmailTaken) {
		t.Fatalf("second sign-up: %v", err)
	}
	if got, _ := db.Collection(collMail).CountDocuments(context.Background(), bson.M{}); got != 1 {
		t.Errorf("a refused sign-up queued mail: %d messages", got)
	}

	var ok, invalid atomic.Int32
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			_, err := s.VerifyEmail(context.Background(), "h1", accountsT0.Add(time.Minute))
			switch {
			case err == nil:
				ok.Add(1)
			case errors.Is(err, account.ErrEmailTokenInvalid):
				invalid.Add(1)
			default:
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if ok.Load() != 1 || invalid.Load() != 9 {
		t.Errorf("%d verified, %d refused; want 1 and 9", ok.Load(), invalid.Load())
	}
	got, _ := s.UserByID(context.Background(), "u1")
	if got.EmailVerifiedAt == nil || !got.EmailVerifiedAt.Equal(accountsT0.Add(time.Minute)) {
		t.Errorf("email_verified_at %v", got.EmailVerifiedAt)
	}
}

func TestEmailTokenRefusedWhenExpiredOrForAnotherPurpose(t *testing.T) {
	t.Parallel()
	s, _ := openAccountsForTest(t)
	u := mustCreateUserForTest(t, s, "u1", "bea@example.org")
	tok := account.EmailToken{ID: "t1", Purpose: account.PurposePasswordReset, UserID: u.ID, Email: u.Email, Hash: "h1",
		CreatedAt: accountsT0, ExpiresAt: accountsT0.Add(time.Hour)}
	if err := s.CreateEmailToken(context.Background(), tok, account.Notice{Key: "reset-t1", Kind: account.NoticePasswordReset, UserID: u.ID, To: u.Email}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.VerifyEmail(context.Background(), "h1", accountsT0); !errors.Is(err, account.ErrEmailTokenInvalid) {
		t.Errorf("a reset token verified an address: %v", err)
	}
	notice := func(u account.User) account.Notice {
		return account.Notice{Key: "changed-" + u.ID, Kind: account.NoticePasswordChanged, UserID: u.ID, To: u.Email}
	}
	if _, err := s.ResetPassword(context.Background(), "h1", "$new", accountsT0.Add(time.Hour), notice); !errors.Is(err, account.ErrEmailTokenInvalid) {
		t.Errorf("expired token: %v", err)
	}
	if _, err := s.ResetPassword(context.Background(), "h1", "$new", accountsT0.Add(59*time.Minute), notice); err != nil {
		t.Errorf("valid token: %v", err)
	}
	if got, _ := s.UserByID(context.Background(), "u1"); got.PasswordHash != "$new" {
		t.Errorf("password hash %q", got.PasswordHash)
	}
}
