package frontend

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/carepool/carepool/marketplace/account"
)

// mailLinks claims every queued email and returns the links (paths) of those of kind
// sent to address, oldest first.
func (a *testApp) mailLinks(to, kind string) []string {
	a.t.Helper()
	jobs, err := a.db.NewMailQueue("test").Claim(context.Background(), 1000, time.Hour)
	if err != nil {
		a.t.Fatal(err)
	}
	var out []string
	for _, j := range jobs {
		if j.Mail.To == to && j.Mail.Kind == kind {
			out = append(out, j.Mail.Path)
		}
	}
	return out
}

// mailLink is the one link of kind sent to address.
func (a *testApp) mailLink(to, kind string) string {
	a.t.Helper()
	links := a.mailLinks(to, kind)
	if len(links) != 1 {
		a.t.Fatalf("%d %s emails to %s, want 1", len(links), kind, to)
	}
	return links[0]
}

func tokenOf(t testing.TB, path string) string {
	t.Helper()
	u, err := url.Parse(path)
	if err != nil || u.Query().Get("token") == "" {
		t.Fatalf("no token in %q", path)
	}
	return u.Query().Get("token")
}

func (a *testApp) verified(secret string) bool {
	a.t.Helper()
	me, err := a.accounts.Me(a.as(secret))
	if err != nil {
		a.t.Fatal(err)
	}
	return me.EmailVerifiedAt != nil
}

func TestAccountVerifyEmailThroughThePage(t *testing.T) {
	t.Parallel()
	a := newTestApp(t, false)
	email, secret := a.user("Vera Verify")
	link := a.mailLink(email, account.NoticeVerifyEmail)
	if !strings.HasPrefix(link, "/account/verify-email?token=") {
		t.Fatalf("link %q", link)
	}
	token := tokenOf(t, link)

	// The GET, as a mail scanner would follow it, twice: it changes nothing.
	b := a.browser()
	for range 2 {
		resp, body := b.get(link)
		mustStatus(t, resp, body, http.StatusOK)
		mustContain(t, body, "Confirm my email address", `name="token" value="`+token+`"`, `action="/account/verify-email"`)
	}
	if a.verified(secret) {
		t.Fatal("a GET confirmed the address")
	}

	resp, body := b.post("/account/verify-email", url.Values{"token": {token}})
	mustStatus(t, resp, body, http.StatusSeeOther)
	if got := resp.Header.Get("Location"); got != "/account/verify-email?done=verified" {
		t.Fatalf("redirected to %q", got)
	}
	resp, body = b.get(resp.Header.Get("Location"))
	mustStatus(t, resp, body, http.StatusOK)
	mustContain(t, body, "Your email address is confirmed")
	if !a.verified(secret) {
		t.Fatal("the address is not confirmed")
	}

	// Used once: the same link now explains how to get a new one.
	b.get(link)
	resp, body = b.post("/account/verify-email", url.Values{"token": {token}})
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	mustContain(t, body, "This link has expired or has been used already", "go to your account page", `href="/login?next=%2Faccount"`)

	// A wrong token, and a link without one.
	resp, body = b.post("/account/verify-email", url.Values{"token": {"nope"}})
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	resp, body = b.get("/account/verify-email")
	mustStatus(t, resp, body, http.StatusBadRequest)
	mustContain(t, body, "This link is not complete")
}

var csrfInBody = regexp.MustCompile(`name="csrf_token" value="[^"]*"`)

func TestAccountForgottenPasswordAnswersAlike(t *testing.T) {
	t.Parallel()
	a := newTestApp(t, false)
	known, _ := a.user("Fern Forgetful")
	unknown := "nobody-here@example.org"

	b := a.browser()
	resp, body := b.get("/login")
	mustContain(t, body, `href="/account/forgotten-password"`, "Forgotten your password?")
	resp, body = b.get("/account/forgotten-password")
	mustStatus(t, resp, body, http.StatusOK)
	mustContain(t, body, "Send me a link")

	answer := func(email string) (int, string, string) {
		t.Helper()
		b := a.browser()
		b.get("/account/forgotten-password")
		resp, body := b.post("/account/forgotten-password", url.Values{"email": {email}})
		loc := resp.Header.Get("Location")
		if resp.StatusCode == http.StatusSeeOther {
			resp, body = b.get(loc)
		}
		return resp.StatusCode, loc, csrfInBody.ReplaceAllString(body, "")
	}
	s1, l1, b1 := answer(known)
	s2, l2, b2 := answer(unknown)
	if s1 != s2 || l1 != l2 || b1 != b2 {
		t.Fatalf("answers differ: %d %q vs %d %q", s1, l1, s2, l2)
	}
	if l1 != "/account/forgotten-password?done=sent" {
		t.Fatalf("redirected to %q", l1)
	}
	mustContain(t, b1, "If there is an account for that address, we have sent a link")
	if got := a.mailLinks(known, account.NoticePasswordReset); len(got) != 1 {
		t.Fatalf("%d reset emails to the known address", len(got))
	}

	// Mistakes in the address, next to the field and in the summary.
	b.get("/account/forgotten-password")
	resp, body = b.post("/account/forgotten-password", url.Values{"email": {""}})
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	mustContain(t, body, "<title>Error:", `href="#email"`, "Enter your email address")

	// Too many requests for one address: said plainly.
	for range account.DefaultEmailsPerWindow - 1 {
		resp, body = b.post("/account/forgotten-password", url.Values{"email": {known}})
		mustStatus(t, resp, body, http.StatusSeeOther)
	}
	resp, body = b.post("/account/forgotten-password", url.Values{"email": {known}})
	mustStatus(t, resp, body, http.StatusTooManyRequests)
	mustContain(t, body, "We have sent several emails already. Wait a few minutes and try again", `href="#email"`)
	if resp.Header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
}

func TestAccountResetPasswordThroughThePage(t *testing.T) {
	t.Parallel()
	a := newTestApp(t, false)
	email, secret := a.user("Rory Reset")
	const newPassword = "a brand new long password"

	// Logged in on another device as well.
	other := a.browser()
	other.logIn(email)

	b := a.browser()
	b.get("/account/forgotten-password")
	resp, body := b.post("/account/forgotten-password", url.Values{"email": {email}})
	mustStatus(t, resp, body, http.StatusSeeOther)
	link := a.mailLink(email, account.NoticePasswordReset)
	if !strings.HasPrefix(link, "/account/reset-password?token=") {
		t.Fatalf("link %q", link)
	}
	token := tokenOf(t, link)

	// The GET changes nothing: the old password still works.
	resp, body = b.get(link)
	mustStatus(t, resp, body, http.StatusOK)
	mustContain(t, body, "Choose a new password", `name="token" value="`+token+`"`, `autocomplete="new-password"`)
	if _, err := a.accounts.ActorForSession(context.Background(), secret); err != nil {
		t.Fatalf("a GET ended the session: %v", err)
	}

	// Too short: the sign-up rule, next to the field and in the summary.
	resp, body = b.post("/account/reset-password", url.Values{"token": {token}, "password": {"short"}})
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	mustContain(t, body, "<title>Error:", `href="#password"`, "Password must be at least 10 characters", `name="token" value="`+token+`"`)
	if strings.Contains(body, `value="short"`) {
		t.Error("the password came back in the page")
	}
	resp, body = b.post("/account/reset-password", url.Values{"token": {token}, "password": {""}})
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	mustContain(t, body, "Enter a new password")

	resp, body = b.post("/account/reset-password", url.Values{"token": {token}, "password": {newPassword}})
	mustStatus(t, resp, body, http.StatusSeeOther)
	resp, body = b.get(resp.Header.Get("Location"))
	mustStatus(t, resp, body, http.StatusOK)
	mustContain(t, body, "Your password has been changed", "logged you out on every device", `href="/login"`)

	// Every session has ended, and the old password no longer logs in.
	if _, err := a.accounts.ActorForSession(context.Background(), secret); err == nil {
		t.Error("the old session still works")
	}
	resp, body = other.get("/account")
	mustStatus(t, resp, body, http.StatusSeeOther)
	lb := a.browser()
	lb.get("/login")
	resp, body = lb.post("/login", url.Values{"email": {email}, "password": {testPassword}})
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	resp, body = lb.post("/login", url.Values{"email": {email}, "password": {newPassword}})
	mustStatus(t, resp, body, http.StatusSeeOther)

	// The link works once.
	b.get(link)
	resp, body = b.post("/account/reset-password", url.Values{"token": {token}, "password": {"yet another long password"}})
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	mustContain(t, body, "This link has expired or has been used already", `href="/account/forgotten-password"`)
	resp, body = b.get("/account/reset-password")
	mustStatus(t, resp, body, http.StatusBadRequest)
}

func TestAccountEmailFormsNeedTheirToken(t *testing.T) {
	t.Parallel()
	a := newTestApp(t, false)
	email, secret := a.user("Cass Token")
	verify := tokenOf(t, a.mailLink(email, account.NoticeVerifyEmail))
	b := a.browser()
	b.get("/account/forgotten-password")
	mustStatus(t, first(b.post("/account/forgotten-password", url.Values{"email": {email}})), "", http.StatusSeeOther)
	reset := tokenOf(t, a.mailLink(email, account.NoticePasswordReset))

	posts := []struct {
		page, path string
		form       url.Values
	}{
		{"/account/verify-email?token=" + url.QueryEscape(verify), "/account/verify-email", url.Values{"token": {verify}}},
		{"/account/forgotten-password", "/account/forgotten-password", url.Values{"email": {email}}},
		{"/account/reset-password?token=" + url.QueryEscape(reset), "/account/reset-password", url.Values{"token": {reset}, "password": {"a brand new long password"}}},
	}
	for _, p := range posts {
		// No page read, so no token cookie; then a page read but a wrong token.
		nb := a.browser()
		resp, body := nb.post(p.path, p.form)
		mustStatus(t, resp, body, http.StatusForbidden)
		nb.get(p.page)
		forged := cloneValues(p.form)
		forged.Set("csrf_token", "forged")
		resp, body = nb.post(p.path, forged)
		mustStatus(t, resp, body, http.StatusForbidden)
		resp, body = nb.post(p.path, p.form, "Sec-Fetch-Site", "cross-site")
		mustStatus(t, resp, body, http.StatusForbidden)
	}
	// The refused forms changed nothing.
	if a.verified(secret) {
		t.Error("a refused form confirmed the address")
	}
	if _, err := a.accounts.ActorForSession(context.Background(), secret); err != nil {
		t.Errorf("a refused form reset the password: %v", err)
	}
	if got := a.mailLinks(email, account.NoticePasswordReset); len(got) != 0 {
		t.Errorf("a refused form sent %d reset emails", len(got))
	}
	// With the token, each works.
	for _, p := range posts {
		nb := a.browser()
		nb.get(p.page)
		resp, body := nb.post(p.path, p.form)
		mustStatus(t, resp, body, http.StatusSeeOther)
	}
}

func first(resp *http.Response, _ string) *http.Response { return resp }

// The delegation emails link to the delegations page (delegations_test.go tests it).
func TestAccountDelegationsIsThePageTheEmailsLinkTo(t *testing.T) {
	t.Parallel()
	a := newTestApp(t, false)
	resp, body := a.browser().get("/account/delegations")
	mustStatus(t, resp, body, http.StatusSeeOther)
	if got := resp.Header.Get("Location"); got != "/login?next=%2Faccount%2Fdelegations" {
		t.Errorf("redirected to %q", got)
	}
	email, _ := a.user("Dora Delegator")
	b := a.browser()
	b.logIn(email)
	resp, body = b.get("/account/delegations")
	mustStatus(t, resp, body, http.StatusOK)
	mustContain(t, body, "People who act for you", "Let someone act for you")
}
