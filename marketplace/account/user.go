// Package account is who people are on Carepool and what they may do: accounts with
// passwords, web sessions and API tokens, organisations and the roles people hold in
// them, and the delegations that let one person act for a budget holder.
//
// The package holds the domain types and their rules, the Store interface it needs, the
// Service that applies the rules, the Actor that every other feature asks "who is
// calling and what may they do?", and the HTTP handlers and middleware for /api/v1.
// It imports no store adapter: infra/store implements Store.
package account

import (
	"log/slog"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/carepool/carepool/infra/apperr"
)

// Limits on what people type, in characters. Passwords follow NCSC/NIST advice: long
// rather than complex, so there is a minimum length and no composition rules; the
// maximum only bounds the cost of hashing.
const (
	MinPasswordLength = 10
	MaxPasswordLength = 256
	MaxNameLength     = 100
	MaxEmailLength    = 254 // RFC 5321 path limit
)

// User is a person's account. Email is personal data: it is shown only to the person
// themselves and to administrators, and never logged (see LogValue).
type User struct {
	ID           string
	Email        string // normalised with NormaliseEmail; unique
	Name         string
	PasswordHash string `json:"-"` // PHC string; see PasswordHasher
	Admin        bool   // platform administrator: set by seed or CLI only, never through the API
	// EmailVerifiedAt is when the person proved the address is theirs (nil: not yet).
	EmailVerifiedAt *time.Time
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// LogValue keeps personal data out of logs when a User is logged by accident.
func (u User) LogValue() slog.Value { return slog.StringValue("user " + u.ID) }

// NormaliseEmail trims an email address and lower-cases it, so that one mailbox is one
// account however it is typed. Lower-casing the local part is not strictly RFC 5321, but
// no mainstream provider distinguishes case and people do not expect it.
func NormaliseEmail(email string) string {
	return strings.ToLower(strings.TrimSpace(email))
}

// validateEmail adds a field error unless email (already normalised) is a bare address.
func validateEmail(f *apperr.Fields, field, email string) {
	switch {
	case email == "":
		f.Add(field, "is required")
	case len(email) > MaxEmailLength:
		f.Add(field, "must be at most %d characters", MaxEmailLength)
	case !isBareAddress(email):
		f.Add(field, "must be an email address, such as name@example.org")
	}
}

// isBareAddress accepts "local@domain.tld" and refuses display names, comments, and
// domains without a dot, which net/mail alone would allow.
func isBareAddress(email string) bool {
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || addr.Name != "" {
		return false
	}
	at := strings.LastIndexByte(email, '@')
	domain := email[at+1:]
	return at > 0 && strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}

// validateName adds a field error unless name (already trimmed) is a usable display name.
func validateName(f *apperr.Fields, field, name string) {
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		f.Add(field, "is required")
	case n > MaxNameLength:
		f.Add(field, "must be at most %d characters", MaxNameLength)
	case !utf8.ValidString(name) || strings.ContainsFunc(name, isControl):
		f.Add(field, "must not contain control characters")
	}
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f || r == utf8.RuneError }

// validatePassword adds a field error unless password has an acceptable length. The
// password itself never appears in the message.
func validatePassword(f *apperr.Fields, field, password string) {
	switch n := utf8.RuneCountInString(password); {
	case n < MinPasswordLength:
		f.Add(field, "must be at least %d characters", MinPasswordLength)
	case n > MaxPasswordLength:
		f.Add(field, "must be at most %d characters", MaxPasswordLength)
	case !utf8.ValidString(password):
		f.Add(field, "must be valid text")
	}
}

// SignUp is what a person gives to open an account.
type SignUp struct {
	Email    string
	Password string
	Name     string
}

// Normalise trims the name and normalises the email; the password is kept exactly as typed.
func (s *SignUp) Normalise() {
	s.Email = NormaliseEmail(s.Email)
	s.Name = strings.TrimSpace(s.Name)
}

// Validate reports every field at fault (after Normalise).
func (s SignUp) Validate() error {
	var f apperr.Fields
	validateEmail(&f, "email", s.Email)
	validatePassword(&f, "password", s.Password)
	validateName(&f, "name", s.Name)
	return f.Err()
}

// Credentials are what a person gives to log in.
type Credentials struct {
	Email    string
	Password string
}

// Validate checks only that both are present: a login must not reveal the password rules
// for a particular account, and wrong-but-well-formed credentials are refused later.
func (c Credentials) Validate() error {
	var f apperr.Fields
	if strings.TrimSpace(c.Email) == "" {
		f.Add("email", "is required")
	}
	if c.Password == "" {
		f.Add("password", "is required")
	} else if len(c.Password) > 4*MaxPasswordLength {
		f.Add("password", "must be at most %d characters", MaxPasswordLength)
	}
	return f.Err()
}

// ProfileUpdate is a change a person makes to their own account.
type ProfileUpdate struct {
	Name *string
}

// Validate reports every field at fault.
func (u ProfileUpdate) Validate() error {
	var f apperr.Fields
	if u.Name == nil {
		f.Add("name", "is required")
	} else {
		validateName(&f, "name", strings.TrimSpace(*u.Name))
	}
	return f.Err()
}
