package account

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"time"

	"github.com/carepool/carepool/infra/apperr"
)

// Session is a logged-in browser. The cookie carries a random secret; only its SHA-256
// hash is stored, so a copy of the database cannot be used to log in.
type Session struct {
	ID         string
	TokenHash  string // hex SHA-256 of the cookie value
	UserID     string
	CreatedAt  time.Time
	LastSeenAt time.Time
	// ExpiresAt slides forward while the session is used (idle timeout) but never beyond
	// CreatedAt + the absolute lifetime, so a stolen cookie cannot be kept alive forever.
	ExpiresAt time.Time
}

// APIToken is a bearer token a person created for a script or integration. The secret is
// shown once, at creation; only its SHA-256 hash is stored.
type APIToken struct {
	ID         string
	UserID     string
	Name       string
	TokenHash  string // hex SHA-256 of the token
	Hint       string // the last four characters, so people can tell their tokens apart
	CreatedAt  time.Time
	LastUsedAt *time.Time
	ExpiresAt  *time.Time // nil: until revoked
}

// Expired reports whether the token has expired at now.
func (t APIToken) Expired(now time.Time) bool { return t.ExpiresAt != nil && !now.Before(*t.ExpiresAt) }

// MaxTokensPerUser bounds how many API tokens one person may hold at once.
const MaxTokensPerUser = 50

// NewToken is what a person gives to create an API token.
type NewToken struct {
	Name      string
	ExpiresAt *time.Time
}

// Normalise trims the name.
func (n *NewToken) Normalise() { n.Name = strings.TrimSpace(n.Name) }

// Validate reports every field at fault (after Normalise), given the current time.
func (n NewToken) Validate(now time.Time) error {
	var f apperr.Fields
	validateName(&f, "name", n.Name)
	if n.ExpiresAt != nil && !n.ExpiresAt.After(now) {
		f.Add("expires_at", "must be in the future")
	}
	return f.Err()
}

// CreatedToken is a new API token with its secret, which is never available again.
type CreatedToken struct {
	APIToken
	Secret string
}

// StartedSession is a new session with the secret the browser keeps in its cookie.
type StartedSession struct {
	Session
	Secret string
	User   User
	// CookieExpires is when the session ends however much it is used: the cookie's
	// Expires. The idle timeout is enforced by the server, not the browser.
	CookieExpires time.Time
}

// TokenPrefix starts every API token, so that secret scanners (and people) recognise one.
const TokenPrefix = "cp_"

// newSecret returns 32 random bytes, base64url-encoded: 256 bits, beyond guessing.
func newSecret() string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (it crashes the program instead)
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// HashSecret returns the hex SHA-256 of a session or token secret: how it is stored and
// looked up. A fast hash is right here (unlike passwords): the secret has 256 bits of
// entropy, so there is nothing to brute-force.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}
