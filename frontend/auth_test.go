package frontend

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/carepool/carepool/marketplace/account"
)

func TestSignUpShowsErrorsThenLogsIn(t *testing.T) {
	t.Parallel()
	a := newTestApp(t, false)
	b := a.browser()
	b.get("/signup")

	resp, body := b.post("/signup", url.Values{"name": {"Sam Example"}, "email": {"not-an-email"}, "password": {"short"}})
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	mustContain(t, body, "<title>Error: Create an account", `class="govuk-error-summary"`,
		`<a href="#email">Email address must be an email address, such as name@example.org</a>`,
		`<a href="#password">Password must be at least 10 characters</a>`,
		`id="email-error"`, `aria-describedby="email-hint email-error"`, `value="Sam Example"`, `value="not-an-email"`)
	if strings.Contains(body, `value="short"`) {
		t.Error("the password is sent back in the page")
	}

	resp, body = b.post("/signup", url.Values{"name": {"Sam Example"}, "email": {"sam@example.org"}, "password": {testPassword}, "next": {"/dashboard"}})
	mustStatus(t, resp, body, http.StatusSeeOther)
	if got := resp.Header.Get("Location"); got != "/dashboard?done=signed-up" {
		t.Errorf("after sign-up, redirected to %q", got)
	}
	var session *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == account.DefaultCookieName {
			session = c
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Path != "/" {
		t.Fatalf("session cookie = %+v", session)
	}
	resp, body = b.get("/account")
	mustStatus(t, resp, body, http.StatusOK)
	mustContain(t, body, "Sam Example", "sam@example.org", "Log out")

	// The same email again is refused, next to the field.
	other := a.browser()
	other.get("/signup")
	resp, body = other.post("/signup", url.Values{"name": {"Sam Again"}, "email": {"SAM@example.org"}, "password": {testPassword}})
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	mustContain(t, body, `<a href="#email">There is already an account with this email address`)
}

func TestLogInAndLogOut(t *testing.T) {
	t.Parallel()
	a := newTestApp(t, false)
	email, _ := a.user("Lou Login")
	b := a.browser()

	resp, body := b.get("/account")
	mustStatus(t, resp, body, http.StatusSeeOther)
	if got := resp.Header.Get("Location"); got != "/login?next=%2Faccount" {
		t.Fatalf("anonymous /account redirects to %q", got)
	}
	b.get("/login?next=%2Faccount")
	resp, body = b.post("/login", url.Values{"email": {email}, "password": {"wrong password!"}, "next": {"/account"}})
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	mustContain(t, body, `<a href="#email">The email address or password is not right</a>`, `name="next" value="/account"`)

	resp, body = b.post("/login", url.Values{"email": {email}, "password": {testPassword}, "next": {"/account"}})
	mustStatus(t, resp, body, http.StatusSeeOther)
	if got := resp.Header.Get("Location"); got != "/account" {
		t.Errorf("after log-in, redirected to %q", got)
	}
	resp, body = b.get("/account")
	mustStatus(t, resp, body, http.StatusOK)
	mustContain(t, body, "Lou Login")
	if resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("a logged-in page has Cache-Control %q", resp.Header.Get("Cache-Control"))
	}

	resp, body = b.post("/logout", nil)
	mustStatus(t, resp, body, http.StatusSeeOther)
	resp, body = b.get("/?done=logged-out")
	mustContain(t, body, "You have logged out.", "Log in")
	resp, _ = b.get("/account")
	mustStatus(t, resp, "", http.StatusSeeOther)
}

func TestLogInRefusesToRedirectToAnotherSite(t *testing.T) {
	t.Parallel()
	for _, next := range []string{"//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"} {
		if got := safeNext(next, "/account"); got != "/account" {
			t.Errorf("safeNext(%q) = %q", next, got)
		}
	}
	a := newTestApp(t, false)
	email, _ := a.user("Nat Next")
	b := a.browser()
	b.get("/login")
	resp, body := b.post("/login", url.Values{"email": {email}, "password": {testPassword}, "next": {"//evil.example/"}})
	mustStatus(t, resp, body, http.StatusSeeOther)
	if got := resp.Header.Get("Location"); got != "/account" {
		t.Errorf("redirected to %q", got)
	}
}

func TestFormsNeedTheirToken(t *testing.T) {
	t.Parallel()
	a := newTestApp(t, false)
	email, _ := a.user("Cass CSRF")
	form := url.Values{"email": {email}, "password": {testPassword}}

	// No page read first, so no token cookie: refused.
	b := a.browser()
	resp, body := b.post("/login", form)
	mustStatus(t, resp, body, http.StatusForbidden)
	mustContain(t, body, "Sorry, you need to send the form again", "This form has expired")

	// A token made for another browser's cookie: refused.
	victim, attacker := a.browser(), a.browser()
	attacker.get("/login")
	victim.get("/login")
	forged := cloneValues(form)
	forged.Set("csrf_token", attacker.token)
	resp, body = victim.post("/login", forged)
	mustStatus(t, resp, body, http.StatusForbidden)

	// The right token, but the browser says another site sent the form: refused.
	resp, body = victim.post("/login", form, "Sec-Fetch-Site", "cross-site")
	mustStatus(t, resp, body, http.StatusForbidden)
	resp, body = victim.post("/login", form, "Sec-Fetch-Site", "", "Origin", "https://evil.example")
	mustStatus(t, resp, body, http.StatusForbidden)

	// The right token: accepted.
	resp, body = victim.post("/login", form)
	mustStatus(t, resp, body, http.StatusSeeOther)

	// After logging in the token is bound to the session: the old one no longer works.
	old := victim.token
	victim.get("/account")
	if victim.token == old {
		t.Error("the form token did not change when the session began")
	}
	resp, body = victim.post("/logout", url.Values{"csrf_token": {old}})
	mustStatus(t, resp, body, http.StatusForbidden)
	resp, body = victim.post("/logout", nil)
	mustStatus(t, resp, body, http.StatusSeeOther)
}
