package web

import (
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/apperr"
)

// IdempotencyKeyHeader is the header a client sends so that a retried request that moves
// money acts once: the same key with the same body returns the first result.
const IdempotencyKeyHeader = "Idempotency-Key"

// maxIdempotencyKeyLen bounds the header; longer keys are refused before any work.
const maxIdempotencyKeyLen = 255

// IdempotencyKey returns the request's Idempotency-Key. When required, a missing key is
// a 400 that says what to send; a key that is too long or holds control characters is
// a 400 whether required or not.
func IdempotencyKey(c echo.Context, required bool) (string, error) {
	key := strings.TrimSpace(c.Request().Header.Get(IdempotencyKeyHeader))
	switch {
	case key == "" && required:
		return "", &apperr.Error{Kind: apperr.Invalid, Code: badRequestCode,
			Message: "This request moves money, so it needs an Idempotency-Key header: a new random value (such as a UUID) for each new request, and the same value when you retry it, so that a retry cannot move money twice.",
			Fields:  []apperr.FieldError{{Field: IdempotencyKeyHeader, Message: "is required on this request"}}}
	case len(key) > maxIdempotencyKeyLen:
		return "", badRequest(IdempotencyKeyHeader, "must be at most 255 characters")
	case strings.ContainsFunc(key, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return "", badRequest(IdempotencyKeyHeader, "must be printable text")
	}
	return key, nil
}
