// Package web is the HTTP plumbing every feature shares: errors turned into RFC 9457
// problems in one place, strict JSON decoding, ETags, and the middleware stack (request
// ids, access logs, metrics, panics).
package web

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/apperr"
)

// ProblemContentType is the media type of RFC 9457 problem details.
const ProblemContentType = "application/problem+json"

// Problem is an RFC 9457 problem details object. Type is a stable URI reference
// ("/problems/<code>") that clients may switch on; Errors lists every field at fault.
type Problem struct {
	Type      string              `json:"type"`
	Title     string              `json:"title"`
	Status    int                 `json:"status"`
	Detail    string              `json:"detail,omitempty"`
	Instance  string              `json:"instance,omitempty"`
	Errors    []apperr.FieldError `json:"errors,omitempty"`
	RequestID string              `json:"request_id,omitempty"`
}

var statusOf = map[apperr.Kind]int{
	apperr.Internal:             http.StatusInternalServerError,
	apperr.Invalid:              http.StatusUnprocessableEntity,
	apperr.Unauthenticated:      http.StatusUnauthorized,
	apperr.Forbidden:            http.StatusForbidden,
	apperr.NotFound:             http.StatusNotFound,
	apperr.Conflict:             http.StatusConflict,
	apperr.PreconditionFailed:   http.StatusPreconditionFailed,
	apperr.PreconditionRequired: http.StatusPreconditionRequired,
	apperr.TooLarge:             http.StatusRequestEntityTooLarge,
	apperr.RateLimited:          http.StatusTooManyRequests,
	apperr.Unavailable:          http.StatusServiceUnavailable,
}

// Status returns the HTTP status for an error.
func Status(err error) int {
	if e, ok := apperr.As(err); ok {
		return statusOf[e.Kind]
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		return he.Code
	}
	return http.StatusInternalServerError
}

// BadRequest marks a validation error as 400 rather than 422: used when the body or query
// could not be understood at all (malformed JSON, unknown fields, wrong types).
const badRequestCode = "bad-request"

// unsupportedMediaTypeCode marks a body that is not JSON: 415 rather than 422.
const unsupportedMediaTypeCode = "unsupported-media-type"

// ProblemFor turns any error into the problem a client may see. Internal errors become a
// generic message: their text never leaves the server.
func ProblemFor(err error, instance string) Problem {
	if e, ok := apperr.As(err); ok && e.Kind != apperr.Internal {
		status := statusOf[e.Kind]
		switch e.Code {
		case badRequestCode:
			status = http.StatusBadRequest
		case unsupportedMediaTypeCode:
			status = http.StatusUnsupportedMediaType
		}
		return Problem{Type: "/problems/" + e.Code, Title: http.StatusText(status), Status: status, Detail: e.Message, Instance: instance, Errors: e.Fields}
	}
	var he *echo.HTTPError
	if errors.As(err, &he) && he.Code < 500 {
		return problemForEcho(he, instance)
	}
	return Problem{Type: "/problems/internal", Title: http.StatusText(500), Status: 500,
		Detail: "Something went wrong on our side. Please try again; if it keeps happening, tell us the request id.", Instance: instance}
}

func problemForEcho(he *echo.HTTPError, instance string) Problem {
	codes := map[int]string{
		http.StatusNotFound:              "not-found",
		http.StatusMethodNotAllowed:      "method-not-allowed",
		http.StatusRequestEntityTooLarge: "too-large",
		http.StatusUnsupportedMediaType:  "unsupported-media-type",
		http.StatusTooManyRequests:       "rate-limited",
		http.StatusUnauthorized:          "unauthenticated",
		http.StatusForbidden:             "forbidden",
	}
	code, ok := codes[he.Code]
	if !ok {
		code = "bad-request"
	}
	detail := http.StatusText(he.Code)
	if he.Code == http.StatusNotFound {
		detail = "There is nothing at this address."
	}
	return Problem{Type: "/problems/" + code, Title: http.StatusText(he.Code), Status: he.Code, Detail: detail, Instance: instance}
}

// HTMLRenderer renders an error page for browsers. The frontend registers one; until
// then every error is problem+json.
type HTMLRenderer func(c echo.Context, p Problem) error

// NewErrorHandler returns the one echo.HTTPErrorHandler of the application: it logs 5xx
// errors with their cause (and never 4xx bodies or secrets) and writes problem+json, or an
// HTML page when html is set and the request is for a page rather than the API.
func NewErrorHandler(logger *slog.Logger, html HTMLRenderer) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		p := ProblemFor(err, c.Request().URL.Path)
		p.RequestID = c.Response().Header().Get(echo.HeaderXRequestID)
		if p.Status >= 500 {
			logger.ErrorContext(c.Request().Context(), "request failed",
				"request_id", p.RequestID, "method", c.Request().Method, "path", c.Path(), "error", err)
		}
		if html != nil && wantsHTML(c) {
			if herr := html(c, p); herr == nil {
				return
			}
		}
		if c.Request().Method == http.MethodHead {
			_ = c.NoContent(p.Status)
			return
		}
		c.Response().Header().Set(echo.HeaderContentType, ProblemContentType)
		c.Response().WriteHeader(p.Status)
		_ = jsonEncode(c.Response(), p)
	}
}
