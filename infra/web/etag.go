package web

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/apperr"
)

// SetETag sets a strong ETag naming the version of the object in the response.
func SetETag(c echo.Context, version int64) {
	c.Response().Header().Set("ETag", fmt.Sprintf(`"v%d"`, version))
}

// IfMatch returns the version named by the request's If-Match header. Updates require it,
// so that two editors cannot silently overwrite each other: a missing header is 428, a
// malformed one 400. The service compares the version with the stored one (412 on mismatch).
func IfMatch(c echo.Context) (int64, error) {
	h := strings.TrimSpace(c.Request().Header.Get("If-Match"))
	if h == "" {
		return 0, apperr.New(apperr.PreconditionRequired, "if-match-required",
			"Send the ETag you last read in an If-Match header, so we can check nobody changed this since.")
	}
	// If-Match compares strongly (RFC 9110, 13.1.1): a weak ETag never matches.
	if strings.HasPrefix(h, "W/") {
		return 0, apperr.ErrVersionMismatch
	}
	// Exactly "v<digits>" in quotes: ParseInt alone would also take "+3", and a missing
	// closing quote would slip through.
	v, okPrefix := strings.CutPrefix(h, `"v`)
	v, okSuffix := strings.CutSuffix(v, `"`)
	n, err := strconv.ParseInt(v, 10, 64)
	if !okPrefix || !okSuffix || err != nil || v[0] < '0' || v[0] > '9' {
		return 0, badRequest("If-Match", "must be an ETag we sent, such as \"v3\"")
	}
	return n, nil
}
