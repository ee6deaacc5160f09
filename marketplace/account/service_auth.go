package account

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/carepool/carepool/infra/apperr"
)

// Errors of logging in and authenticating. One message serves unknown emails and wrong
// passwords alike, so that the login form does not tell anyone who has an account.
var (
	ErrInvalidCredentials = apperr.New(apperr.Unauthenticated, "invalid-credentials", "The email address or password is not right.")
	ErrInvalidToken       = apperr.New(apperr.Unauthenticated, "invalid-token", "This API token is not valid: it may have been revoked or have expired.")
)

// RetryAfter is the cause inside a rate-limit error: how long the caller should wait.
type RetryAfter struct{ Wait time.Duration }

// Error describes the wait; it is logged, never shown (the apperr message is).
func (r *RetryAfter) Error() string { return fmt.Sprintf("retry after %s", r.Wait) }

func errTooManyAttempts(wait time.Duration) error {
	return &apperr.Error{Kind: apperr.RateLimited, Code: "too-many-login-attempts",
		Message: "Too many attempts to log in. Please wait a few minutes and try again.", Err: &RetryAfter{Wait: wait}}
}

// SignUp opens an account and starts a session for it.
func (s *Service) SignUp(ctx context.Context, in SignUp) (StartedSession, error) {
	in.Normalise()
	if err := in.Validate(); err != nil {
		return StartedSession{}, err
	}
	hash, err := HashPassword(s.cfg.Password, in.Password)
	if err != nil {
		return StartedSession{}, fmt.Errorf("sign up: %w", err)
	}
	now := s.now()
	u := User{ID: uuid.NewString(), Email: in.Email, Name: in.Name, PasswordHash: hash, CreatedAt: now, UpdatedAt: now}
	if err := s.createUser(ctx, u); err != nil {
		return StartedSession{}, fmt.Errorf("sign up: %w", err)
	}
	return s.startSession(ctx, u)
}

// LogIn checks an email and password from a client at ip and starts a session. Failures
// are limited per email and ip; while limited, even the right password is refused, so the
// limit cannot be probed to confirm a guess.
func (s *Service) LogIn(ctx context.Context, in Credentials, ip string) (StartedSession, error) {
	if err := in.Validate(); err != nil {
		return StartedSession{}, err
	}
	email := NormaliseEmail(in.Email)
	// The key is hashed so that the limiter's memory holds no email addresses.
	key := HashSecret(email + "\x00" + ip)
	now := s.now()
	if wait, ok := s.cfg.Limiter.Allow(key, now); !ok {
		return StartedSession{}, errTooManyAttempts(wait)
	}
	u, err := s.store.UserByEmail(ctx, email)
	hash := u.PasswordHash
	switch {
	case errors.Is(err, ErrUserNotFound):
		hash = s.dummyHash // spend the same time as for a real account
	case err != nil:
		return StartedSession{}, fmt.Errorf("log in: %w", err)
	}
	ok, verr := VerifyPassword(hash, in.Password)
	if verr != nil {
		return StartedSession{}, fmt.Errorf("log in: user %s: %w", u.ID, verr)
	}
	if !ok || err != nil {
		s.cfg.Limiter.Fail(key, now)
		return StartedSession{}, ErrInvalidCredentials
	}
	s.cfg.Limiter.Succeed(key)
	return s.startSession(ctx, u)
}

func (s *Service) startSession(ctx context.Context, u User) (StartedSession, error) {
	now := s.now()
	secret := newSecret()
	sess := Session{ID: uuid.NewString(), TokenHash: HashSecret(secret), UserID: u.ID, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: s.sessionExpiry(now, now)}
	if err := s.store.CreateSession(ctx, sess); err != nil {
		return StartedSession{}, fmt.Errorf("start session: %w", err)
	}
	return StartedSession{Session: sess, Secret: secret, User: u, CookieExpires: now.Add(s.cfg.SessionLifetime)}, nil
}

// sessionExpiry is the idle timeout from the last use, capped by the absolute lifetime.
func (s *Service) sessionExpiry(created, seen time.Time) time.Time {
	idle, hard := seen.Add(s.cfg.SessionIdle), created.Add(s.cfg.SessionLifetime)
	if idle.Before(hard) {
		return idle
	}
	return hard
}

// LogOut ends the session whose cookie holds secret. Ending a session that has already
// ended is not an error: the caller is logged out either way.
func (s *Service) LogOut(ctx context.Context, secret string) error {
	if secret == "" {
		return nil
	}
	sess, err := s.store.SessionByHash(ctx, HashSecret(secret))
	if errors.Is(err, ErrSessionNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("log out: %w", err)
	}
	if err := s.store.DeleteSession(ctx, sess.ID); err != nil {
		return fmt.Errorf("log out: %w", err)
	}
	return nil
}

// ActorForSession returns the actor whose session cookie holds secret, and keeps the
// session alive: ErrSessionNotFound when there is no such live session. It checks no caller.
func (s *Service) ActorForSession(ctx context.Context, secret string) (*Actor, error) {
	if secret == "" {
		return nil, ErrSessionNotFound
	}
	sess, err := s.store.SessionByHash(ctx, HashSecret(secret))
	if err != nil {
		return nil, fmt.Errorf("session: %w", err)
	}
	now := s.now()
	if !now.Before(sess.ExpiresAt) {
		return nil, fmt.Errorf("session expired: %w", ErrSessionNotFound)
	}
	if now.Sub(sess.LastSeenAt) >= sessionTouchInterval {
		if err := s.store.TouchSession(ctx, sess.ID, now, s.sessionExpiry(sess.CreatedAt, now)); err != nil {
			return nil, fmt.Errorf("touch session: %w", err)
		}
	}
	a, err := s.actorFor(ctx, sess.UserID)
	if errors.Is(err, ErrUserNotFound) {
		return nil, fmt.Errorf("session of a deleted account: %w", ErrSessionNotFound)
	}
	if err != nil {
		return nil, err
	}
	a.Method, a.SessionID = AuthSession, sess.ID
	return a, nil
}

// ActorForToken returns the actor whose API token is secret: ErrInvalidToken when it is
// unknown, revoked or expired. It checks no caller.
func (s *Service) ActorForToken(ctx context.Context, secret string) (*Actor, error) {
	if !strings.HasPrefix(secret, TokenPrefix) {
		return nil, ErrInvalidToken
	}
	t, err := s.store.TokenByHash(ctx, HashSecret(secret))
	if errors.Is(err, ErrTokenNotFound) {
		return nil, ErrInvalidToken
	}
	if err != nil {
		return nil, fmt.Errorf("api token: %w", err)
	}
	now := s.now()
	if t.Expired(now) {
		return nil, ErrInvalidToken
	}
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= tokenTouchInterval {
		if err := s.store.TouchToken(ctx, t.ID, now); err != nil && !errors.Is(err, ErrTokenNotFound) {
			return nil, fmt.Errorf("touch api token: %w", err)
		}
	}
	a, err := s.actorFor(ctx, t.UserID)
	if errors.Is(err, ErrUserNotFound) {
		return nil, ErrInvalidToken
	}
	if err != nil {
		return nil, err
	}
	a.Method, a.TokenID = AuthToken, t.ID
	return a, nil
}

// actorFor loads a user and their memberships fresh, so that changes apply at once.
func (s *Service) actorFor(ctx context.Context, userID string) (*Actor, error) {
	u, err := s.store.UserByID(ctx, userID)
	if err != nil {
		return nil, fmt.Errorf("load actor: %w", err)
	}
	ms, err := s.store.MembershipsOf(ctx, userID)
	if err != nil {
		return nil, fmt.Errorf("load memberships: %w", err)
	}
	return &Actor{UserID: u.ID, Name: u.Name, Admin: u.Admin, Memberships: ms}, nil
}
