package account

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/carepool/carepool/infra/apperr"
)

// Email changes: the person asks with their password; a link goes to the new address
// (which must be theirs) and a warning to the old one; following the link moves the
// account to the new address and tells the old one it happened.

// The kinds of notice of an email change, and the purpose of its token.
const (
	NoticeEmailChangeRequested = "email-change-requested"
	NoticeEmailChanged         = "email-changed"
	PurposeChangeEmail         = "change-email"
)

// EmailChange is a request to move an account to another address.
type EmailChange struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// RequestEmailChange sends a confirmation link to the new address (valid like a
// verification link) and tells the current address that a change was asked for. The
// answer is the same whether or not another account uses the new address, so nobody
// learns who is registered; an address in use fails when the link is followed.
// Requests are limited like other emails, and the password is checked like a log-in.
func (s *Service) RequestEmailChange(ctx context.Context, in EmailChange) error {
	a := ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return err
	}
	in.Email = NormaliseEmail(in.Email)
	u, err := s.store.UserByID(ctx, a.UserID)
	if err != nil {
		return fmt.Errorf("change email: %w", err)
	}
	if err := validateEmailChange(in, u); err != nil {
		return err
	}
	now := s.now()
	key := HashSecret("change-email\x00" + u.ID)
	if wait, ok := s.cfg.EmailLimiter.Allow(key, now); !ok {
		return errTooManyEmails(wait)
	}
	if ok, err := VerifyPassword(u.PasswordHash, in.Password); err != nil || !ok {
		s.cfg.EmailLimiter.Fail(key, now)
		if err != nil {
			return fmt.Errorf("change email: %w", err)
		}
		var f apperr.Fields
		f.Add("password", "is not the password of your account")
		return f.Err()
	}
	s.cfg.EmailLimiter.Fail(key, now) // every request sends email: count it
	to := u
	to.Email = in.Email
	t, secret := newEmailToken(PurposeChangeEmail, to, now, VerifyEmailTokenLifetime)
	confirm := Notice{Key: "change-email-" + t.ID, Kind: NoticeVerifyEmail, UserID: u.ID, To: in.Email, Name: u.Name,
		Path: "/account/verify-email?token=" + url.QueryEscape(secret)}
	if err := s.store.CreateEmailToken(ctx, t, confirm); err != nil {
		return fmt.Errorf("change email: %w", err)
	}
	warn := Notice{Key: "change-email-warn-" + t.ID, Kind: NoticeEmailChangeRequested, UserID: u.ID, To: u.Email, Name: u.Name,
		Path: "/account"}
	return s.store.QueueNotices(ctx, warn)
}

func validateEmailChange(in EmailChange, u User) error {
	var f apperr.Fields
	validateEmail(&f, "email", in.Email)
	if in.Email == u.Email {
		f.Add("email", "is already your email address")
	}
	if strings.TrimSpace(in.Password) == "" {
		f.Add("password", "is required")
	}
	return f.Err()
}

// confirmEmailChange is VerifyEmail for a change-email token: the account moves to the
// new address (verified, since the link reached it) and the old address hears of it.
func (s *Service) confirmEmailChange(ctx context.Context, hash string) (User, error) {
	now := s.now()
	u, err := s.store.ChangeEmail(ctx, hash, now, func(old User) Notice {
		return Notice{Key: "email-changed-" + old.ID + "-" + fmt.Sprint(now.UnixMilli()), Kind: NoticeEmailChanged,
			UserID: old.ID, To: old.Email, Name: old.Name, Path: "/account/forgotten-password"}
	})
	if errors.Is(err, ErrEmailTaken) {
		return User{}, ErrEmailTaken
	}
	return u, err
}
