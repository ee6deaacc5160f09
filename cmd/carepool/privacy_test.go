package main

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/carepool/carepool/infra/web"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/pooling"
	"github.com/carepool/carepool/privacy"
)

// storeHolding lists the documents, in any collection, whose text contains s.
func storeHolding(t testing.TB, m *Main, s string) []string {
	t.Helper()
	ctx := context.Background()
	counts, err := m.DB.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for name := range counts {
		cur, err := m.DB.Collection(name).Find(ctx, bson.M{})
		if err != nil {
			t.Fatal(err)
		}
		var docs []bson.Raw
		if err := cur.All(ctx, &docs); err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			if strings.Contains(strings.ToLower(d.String()), strings.ToLower(s)) {
				found = append(found, name+": "+d.String())
			}
		}
	}
	return found
}

func TestDataExportIsADownloadOfOnesOwnData(t *testing.T) {
	t.Parallel()
	m, srv := mustOpen(t)
	mustSeed(t, m)
	alice := demoClient(t, srv.URL, "alice@"+demoDomain)
	resp, body := alice.do(http.MethodGet, "/api/v1/me/export", nil)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), `attachment; filename="carepool-your-data-`) ||
		resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("export = %d %q %q", resp.StatusCode, resp.Header.Get("Content-Disposition"), resp.Header.Get("Cache-Control"))
	}
	x := decode[privacy.Export](t, body)
	if x.Account.Email != "alice@"+demoDomain || len(x.Budgets) < 3 || len(x.Pledges) == 0 || len(x.DelegationsGranted) < 2 {
		t.Errorf("alice's export lacks her data: account %+v, %d budgets, %d pledges, %d delegations",
			x.Account, len(x.Budgets), len(x.Pledges), len(x.DelegationsGranted))
	}
	for _, other := range []string{"bob@", "carl@", "broker@", "provider@", "Carl Holder"} {
		if strings.Contains(string(body), other) {
			t.Errorf("alice's export holds %q", other)
		}
	}
	resp, _ = alice.do(http.MethodGet, "/api/v1/me/export?format=csv", nil)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("unknown parameter = %d, want 422", resp.StatusCode)
	}
}

func TestAccountDeletionOverHTTP(t *testing.T) {
	t.Parallel()
	m, srv := mustOpen(t)
	mustSeed(t, m)
	const email, name, password = "dora.deleteme@example.org", "Dora Deleteme", "a long enough password"
	anon := client{tb: t, base: srv.URL}
	resp, body := anon.do(http.MethodPost, "/api/v1/accounts", map[string]string{"email": email, "password": password, "name": name})
	authzMustStatus(t, resp, body, http.StatusCreated)
	cred := mustLogin(t, srv.URL, email, password)
	dora := client{tb: t, base: srv.URL, token: cred.token}
	cookie := []string{"Cookie", account.DefaultCookieName + "=" + cred.session, "Sec-Fetch-Site", "same-origin"}
	asCookie := func(method, path string, body any) (*http.Response, []byte) {
		return anon.do(method, path, body, cookie...)
	}

	// Dora joins the demo pool and lets bob act for her.
	resp, body = dora.do(http.MethodPost, "/api/v1/budgets", map[string]any{"form": "direct_payment", "label": name + "'s payment"})
	authzMustStatus(t, resp, body, http.StatusCreated)
	budget := decode[struct{ ID string }](t, body).ID
	resp, body = anon.do(http.MethodGet, "/api/v1/pools", nil)
	pool := decode[struct{ Items []pooling.PoolView }](t, body).Items[0]
	resp, body = dora.do(http.MethodPost, "/api/v1/pools/"+pool.ID+"/pledges",
		map[string]any{"budget_id": budget, "limit_pence": pool.Pricing.Share(pool.Pricing.MinPeople)}, "Idempotency-Key", "dora-1")
	authzMustStatus(t, resp, body, http.StatusCreated)
	pledge := decode[struct{ ID string }](t, body).ID
	resp, body = dora.do(http.MethodPost, "/api/v1/me/delegations", map[string]string{"representative_email": "bob@" + demoDomain, "kind": "trusted_other"})
	authzMustStatus(t, resp, body, http.StatusCreated)
	resp, body = dora.do(http.MethodPost, "/api/v1/me/calendar-feed", nil)
	authzMustStatus(t, resp, body, http.StatusCreated)
	feed := feedPath(t, body)

	// Money in flight: refused, with what to do.
	resp, body = asCookie(http.MethodPost, "/api/v1/me/deletion", map[string]string{"password": password})
	p := decode[web.Problem](t, body)
	if resp.StatusCode != http.StatusConflict || p.Type != "/problems/account-deletion-blocked" || len(p.Errors) != 1 || p.Errors[0].Field != "pledges."+pledge {
		t.Fatalf("deletion with a pledge = %d %s", resp.StatusCode, body)
	}
	resp, body = dora.do(http.MethodPost, "/api/v1/pledges/"+pledge+"/withdraw", nil, "Idempotency-Key", "dora-2")
	authzMustStatus(t, resp, body, http.StatusOK)
	resp, body = asCookie(http.MethodPost, "/api/v1/me/deletion", map[string]string{"password": "the wrong password"})
	if p := decode[web.Problem](t, body); resp.StatusCode != http.StatusUnprocessableEntity || len(p.Errors) != 1 || p.Errors[0].Field != "password" {
		t.Fatalf("wrong password = %d %s", resp.StatusCode, body)
	}
	resp, body = asCookie(http.MethodPost, "/api/v1/me/deletion", map[string]string{"password": password})
	authzMustStatus(t, resp, body, http.StatusNoContent)
	if !slices.ContainsFunc(resp.Cookies(), func(c *http.Cookie) bool { return c.Name == account.DefaultCookieName && c.MaxAge < 0 }) {
		t.Error("the session cookie was not cleared")
	}

	// Nothing of hers works or remains; the ledger still balances.
	for _, c := range []struct {
		name string
		do   func() (*http.Response, []byte)
		want int
	}{
		{"her session", func() (*http.Response, []byte) { return asCookie(http.MethodGet, "/api/v1/me", nil) }, http.StatusUnauthorized},
		{"her API token", func() (*http.Response, []byte) { return dora.do(http.MethodGet, "/api/v1/me", nil) }, http.StatusUnauthorized},
		{"logging in", func() (*http.Response, []byte) {
			return anon.do(http.MethodPost, "/api/v1/sessions", map[string]string{"email": email, "password": password})
		}, http.StatusUnauthorized},
		{"her calendar feed", func() (*http.Response, []byte) { return anon.do(http.MethodGet, feed, nil) }, http.StatusNotFound},
	} {
		if resp, body := c.do(); resp.StatusCode != c.want {
			t.Errorf("%s after deletion = %d, want %d: %.200s", c.name, resp.StatusCode, c.want, body)
		}
	}
	for _, s := range []string{email, name} {
		if found := storeHolding(t, m, s); len(found) > 0 {
			t.Errorf("the store still holds %q:\n%s", s, strings.Join(found, "\n"))
		}
	}
	rep, err := m.Pools.Verify(context.Background())
	if err != nil || !rep.OK() {
		t.Errorf("verify after deletion: %v %+v", err, rep.Violations)
	}
	resp, body = anon.do(http.MethodPost, "/api/v1/accounts", map[string]string{"email": email, "password": password, "name": "Dora Again"})
	authzMustStatus(t, resp, body, http.StatusCreated)
}
