package notify

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"
)

// keyStore is the one Store method a signer needs; the rest of the interface is nil.
type keyStore struct {
	Store
	key []byte
}

func (k keyStore) Secret(context.Context, string) ([]byte, error) { return k.key, nil }

func mustToken(t *testing.T, key []byte, owner string, k Kind) string {
	t.Helper()
	tok, err := (&signer{store: keyStore{key: key}}).token(context.Background(), owner, k)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestUnsubscribeTokenNamesItsOwnerAndKind(t *testing.T) {
	t.Parallel()
	key := []byte("0123456789abcdef0123456789abcdef")
	tok := mustToken(t, key, "user-1", KindPoolConfirmed)
	owner, k, err := parseToken(key, tok)
	if err != nil || owner != "user-1" || k != KindPoolConfirmed {
		t.Fatalf("parse = %q %q %v", owner, k, err)
	}
	if strings.ContainsAny(tok, "/?#+= ") {
		t.Errorf("token %q is not safe in a URL path", tok)
	}
}

func TestUnsubscribeTokenRefusesForgeries(t *testing.T) {
	t.Parallel()
	key := []byte("0123456789abcdef0123456789abcdef")
	good := mustToken(t, key, "user-1", KindPoolConfirmed)
	p64, m64, _ := strings.Cut(good, ".")
	enc := base64.RawURLEncoding
	forged := enc.EncodeToString([]byte("user-2\n" + string(KindPoolConfirmed)))
	tests := map[string]string{
		"another person":      forged + "." + m64,
		"another kind":        enc.EncodeToString([]byte("user-1\n"+string(KindInvited))) + "." + m64,
		"signed with another": mustToken(t, []byte("another key, another key, 12345"), "user-1", KindPoolConfirmed),
		"a security message":  mustToken(t, key, "user-1", KindChargeFailed),
		"an unknown kind":     mustToken(t, key, "user-1", Kind("nonsense")),
		"no owner":            mustToken(t, key, "", KindPoolConfirmed),
		"no signature":        p64,
		"an empty signature":  p64 + ".",
		"not base64":          "!!!." + m64,
		"too long":            strings.Repeat("a", maxTokenLength+1),
		"empty":               "",
		"the signature cut":   p64 + "." + m64[:len(m64)-2],
	}
	for name, tok := range tests {
		if owner, k, err := parseToken(key, tok); err != ErrUnsubscribeInvalid {
			t.Errorf("%s: parsed as %q %q %v", name, owner, k, err)
		}
	}
}

func FuzzParseToken(f *testing.F) {
	key := []byte("0123456789abcdef0123456789abcdef")
	f.Add("dXNlci0xCnBvb2wtY29uZmlybWVk.AAAA")
	f.Add("")
	f.Add("a.b.c")
	f.Fuzz(func(t *testing.T, tok string) {
		owner, k, err := parseToken(key, tok)
		if err != nil {
			return
		}
		// Only a token we signed parses; making it again gives the same token.
		again := mustToken(t, key, owner, k)
		if again != tok {
			t.Fatalf("%q parsed as %q %q, which signs as %q", tok, owner, k, again)
		}
	})
}
