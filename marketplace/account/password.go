package account

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"
)

// PasswordParams are the argon2id cost parameters. They are stored in every hash (PHC
// format), so raising them later does not break existing passwords.
type PasswordParams struct {
	Memory      uint32 // KiB
	Iterations  uint32
	Parallelism uint8
	SaltLength  uint32 // bytes
	KeyLength   uint32 // bytes
}

// DefaultPasswordParams are OWASP's first recommended argon2id configuration (19 MiB,
// 2 passes, 1 lane): about 30 ms per hash on one core, and little enough memory that a
// burst of logins cannot exhaust a small server.
var DefaultPasswordParams = PasswordParams{Memory: 19 * 1024, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// TestPasswordParams are deliberately weak parameters for tests only, so that suites that
// create many accounts stay fast. Never use them in production.
var TestPasswordParams = PasswordParams{Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// Validate checks that argon2 will accept the parameters.
func (p PasswordParams) Validate() error {
	switch {
	case p.Iterations < 1:
		return errors.New("argon2id iterations must be at least 1")
	case p.Parallelism < 1:
		return errors.New("argon2id parallelism must be at least 1")
	case p.Memory < 8*uint32(p.Parallelism):
		return errors.New("argon2id memory must be at least 8 KiB per lane")
	case p.SaltLength < 16:
		return errors.New("argon2id salt must be at least 16 bytes")
	case p.KeyLength < 16:
		return errors.New("argon2id key must be at least 16 bytes")
	}
	return nil
}

// HashPassword returns the PHC string for password:
// $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<key> (unpadded standard base64).
func HashPassword(p PasswordParams, password string) (string, error) {
	if err := p.Validate(); err != nil {
		return "", err
	}
	salt := make([]byte, p.SaltLength)
	_, _ = rand.Read(salt)
	key := argon2.IDKey(passwordBytes(password), salt, p.Iterations, p.Memory, p.Parallelism, p.KeyLength)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Iterations, p.Parallelism,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// VerifyPassword reports whether password matches the PHC string, comparing in constant
// time. An error means the stored hash is malformed, which is our fault, not the user's.
func VerifyPassword(phc, password string) (bool, error) {
	p, salt, want, err := parsePHC(phc)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey(passwordBytes(password), salt, p.Iterations, p.Memory, p.Parallelism, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// passwordBytes normalises to NFKC (NIST SP 800-63B) so that the same password typed on
// two keyboards that compose accents differently is the same password.
func passwordBytes(password string) []byte { return []byte(norm.NFKC.String(password)) }

func parsePHC(phc string) (p PasswordParams, salt, key []byte, err error) {
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, errors.New("password hash is not an argon2id PHC string")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, nil, nil, fmt.Errorf("password hash has unsupported argon2 version %q", parts[2])
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Iterations, &p.Parallelism); err != nil {
		return p, nil, nil, fmt.Errorf("password hash parameters %q: %w", parts[3], err)
	}
	if salt, err = base64.RawStdEncoding.DecodeString(parts[4]); err != nil {
		return p, nil, nil, fmt.Errorf("password hash salt: %w", err)
	}
	if key, err = base64.RawStdEncoding.DecodeString(parts[5]); err != nil {
		return p, nil, nil, fmt.Errorf("password hash key: %w", err)
	}
	p.SaltLength, p.KeyLength = uint32(len(salt)), uint32(len(key))
	if err := p.Validate(); err != nil {
		return p, nil, nil, fmt.Errorf("password hash: %w", err)
	}
	return p, salt, key, nil
}
