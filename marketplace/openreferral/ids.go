package openreferral

import (
	"strings"

	"github.com/google/uuid"
)

// namespace is the UUID namespace of every id Carepool derives for the feed. It is fixed:
// changing it would change every derived id and make consumers see every object as new.
var namespace = uuid.NewSHA1(uuid.NameSpaceURL, []byte("urn:carepool:openreferral:v3"))

// derive returns the stable UUID (version 5) of the object named by parts, such as
// ("location", offerID). Services and organizations keep the offer's and organisation's
// own UUIDs; everything else (locations, schedules, terms ...) is derived, so the same
// listing always publishes the same ids.
func derive(parts ...string) string {
	return uuid.NewSHA1(namespace, []byte(strings.Join(parts, "\x1f"))).String()
}

func isUUID(s string) bool {
	_, err := uuid.Parse(s)
	return err == nil && len(s) == 36
}
