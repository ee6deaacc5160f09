// Package apperr is Carepool's small error vocabulary. Domain services return these
// errors (wrapped with %w and context as they travel up); the HTTP layer maps each Kind
// to one status and an RFC 9457 problem in exactly one place (infra/web).
//
// Only the Message and Fields of an *Error are ever shown to a client. Any other error is
// an internal error: the client sees a generic message and the cause is logged.
package apperr

import (
	"errors"
	"fmt"
	"strings"
)

// Kind says what sort of failure an error is, and so which HTTP status it becomes.
type Kind int

// The kinds of failure. The zero value is Internal, so an error of unknown kind is never
// mistaken for the client's fault.
const (
	Internal             Kind = iota // a fault of ours: 500, generic message, cause logged
	Invalid                          // the request is malformed or a value is wrong: 400/422
	Unauthenticated                  // the caller must log in: 401
	Forbidden                        // the caller may see the object but not do this: 403
	NotFound                         // no such object, or the caller may not know it exists: 404
	Conflict                         // the state does not allow this now: 409
	PreconditionFailed               // If-Match did not match the current version: 412
	PreconditionRequired             // an update came without If-Match: 428
	TooLarge                         // the body is over the limit: 413
	RateLimited                      // too many attempts: 429
	Unavailable                      // a dependency or feature is not available: 503
)

// FieldError names one field at fault and says, in plain English, what is wrong with it.
// Field is a dotted path into the request, such as "price.amount_pence" or "languages[2]".
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"detail"`
}

// Error is an error that may be shown to the client.
type Error struct {
	Kind    Kind
	Code    string       // stable, machine-readable slug such as "offer-not-found"; becomes the problem type
	Message string       // plain-English sentence safe to show to anyone
	Fields  []FieldError // for Invalid: every field at fault
	Err     error        // optional cause, logged but never shown
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Message)
	for _, f := range e.Fields {
		fmt.Fprintf(&b, "; %s: %s", f.Field, f.Message)
	}
	if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// As returns the *Error in err's chain, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// KindOf returns the Kind of the *Error in err's chain, or Internal.
func KindOf(err error) Kind {
	if e, ok := As(err); ok {
		return e.Kind
	}
	return Internal
}

// Is reports whether err carries an *Error of the given kind.
func Is(err error, k Kind) bool { return err != nil && KindOf(err) == k }

// New returns an *Error of the given kind.
func New(k Kind, code, message string) *Error {
	return &Error{Kind: k, Code: code, Message: message}
}

// NotFoundf returns a NotFound error for a kind of object, such as "offer".
func NotFoundf(what string) *Error {
	return &Error{Kind: NotFound, Code: strings.ReplaceAll(what, " ", "-") + "-not-found", Message: "We could not find that " + what + "."}
}

// InvalidFields returns a validation error listing every field at fault.
func InvalidFields(fields ...FieldError) *Error {
	return &Error{Kind: Invalid, Code: "validation", Message: "Some of the details are not right. Please check the fields listed.", Fields: fields}
}

// Forbiddenf returns a Forbidden error with a plain message.
func Forbiddenf(format string, args ...any) *Error {
	return &Error{Kind: Forbidden, Code: "forbidden", Message: fmt.Sprintf(format, args...)}
}

// Conflictf returns a Conflict error with a stable code and a plain message.
func Conflictf(code, format string, args ...any) *Error {
	return &Error{Kind: Conflict, Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrUnauthenticated is returned when a route needs a logged-in caller and there is none.
var ErrUnauthenticated = &Error{Kind: Unauthenticated, Code: "unauthenticated", Message: "Please log in to do this."}

// Fields collects FieldErrors during validation. Its zero value is ready to use.
type Fields []FieldError

// Add records that field is wrong, with a plain-English message.
func (f *Fields) Add(field, format string, args ...any) {
	*f = append(*f, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Err returns an Invalid error listing the fields, or nil if none were added.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	return InvalidFields(f...)
}

// ErrVersionMismatch is returned when an update's If-Match names an old version.
var ErrVersionMismatch = &Error{Kind: PreconditionFailed, Code: "version-mismatch",
	Message: "Someone else changed this since you last read it. Reload it, check the changes and try again."}
