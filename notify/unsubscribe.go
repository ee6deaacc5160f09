package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"

	"github.com/carepool/carepool/infra/apperr"
)

// One-click unsubscribe (RFC 8058). Every email that is not a security message carries
// List-Unsubscribe: <BASE_URL/unsubscribe/TOKEN> and List-Unsubscribe-Post. The token
// names who (a user id, or an address owner) and which kind of notification, signed with
// a secret kept in the store (HMAC-SHA256), so it needs no login, cannot be forged for
// someone else, and works for as long as the secret does. Posting it turns that kind's
// email off; opening it (GET) only shows a page with a button, because mail scanners
// follow links.

// unsubscribeSecret names the store's secret for unsubscribe tokens.
const unsubscribeSecret = "unsubscribe-tokens"

// maxTokenLength bounds what is parsed.
const maxTokenLength = 400

// ErrUnsubscribeInvalid is the one answer to a token that is wrong in any way.
var ErrUnsubscribeInvalid = apperr.New(apperr.NotFound, "unsubscribe-link-invalid",
	"This unsubscribe link is not valid. Check that the whole link was copied, or change your email settings in your account.")

// signer makes and checks tokens with the store's secret, read once.
type signer struct {
	store Store
	mu    sync.Mutex
	key   []byte
}

func (g *signer) secret(ctx context.Context) ([]byte, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.key == nil {
		key, err := g.store.Secret(ctx, unsubscribeSecret)
		if err != nil {
			return nil, fmt.Errorf("unsubscribe secret: %w", err)
		}
		g.key = key
	}
	return g.key, nil
}

func mac(key []byte, payload string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("carepool-unsubscribe\x00" + payload))
	return m.Sum(nil)[:16]
}

// token returns the unsubscribe token of an owner and a kind.
func (g *signer) token(ctx context.Context, owner string, k Kind) (string, error) {
	key, err := g.secret(ctx)
	if err != nil {
		return "", err
	}
	payload := owner + "\n" + string(k)
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(payload)) + "." + enc.EncodeToString(mac(key, payload)), nil
}

// parseToken checks a token's signature and returns its owner and kind: any fault is
// ErrUnsubscribeInvalid, and so is a security kind (those cannot be turned off).
func parseToken(key []byte, token string) (string, Kind, error) {
	if len(token) > maxTokenLength {
		return "", "", ErrUnsubscribeInvalid
	}
	p64, m64, ok := strings.Cut(token, ".")
	if !ok {
		return "", "", ErrUnsubscribeInvalid
	}
	enc := base64.RawURLEncoding.Strict() // one spelling per token
	payload, err1 := enc.DecodeString(p64)
	got, err2 := enc.DecodeString(m64)
	if err1 != nil || err2 != nil || !hmac.Equal(got, mac(key, string(payload))) {
		return "", "", ErrUnsubscribeInvalid
	}
	owner, kind, ok := strings.Cut(string(payload), "\n")
	info, known := kindInfo(Kind(kind))
	if !ok || owner == "" || !known || info.Security {
		return "", "", ErrUnsubscribeInvalid
	}
	return owner, Kind(kind), nil
}

// UnsubscribeView says what an unsubscribe link is about, in words.
type UnsubscribeView struct {
	Kind  Kind   `json:"kind"`
	Label string `json:"label"` // completes "emails telling you when ..."
	// Account is set when the link is an account's: they keep the notifications in their
	// inbox. Otherwise (an invitation to an address) nothing more is sent at all.
	Account bool `json:"account"`
	Done    bool `json:"done"` // the emails are turned off
}

// CheckUnsubscribe reads a token without changing anything (for the page a GET shows).
func (s *Service) CheckUnsubscribe(ctx context.Context, token string) (UnsubscribeView, error) {
	_, v, err := s.readToken(ctx, token)
	return v, err
}

func (s *Service) readToken(ctx context.Context, token string) (string, UnsubscribeView, error) {
	key, err := s.tokens.secret(ctx)
	if err != nil {
		return "", UnsubscribeView{}, err
	}
	owner, k, err := parseToken(key, token)
	if err != nil {
		return "", UnsubscribeView{}, err
	}
	info, _ := kindInfo(k)
	return owner, UnsubscribeView{Kind: k, Label: info.Label, Account: !strings.HasPrefix(owner, "address:")}, nil
}

// Unsubscribe turns off the emails of the token's kind for its owner: an account keeps
// them in the inbox (unless it had turned them off altogether); an address without an
// account gets nothing more of that kind. Doing it twice is fine.
func (s *Service) Unsubscribe(ctx context.Context, token string) (UnsubscribeView, error) {
	owner, v, err := s.readToken(ctx, token)
	if err != nil {
		return v, err
	}
	ch := ChannelOff
	if v.Account {
		prefs, err := s.store.Preferences(ctx, []string{owner})
		if err != nil {
			return v, fmt.Errorf("unsubscribe: %w", err)
		}
		if prefs[owner].Channel(v.Kind) != ChannelOff {
			ch = ChannelInbox
		}
	}
	if err := s.store.SetChannel(ctx, owner, v.Kind, ch, s.now()); err != nil {
		return v, fmt.Errorf("unsubscribe: %w", err)
	}
	v.Done = true
	return v, nil
}
