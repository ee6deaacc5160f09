package account

import (
	"strings"
	"testing"
)

func TestPasswordHashVerifiesOnlyTheSamePassword(t *testing.T) {
	t.Parallel()
	hash, err := HashPassword(TestPasswordParams, "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=64,t=1,p=1$") || strings.Count(hash, "$") != 5 {
		t.Errorf("hash = %q, want a PHC argon2id string", hash)
	}
	tests := []struct {
		password string
		want     bool
	}{
		{"correct horse battery", true},
		{"correct horse batterY", false},
		{"", false},
		{"correct horse battery ", false},
	}
	for _, tt := range tests {
		got, err := VerifyPassword(hash, tt.password)
		if err != nil || got != tt.want {
			t.Errorf("VerifyPassword(%q) = %v, %v; want %v", tt.password, got, err, tt.want)
		}
	}
}

func TestPasswordHashesAreSaltedAndCarryTheirParameters(t *testing.T) {
	t.Parallel()
	a, _ := HashPassword(TestPasswordParams, "same password")
	b, _ := HashPassword(TestPasswordParams, "same password")
	if a == b {
		t.Error("two hashes of one password are equal: no salt")
	}
	stronger := TestPasswordParams
	stronger.Iterations, stronger.Memory = 2, 128
	c, _ := HashPassword(stronger, "same password")
	// A hash made with other parameters still verifies: they are read from the hash.
	if ok, err := VerifyPassword(c, "same password"); !ok || err != nil {
		t.Errorf("verify with stored parameters = %v, %v", ok, err)
	}
}

func TestPasswordsAreComparedAfterUnicodeNormalisation(t *testing.T) {
	t.Parallel()
	composed, decomposed := "caf\u00e9 au lait!", "cafe\u0301 au lait!"
	hash, _ := HashPassword(TestPasswordParams, composed)
	if ok, _ := VerifyPassword(hash, decomposed); !ok {
		t.Error("the same password typed with a combining accent does not verify")
	}
}

func TestVerifyPasswordRejectsMalformedHashes(t *testing.T) {
	t.Parallel()
	for _, phc := range []string{
		"",
		"plaintext",
		"$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U",
		"$argon2id$v=16$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U",
		"$argon2id$v=19$m=64,t=0,p=1$c2FsdHNhbHRzYWx0c2FsdA$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U",
		"$argon2id$v=19$m=64,t=1,p=1$!!!$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U",
		"$argon2id$v=19$m=64,t=1,p=1$c2FsdA$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U",
	} {
		if ok, err := VerifyPassword(phc, "anything at all"); ok || err == nil {
			t.Errorf("VerifyPassword(%q) = %v, %v; want an error", phc, ok, err)
		}
	}
}

func TestPasswordParamsValidate(t *testing.T) {
	t.Parallel()
	for name, p := range map[string]PasswordParams{
		"no iterations":  {Memory: 64, Parallelism: 1, SaltLength: 16, KeyLength: 32},
		"no lanes":       {Memory: 64, Iterations: 1, SaltLength: 16, KeyLength: 32},
		"too little RAM": {Memory: 7, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32},
		"short salt":     {Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 8, KeyLength: 32},
	} {
		if err := p.Validate(); err == nil {
			t.Errorf("%s: Validate() = nil", name)
		}
	}
	if err := DefaultPasswordParams.Validate(); err != nil {
		t.Errorf("defaults: %v", err)
	}
}
