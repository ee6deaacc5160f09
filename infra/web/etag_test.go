package web

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/apperr"
)

func TestIfMatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		header  string
		want    int64
		wantErr apperr.Kind // Internal: no error
		status  int
	}{
		{`"v3"`, 3, apperr.Internal, 0},
		{`"v0"`, 0, apperr.Internal, 0},
		{` "v12" `, 12, apperr.Internal, 0},
		{`W/"v3"`, 0, apperr.PreconditionFailed, 412}, // If-Match compares strongly: weak ETags never match
		{``, 0, apperr.PreconditionRequired, 428},
		{`   `, 0, apperr.PreconditionRequired, 428},
		{`v3`, 0, apperr.Invalid, 400},
		{`"v3`, 0, apperr.Invalid, 400},
		{`v3"`, 0, apperr.Invalid, 400},
		{`"3"`, 0, apperr.Invalid, 400},
		{`"v"`, 0, apperr.Invalid, 400},
		{`"v+3"`, 0, apperr.Invalid, 400},
		{`"v-3"`, 0, apperr.Invalid, 400},
		{`"v3", "v4"`, 0, apperr.Invalid, 400},
		{`*`, 0, apperr.Invalid, 400},
		{`"v99999999999999999999"`, 0, apperr.Invalid, 400},
	}
	for _, tt := range tests {
		req := httptest.NewRequest(http.MethodPut, "/api/v1/offers/x", nil)
		if tt.header != "" {
			req.Header.Set("If-Match", tt.header)
		}
		c := echo.New().NewContext(req, httptest.NewRecorder())
		got, err := IfMatch(c)
		if tt.wantErr == apperr.Internal {
			if err != nil || got != tt.want {
				t.Errorf("IfMatch(%q) = %d, %v; want %d", tt.header, got, err, tt.want)
			}
			continue
		}
		if !apperr.Is(err, tt.wantErr) || ProblemFor(err, "/").Status != tt.status {
			t.Errorf("IfMatch(%q) error = %v; want kind %v answered with %d", tt.header, err, tt.wantErr, tt.status)
		}
	}
}

func TestSetETag(t *testing.T) {
	t.Parallel()
	rec := httptest.NewRecorder()
	SetETag(echo.New().NewContext(httptest.NewRequest(http.MethodGet, "/", nil), rec), 7)
	if got := rec.Header().Get("ETag"); got != `"v7"` {
		t.Errorf("ETag = %q, want \"v7\"", got)
	}
}
