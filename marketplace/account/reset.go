package account

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/carepool/carepool/infra/apperr"
)

// ResetStore finishes a password reset in one transaction.
type ResetStore interface {
	// ResetPassword uses up the password-reset token with hash, if unused and unexpired at
	// now and its address is still the user's; sets the new password hash; deletes every
	// session and API token of the user and every other reset token; and queues the
	// notice that notice builds for the user: ErrEmailTokenInvalid.
	ResetPassword(ctx context.Context, hash, passwordHash string, now time.Time, notice func(User) Notice) (User, error)
}

// PasswordResetRequest is what a person gives to ask for a reset link.
type PasswordResetRequest struct {
	Email string
}

// PasswordResetConfirm is what a person gives with the token from the email.
type PasswordResetConfirm struct {
	Token    string
	Password string
}

// Validate reports every field at fault.
func (c PasswordResetConfirm) Validate() error {
	var f apperr.Fields
	if c.Token == "" {
		f.Add("token", "is required")
	} else if len(c.Token) > 200 {
		f.Add("token", "is not valid")
	}
	validatePassword(&f, "password", c.Password)
	return f.Err()
}

// RequestPasswordReset emails a reset link to the account with email, if there is one.
// The answer is the same whether or not there is: nil, or a rate-limit error. Requests
// are limited per email and per client address ip, counting every request.
func (s *Service) RequestPasswordReset(ctx context.Context, in PasswordResetRequest, ip string) error {
	email := NormaliseEmail(in.Email)
	var f apperr.Fields
	validateEmail(&f, "email", email)
	if err := f.Err(); err != nil {
		return err
	}
	now := s.now()
	emailKey, ipKey := HashSecret("reset-email\x00"+email), HashSecret("reset-ip\x00"+ip)
	if wait, ok := s.cfg.EmailLimiter.Allow(emailKey, now); !ok {
		return errTooManyEmails(wait)
	}
	if wait, ok := s.cfg.IPLimiter.Allow(ipKey, now); !ok {
		return errTooManyEmails(wait)
	}
	s.cfg.EmailLimiter.Fail(emailKey, now) // every request counts, not only failures
	s.cfg.IPLimiter.Fail(ipKey, now)
	u, err := s.store.UserByEmail(ctx, email)
	if errors.Is(err, ErrUserNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("request password reset: %w", err)
	}
	t, secret := newEmailToken(PurposePasswordReset, u, now, PasswordResetTokenLifetime)
	n := Notice{Key: "reset-" + t.ID, Kind: NoticePasswordReset, UserID: u.ID, To: u.Email, Name: u.Name,
		Path: "/account/reset-password?token=" + url.QueryEscape(secret)}
	if err := s.store.CreateEmailToken(ctx, t, n); err != nil {
		return fmt.Errorf("request password reset: %w", err)
	}
	return nil
}

// ConfirmPasswordReset sets a new password with the token from a reset email, signs the
// person out everywhere (sessions and API tokens) and tells them by email. Wrong, used
// and expired tokens get one answer; wrong tokens are limited per client address ip.
func (s *Service) ConfirmPasswordReset(ctx context.Context, in PasswordResetConfirm, ip string) error {
	if err := in.Validate(); err != nil {
		return err
	}
	now := s.now()
	key := HashSecret("reset-confirm\x00" + ip)
	if wait, ok := s.cfg.IPLimiter.Allow(key, now); !ok {
		return errTooManyAttempts(wait)
	}
	hash, err := HashPassword(s.cfg.Password, in.Password)
	if err != nil {
		return fmt.Errorf("reset password: %w", err)
	}
	_, err = s.store.ResetPassword(ctx, HashSecret(in.Token), hash, now, func(u User) Notice {
		return Notice{Key: "password-changed-" + u.ID + "-" + fmt.Sprint(now.UnixMilli()), Kind: NoticePasswordChanged,
			UserID: u.ID, To: u.Email, Name: u.Name, Path: "/account/forgotten-password"}
	})
	if errors.Is(err, ErrEmailTokenInvalid) {
		s.cfg.IPLimiter.Fail(key, now)
		return ErrEmailTokenInvalid
	}
	if err != nil {
		return fmt.Errorf("reset password: %w", err)
	}
	return nil
}
