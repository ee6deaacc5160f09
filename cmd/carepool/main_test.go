package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/carepool/carepool/marketplace/account"
)

// mustOpen boots the same Main that `carepool serve` runs, on a fresh data directory,
// behind an httptest server, and closes both when the test ends.
func mustOpen(tb testing.TB) (*Main, *httptest.Server) {
	tb.Helper()
	return mustOpenWith(tb, nil, Options{})
}

// mustOpenWith is mustOpen with more environment variables and options.
func mustOpenWith(tb testing.TB, env map[string]string, opts Options) (*Main, *httptest.Server) {
	tb.Helper()
	m, srv, _ := mustOpenLogged(tb, env, opts)
	return m, srv
}

// mustOpenLogged is mustOpenWith that also returns the JSON log Main writes.
func mustOpenLogged(tb testing.TB, env map[string]string, opts Options) (*Main, *httptest.Server, *syncBuffer) {
	tb.Helper()
	vars := map[string]string{"DATA_DIR": tb.TempDir(), "ADDR": "127.0.0.1:0", "METRICS_ADDR": "127.0.0.1:0"}
	maps.Copy(vars, env)
	cfg, err := ConfigFromEnv(func(k string) string { return vars[k] })
	if err != nil {
		tb.Fatal(err)
	}
	opts.Password = account.TestPasswordParams
	logs := &syncBuffer{}
	m, err := Open(context.Background(), cfg, slog.New(slog.NewJSONHandler(logs, nil)), opts)
	if err != nil {
		tb.Fatal(err)
	}
	srv := httptest.NewServer(m.Echo)
	tb.Cleanup(func() {
		srv.Close()
		if err := m.Close(context.Background()); err != nil {
			tb.Errorf("close: %v", err)
		}
	})
	return m, srv, logs
}

// mustSeed loads the demo data set.
func mustSeed(tb testing.TB, m *Main) {
	tb.Helper()
	if err := m.Seed(context.Background(), io.Discard); err != nil {
		tb.Fatal(err)
	}
}

// client is a tiny API client for tests: it sends JSON with an optional bearer token.
type client struct {
	tb    testing.TB
	base  string
	token string
}

func (c client) do(method, path string, body any, headers ...string) (*http.Response, []byte) {
	c.tb.Helper()
	var r io.Reader
	if body != nil {
		if s, ok := body.(string); ok {
			r = strings.NewReader(s)
		} else {
			b, err := json.Marshal(body)
			if err != nil {
				c.tb.Fatal(err)
			}
			r = bytes.NewReader(b)
		}
	}
	req, err := http.NewRequest(method, c.base+path, r)
	if err != nil {
		c.tb.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.tb.Fatal(err)
	}
	return resp, b
}

func decode[T any](tb testing.TB, b []byte) T {
	tb.Helper()
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		tb.Fatalf("decode %T from %s: %v", v, b, err)
	}
	return v
}

// credentials are what logging in through the API gives a test: the session cookie's
// value and a bearer token made from it.
type credentials struct{ session, token, tokenID string }

// mustLogin starts a session, then creates a bearer token from it (tokens can only be
// created from a session, which must show it is same-origin).
func mustLogin(tb testing.TB, base, email, password string) credentials {
	tb.Helper()
	c := client{tb: tb, base: base}
	resp, body := c.do(http.MethodPost, "/api/v1/sessions", map[string]string{"email": email, "password": password})
	if resp.StatusCode != http.StatusCreated {
		tb.Fatalf("log in as %s: %d %s", email, resp.StatusCode, body)
	}
	var cred credentials
	for _, ck := range resp.Cookies() {
		if ck.Name == account.DefaultCookieName {
			cred.session = ck.Value
		}
	}
	if cred.session == "" {
		tb.Fatalf("log in as %s: no session cookie", email)
	}
	resp, body = c.do(http.MethodPost, "/api/v1/me/tokens", map[string]string{"name": "test"},
		"Cookie", account.DefaultCookieName+"="+cred.session, "Sec-Fetch-Site", "same-origin")
	if resp.StatusCode != http.StatusCreated {
		tb.Fatalf("create token for %s: %d %s", email, resp.StatusCode, body)
	}
	tok := decode[struct{ ID, Token string }](tb, body)
	cred.token, cred.tokenID = tok.Token, tok.ID
	return cred
}

// demoClient logs in as a demo account and returns a client with its bearer token.
func demoClient(tb testing.TB, base, email string) client {
	tb.Helper()
	return client{tb: tb, base: base, token: mustLogin(tb, base, email, DemoPassword).token}
}
