package search

import "strings"

// FieldError is one field or URL parameter at fault and why, in words a
// person can act on.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// ValidationError lists every field of a query or document at fault. The
// HTTP handler maps it to a validation problem (422, application/problem+json)
// listing the fields, named as the URL parameters of GET /api/v1/search.
type ValidationError struct {
	Fields []FieldError
}

// Error joins the field errors.
func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Message
	}
	return "search: invalid " + strings.Join(parts, "; ")
}

// Add records a field at fault.
func (e *ValidationError) Add(field, message string) {
	e.Fields = append(e.Fields, FieldError{Field: field, Message: message})
}

// Err returns e when a field was added, nil otherwise.
func (e *ValidationError) Err() error {
	if len(e.Fields) == 0 {
		return nil
	}
	return e
}
