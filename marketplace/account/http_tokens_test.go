package account_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestHTTPTokenCreateListUseRevoke(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	_, secret := a.browserUser(t, "ada@example.org", "Ada")

	rec := a.do(t, http.MethodPost, "/api/v1/me/tokens", `{"name":"payroll","expires_at":"2030-01-01T00:00:00Z"}`, asBrowser(secret))
	wantStatus(t, rec, http.StatusCreated)
	created := decode[map[string]any](t, rec)
	token, _ := created["token"].(string)
	id, _ := created["id"].(string)
	if !strings.HasPrefix(token, "cp_") || created["expires_at"] != "2030-01-01T00:00:00Z" {
		t.Errorf("created = %v", created)
	}
	if loc := rec.Header().Get("Location"); loc != "/api/v1/me/tokens/"+id {
		t.Errorf("Location = %q", loc)
	}

	list := a.do(t, http.MethodGet, "/api/v1/me/tokens", nil, withBearer(token))
	wantStatus(t, list, http.StatusOK)
	if strings.Contains(list.Body.String(), token[3:]) {
		t.Errorf("the token list shows the secret: %s", list.Body.String())
	}
	items := decode[struct {
		Items []map[string]any `json:"items"`
	}](t, list).Items
	if len(items) != 1 || keysOf(items[0]) != "created_at,expires_at,hint,id,last_used_at,name" {
		t.Errorf("items = %v", items)
	}

	wantStatus(t, a.do(t, http.MethodDelete, "/api/v1/me/tokens/"+id, nil, asBrowser(secret)), http.StatusNoContent)
	wantProblem(t, a.do(t, http.MethodGet, "/api/v1/me", nil, withBearer(token)), 401, "/problems/invalid-token")
	wantProblem(t, a.do(t, http.MethodDelete, "/api/v1/me/tokens/"+id, nil, asBrowser(secret)), 404, "/problems/api-token-not-found")
}

func TestHTTPTokenRules(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	_, adaSecret := a.browserUser(t, "ada@example.org", "Ada")
	_, bobSecret := a.browserUser(t, "bob@example.org", "Bob")
	adaToken := a.createToken(t, adaSecret, "ada cli")

	t.Run("a token cannot mint tokens", func(t *testing.T) {
		t.Parallel()
		wantProblem(t, a.do(t, http.MethodPost, "/api/v1/me/tokens", `{"name":"child"}`, withBearer(adaToken)), 403, "/problems/forbidden")
	})
	t.Run("a bad expiry is a field error", func(t *testing.T) {
		t.Parallel()
		p := wantProblem(t, a.do(t, http.MethodPost, "/api/v1/me/tokens", `{"name":"x","expires_at":"next tuesday"}`, asBrowser(adaSecret)), 422, "/problems/validation")
		if len(p.Errors) != 1 || p.Errors[0].Field != "expires_at" {
			t.Errorf("errors = %+v", p.Errors)
		}
	})
	t.Run("another person's token is not found", func(t *testing.T) {
		t.Parallel()
		rec := a.do(t, http.MethodGet, "/api/v1/me/tokens", nil, withBearer(adaToken))
		id := decode[struct {
			Items []struct {
				ID string `json:"id"`
			} `json:"items"`
		}](t, rec).Items[0].ID
		wantProblem(t, a.do(t, http.MethodDelete, "/api/v1/me/tokens/"+id, nil, asBrowser(bobSecret)), 404, "/problems/api-token-not-found")
	})
	t.Run("anonymous callers are asked to log in", func(t *testing.T) {
		t.Parallel()
		wantProblem(t, a.do(t, http.MethodGet, "/api/v1/me/tokens", nil), 401, "/problems/unauthenticated")
		wantProblem(t, a.do(t, http.MethodPost, "/api/v1/me/tokens", `{"name":"x"}`), 401, "/problems/unauthenticated")
	})
}
