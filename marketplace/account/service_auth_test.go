package account_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.mongodb.org/mongo-driver/bson"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace/account"
)

func TestSignUpRefusesEveryInvalidField(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("a", 101)
	tests := []struct {
		name string
		in   account.SignUp
		want []string
	}{
		{"everything missing", account.SignUp{}, []string{"email", "password", "name"}},
		{"email without at sign", account.SignUp{Email: "ada.example.org", Password: testPassword, Name: "Ada"}, []string{"email"}},
		{"email with display name", account.SignUp{Email: "Ada <ada@example.org>", Password: testPassword, Name: "Ada"}, []string{"email"}},
		{"email without a dot in the domain", account.SignUp{Email: "ada@localhost", Password: testPassword, Name: "Ada"}, []string{"email"}},
		{"email too long", account.SignUp{Email: strings.Repeat("a", 250) + "@example.org", Password: testPassword, Name: "Ada"}, []string{"email"}},
		{"password of nine characters", account.SignUp{Email: "ada@example.org", Password: "123456789", Name: "Ada"}, []string{"password"}},
		{"password over 256 characters", account.SignUp{Email: "ada@example.org", Password: strings.Repeat("p", 257), Name: "Ada"}, []string{"password"}},
		{"name only spaces", account.SignUp{Email: "ada@example.org", Password: testPassword, Name: "   "}, []string{"name"}},
		{"name too long", account.SignUp{Email: "ada@example.org", Password: testPassword, Name: long}, []string{"name"}},
		{"name with a control character", account.SignUp{Email: "ada@example.org", Password: testPassword, Name: "Ada\x00"}, []string{"name"}},
	}
	f := newFixture(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := f.svc.SignUp(context.Background(), tt.in)
			wantKind(t, err, apperr.Invalid, "validation")
			if diff := cmp.Diff(tt.want, fieldsOf(err)); diff != "" {
				t.Errorf("fields at fault (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSignUpAcceptsBoundaryLengths(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for i, pw := range []string{strings.Repeat("p", 10), strings.Repeat("é", 256)} {
		email := []string{"ten@example.org", "long@example.org"}[i]
		if _, err := f.svc.SignUp(context.Background(), account.SignUp{Email: email, Password: pw, Name: strings.Repeat("n", 100)}); err != nil {
			t.Errorf("password of %d characters: %v", len([]rune(pw)), err)
		}
	}
}

func TestSignUpNormalisesEmailAndRefusesTheSameMailboxTwice(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	u := f.signUp(t, "  Ada.Lovelace@Example.ORG ", "Ada")
	if u.Email != "ada.lovelace@example.org" {
		t.Errorf("email = %q, want it trimmed and lower-cased", u.Email)
	}
	_, err := f.svc.SignUp(context.Background(), account.SignUp{Email: "ADA.LOVELACE@example.org", Password: testPassword, Name: "Other"})
	if !errors.Is(err, account.ErrEmailTaken) {
		t.Errorf("second sign-up: err = %v, want ErrEmailTaken", err)
	}
	wantKind(t, err, apperr.Conflict, "email-taken")
}

func TestSignUpStoresAnArgon2idHashNeverThePassword(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	u := f.signUp(t, "ada@example.org", "Ada")
	var raw bson.M
	if err := f.db.Collection("users").FindOne(context.Background(), bson.M{"_id": u.ID}).Decode(&raw); err != nil {
		t.Fatal(err)
	}
	hash, _ := raw["password_hash"].(string)
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Errorf("stored hash = %q, want a PHC argon2id string with the configured parameters", hash)
	}
	for k, v := range raw {
		if s, ok := v.(string); ok && strings.Contains(s, testPassword) {
			t.Errorf("field %s holds the password", k)
		}
	}
}

func TestLogInSucceedsWithTheRightPasswordAndAnyEmailCase(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	u := f.signUp(t, "ada@example.org", "Ada")
	s, err := f.svc.LogIn(context.Background(), account.Credentials{Email: "ADA@example.org", Password: testPassword}, "192.0.2.1")
	if err != nil {
		t.Fatalf("LogIn: %v", err)
	}
	if s.User.ID != u.ID || s.Secret == "" || s.TokenHash != account.HashSecret(s.Secret) {
		t.Errorf("session = %+v, want one for %s with a hashed secret", s.Session, u.ID)
	}
	a, err := f.svc.ActorForSession(context.Background(), s.Secret)
	if err != nil || a.UserID != u.ID || a.Method != account.AuthSession {
		t.Errorf("ActorForSession = %+v, %v", a, err)
	}
}

func TestLogInGivesTheSameAnswerForUnknownEmailAndWrongPassword(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.signUp(t, "ada@example.org", "Ada")
	_, wrong := f.svc.LogIn(context.Background(), account.Credentials{Email: "ada@example.org", Password: "not the password"}, "192.0.2.1")
	_, unknown := f.svc.LogIn(context.Background(), account.Credentials{Email: "nobody@example.org", Password: "not the password"}, "192.0.2.1")
	if wrong != account.ErrInvalidCredentials || unknown != account.ErrInvalidCredentials {
		t.Errorf("wrong password: %v; unknown email: %v; want both ErrInvalidCredentials exactly", wrong, unknown)
	}
}

func TestLogInIsLimitedPerEmailAndIPEvenForTheRightPassword(t *testing.T) {
	t.Parallel()
	f := newFixture(t) // 3 failures per 10 minutes
	f.signUp(t, "ada@example.org", "Ada")
	ctx := context.Background()
	bad := account.Credentials{Email: "ada@example.org", Password: "wrong password"}
	good := account.Credentials{Email: "ada@example.org", Password: testPassword}
	for range 3 {
		if _, err := f.svc.LogIn(ctx, bad, "192.0.2.1"); err != account.ErrInvalidCredentials {
			t.Fatalf("failure under the limit: %v", err)
		}
	}
	_, err := f.svc.LogIn(ctx, good, "192.0.2.1")
	wantKind(t, err, apperr.RateLimited, "too-many-login-attempts")
	var wait *account.RetryAfter
	if !errors.As(err, &wait) || wait.Wait <= 0 || wait.Wait > 10*time.Minute {
		t.Errorf("rate-limit error carries wait %+v, want (0, 10m]", wait)
	}
	if _, err := f.svc.LogIn(ctx, good, "198.51.100.7"); err != nil {
		t.Errorf("same email from another address: %v, want success", err)
	}
	f.clock.Advance(10 * time.Minute)
	if _, err := f.svc.LogIn(ctx, good, "192.0.2.1"); err != nil {
		t.Errorf("after the window: %v, want success", err)
	}
}

func TestLogOutEndsTheSessionAndIsIdempotent(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.signUp(t, "ada@example.org", "Ada")
	ctx := context.Background()
	s, err := f.svc.LogIn(ctx, account.Credentials{Email: "ada@example.org", Password: testPassword}, "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.LogOut(ctx, s.Secret); err != nil {
		t.Fatalf("LogOut: %v", err)
	}
	if _, err := f.svc.ActorForSession(ctx, s.Secret); !errors.Is(err, account.ErrSessionNotFound) {
		t.Errorf("session after log out: err = %v, want ErrSessionNotFound", err)
	}
	if err := f.svc.LogOut(ctx, s.Secret); err != nil {
		t.Errorf("second LogOut: %v, want nil", err)
	}
}

func TestSessionsExpireWhenIdleAndAtTheAbsoluteLimit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("idle for 14 days", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		u := f.signUp(t, "ada@example.org", "Ada")
		f.clock.Advance(14*24*time.Hour - time.Minute)
		f.as(t, u) // still alive just before the idle timeout
		f.clock.Advance(14*24*time.Hour - time.Minute)
		f.as(t, u) // the use above slid the expiry forward
		f.clock.Advance(14 * 24 * time.Hour)
		if _, err := f.svc.ActorForSession(ctx, f.secrets[u.ID]); !errors.Is(err, account.ErrSessionNotFound) {
			t.Errorf("after 14 idle days: err = %v, want ErrSessionNotFound", err)
		}
	})
	t.Run("used daily for 30 days", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		u := f.signUp(t, "ada@example.org", "Ada")
		for range 29 {
			f.clock.Advance(24 * time.Hour)
			f.as(t, u)
		}
		f.clock.Advance(24 * time.Hour)
		if _, err := f.svc.ActorForSession(ctx, f.secrets[u.ID]); !errors.Is(err, account.ErrSessionNotFound) {
			t.Errorf("after 30 days of use: err = %v, want ErrSessionNotFound", err)
		}
	})
}

func TestPurgeExpiredRemovesOnlyExpiredSessions(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	old := f.signUp(t, "old@example.org", "Old")
	f.clock.Advance(20 * 24 * time.Hour)
	fresh := f.signUp(t, "fresh@example.org", "Fresh")
	n, err := f.svc.PurgeExpired(context.Background(), f.clock.Now())
	if err != nil || n.Sessions != 1 {
		t.Fatalf("PurgeExpired = %+v, %v; want 1 session", n, err)
	}
	f.as(t, fresh)
	if _, err := f.store.SessionByHash(context.Background(), account.HashSecret(f.secrets[old.ID])); !errors.Is(err, account.ErrSessionNotFound) {
		t.Errorf("expired session still stored: %v", err)
	}
}

func TestProfileUpdateRenamesOnlyTheCaller(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	u := f.signUp(t, "ada@example.org", "Ada")
	name := "  Ada King "
	got, err := f.svc.UpdateMe(f.as(t, u), account.ProfileUpdate{Name: &name})
	if err != nil || got.Name != "Ada King" {
		t.Errorf("UpdateMe = %+v, %v; want name Ada King", got, err)
	}
	_, err = f.svc.UpdateMe(context.Background(), account.ProfileUpdate{Name: &name})
	wantKind(t, err, apperr.Unauthenticated, "")
	empty := ""
	_, err = f.svc.UpdateMe(f.as(t, u), account.ProfileUpdate{Name: &empty})
	wantKind(t, err, apperr.Invalid, "")
}
