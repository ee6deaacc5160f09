package web

import (
	"maps"
	"net/url"
	"slices"
	"strings"

	"github.com/carepool/carepool/infra/apperr"
)

// OnlyParams refuses query parameters a route does not know, and repeated ones, so that
// a typo ("catgory=") is reported instead of silently ignored. Fields are listed in name
// order so the problem is the same every time.
func OnlyParams(q url.Values, allowed ...string) error {
	var f apperr.Fields
	for _, name := range slices.Sorted(maps.Keys(q)) {
		switch {
		case !slices.Contains(allowed, name):
			f.Add(name, "is not a parameter here; use %s", strings.Join(allowed, ", "))
		case len(q[name]) > 1:
			f.Add(name, "give this parameter once")
		}
	}
	return f.Err()
}
