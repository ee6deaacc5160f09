package frontend

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestEmailChangePageChecksThePasswordAndSendsTheLink(t *testing.T) {
	t.Parallel()
	a := newTestApp(t, false)
	email, _ := a.user("Ann Change")
	anon := a.browser()
	resp, _ := anon.get("/account/email")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login?next=") {
		t.Errorf("anonymous: %d to %q, want sent to log in", resp.StatusCode, resp.Header.Get("Location"))
	}
	b := a.browser()
	b.logIn(email)
	_, body := b.get("/account")
	mustContain(t, body, `href="/account/email"`)
	_, body = b.get("/account/email")
	mustContain(t, body, "Change your email address", `autocomplete="current-password"`)
	resp, body = b.post("/account/email", url.Values{"email": {"new@example.org"}, "password": {"not it"}})
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	mustContain(t, body, "There is a problem", `href="#password"`, "is not the password of your account", `value="new@example.org"`)
	resp, body = b.post("/account/email", url.Values{"email": {"nonsense"}, "password": {testPassword}})
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	mustContain(t, body, `href="#email"`)
	resp, body = b.post("/account/email", url.Values{"email": {"new@example.org"}, "password": {testPassword}})
	mustStatus(t, resp, body, http.StatusSeeOther)
	_, body = b.get(resp.Header.Get("Location"))
	mustContain(t, body, "Check your new email address", "nothing changes")
}

func TestPasswordChangePageChecksTheCurrentPassword(t *testing.T) {
	t.Parallel()
	a := newTestApp(t, false)
	email, _ := a.user("Pat Change")
	b := a.browser()
	b.logIn(email)
	_, body := b.get("/account/password")
	mustContain(t, body, "Change your password", `autocomplete="new-password"`)
	resp, body := b.post("/account/password", url.Values{"current_password": {"not it"}, "new_password": {"a brand new password"}})
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	mustContain(t, body, `href="#current-password"`, "is not the password of your account")
	resp, body = b.post("/account/password", url.Values{"current_password": {testPassword}, "new_password": {"short"}})
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	mustContain(t, body, `href="#new-password"`)
	resp, body = b.post("/account/password", url.Values{"current_password": {testPassword}, "new_password": {"a brand new password"}})
	mustStatus(t, resp, body, http.StatusSeeOther)
	_, body = b.get(resp.Header.Get("Location"))
	mustContain(t, body, "Your password is changed")
}
