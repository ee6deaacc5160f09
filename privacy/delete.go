package privacy

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/pooling"
)

// Blocker is one thing that must happen before an account can be deleted, in plain
// English with what to do about it.
type Blocker struct {
	Kind    string `json:"kind"` // "pledge", "pool" or "organisation"
	ID      string `json:"id"`
	Message string `json:"message"`
}

// field is the blocker's name in a problem's list of fields at fault.
func (b Blocker) field() string { return b.Kind + "s." + b.ID }

// Blockers returns what stands in the way of deleting the caller's account: money in
// flight (a place in a pool that is open or going ahead, money set aside, sessions not
// yet paid for), pools they run on their own that are open or going ahead, and
// organisations of which they are the only owner. Empty: nothing.
func (s *Service) Blockers(ctx context.Context) ([]Blocker, error) {
	a := account.ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return nil, err
	}
	out := []Blocker{}
	pledges, err := s.pools.MyPledges(ctx)
	if err != nil {
		return nil, fmt.Errorf("deletion checks: %w", err)
	}
	for _, p := range pledges {
		if p.HolderID != a.UserID {
			continue // made for someone else: their money, not the caller's
		}
		if msg := pledgeBlock(p); msg != "" {
			out = append(out, Blocker{Kind: "pledge", ID: p.ID, Message: msg})
		}
	}
	proposed, err := s.proposedPools(ctx)
	if err != nil {
		return nil, err
	}
	for _, p := range proposed {
		switch p.Status {
		case pooling.StatusOpen:
			out = append(out, Blocker{Kind: "pool", ID: p.ID, Message: fmt.Sprintf(
				"You organise the pool “%s”, which is taking pledges. Cancel it first, or wait until it has finished.", p.Title)})
		case pooling.StatusConfirmed:
			out = append(out, Blocker{Kind: "pool", ID: p.ID, Message: fmt.Sprintf(
				"You organise the pool “%s”, which is going ahead. Wait until its sessions are over.", p.Title)})
		}
	}
	orgs, err := s.store.SoleOwnerships(ctx, a.UserID)
	if err != nil {
		return nil, fmt.Errorf("deletion checks: %w", err)
	}
	for _, o := range orgs {
		out = append(out, Blocker{Kind: "organisation", ID: o.ID, Message: fmt.Sprintf(
			"You are the only owner of “%s”. Make someone else an owner first, so it is not left without one.", o.Name)})
	}
	return out, nil
}

// pledgeBlock says why a pledge stops its holder's account being deleted, or "".
func pledgeBlock(p pooling.PledgeView) string {
	switch {
	case p.Status == pooling.PledgeWaitingApproval || p.Status == pooling.PledgePledged:
		return fmt.Sprintf("You have a place in the pool “%s”, with up to %s a session set aside. Withdraw from it first.",
			p.PoolTitle, pooling.Pounds(p.LimitPence))
	case p.Status == pooling.PledgeConfirmed:
		return fmt.Sprintf("You are taking part in “%s”, which is going ahead. You can delete your account when its sessions are over.", p.PoolTitle)
	case p.CommittedPence > 0:
		return fmt.Sprintf("%s is still set aside for “%s”.", pooling.Pounds(p.CommittedPence), p.PoolTitle)
	case p.Status == pooling.PledgeCompleted && (p.PoolStatus == pooling.StatusDelivered || p.PoolStatus == pooling.StatusInvoiced):
		return fmt.Sprintf("The sessions of “%s” are over, but not all of them are paid for yet. You can delete your account once they are.", p.PoolTitle)
	}
	return ""
}

// errBlocked lists the blockers as the fields at fault of a Conflict.
func errBlocked(bs []Blocker) error {
	e := apperr.Conflictf("account-deletion-blocked",
		"We cannot delete your account yet. Each item listed says what needs to happen first.")
	for _, b := range bs {
		e.Fields = append(e.Fields, apperr.FieldError{Field: b.field(), Message: b.Message})
	}
	return e
}

// errWrongPassword is the answer to a wrong password: a field at fault, not a 401, which
// would read as "your session has ended".
var errWrongPassword = apperr.InvalidFields(apperr.FieldError{Field: "password", Message: "is not your current password"})

func errTooManyAttempts(wait time.Duration) error {
	return &apperr.Error{Kind: apperr.RateLimited, Code: "too-many-attempts",
		Message: "You have entered a wrong password too many times. Please wait a few minutes and try again.",
		Err:     &account.RetryAfter{Wait: wait}}
}

// Delete erases the caller's account, after checking their password again (someone at
// an unlocked computer must not be able to do it). It is refused while anything in
// Blockers stands in the way. Afterwards the person cannot log in, every session and
// token is gone, and their email address can open a new account.
func (s *Service) Delete(ctx context.Context, password string) error {
	a := account.ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return err
	}
	if password == "" {
		return apperr.InvalidFields(apperr.FieldError{Field: "password", Message: "is required"})
	}
	key, now := account.HashSecret("delete-account\x00"+a.UserID), s.now()
	if wait, ok := s.cfg.Limiter.Allow(key, now); !ok {
		return errTooManyAttempts(wait)
	}
	me, err := s.accounts.Me(ctx)
	if err != nil {
		return fmt.Errorf("delete account: %w", err)
	}
	if ok, err := account.VerifyPassword(me.PasswordHash, password); err != nil {
		return fmt.Errorf("delete account: %w", err)
	} else if !ok {
		s.cfg.Limiter.Fail(key, now)
		return errWrongPassword
	}
	s.cfg.Limiter.Succeed(key)
	blockers, err := s.Blockers(ctx)
	if err != nil {
		return err
	}
	if len(blockers) > 0 {
		return errBlocked(blockers)
	}
	e, err := s.erasure(me)
	if err != nil {
		return err
	}
	return s.store.Erase(ctx, e, func(tx context.Context) error {
		for _, h := range s.holders {
			if err := h.ErasePersonalData(tx, me.ID); err != nil {
				return fmt.Errorf("erase %s: %w", h.PersonalDataName(), err)
			}
		}
		return nil
	})
}

// erasure is what replaces the person: an unroutable unique address, a neutral name,
// and the hash of a random password nobody ever sees.
func (s *Service) erasure(u account.User) (Erasure, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return Erasure{}, fmt.Errorf("delete account: %w", err)
	}
	hash, err := account.HashPassword(s.cfg.Password, hex.EncodeToString(b))
	if err != nil {
		return Erasure{}, fmt.Errorf("delete account: %w", err)
	}
	return Erasure{UserID: u.ID, Email: "erased-" + u.ID + "@" + ErasedEmailDomain, Name: ErasedName,
		PasswordHash: hash, OldName: u.Name, At: s.now()}, nil
}
