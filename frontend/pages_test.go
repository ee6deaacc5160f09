package frontend

import (
	"errors"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
)

func TestPublicPagesRenderWithSecurityHeaders(t *testing.T) {
	t.Parallel()
	a := newTestApp(t, false)
	b := a.browser()
	for _, tc := range []struct{ path, want string }{
		{"/", "Find care, support and things to do"},
		{"/search", "Filter results"},
		{"/glossary", "Words explained"},
		{"/budget-guide", "What kind of budget do I have?"},
		{"/budget-guide?holder=isf", "Your budget: Individual service fund (ISF)"},
		{"/budget-guide?holder=unknown", "many people do not know"},
		{"/signup", "Create an account"},
		{"/login", "Log in"},
	} {
		resp, body := b.get(tc.path)
		mustStatus(t, resp, body, http.StatusOK)
		mustContain(t, body, tc.want, `<a href="#main-content" class="govuk-skip-link">`, `lang="en-GB"`)
		if got := resp.Header.Get("Content-Security-Policy"); got != contentSecurityPolicy {
			t.Errorf("%s: Content-Security-Policy = %q", tc.path, got)
		}
		if got := resp.Header.Get("Content-Type"); got != "text/html; charset=UTF-8" {
			t.Errorf("%s: Content-Type = %q", tc.path, got)
		}
		// No script, no inline style: the policy would block them, and pages need none.
		for _, banned := range []string{"<script", " style=", "<style"} {
			if strings.Contains(body, banned) {
				t.Errorf("%s contains %q", tc.path, banned)
			}
		}
	}
}

func TestBudgetGuideRefusesAnUnknownAnswer(t *testing.T) {
	t.Parallel()
	resp, body := newTestApp(t, false).browser().get("/budget-guide?holder=cash")
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	mustContain(t, body, "There is a problem", `href="#holder"`, "Choose who looks after your budget money", "<title>Error: ")
}

func TestAssetsHaveContentHashedURLsAndLongCaching(t *testing.T) {
	t.Parallel()
	a := newTestApp(t, false)
	b := a.browser()
	_, home := b.get("/")
	m := regexp.MustCompile(`href="(/static/([0-9a-f]{16})/app\.css)"`).FindStringSubmatch(home)
	if m == nil {
		t.Fatalf("no stylesheet link in the home page")
	}
	resp, css := b.get(m[1])
	mustStatus(t, resp, "", http.StatusOK)
	if !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") || !strings.Contains(resp.Header.Get("Cache-Control"), "max-age=31536000") {
		t.Errorf("Cache-Control = %q", resp.Header.Get("Cache-Control"))
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
		t.Errorf("Content-Type = %q", ct)
	}
	if !strings.Contains(css, ".govuk-button") || strings.Contains(css, "GDS Transport") || strings.Contains(css, "@font-face") {
		t.Errorf("the stylesheet is not GOV.UK Frontend without the GOV.UK font")
	}
	req, _ := http.NewRequest(http.MethodGet, a.url+m[1], nil)
	req.Header.Set("If-None-Match", `"`+m[2]+`"`)
	resp, _ = b.do(req)
	mustStatus(t, resp, "", http.StatusNotModified)
	resp, body := b.get("/static/0000000000000000/app.css")
	mustStatus(t, resp, body, http.StatusNotFound)
}

func TestErrorPages(t *testing.T) {
	t.Parallel()
	a := newTestApp(t, false)
	a.echo.GET("/test-broken", func(echo.Context) error { return errors.New("database on fire") })
	b := a.browser()

	resp, body := b.get("/no-such-page")
	mustStatus(t, resp, body, http.StatusNotFound)
	mustContain(t, body, "Page not found", "Go to the start page")
	if resp.Header.Get("Content-Security-Policy") == "" {
		t.Error("the 404 page has no Content-Security-Policy")
	}

	resp, body = b.get("/test-broken")
	mustStatus(t, resp, body, http.StatusInternalServerError)
	id := resp.Header.Get(echo.HeaderXRequestID)
	mustContain(t, body, "Sorry, there is a problem with the service", "Reference: <strong>"+id+"</strong>")
	if strings.Contains(body, "database on fire") {
		t.Error("the error page shows the internal error")
	}

	// The API keeps its problem+json.
	resp, body = b.get("/api/v1/no-such-thing")
	if resp.StatusCode != http.StatusNotFound || resp.Header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("API 404 = %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
}
