package notify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/pooling"
)

// MaxInvitationsPerRequest bounds the addresses of one invitation request.
const MaxInvitationsPerRequest = 50

// Invitation is an organiser's invitation of one email address to one pool. Its id is
// derived from both, so inviting the same address to the same pool again sends nothing.
type Invitation struct {
	ID        string
	PoolID    string
	Email     string
	By        string
	CreatedAt time.Time
}

// InvitationInput is what an organiser sends: the addresses to invite.
type InvitationInput struct {
	Emails []string `json:"emails"`
}

// InvitationResult is the answer to an invitation request. It is the same whether or
// not an address has an account, or was invited before, so nobody can use it to find
// out who is registered.
type InvitationResult struct {
	Invited int `json:"invited"` // the addresses accepted
}

// invitationID names the invitation of an address to a pool.
func invitationID(poolID, email string) string {
	sum := sha256.Sum256([]byte(poolID + "\x00" + account.NormaliseEmail(email)))
	return "inv-" + hex.EncodeToString(sum[:16])
}

// normalise trims, lower-cases and de-duplicates the addresses and reports every one at
// fault.
func (in InvitationInput) normalise() ([]string, error) {
	var f apperr.Fields
	switch {
	case len(in.Emails) == 0:
		f.Add("emails", "give at least one email address")
	case len(in.Emails) > MaxInvitationsPerRequest:
		f.Add("emails", "give at most %d addresses at a time", MaxInvitationsPerRequest)
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	var out []string
	for i, e := range in.Emails {
		e = account.NormaliseEmail(e)
		if !bareAddress(e) {
			f.Add(fmt.Sprintf("emails[%d]", i), "must be an email address, such as name@example.org")
			continue
		}
		if !slices.Contains(out, e) {
			out = append(out, e)
		}
	}
	return out, f.Err()
}

// bareAddress accepts "local@domain.tld" only (no display names or comments).
func bareAddress(email string) bool {
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || addr.Name != "" || len(email) > account.MaxEmailLength {
		return false
	}
	at := strings.LastIndexByte(email, '@')
	domain := email[at+1:]
	return at > 0 && strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}

// Invite invites email addresses to a pool that is taking pledges (organisers only).
// Each address gets one "invited" email with the pool's link (its invite link, for an
// invite-only pool); an address with an account also finds it in its inbox. A person may
// invite at most InvitationsPerDay addresses in 24 hours.
func (s *Service) Invite(ctx context.Context, poolID string, in InvitationInput) (InvitationResult, error) {
	a := account.ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return InvitationResult{}, err
	}
	emails, err := in.normalise()
	if err != nil {
		return InvitationResult{}, err
	}
	v, err := s.access.Pool(ctx, poolID)
	if err != nil {
		return InvitationResult{}, err
	}
	if !slices.Contains(v.YourRoles, pooling.RoleOrganiser) {
		return InvitationResult{}, apperr.Forbiddenf("Only the pool's organisers can invite people to it.")
	}
	if (v.Status != pooling.StatusOpen && v.Status != pooling.StatusConfirmed) || v.PlacesLeft == 0 {
		return InvitationResult{}, apperr.Conflictf("pool-not-taking-pledges", "This pool is not taking pledges now, so there is nothing to invite people to.")
	}
	now := s.now()
	// Counted before writing, so two requests at once may pass the limit by one
	// request's worth: a limit on sending email, not a money invariant.
	sent, err := s.store.InvitationsSince(ctx, a.UserID, now.Add(-24*time.Hour))
	if err != nil {
		return InvitationResult{}, fmt.Errorf("count invitations: %w", err)
	}
	if int(sent)+len(emails) > s.cfg.InvitationsPerDay {
		return InvitationResult{}, &apperr.Error{Kind: apperr.RateLimited, Code: "too-many-invitations",
			Message: fmt.Sprintf("You can invite up to %d people a day, and you have invited %d already. Please try again tomorrow.", s.cfg.InvitationsPerDay, sent),
			Err:     &account.RetryAfter{Wait: time.Hour}}
	}
	invs := make([]Invitation, len(emails))
	for i, e := range emails {
		invs[i] = Invitation{ID: invitationID(v.ID, e), PoolID: v.ID, Email: e, By: a.UserID, CreatedAt: now}
	}
	if _, err := s.store.CreateInvitations(ctx, invs); err != nil {
		return InvitationResult{}, fmt.Errorf("invite to pool %s: %w", poolID, err)
	}
	return InvitationResult{Invited: len(emails)}, nil
}
