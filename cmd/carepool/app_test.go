package main

import (
	"net/http"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/carepool/carepool/frontend"
	"github.com/carepool/carepool/infra/web"
)

func TestEveryRouteIsDocumentedAndEveryDocumentedRouteExists(t *testing.T) {
	t.Parallel()
	m, _ := mustOpen(t)
	documented, err := web.Operations(m.openAPI)
	if err != nil {
		t.Fatal(err)
	}
	var registered []string
	for _, r := range m.Echo.Routes() {
		if r.Method == "echo_route_any" || r.Path == "" || r.Path == "/*" {
			continue
		}
		// HTML pages, their form targets and static assets are not API routes: the
		// frontend names them, and they need no OpenAPI entry.
		if frontend.IsPageRoute(r) {
			continue
		}
		registered = append(registered, r.Method+" "+r.Path)
	}
	slices.Sort(registered)
	registered = slices.Compact(registered)
	if diff := cmp.Diff(documented, registered); diff != "" {
		t.Errorf("routes differ from the OpenAPI document (-documented +registered):\n%s", diff)
	}
}

func TestEveryReferenceInTheMergedOpenAPIDocumentResolves(t *testing.T) {
	t.Parallel()
	m, _ := mustOpen(t)
	bad, err := web.UnresolvedRefs(m.openAPI)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bad {
		t.Errorf("unresolved $ref %s", b)
	}
}

func TestHealthAndReadiness(t *testing.T) {
	t.Parallel()
	_, srv := mustOpen(t)
	c := client{tb: t, base: srv.URL}
	for _, path := range []string{"/healthz", "/readyz"} {
		resp, body := c.do(http.MethodGet, path, nil)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d %s", path, resp.StatusCode, body)
		}
	}
}

func TestUnknownAPIRouteIsAProblem(t *testing.T) {
	t.Parallel()
	_, srv := mustOpen(t)
	resp, body := client{tb: t, base: srv.URL}.do(http.MethodGet, "/api/v1/no-such-thing", nil)
	if resp.StatusCode != http.StatusNotFound || resp.Header.Get("Content-Type") != web.ProblemContentType {
		t.Fatalf("got %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	p := decode[web.Problem](t, body)
	if p.Type != "/problems/not-found" || p.RequestID == "" {
		t.Errorf("problem = %+v", p)
	}
}
