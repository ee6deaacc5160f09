package account

import (
	"context"
	"fmt"

	"github.com/carepool/carepool/infra/apperr"
)

// PasswordChange is a signed-in person choosing a new password.
type PasswordChange struct {
	Current string `json:"current_password"`
	New     string `json:"new_password"`
}

// ChangePassword sets a new password for the caller after checking the current one
// (limited like a log-in), signs out every other session and API token, and tells the
// person by email: a change they did not make is the sign of a stolen password.
func (s *Service) ChangePassword(ctx context.Context, in PasswordChange) error {
	a := ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return err
	}
	var f apperr.Fields
	if in.Current == "" {
		f.Add("current_password", "is required")
	}
	validatePassword(&f, "new_password", in.New)
	if err := f.Err(); err != nil {
		return err
	}
	u, err := s.store.UserByID(ctx, a.UserID)
	if err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	now := s.now()
	key := HashSecret("change-password\x00" + u.ID)
	if wait, ok := s.cfg.Limiter.Allow(key, now); !ok {
		return errTooManyAttempts(wait)
	}
	if ok, err := VerifyPassword(u.PasswordHash, in.Current); err != nil || !ok {
		if err != nil {
			return fmt.Errorf("change password: %w", err)
		}
		s.cfg.Limiter.Fail(key, now)
		f.Add("current_password", "is not the password of your account")
		return f.Err()
	}
	s.cfg.Limiter.Succeed(key)
	hash, err := HashPassword(s.cfg.Password, in.New)
	if err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	n := Notice{Key: "password-changed-" + u.ID + "-" + fmt.Sprint(now.UnixMilli()), Kind: NoticePasswordChanged,
		UserID: u.ID, To: u.Email, Name: u.Name, Path: "/account/forgotten-password"}
	if err := s.store.ChangePassword(ctx, u.ID, hash, a.SessionID, now, n); err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	return nil
}
