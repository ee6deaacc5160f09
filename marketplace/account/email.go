package account

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/google/uuid"

	"github.com/carepool/carepool/infra/apperr"
)

// Kinds of notice the account service sends. infra/mail renders each; the names are the
// contract between the two.
const (
	NoticeVerifyEmail       = "verify-email"
	NoticePasswordReset     = "password-reset"
	NoticePasswordChanged   = "password-changed"
	NoticeDelegationGranted = "delegation-granted"
	NoticeDelegationRevoked = "delegation-revoked"
)

// Notice is one email to one person, recorded in the same transaction as the change it
// reports and sent later by the mail worker. It carries no health or disability details:
// only names and one link back to the site.
type Notice struct {
	Key    string // unique per message; a retry or a second server copy reuses it
	Kind   string // one of the Notice* kinds
	UserID string // the recipient's account
	To     string // the recipient's address
	Name   string // the recipient's name
	Other  string // the other person's name, for delegation notices
	Role   string // "holder" or "representative", for delegation notices
	// Path is the link's path and query on the site; the mail worker puts BASE_URL in front.
	Path string
}

// Defaults of the email rate limits (per DefaultLoginWindow).
const (
	DefaultEmailsPerWindow = 3  // per address or account
	DefaultRequestsPerIP   = 20 // per client address
)

// Purposes of an EmailToken.
const (
	PurposeVerifyEmail   = "verify-email"
	PurposePasswordReset = "password-reset"
)

// Lifetimes of the tokens sent by email.
const (
	VerifyEmailTokenLifetime   = 7 * 24 * time.Hour
	PasswordResetTokenLifetime = time.Hour
)

// EmailToken is a single-use secret sent by email. Only its SHA-256 hash is stored.
type EmailToken struct {
	ID        string
	Purpose   string // PurposeVerifyEmail or PurposePasswordReset
	UserID    string
	Email     string // the address it was sent to: verifying it proves this address
	Hash      string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// ErrEmailTokenInvalid is the one answer to a token that is wrong, used or expired, so
// the answer does not tell which.
var ErrEmailTokenInvalid = apperr.New(apperr.Invalid, "token-invalid",
	"This link is not valid: it may have been used already or have expired. Ask for a new one.")

// EmailStore keeps the tokens sent by email and queues notices. Each method is one
// transaction: the notice commits or aborts with the change it reports.
type EmailStore interface {
	// CreateUserWithToken stores a new user, a verification token and its notice:
	// ErrEmailTaken.
	CreateUserWithToken(ctx context.Context, u User, t EmailToken, n Notice) error
	// CreateEmailToken stores a token and the notice that carries it.
	CreateEmailToken(ctx context.Context, t EmailToken, n Notice) error
	// VerifyEmail uses up the verification token with hash, if unused and unexpired at now
	// and its address is still the user's, and marks the address verified:
	// ErrEmailTokenInvalid.
	VerifyEmail(ctx context.Context, hash string, now time.Time) (User, error)
	// ChangeEmail uses up a change-email token with hash, if unused and unexpired at now,
	// moves the account to the token's address (verified) and queues notice(the account
	// as it was): ErrEmailTokenInvalid, ErrEmailTaken.
	ChangeEmail(ctx context.Context, hash string, now time.Time, notice func(old User) Notice) (User, error)
	// ChangePassword sets a user's password hash, ends every session but keep and every
	// API token, and queues the notice, in one transaction: ErrUserNotFound.
	ChangePassword(ctx context.Context, userID, passwordHash, keep string, now time.Time, n Notice) error
	// QueueNotices records notices on their own (a change recorded elsewhere).
	QueueNotices(ctx context.Context, n ...Notice) error
}

func newEmailToken(purpose string, u User, now time.Time, life time.Duration) (EmailToken, string) {
	secret := newSecret()
	return EmailToken{ID: uuid.NewString(), Purpose: purpose, UserID: u.ID, Email: u.Email, Hash: HashSecret(secret),
		CreatedAt: now, ExpiresAt: now.Add(life)}, secret
}

func verifyNotice(u User, t EmailToken, secret string) Notice {
	return Notice{Key: "verify-" + t.ID, Kind: NoticeVerifyEmail, UserID: u.ID, To: u.Email, Name: u.Name,
		Path: "/account/verify-email?token=" + url.QueryEscape(secret)}
}

// createUser stores a new account with the email that asks its owner to confirm the address.
func (s *Service) createUser(ctx context.Context, u User) error {
	t, secret := newEmailToken(PurposeVerifyEmail, u, u.CreatedAt, VerifyEmailTokenLifetime)
	return s.store.CreateUserWithToken(ctx, u, t, verifyNotice(u, t, secret))
}

// ResendVerification sends the caller a new verification email; it is a no-op when the
// address is already verified. Requests are limited like failed logins.
func (s *Service) ResendVerification(ctx context.Context) error {
	a := ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return err
	}
	u, err := s.store.UserByID(ctx, a.UserID)
	if err != nil {
		return fmt.Errorf("resend verification: %w", err)
	}
	if u.EmailVerifiedAt != nil {
		return nil
	}
	now := s.now()
	if wait, ok := s.cfg.EmailLimiter.Allow(HashSecret("verify\x00"+u.ID), now); !ok {
		return errTooManyEmails(wait)
	}
	s.cfg.EmailLimiter.Fail(HashSecret("verify\x00"+u.ID), now)
	t, secret := newEmailToken(PurposeVerifyEmail, u, now, VerifyEmailTokenLifetime)
	if err := s.store.CreateEmailToken(ctx, t, verifyNotice(u, t, secret)); err != nil {
		return fmt.Errorf("resend verification: %w", err)
	}
	return nil
}

// VerifyEmail confirms an address with the token from a verification email, or from the
// email that confirms a change of address. It needs no session: the token is the proof.
func (s *Service) VerifyEmail(ctx context.Context, token string) (User, error) {
	if token == "" || len(token) > 200 {
		return User{}, ErrEmailTokenInvalid
	}
	u, err := s.store.VerifyEmail(ctx, HashSecret(token), s.now())
	if errors.Is(err, ErrEmailTokenInvalid) {
		// The same link confirms a new address after an email change.
		u, err = s.confirmEmailChange(ctx, HashSecret(token))
	}
	if errors.Is(err, ErrEmailTokenInvalid) || errors.Is(err, ErrEmailTaken) {
		return User{}, err
	}
	if err != nil {
		return User{}, fmt.Errorf("verify email: %w", err)
	}
	return u, nil
}

func errTooManyEmails(wait time.Duration) error {
	return &apperr.Error{Kind: apperr.RateLimited, Code: "too-many-emails",
		Message: "We have sent several emails already. Please wait a few minutes and try again.", Err: &RetryAfter{Wait: wait}}
}

// FailedMail is an email given up on after too many attempts: what administrators see.
// It names the recipient's account, not their address, and never the link.
type FailedMail struct {
	Key       string
	Kind      string
	UserID    string
	Attempts  int
	LastError string
	CreatedAt time.Time
	FailedAt  time.Time
}

// MailFailureStore lists the emails given up on.
type MailFailureStore interface {
	// MailFailures returns the emails given up on, newest first, at most limit.
	MailFailures(ctx context.Context, limit int) ([]FailedMail, error)
}

// MaxMailFailures bounds the administrators' list of failed emails.
const MaxMailFailures = 200

// MailFailures lists the emails given up on, for platform administrators.
func (s *Service) MailFailures(ctx context.Context) ([]FailedMail, error) {
	if err := requireAdmin(ActorFrom(ctx)); err != nil {
		return nil, err
	}
	fs, err := s.store.MailFailures(ctx, MaxMailFailures)
	if err != nil {
		return nil, fmt.Errorf("mail failures: %w", err)
	}
	return fs, nil
}
