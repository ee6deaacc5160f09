package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/apperr"
)

// decodeTarget has the shapes request bodies have: text, numbers, booleans, lists,
// nested objects, optional pointers and maps.
type decodeTarget struct {
	Name   string            `json:"name"`
	Count  int               `json:"count"`
	Pence  int64             `json:"pence"`
	Ratio  float64           `json:"ratio"`
	OK     bool              `json:"ok"`
	Tags   []string          `json:"tags"`
	Inner  decodeInner       `json:"inner"`
	Maybe  *decodeInner      `json:"maybe,omitempty"`
	List   []decodeInner     `json:"list"`
	Labels map[string]string `json:"labels"`
}

type decodeInner struct {
	Code  string `json:"code"`
	Level uint8  `json:"level"`
	Deep  *struct {
		On bool `json:"on"`
	} `json:"deep,omitempty"`
}

func TestDecodeJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		body     string
		want     decodeTarget
		wantErr  string   // the message of a body-level error
		wantPath []string // the fields of a field-level error
	}{
		{name: "nested values", body: `{"name":"a","count":2,"inner":{"code":"x","deep":{"on":true}},"list":[{"level":3}],"labels":{"k":"v"}}`,
			want: decodeTarget{Name: "a", Count: 2, Inner: decodeInner{Code: "x", Deep: &struct {
				On bool `json:"on"`
			}{On: true}}, List: []decodeInner{{Level: 3}}, Labels: map[string]string{"k": "v"}}},
		{name: "null is an empty object", body: `null`},
		{name: "surrounding space", body: " \n{\"ok\":true}\n\t", want: decodeTarget{OK: true}},
		{name: "empty", body: "  ", wantErr: "The request body is empty; send a JSON object."},
		{name: "syntax error", body: `{"name":}`, wantErr: "The body is not valid JSON (at byte 9)."},
		{name: "cut short", body: `{"name":"a"`, wantErr: "The body is not valid JSON (it ends too soon)."},
		{name: "two values", body: `{}{}`, wantErr: "Send exactly one JSON value in the body."},
		{name: "a stray bracket", body: `{}]`, wantErr: "Send exactly one JSON value in the body."},
		{name: "a list", body: `[]`, wantErr: "The body must be a JSON object."},
		{name: "text", body: `"hello"`, wantErr: "The body must be a JSON object."},
		{name: "unknown field", body: `{"nmae":"a"}`, wantPath: []string{"nmae"}},
		{name: "unknown nested field", body: `{"inner":{"colour":"red"}}`, wantPath: []string{"colour"}},
		{name: "text for a number", body: `{"count":"2"}`, wantPath: []string{"count"}},
		{name: "a fraction for a whole number", body: `{"pence":12.5}`, wantPath: []string{"pence"}},
		{name: "a number too large", body: `{"inner":{"level":300}}`, wantPath: []string{"inner.level"}},
		{name: "a number for a list", body: `{"tags":5}`, wantPath: []string{"tags"}},
		{name: "a number in a list of text", body: `{"tags":["a",5]}`, wantPath: []string{"tags"}},
		{name: "text for a boolean", body: `{"ok":"yes"}`, wantPath: []string{"ok"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got decodeTarget
			err := DecodeJSON([]byte(tt.body), &got)
			if tt.wantErr == "" && tt.wantPath == nil {
				if err != nil {
					t.Fatalf("DecodeJSON: %v", err)
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("decoded (-want +got):\n%s", diff)
				}
				return
			}
			e, ok := apperr.As(err)
			if !ok || e.Kind != apperr.Invalid || e.Code != badRequestCode {
				t.Fatalf("DecodeJSON error = %v, want a bad request", err)
			}
			if tt.wantErr != "" && e.Message != tt.wantErr {
				t.Errorf("message = %q, want %q", e.Message, tt.wantErr)
			}
			var fields []string
			for _, f := range e.Fields {
				fields = append(fields, f.Field)
			}
			if diff := cmp.Diff(tt.wantPath, fields); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
}

func TestBindRefusesLargeAndNonJSONBodies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		contentType string
		body        string
		wantStatus  int
	}{
		{"JSON", "application/json", `{"name":"a"}`, 200},
		{"JSON with a charset", "application/json; charset=utf-8", `{"name":"a"}`, 200},
		{"a JSON-based type", "application/merge-patch+json", `{"name":"a"}`, 200},
		{"no content type", "", `{"name":"a"}`, 200},
		{"a form", "application/x-www-form-urlencoded", `name=a`, 415},
		{"a malformed content type", "application/", `{"name":"a"}`, 415},
		{"exactly the limit", "application/json", `{"name":"` + strings.Repeat("a", MaxBodyBytes-11) + `"}`, 200},
		{"a byte over the limit", "application/json", `{"name":"` + strings.Repeat("a", MaxBodyBytes-10) + `"}`, 413},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := echo.New()
			req := httptest.NewRequest(http.MethodPost, "/api/v1/things", strings.NewReader(tt.body))
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			rec := httptest.NewRecorder()
			c := e.NewContext(req, rec)
			var v decodeTarget
			err := Bind(c, &v)
			if got := statusFor(err); got != tt.wantStatus {
				t.Errorf("Bind error %v answers %d, want %d", err, got, tt.wantStatus)
			}
		})
	}
}

func statusFor(err error) int {
	if err == nil {
		return 200
	}
	return ProblemFor(err, "/").Status
}

// FuzzDecodeJSON checks that no body makes the strict decoder panic, that every failure
// is a client error with a plain message (never Go's own error text), and that what it
// accepts re-encodes to JSON it accepts again.
func FuzzDecodeJSON(f *testing.F) {
	for _, seed := range []string{
		`{"name":"a","count":2,"inner":{"code":"x","deep":{"on":true}},"list":[{"level":3}],"labels":{"k":"v"}}`,
		`{"maybe":null,"tags":[],"ratio":1e308}`, `null`, `{}`, `[]`, `{"count":1e40}`, `{"inner":{"level":-1}}`,
		`{"name":"\ud800"}`, `{"nmae":1}`, `{} {}`, `{"a`, "\xff\xfe", ` `,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var v decodeTarget
		err := DecodeJSON(body, &v)
		if err != nil {
			e, ok := apperr.As(err)
			if !ok || (e.Kind != apperr.Invalid && e.Kind != apperr.TooLarge) {
				t.Fatalf("DecodeJSON error %v is not an Invalid or TooLarge apperr", err)
			}
			if p := ProblemFor(err, "/"); p.Status != http.StatusBadRequest && p.Status != http.StatusRequestEntityTooLarge {
				t.Fatalf("DecodeJSON error answers %d, want 400 or 413", p.Status)
			}
			texts := []string{e.Message}
			for _, fe := range e.Fields {
				texts = append(texts, fe.Field, fe.Message)
			}
			for _, s := range texts {
				if strings.Contains(s, "json:") || strings.Contains(s, "Go ") || !utf8.ValidString(s) {
					t.Fatalf("DecodeJSON error shows %q to the client", s)
				}
			}
			return
		}
		out, merr := json.Marshal(v)
		if merr != nil {
			t.Fatalf("Marshal what was decoded: %v", merr)
		}
		var again decodeTarget
		if err := DecodeJSON(out, &again); err != nil {
			t.Fatalf("DecodeJSON refuses its own output %s: %v", out, err)
		}
		if !bytes.Equal(mustMarshal(t, again), out) {
			t.Fatalf("decoding is not stable: %s", out)
		}
	})
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
