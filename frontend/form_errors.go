package frontend

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/carepool/carepool/infra/apperr"
)

// fieldSpec says how a service's field name shows on a form: the id of its input, its
// label for messages ("Title must be at most 120 characters"), and what to say when it
// is missing ("Enter a title"), in the GOV.UK style.
type fieldSpec struct {
	ID       string
	Label    string
	Required string
}

// fieldSpecs maps the service's (dotted) field names to the form's fields.
type fieldSpecs map[string]fieldSpec

// formErrors turns a validation error from a service into the form's errors. It
// reports false for any other error, which the caller returns as it is. Fields the form
// does not know still get a message, linked to the first field of the form.
func formErrors(err error, specs fieldSpecs, lookup func(field string) (fieldSpec, bool)) (FormErrors, bool) {
	e, ok := apperr.As(err)
	if !ok || e.Kind != apperr.Invalid {
		return nil, false
	}
	var out FormErrors
	for _, f := range e.Fields {
		spec, ok := specs[f.Field]
		if !ok && lookup != nil {
			spec, ok = lookup(f.Field)
		}
		if !ok {
			spec = fieldSpec{ID: firstID(specs), Label: upperFirst(strings.ReplaceAll(f.Field, "_", " "))}
		}
		out = out.add(spec.ID, fieldMessage(spec, f.Message))
	}
	if len(out) == 0 {
		out = out.add(firstID(specs), e.Message)
	}
	return out, true
}

// add appends an error unless its field already has one: a person fixes one thing at a
// time, and the first message is the most basic.
func (e FormErrors) add(id, msg string) FormErrors {
	if e.For(id) != "" {
		return e
	}
	return append(e, FieldError{ID: id, Message: msg})
}

// fieldMessage writes a validation message as a sentence about the field.
func fieldMessage(spec fieldSpec, msg string) string {
	switch {
	case spec.Required != "" && (msg == "is required" || strings.HasPrefix(msg, "choose at least one") ||
		strings.HasPrefix(msg, "must name at least one") || msg == "must not be empty"):
		return spec.Required
	case strings.HasPrefix(msg, "must") || strings.HasPrefix(msg, "is ") || strings.HasPrefix(msg, "contains"):
		return spec.Label + " " + msg
	}
	return upperFirst(msg)
}

func firstID(specs fieldSpecs) string {
	// The spec listed under "" is the form's first field.
	if s, ok := specs[""]; ok {
		return s.ID
	}
	for _, s := range specs {
		return s.ID
	}
	return "main-content"
}

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// isCode reports whether err is an apperr error with the given code.
func isCode(err error, code string) bool {
	var e *apperr.Error
	return errors.As(err, &e) && e.Code == code
}
