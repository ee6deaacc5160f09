package account_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestHTTPDelegationGrantListRevoke(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	_, holder := a.browserUser(t, "holder@example.org", "Holder")
	repID, rep := a.browserUser(t, "sister@example.org", "Sister")
	_, stranger := a.browserUser(t, "stranger@example.org", "Stranger")

	rec := a.do(t, http.MethodPost, "/api/v1/me/delegations", `{"representative_email":"sister@example.org","kind":"trusted_other"}`, asBrowser(holder))
	wantStatus(t, rec, http.StatusCreated)
	d := decode[map[string]any](t, rec)
	id, _ := d["id"].(string)
	if loc := rec.Header().Get("Location"); loc != "/api/v1/me/delegations/"+id {
		t.Errorf("Location = %q", loc)
	}
	if keysOf(d) != "active,created_at,holder,id,kind,representative" || d["representative"].(map[string]any)["id"] != repID {
		t.Errorf("delegation = %v", d)
	}
	if strings.Contains(rec.Body.String(), "@") {
		t.Errorf("delegation shows an email: %s", rec.Body.String())
	}
	wantProblem(t, a.do(t, http.MethodPost, "/api/v1/me/delegations", `{"representative_email":"sister@example.org","kind":"trustee"}`, asBrowser(holder)), 409, "/problems/delegation-exists")
	wantProblem(t, a.do(t, http.MethodPost, "/api/v1/me/delegations", `{"representative_email":"sister@example.org","kind":"cousin"}`, asBrowser(holder)), 422, "/problems/validation")

	items := func(path, secret string) []map[string]any {
		rec := a.do(t, http.MethodGet, path, nil, asBrowser(secret))
		wantStatus(t, rec, http.StatusOK)
		return decode[struct {
			Items []map[string]any `json:"items"`
		}](t, rec).Items
	}
	if got := items("/api/v1/me/delegations", holder); len(got) != 1 || got[0]["id"] != id {
		t.Errorf("granted = %v", got)
	}
	if got := items("/api/v1/me/representing", rep); len(got) != 1 || got[0]["id"] != id {
		t.Errorf("representing = %v", got)
	}
	if got := items("/api/v1/me/delegations", rep); len(got) != 0 {
		t.Errorf("the representative's own grants = %v, want none", got)
	}

	wantProblem(t, a.do(t, http.MethodDelete, "/api/v1/me/delegations/"+id, nil, asBrowser(stranger)), 404, "/problems/delegation-not-found")
	wantProblem(t, a.do(t, http.MethodDelete, "/api/v1/me/delegations/"+id, nil, asBrowser(rep)), 404, "/problems/delegation-not-found")
	wantStatus(t, a.do(t, http.MethodDelete, "/api/v1/me/delegations/"+id, nil, asBrowser(holder)), http.StatusNoContent)
	got := items("/api/v1/me/delegations", holder)
	if len(got) != 1 || got[0]["active"] != false || got[0]["revoked_at"] == nil {
		t.Errorf("after revoke = %v, want the delegation kept, inactive, with revoked_at", got)
	}
	wantProblem(t, a.do(t, http.MethodGet, "/api/v1/me/representing", nil), 401, "/problems/unauthenticated")
}
