package main

import (
	"net/http"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/carepool/carepool/infra/mail/mailtest"
	"github.com/carepool/carepool/marketplace/account"
)

// Changing an account's email: the password is checked, the new address gets the link and
// the old one a warning; following the link moves the account (verified) and tells the
// old address; an address another account uses is refused when the link is followed, so
// asking never reveals who is registered.
func TestEmailChangeConfirmsTheNewAddressAndTellsTheOldOne(t *testing.T) {
	t.Parallel()
	mp := mailtest.Start(t)
	m, srv, _ := mustOpenMail(t, mp.SMTPURL)
	session := mustSignUp(t, srv.URL, "ann@example.org")
	mustSignUp(t, srv.URL, "taken@example.org")
	mustSendMail(t, m)
	before := len(mp.WaitFor(t, 2))
	c := client{tb: t, base: srv.URL}
	as := []string{"Cookie", account.DefaultCookieName + "=" + session, "Sec-Fetch-Site", "same-origin"}
	change := func(email, password string) (*http.Response, []byte) {
		return c.do(http.MethodPost, "/api/v1/me/email", map[string]string{"email": email, "password": password}, as...)
	}
	if resp, body := change("new@example.org", "the wrong password"); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("wrong password: %d %s", resp.StatusCode, body)
	}
	if resp, body := change("not an address", "a long enough password"); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("bad address: %d %s", resp.StatusCode, body)
	}
	if resp, body := change("new@example.org", "a long enough password"); resp.StatusCode != http.StatusAccepted {
		t.Fatalf("change: %d %s", resp.StatusCode, body)
	}
	mustSendMail(t, m)
	got := mp.WaitFor(t, before+2)[before:]
	var to []string
	var link string
	for _, msg := range got {
		to = append(to, msg.Recipients()...)
		if msg.Recipients()[0] == "new@example.org" {
			_, link = linkToken(t, msg.Text)
		}
	}
	sort.Strings(to)
	if diff := cmp.Diff([]string{"ann@example.org", "new@example.org"}, to); diff != "" {
		t.Errorf("recipients (-want +got):\n%s", diff)
	}
	if resp, body := c.do(http.MethodPost, "/api/v1/account/verify-email", map[string]string{"token": link}); resp.StatusCode != http.StatusOK {
		t.Fatalf("confirm: %d %s", resp.StatusCode, body)
	}
	_, body := c.do(http.MethodGet, "/api/v1/me", nil, as...)
	if me := decode[struct {
		Email string `json:"email"`
	}](t, body); me.Email != "new@example.org" {
		t.Errorf("me after the change: %s", body)
	}
	mustSendMail(t, m)
	last := mp.WaitFor(t, before+3)[before+2]
	if last.Recipients()[0] != "ann@example.org" || last.Subject != "Your Carepool account has a new email address" {
		t.Errorf("after the change the old address got %q", last.Subject)
	}

	// An address in use is accepted when asked (nothing is revealed) and refused when the
	// link is followed.
	if resp, body := change("taken@example.org", "a long enough password"); resp.StatusCode != http.StatusAccepted {
		t.Fatalf("change to a taken address: %d %s", resp.StatusCode, body)
	}
	mustSendMail(t, m)
	for _, msg := range mp.WaitFor(t, before+5)[before+3:] {
		if msg.Recipients()[0] == "taken@example.org" {
			_, link = linkToken(t, msg.Text)
		}
	}
	if resp, body := c.do(http.MethodPost, "/api/v1/account/verify-email", map[string]string{"token": link}); resp.StatusCode != http.StatusConflict {
		t.Errorf("confirming a taken address: %d %s", resp.StatusCode, body)
	}
}

// Changing a password while signed in: the current password is checked, every other
// session and API token is signed out (this one stays), and the address is told.
func TestPasswordChangeSignsOutEverywhereElseAndTellsTheOwner(t *testing.T) {
	t.Parallel()
	mp := mailtest.Start(t)
	m, srv, _ := mustOpenMail(t, mp.SMTPURL)
	session := mustSignUp(t, srv.URL, "pat@example.org")
	other := mustLogin(t, srv.URL, "pat@example.org", "a long enough password")
	mustSendMail(t, m)
	before := len(mp.WaitFor(t, 1))
	c := client{tb: t, base: srv.URL}
	as := []string{"Cookie", account.DefaultCookieName + "=" + session, "Sec-Fetch-Site", "same-origin"}
	change := func(current, next string) (*http.Response, []byte) {
		return c.do(http.MethodPost, "/api/v1/me/password", map[string]string{"current_password": current, "new_password": next}, as...)
	}
	if resp, body := change("the wrong password", "a brand new password"); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("wrong current password: %d %s", resp.StatusCode, body)
	}
	if resp, body := change("a long enough password", "short"); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("short new password: %d %s", resp.StatusCode, body)
	}
	if resp, body := change("a long enough password", "a brand new password"); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("change: %d %s", resp.StatusCode, body)
	}
	if resp, _ := c.do(http.MethodGet, "/api/v1/me", nil, as...); resp.StatusCode != http.StatusOK {
		t.Errorf("the session that changed it: %d", resp.StatusCode)
	}
	if resp, _ := (client{tb: t, base: srv.URL, token: other.token}).do(http.MethodGet, "/api/v1/me", nil); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("an API token from before: %d, want signed out", resp.StatusCode)
	}
	if resp, _ := c.do(http.MethodGet, "/api/v1/me", nil, "Cookie", account.DefaultCookieName+"="+other.session); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("another session from before: %d, want signed out", resp.StatusCode)
	}
	mustLogin(t, srv.URL, "pat@example.org", "a brand new password")
	mustSendMail(t, m)
	got := mp.WaitFor(t, before+1)[before]
	if got.Recipients()[0] != "pat@example.org" || got.Subject != "Your Carepool password was changed" {
		t.Errorf("the notice: %q to %v", got.Subject, got.Recipients())
	}
}
