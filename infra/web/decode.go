package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/apperr"
)

// MaxBodyBytes is the largest request body the API accepts.
const MaxBodyBytes = 1 << 20

// Bind decodes the JSON request body into v, strictly: the body must be JSON, at most
// MaxBodyBytes, a single value, with no unknown fields and the right types. Every failure
// is an apperr error naming the field at fault; nothing is decoded partially into v that
// the caller could act on, because the caller validates v only after Bind succeeds.
func Bind(c echo.Context, v any) error {
	req := c.Request()
	if ct := req.Header.Get(echo.HeaderContentType); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return &apperr.Error{Kind: apperr.Invalid, Code: unsupportedMediaTypeCode,
				Message: "Send the request body as JSON (Content-Type: application/json)."}
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(c.Response(), req.Body, MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return apperr.New(apperr.TooLarge, "too-large", fmt.Sprintf("The request body is larger than %d bytes.", MaxBodyBytes))
		}
		return badRequest("", "The request body could not be read.")
	}
	return DecodeJSON(body, v)
}

// DecodeJSON is the strict decoding behind Bind, usable on bytes (and fuzzed).
func DecodeJSON(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return badRequest("", "The request body is empty; send a JSON object.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if dec.More() {
		return badRequest("", "Send exactly one JSON value in the body.")
	}
	if _, err := dec.Token(); err != io.EOF {
		return badRequest("", "Send exactly one JSON value in the body.")
	}
	return nil
}

func decodeError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return badRequest("", fmt.Sprintf("The body is not valid JSON (at byte %d).", syntax.Offset))
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return badRequest("", "The body must be a JSON object.")
		}
		return badRequest(field, fmt.Sprintf("must be %s, not %s", jsonTypeName(typ.Type.Kind().String()), typ.Value))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return badRequest(name, "is not a field we know; check the spelling")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest("", "The body is not valid JSON (it ends too soon).")
	default:
		return badRequest("", "The body is not valid JSON.")
	}
}

func jsonTypeName(kind string) string {
	switch kind {
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64":
		return "a whole number"
	case "float32", "float64":
		return "a number"
	case "string":
		return "text"
	case "bool":
		return "true or false"
	case "slice", "array":
		return "a list"
	case "struct", "map", "ptr":
		return "an object"
	}
	return "a different type"
}

func badRequest(field, message string) error {
	e := &apperr.Error{Kind: apperr.Invalid, Code: badRequestCode, Message: "The request could not be understood."}
	if field == "" {
		e.Message = message
	} else {
		e.Fields = []apperr.FieldError{{Field: field, Message: message}}
	}
	return e
}

func jsonEncode(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func wantsHTML(c echo.Context) bool {
	p := c.Request().URL.Path
	if strings.HasPrefix(p, "/api/") || strings.HasPrefix(p, "/openreferral/") {
		return false
	}
	return strings.Contains(c.Request().Header.Get(echo.HeaderAccept), "text/html")
}
