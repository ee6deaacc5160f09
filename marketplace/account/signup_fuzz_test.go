package account

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/carepool/carepool/infra/apperr"
)

// FuzzDecodeSignUp feeds arbitrary bodies to the sign-up decoding and validation that
// POST /accounts runs. Whatever the body, it must not panic, must fail only with a
// client error (never an internal one), and anything it accepts must obey every rule.
func FuzzDecodeSignUp(f *testing.F) {
	for _, seed := range []string{
		`{"email":"ada@example.org","password":"correct horse battery","name":"Ada"}`,
		`{"email":"  ADA@Example.ORG ","password":"éééééééééé","name":"  Ada Lovelace  "}`,
		`{"email":"a@b.co","password":"1234567890","name":"A"}`,
		`{"email":"Ada <ada@example.org>","password":"correct horse battery","name":"Ada"}`,
		`{"email":"ada@localhost","password":"correct horse battery","name":"Ada"}`,
		`{"email":"ada@example.org","password":"short","name":""}`,
		`{"email":"ada@example.org","password":"correct horse battery","name":"Ada\u0000"}`,
		`{"email":"ada@example.org","password":"correct horse battery","name":"Ada","admin":true}`,
		`{"email":1,"password":null,"name":[]}`,
		`{"email":"a@example.org"}{"email":"b@example.org"}`,
		`{"email":"\ud800@example.org","password":"correct horse battery","name":"\udfff"}`,
		`{}`, `null`, `[]`, `"text"`, ``, `{`, "\xff\xfe",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		in, err := DecodeSignUp(body)
		if err != nil {
			if k := apperr.KindOf(err); k != apperr.Invalid {
				t.Fatalf("DecodeSignUp(%q) failed with kind %v, want Invalid: %v", body, k, err)
			}
			return
		}
		if in.Email != NormaliseEmail(in.Email) || !isBareAddress(in.Email) || len(in.Email) > MaxEmailLength {
			t.Errorf("accepted email %q", in.Email)
		}
		if n := utf8.RuneCountInString(in.Password); n < MinPasswordLength || n > MaxPasswordLength || !utf8.ValidString(in.Password) {
			t.Errorf("accepted a password of %d characters", n)
		}
		if n := utf8.RuneCountInString(in.Name); n == 0 || n > MaxNameLength || in.Name != strings.TrimSpace(in.Name) || strings.ContainsFunc(in.Name, isControl) {
			t.Errorf("accepted name %q", in.Name)
		}
		if err := in.Validate(); err != nil {
			t.Errorf("accepted sign-up fails validation on a second look: %v", err)
		}
	})
}
