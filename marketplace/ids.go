package marketplace

import "github.com/google/uuid"

func newUUID() string { return uuid.NewString() }

// ValidID reports whether s has the shape of the ids Carepool issues (a UUID), so that
// malformed ids in URLs are answered with 404 without touching the store.
func ValidID(s string) bool {
	_, err := uuid.Parse(s)
	return err == nil && len(s) == 36
}
