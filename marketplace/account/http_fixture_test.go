package account_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/web"
	"github.com/carepool/carepool/marketplace/account"
)

const testBaseURL = "https://carepool.example"

// api is the account routes mounted as the application mounts them: /api/v1, behind
// Authenticate, with the one error handler.
type api struct {
	*fixture
	e *echo.Echo
}

func newAPI(tb testing.TB) *api {
	tb.Helper()
	f := newFixture(tb)
	h := account.NewHandler(f.svc, account.HandlerConfig{BaseURL: testBaseURL, SecureCookie: true})
	e := echo.New()
	e.HTTPErrorHandler = web.NewErrorHandler(slog.New(slog.DiscardHandler), nil)
	e.IPExtractor = echo.ExtractIPDirect()
	e.Use(h.Authenticate)
	h.Register(e.Group("/api/v1"))
	return &api{fixture: f, e: e}
}

// reqOpt adjusts a request before it is sent.
type reqOpt func(*http.Request)

// asBrowser sends the session cookie from one of our own pages.
func asBrowser(secret string) reqOpt {
	return func(r *http.Request) {
		r.AddCookie(&http.Cookie{Name: account.DefaultCookieName, Value: secret})
		r.Header.Set("Sec-Fetch-Site", "same-origin")
	}
}

// withCookie sends the session cookie and nothing else.
func withCookie(secret string) reqOpt {
	return func(r *http.Request) { r.AddCookie(&http.Cookie{Name: account.DefaultCookieName, Value: secret}) }
}

func withBearer(token string) reqOpt {
	return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+token) }
}

func withHeader(k, v string) reqOpt {
	return func(r *http.Request) { r.Header.Set(k, v) }
}

// do sends a request; body is sent as is when it is a string, else as JSON.
func (a *api) do(tb testing.TB, method, path string, body any, opts ...reqOpt) *httptest.ResponseRecorder {
	tb.Helper()
	var rd *bytes.Reader
	switch b := body.(type) {
	case nil:
		rd = bytes.NewReader(nil)
	case string:
		rd = bytes.NewReader([]byte(b))
	default:
		data, err := json.Marshal(b)
		if err != nil {
			tb.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req := httptest.NewRequest(method, path, rd)
	req.RemoteAddr = "192.0.2.10:50000"
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for _, o := range opts {
		o(req)
	}
	rec := httptest.NewRecorder()
	a.e.ServeHTTP(rec, req)
	return rec
}

// wantStatus fails unless the response has the status, showing the body if not.
func wantStatus(tb testing.TB, rec *httptest.ResponseRecorder, want int) {
	tb.Helper()
	if rec.Code != want {
		tb.Fatalf("status = %d, want %d; body: %s", rec.Code, want, rec.Body.String())
	}
}

// decode decodes a JSON response body.
func decode[T any](tb testing.TB, rec *httptest.ResponseRecorder) T {
	tb.Helper()
	var v T
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		tb.Fatalf("decode %s: %v", rec.Body.String(), err)
	}
	return v
}

type problem struct {
	Type   string `json:"type"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Errors []struct {
		Field string `json:"field"`
	} `json:"errors"`
}

// wantProblem fails unless the response is a problem+json of the status and type.
func wantProblem(tb testing.TB, rec *httptest.ResponseRecorder, status int, typ string) problem {
	tb.Helper()
	wantStatus(tb, rec, status)
	if ct := rec.Header().Get("Content-Type"); ct != web.ProblemContentType {
		tb.Errorf("content type = %q, want %s", ct, web.ProblemContentType)
	}
	p := decode[problem](tb, rec)
	if typ != "" && p.Type != typ {
		tb.Errorf("problem type = %q, want %q (%s)", p.Type, typ, p.Detail)
	}
	return p
}

// sessionCookie returns the session cookie a response set.
func sessionCookie(tb testing.TB, rec *httptest.ResponseRecorder) *http.Cookie {
	tb.Helper()
	for _, c := range rec.Result().Cookies() {
		if c.Name == account.DefaultCookieName {
			return c
		}
	}
	tb.Fatalf("no session cookie in %v", rec.Header().Values("Set-Cookie"))
	return nil
}

// browserUser signs up through the API and returns the user id and session secret.
func (a *api) browserUser(tb testing.TB, email, name string) (id, secret string) {
	tb.Helper()
	rec := a.do(tb, http.MethodPost, "/api/v1/accounts", map[string]string{"email": email, "password": testPassword, "name": name})
	wantStatus(tb, rec, http.StatusCreated)
	body := decode[struct {
		User struct {
			ID string `json:"id"`
		} `json:"user"`
	}](tb, rec)
	secret = sessionCookie(tb, rec).Value
	a.mu.Lock()
	a.secrets[body.User.ID] = secret
	a.mu.Unlock()
	return body.User.ID, secret
}

// keysOf lists a JSON object's keys, sorted, to check that nothing private slipped in.
func keysOf(m map[string]any) string { return strings.Join(slices.Sorted(maps.Keys(m)), ",") }

// createToken creates an API token through the API with a browser session and returns its secret.
func (a *api) createToken(tb testing.TB, secret, name string) string {
	tb.Helper()
	rec := a.do(tb, http.MethodPost, "/api/v1/me/tokens", map[string]string{"name": name}, asBrowser(secret))
	wantStatus(tb, rec, http.StatusCreated)
	return decode[struct {
		Token string `json:"token"`
	}](tb, rec).Token
}
