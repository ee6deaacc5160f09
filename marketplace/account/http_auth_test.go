package account_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/web"
	"github.com/carepool/carepool/marketplace/account"
)

func TestHTTPSignUpCreatesTheAccountAndStartsASession(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	rec := a.do(t, http.MethodPost, "/api/v1/accounts", `{"email":" Ada@Example.org","password":"correct horse battery","name":"Ada"}`)
	wantStatus(t, rec, http.StatusCreated)
	if loc := rec.Header().Get("Location"); loc != "/api/v1/me" {
		t.Errorf("Location = %q, want /api/v1/me", loc)
	}
	if cc := rec.Header().Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", cc)
	}
	c := sessionCookie(t, rec)
	if !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || len(c.Value) != 43 {
		t.Errorf("cookie = %+v, want HttpOnly, Secure, SameSite=Lax, Path=/ and a 256-bit value", c)
	}
	body := decode[struct {
		ExpiresAt string         `json:"expires_at"`
		User      map[string]any `json:"user"`
	}](t, rec)
	if got := keysOf(body.User); got != "admin,created_at,email,id,name" {
		t.Errorf("user keys = %s", got)
	}
	if body.User["email"] != "ada@example.org" || body.ExpiresAt != "2025-06-16T09:00:00Z" {
		t.Errorf("body = %+v, want the normalised email and a 14-day idle expiry", body)
	}

	me := a.do(t, http.MethodGet, "/api/v1/me", nil, asBrowser(c.Value))
	wantStatus(t, me, http.StatusOK)
	got := decode[map[string]any](t, me)
	if got["name"] != "Ada" || got["email"] != "ada@example.org" || got["memberships"] == nil {
		t.Errorf("GET /me = %v", got)
	}
}

func TestHTTPSignUpProblems(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	a.browserUser(t, "taken@example.org", "Taken")
	tests := []struct {
		name   string
		body   string
		status int
		typ    string
		fields []string
	}{
		{"empty body", ``, 400, "/problems/bad-request", nil},
		{"not JSON", `{"email":`, 400, "/problems/bad-request", nil},
		{"unknown field", `{"email":"a@example.org","password":"correct horse","name":"A","admin":true}`, 400, "/problems/bad-request", []string{"admin"}},
		{"wrong type", `{"email":"a@example.org","password":1234567890,"name":"A"}`, 400, "/problems/bad-request", []string{"password"}},
		{"every field wrong", `{"email":"nope","password":"short","name":""}`, 422, "/problems/validation", []string{"email", "password", "name"}},
		{"email taken, in another case", `{"email":"TAKEN@example.org","password":"correct horse","name":"B"}`, 409, "/problems/email-taken", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := wantProblem(t, a.do(t, http.MethodPost, "/api/v1/accounts", tt.body), tt.status, tt.typ)
			var fields []string
			for _, e := range p.Errors {
				fields = append(fields, e.Field)
			}
			if diff := cmp.Diff(tt.fields, fields); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("an admin flag cannot be set by signing up", func(t *testing.T) {
		t.Parallel()
		rec := a.do(t, http.MethodPost, "/api/v1/accounts", `{"email":"x@example.org","password":"correct horse","name":"X","admin":true}`)
		wantStatus(t, rec, http.StatusBadRequest)
	})
}

func TestHTTPLogIn(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	a.browserUser(t, "ada@example.org", "Ada")
	login := func(email, password, ip string) *httptest.ResponseRecorder {
		return a.do(t, http.MethodPost, "/api/v1/sessions", map[string]string{"email": email, "password": password},
			func(r *http.Request) { r.RemoteAddr = ip + ":1234" })
	}
	ok := login("ADA@example.org", testPassword, "192.0.2.1")
	wantStatus(t, ok, http.StatusCreated)
	if sessionCookie(t, ok).Value == "" {
		t.Error("no session cookie after logging in")
	}

	wrong := wantProblem(t, login("ada@example.org", "wrong password", "192.0.2.1"), 401, "/problems/invalid-credentials")
	unknown := wantProblem(t, login("nobody@example.org", "wrong password", "192.0.2.1"), 401, "/problems/invalid-credentials")
	if wrong.Detail != unknown.Detail {
		t.Errorf("wrong password says %q but unknown email says %q", wrong.Detail, unknown.Detail)
	}
	login("ada@example.org", "wrong password", "192.0.2.1")
	login("ada@example.org", "wrong password", "192.0.2.1")
	limited := login("ada@example.org", testPassword, "192.0.2.1")
	wantProblem(t, limited, http.StatusTooManyRequests, "/problems/too-many-login-attempts")
	if s, err := strconv.Atoi(limited.Header().Get("Retry-After")); err != nil || s <= 0 || s > 600 {
		t.Errorf("Retry-After = %q, want seconds within the window", limited.Header().Get("Retry-After"))
	}
	wantStatus(t, login("ada@example.org", testPassword, "198.51.100.9"), http.StatusCreated)
}

func TestHTTPLogOutInvalidatesTheSession(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	_, secret := a.browserUser(t, "ada@example.org", "Ada")
	rec := a.do(t, http.MethodDelete, "/api/v1/sessions/current", nil, asBrowser(secret))
	wantStatus(t, rec, http.StatusNoContent)
	if c := sessionCookie(t, rec); c.MaxAge >= 0 || c.Value != "" {
		t.Errorf("cookie after log out = %+v, want it deleted", c)
	}
	wantProblem(t, a.do(t, http.MethodGet, "/api/v1/me", nil, asBrowser(secret)), 401, "/problems/unauthenticated")
	wantStatus(t, a.do(t, http.MethodDelete, "/api/v1/sessions/current", nil), http.StatusNoContent)
}

func TestHTTPHandlerConfig(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	serve := func(cfg account.HandlerConfig, method, path, body string, opts ...reqOpt) *httptest.ResponseRecorder {
		e := echo.New()
		e.HTTPErrorHandler = web.NewErrorHandler(slog.New(slog.DiscardHandler), nil)
		h := account.NewHandler(f.svc, cfg)
		e.Use(h.Authenticate)
		h.Register(e.Group("/api/v1"))
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		for _, o := range opts {
			o(req)
		}
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		return rec
	}
	for i, secure := range []bool{true, false} {
		body := fmt.Sprintf(`{"email":"u%d@example.org","password":"correct horse","name":"U"}`, i)
		rec := serve(account.HandlerConfig{BaseURL: "http://127.0.0.1:8080", SecureCookie: secure}, http.MethodPost, "/api/v1/accounts", body)
		wantStatus(t, rec, http.StatusCreated)
		if got := sessionCookie(t, rec).Secure; got != secure {
			t.Errorf("SecureCookie %v: cookie Secure = %v", secure, got)
		}
	}
	t.Run("a custom cookie name", func(t *testing.T) {
		rec := serve(account.HandlerConfig{BaseURL: testBaseURL, CookieName: "cp"}, http.MethodPost, "/api/v1/accounts", `{"email":"c@example.org","password":"correct horse","name":"C"}`)
		if cs := rec.Result().Cookies(); len(cs) != 1 || cs[0].Name != "cp" {
			t.Errorf("cookies = %v, want one named cp", cs)
		}
	})
	t.Run("an unusable base URL trusts no Origin", func(t *testing.T) {
		s, err := f.svc.SignUp(t.Context(), account.SignUp{Email: "d@example.org", Password: testPassword, Name: "D"})
		if err != nil {
			t.Fatal(err)
		}
		cfg := account.HandlerConfig{BaseURL: "not a url"}
		wantStatus(t, serve(cfg, http.MethodPatch, "/api/v1/me", `{"name":"D"}`, withCookie(s.Secret)), http.StatusForbidden)
		wantStatus(t, serve(cfg, http.MethodPatch, "/api/v1/me", `{"name":"D"}`, withCookie(s.Secret), withHeader("Origin", "")), http.StatusForbidden)
		wantStatus(t, serve(cfg, http.MethodPatch, "/api/v1/me", `{"name":"D"}`, withCookie(s.Secret), withHeader("Sec-Fetch-Site", "same-origin")), http.StatusOK)
	})
}

func TestHTTPCookieRequestsThatChangeThingsMustBeSameOrigin(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	_, secret := a.browserUser(t, "ada@example.org", "Ada")
	tok := a.createToken(t, secret, "cli")
	tests := []struct {
		name string
		opts []reqOpt
		want int
	}{
		{"cookie, no origin evidence", []reqOpt{withCookie(secret)}, 403},
		{"cookie, our Origin", []reqOpt{withCookie(secret), withHeader("Origin", testBaseURL)}, 200},
		{"cookie, another Origin", []reqOpt{withCookie(secret), withHeader("Origin", "https://evil.example")}, 403},
		{"cookie, Origin null", []reqOpt{withCookie(secret), withHeader("Origin", "null")}, 403},
		{"cookie, Sec-Fetch-Site same-origin", []reqOpt{withCookie(secret), withHeader("Sec-Fetch-Site", "same-origin")}, 200},
		{"cookie, Sec-Fetch-Site none", []reqOpt{withCookie(secret), withHeader("Sec-Fetch-Site", "none")}, 200},
		{"cookie, Sec-Fetch-Site same-site", []reqOpt{withCookie(secret), withHeader("Sec-Fetch-Site", "same-site")}, 403},
		{"cookie, Sec-Fetch-Site cross-site", []reqOpt{withCookie(secret), withHeader("Sec-Fetch-Site", "cross-site")}, 403},
		{"cookie, cross-site despite our Origin", []reqOpt{withCookie(secret), withHeader("Sec-Fetch-Site", "cross-site"), withHeader("Origin", testBaseURL)}, 403},
		{"bearer, no origin evidence", []reqOpt{withBearer(tok)}, 200},
		{"bearer and cookie, cross-site", []reqOpt{withBearer(tok), withCookie(secret), withHeader("Sec-Fetch-Site", "cross-site")}, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := a.do(t, http.MethodPatch, "/api/v1/me", `{"name":"Ada"}`, tt.opts...)
			if tt.want == 403 {
				wantProblem(t, rec, 403, "/problems/cross-origin-request")
				return
			}
			wantStatus(t, rec, tt.want)
		})
	}
	t.Run("cookie reads need no origin evidence", func(t *testing.T) {
		t.Parallel()
		wantStatus(t, a.do(t, http.MethodGet, "/api/v1/me", nil, withCookie(secret)), http.StatusOK)
	})
	t.Run("another site cannot log a visitor in", func(t *testing.T) {
		t.Parallel()
		body := map[string]string{"email": "ada@example.org", "password": testPassword}
		wantProblem(t, a.do(t, http.MethodPost, "/api/v1/sessions", body, withHeader("Sec-Fetch-Site", "cross-site")), 403, "/problems/cross-origin-request")
		wantProblem(t, a.do(t, http.MethodPost, "/api/v1/sessions", body, withHeader("Origin", "https://evil.example")), 403, "/problems/cross-origin-request")
		signUp := map[string]string{"email": "new@example.org", "password": testPassword, "name": "New"}
		wantProblem(t, a.do(t, http.MethodPost, "/api/v1/accounts", signUp, withHeader("Sec-Fetch-Site", "cross-site")), 403, "/problems/cross-origin-request")
	})
}

func TestHTTPBadBearerTokensAre401EvenOnPublicRoutes(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	for name, header := range map[string]string{
		"unknown token":  "Bearer cp_notarealtoken",
		"not our format": "Bearer abc",
		"basic auth":     "Basic YWRhOnB3",
		"no token":       "Bearer",
	} {
		rec := a.do(t, http.MethodGet, "/api/v1/organisations/anything", nil, withHeader("Authorization", header))
		if rec.Code != http.StatusUnauthorized || !strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("%s: status %d, WWW-Authenticate %q; want 401 with a Bearer challenge", name, rec.Code, rec.Header().Get("WWW-Authenticate"))
		}
	}
	// Anonymous requests pass through to the route, which decides.
	wantProblem(t, a.do(t, http.MethodGet, "/api/v1/organisations/anything", nil), 404, "/problems/organisation-not-found")
	wantProblem(t, a.do(t, http.MethodGet, "/api/v1/me", nil), 401, "/problems/unauthenticated")
}

func TestHTTPStaleCookieIsClearedAndTheRequestIsAnonymous(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	rec := a.do(t, http.MethodGet, "/api/v1/me", nil, withCookie("not-a-live-session"))
	wantProblem(t, rec, 401, "/problems/unauthenticated")
	if c := sessionCookie(t, rec); c.MaxAge >= 0 {
		t.Errorf("stale cookie not cleared: %+v", c)
	}
}
