package notify

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/pooling"
)

// MaxMessageLength bounds a pool message, in characters.
const MaxMessageLength = 2000

// maxMessagesShown bounds a pool's list of messages.
const maxMessagesShown = 100

// PoolMessage is a message the organisers of a pool send to everyone in it. Who wrote it
// is kept for the record but shown to nobody: it comes from "the organisers".
type PoolMessage struct {
	ID        string    `json:"id"`
	PoolID    string    `json:"pool_id"`
	AuthorID  string    `json:"-"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

// MessageInput is what an organiser sends.
type MessageInput struct {
	Body string `json:"body"`
}

// cleanBody trims a message and checks it is plain text of a sensible length: line
// breaks and tabs are kept, other control characters are refused.
func cleanBody(s string) (string, error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	var f apperr.Fields
	switch {
	case s == "":
		f.Add("body", "write the message")
	case !utf8.ValidString(s):
		f.Add("body", "must be plain text")
	case utf8.RuneCountInString(s) > MaxMessageLength:
		f.Add("body", "must be at most %d characters", MaxMessageLength)
	case strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' }):
		f.Add("body", "must be plain text, without control characters")
	}
	return s, f.Err()
}

// PostMessage sends a message to everyone with a pledge in a pool (organisers only):
// it is stored with its notification task in one transaction, and the worker tells each
// member (in the inbox, and by email as each prefers, where the email only says there is
// a message: what organisers write is never emailed).
func (s *Service) PostMessage(ctx context.Context, poolID string, in MessageInput) (PoolMessage, error) {
	a := account.ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return PoolMessage{}, err
	}
	body, err := cleanBody(in.Body)
	if err != nil {
		return PoolMessage{}, err
	}
	v, err := s.access.Pool(ctx, poolID)
	if err != nil {
		return PoolMessage{}, err
	}
	if !slices.Contains(v.YourRoles, pooling.RoleOrganiser) {
		return PoolMessage{}, apperr.Forbiddenf("Only the pool's organisers can send messages to everyone in it.")
	}
	if v.Status == pooling.StatusDraft {
		return PoolMessage{}, apperr.Conflictf("pool-draft", "This pool is still a draft: nobody has joined it yet.")
	}
	m := PoolMessage{ID: uuid.NewString(), PoolID: v.ID, AuthorID: a.UserID, Body: body, CreatedAt: s.now()}
	if err := s.store.CreateMessage(ctx, m); err != nil {
		return PoolMessage{}, fmt.Errorf("post message to pool %s: %w", poolID, err)
	}
	return m, nil
}

// PoolMessages lists a pool's messages, newest first, for its organisers, everyone with
// a pledge in it, and administrators.
func (s *Service) PoolMessages(ctx context.Context, poolID string) ([]PoolMessage, error) {
	a := account.ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return nil, err
	}
	v, err := s.access.Pool(ctx, poolID)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(v.YourRoles, pooling.RoleOrganiser) && !a.IsAdmin() {
		member, err := s.isMember(ctx, a.UserID, v.ID)
		if err != nil {
			return nil, err
		}
		if !member {
			return nil, apperr.Forbiddenf("Only the pool's organisers and the people in it can read its messages.")
		}
	}
	ms, err := s.store.Messages(ctx, v.ID, maxMessagesShown)
	if err != nil {
		return nil, fmt.Errorf("messages of pool %s: %w", poolID, err)
	}
	return ms, nil
}

// isMember reports whether someone holds or made a pledge in the pool that was not
// withdrawn or declined.
func (s *Service) isMember(ctx context.Context, userID, poolID string) (bool, error) {
	ps, err := s.pools.PoolPledges(ctx, poolID)
	if err != nil {
		return false, fmt.Errorf("pledges of pool %s: %w", poolID, err)
	}
	for _, p := range ps {
		if (p.HolderID == userID || p.PledgedBy == userID) && p.Status != pooling.PledgeWithdrawn && p.Status != pooling.PledgeDeclined {
			return true, nil
		}
	}
	return false, nil
}
