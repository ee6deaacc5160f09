package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.mongodb.org/mongo-driver/bson"

	"github.com/carepool/carepool/infra/mail/mailtest"
	"github.com/carepool/carepool/infra/store"
	"github.com/carepool/carepool/marketplace/account"
)

// mustOpenMail boots Main like mustOpen, sending email to smtpURL (or to .eml files when
// it is empty), and returns the log it writes.
func mustOpenMail(tb testing.TB, smtpURL string) (*Main, *httptest.Server, *syncBuffer) {
	tb.Helper()
	return mustOpenLogged(tb, map[string]string{"BASE_URL": "https://carepool.test", "SMTP_URL": smtpURL,
		"MAIL_FROM": "Carepool <no-reply@carepool.test>"}, Options{})
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// mustSendMail runs the mail worker until the outbox is empty.
func mustSendMail(tb testing.TB, m *Main) {
	tb.Helper()
	for range 10 {
		if _, err := m.mail.run(context.Background()); err != nil {
			tb.Fatal(err)
		}
		if n, err := m.mail.queue.Pending(context.Background()); err != nil {
			tb.Fatal(err)
		} else if n == 0 {
			return
		}
	}
	tb.Fatal("the mail outbox did not empty")
}

var tokenInLink = regexp.MustCompile(`https://carepool\.test(/account/[a-z-]+)\?token=([A-Za-z0-9_%-]+)`)

// linkToken returns the path and token of the link in a message's text.
func linkToken(tb testing.TB, text string) (string, string) {
	tb.Helper()
	m := tokenInLink.FindStringSubmatch(text)
	if m == nil {
		tb.Fatalf("no token link in:\n%s", text)
	}
	tok, err := url.QueryUnescape(m[2])
	if err != nil {
		tb.Fatal(err)
	}
	return m[1], tok
}

func mustSignUp(tb testing.TB, base, email string) string {
	tb.Helper()
	resp, body := client{tb: tb, base: base}.do(http.MethodPost, "/api/v1/accounts",
		map[string]string{"email": email, "password": "a long enough password", "name": "Person " + email[:3]})
	if resp.StatusCode != http.StatusCreated {
		tb.Fatalf("sign up %s: %d %s", email, resp.StatusCode, body)
	}
	for _, ck := range resp.Cookies() {
		if ck.Name == account.DefaultCookieName {
			return ck.Value
		}
	}
	tb.Fatal("no session cookie")
	return ""
}

func TestSignUpSendsOneVerificationEmailAndItWorksOnce(t *testing.T) {
	t.Parallel()
	mp := mailtest.Start(t)
	m, srv, _ := mustOpenMail(t, mp.SMTPURL)
	session := mustSignUp(t, srv.URL, "ann@example.org")
	mustSendMail(t, m)
	got := mp.WaitFor(t, 1)
	if len(got) != 1 {
		t.Fatalf("%d emails, want 1", len(got))
	}
	if diff := cmp.Diff([]string{"ann@example.org"}, got[0].Recipients()); diff != "" {
		t.Errorf("recipients (-want +got):\n%s", diff)
	}
	if got[0].Subject != "Confirm your email address for Carepool" || got[0].HTML == "" {
		t.Errorf("subject %q, html %d bytes", got[0].Subject, len(got[0].HTML))
	}
	path, token := linkToken(t, got[0].Text)
	if path != "/account/verify-email" {
		t.Errorf("link path %s", path)
	}
	c := client{tb: t, base: srv.URL}
	if resp, body := c.do(http.MethodPost, "/api/v1/account/verify-email", map[string]string{"token": token + "x"}); resp.StatusCode != 422 {
		t.Errorf("wrong token: %d %s", resp.StatusCode, body)
	}
	if resp, body := c.do(http.MethodPost, "/api/v1/account/verify-email", map[string]string{"token": token}); resp.StatusCode != 200 {
		t.Fatalf("verify: %d %s", resp.StatusCode, body)
	}
	if resp, body := c.do(http.MethodPost, "/api/v1/account/verify-email", map[string]string{"token": token}); resp.StatusCode != 422 {
		t.Errorf("second use: %d %s", resp.StatusCode, body)
	}
	_, body := c.do(http.MethodGet, "/api/v1/me", nil, "Cookie", account.DefaultCookieName+"="+session)
	if me := decode[struct {
		EmailVerifiedAt *time.Time `json:"email_verified_at"`
	}](t, body); me.EmailVerifiedAt == nil {
		t.Errorf("me after verifying: %s", body)
	}
	// Once verified, asking again sends nothing.
	resp, body := c.do(http.MethodPost, "/api/v1/me/verification-email", nil,
		"Cookie", account.DefaultCookieName+"="+session, "Sec-Fetch-Site", "same-origin")
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("resend: %d %s", resp.StatusCode, body)
	}
	mustSendMail(t, m)
	if n := len(mp.Messages(t)); n != 1 {
		t.Errorf("%d emails after resending to a verified address, want 1", n)
	}
}

func TestPasswordReset(t *testing.T) {
	t.Parallel()
	mp := mailtest.Start(t)
	m, srv, _ := mustOpenMail(t, mp.SMTPURL)
	mustSignUp(t, srv.URL, "bea@example.org")
	mustSignUp(t, srv.URL, "cat@example.org")
	mustSendMail(t, m)
	before := len(mp.WaitFor(t, 2))
	cred := mustLogin(t, srv.URL, "bea@example.org", "a long enough password")
	c := client{tb: t, base: srv.URL}

	// The same answer whether or not an account uses the address.
	r1, b1 := c.do(http.MethodPost, "/api/v1/password-resets", map[string]string{"email": "nobody@example.org"})
	r2, b2 := c.do(http.MethodPost, "/api/v1/password-resets", map[string]string{"email": " BEA@example.org "})
	if r1.StatusCode != http.StatusAccepted || r2.StatusCode != http.StatusAccepted || !bytes.Equal(b1, b2) {
		t.Fatalf("unknown: %d %q, known: %d %q", r1.StatusCode, b1, r2.StatusCode, b2)
	}
	mustSendMail(t, m)
	got := mp.WaitFor(t, before+1)[before:]
	if len(got) != 1 || !cmp.Equal(got[0].Recipients(), []string{"bea@example.org"}) {
		t.Fatalf("reset emails: %+v", got)
	}
	path, token := linkToken(t, got[0].Text)
	if path != "/account/reset-password" {
		t.Errorf("link path %s", path)
	}
	confirm := func(tok string) (int, []byte) {
		resp, body := c.do(http.MethodPost, "/api/v1/password-resets/confirm", map[string]string{"token": tok, "password": "a brand new password"})
		return resp.StatusCode, body
	}
	if status, body := confirm(token[:len(token)-1]); status != 422 {
		t.Errorf("wrong token: %d %s", status, body)
	}
	if status, body := confirm(token); status != http.StatusNoContent {
		t.Fatalf("confirm: %d %s", status, body)
	}
	if status, body := confirm(token); status != 422 {
		t.Errorf("reuse: %d %s", status, body)
	}
	// Every session and API token of the person ended.
	if resp, _ := (client{tb: t, base: srv.URL, token: cred.token}).do(http.MethodGet, "/api/v1/me", nil); resp.StatusCode != 401 {
		t.Errorf("old API token: %d", resp.StatusCode)
	}
	if resp, _ := c.do(http.MethodGet, "/api/v1/me", nil, "Cookie", account.DefaultCookieName+"="+cred.session); resp.StatusCode != 401 {
		t.Errorf("old session: %d", resp.StatusCode)
	}
	mustLogin(t, srv.URL, "bea@example.org", "a brand new password")
	// The person is told, and nobody else.
	mustSendMail(t, m)
	got = mp.WaitFor(t, before+2)[before+1:]
	if len(got) != 1 || !cmp.Equal(got[0].Recipients(), []string{"bea@example.org"}) || got[0].Subject != "Your Carepool password was changed" {
		t.Fatalf("notice: %+v", got)
	}
	if strings.Contains(got[0].Text, "token=") {
		t.Errorf("the notice carries a token:\n%s", got[0].Text)
	}

	// An expired token is refused.
	c.do(http.MethodPost, "/api/v1/password-resets", map[string]string{"email": "cat@example.org"})
	mustSendMail(t, m)
	_, expired := linkToken(t, mp.WaitFor(t, before+3)[before+2].Text)
	if _, err := m.DB.Collection("email_tokens").UpdateMany(context.Background(), bson.M{"purpose": account.PurposePasswordReset},
		bson.M{"$set": bson.M{"expires_at": time.Now().Add(-time.Second)}}); err != nil {
		t.Fatal(err)
	}
	if status, body := confirm(expired); status != 422 {
		t.Errorf("expired token: %d %s", status, body)
	}
}

func TestPasswordResetLimits(t *testing.T) {
	t.Parallel()
	m, srv, _ := mustOpenMail(t, "")
	mustSignUp(t, srv.URL, "dan@example.org")
	c := client{tb: t, base: srv.URL}
	// Per address: a few requests, then 429 with Retry-After, for known and unknown alike.
	for _, email := range []string{"dan@example.org", "nobody@example.org"} {
		for i := range account.DefaultEmailsPerWindow + 1 {
			resp, body := c.do(http.MethodPost, "/api/v1/password-resets", map[string]string{"email": email})
			want := http.StatusAccepted
			if i == account.DefaultEmailsPerWindow {
				want = http.StatusTooManyRequests
			}
			if resp.StatusCode != want || (want == 429 && resp.Header.Get("Retry-After") == "") {
				t.Fatalf("%s request %d: %d %s", email, i+1, resp.StatusCode, body)
			}
		}
	}
	mustSendMail(t, m)
	// Brute force: after enough wrong tokens from one address, even a right one is refused.
	_, token := linkToken(t, newestEML(t, m, "reset-"))
	for i := range account.DefaultRequestsPerIP {
		resp, body := c.do(http.MethodPost, "/api/v1/password-resets/confirm", map[string]string{"token": fmt.Sprintf("guess-%d", i), "password": "a brand new password"})
		if resp.StatusCode != 422 {
			t.Fatalf("guess %d: %d %s", i, resp.StatusCode, body)
		}
	}
	resp, body := c.do(http.MethodPost, "/api/v1/password-resets/confirm", map[string]string{"token": token, "password": "a brand new password"})
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("right token after %d guesses: %d %s", account.DefaultRequestsPerIP, resp.StatusCode, body)
	}
}

// newestEML returns the decoded text of the .eml file whose name starts with prefix.
func newestEML(tb testing.TB, m *Main, prefix string) string {
	tb.Helper()
	files, _ := filepath.Glob(filepath.Join(m.Config.DataDir, "mail", prefix+"*.eml"))
	if len(files) == 0 {
		tb.Fatalf("no %s*.eml file", prefix)
	}
	b, err := os.ReadFile(files[len(files)-1])
	if err != nil {
		tb.Fatal(err)
	}
	// Undo quoted-printable soft line breaks and the escaped "=" well enough to find the link.
	return strings.NewReplacer("=\r\n", "", "=3D", "=").Replace(string(b))
}

func TestMailFallsBackToEMLFilesAndLogsOnlyThePath(t *testing.T) {
	t.Parallel()
	m, srv, logs := mustOpenMail(t, "")
	mustSignUp(t, srv.URL, "eve@example.org")
	mustSendMail(t, m)
	text := newestEML(t, m, "verify-")
	if !strings.Contains(text, "To: \"Person eve\" <eve@example.org>") {
		t.Errorf(".eml lacks the recipient:\n%s", text)
	}
	_, token := linkToken(t, text)
	if !strings.Contains(logs.String(), filepath.Join(m.Config.DataDir, "mail", "verify-")) {
		t.Errorf("the log does not name the file:\n%s", logs.String())
	}
	if strings.Contains(logs.String(), token) || strings.Contains(logs.String(), "eve@example.org") {
		t.Errorf("the log shows the email's content:\n%s", logs.String())
	}
}

func TestMailWorkersNeverSendTwice(t *testing.T) {
	t.Parallel()
	mp := mailtest.Start(t)
	m, _, _ := mustOpenMail(t, mp.SMTPURL)
	const n = 30
	var notices []account.Notice
	for i := range n {
		notices = append(notices, account.Notice{Key: fmt.Sprintf("test-%02d", i), Kind: account.NoticePasswordChanged,
			UserID: "u", To: fmt.Sprintf("p%02d@example.org", i), Name: "P", Path: "/account/forgotten-password"})
	}
	if err := store.NewAccounts(m.DB).QueueNotices(context.Background(), notices...); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for _, owner := range []string{"copy-a", "copy-b"} {
		w, err := newMailWorker(m.Config, m.DB, m.Logger, owner)
		if err != nil {
			t.Fatal(err)
		}
		wg.Go(func() {
			for range 20 {
				if _, err := w.run(context.Background()); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	got := mp.WaitFor(t, n)
	seen := map[string]int{}
	for _, msg := range got {
		seen[msg.MessageID]++
	}
	if len(got) != n || len(seen) != n {
		t.Fatalf("%d emails with %d distinct ids, want %d of each", len(got), len(seen), n)
	}
	if pending, _ := m.mail.queue.Pending(context.Background()); pending != 0 {
		t.Errorf("%d tasks left", pending)
	}
}

func TestMailGivesUpAfterTooManyAttemptsAndAdministratorsSeeIt(t *testing.T) {
	t.Parallel()
	m, srv, _ := mustOpenMail(t, "smtp://127.0.0.1:1") // nothing listens there
	mustSignUp(t, srv.URL, "fay@example.org")
	for i := range mailMaxAttempts {
		// Make the retry due now rather than after its backoff.
		if _, err := m.DB.Collection("outbox").UpdateMany(context.Background(), bson.M{"topic": store.MailTopic},
			bson.M{"$set": bson.M{"due_at": time.Now().Add(-time.Second)}}); err != nil {
			t.Fatal(err)
		}
		rep, err := m.mail.run(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		want := mailReport{Retried: 1}
		if i == mailMaxAttempts-1 {
			want = mailReport{Failed: 1}
		}
		if rep != want {
			t.Fatalf("attempt %d: %+v, want %+v", i+1, rep, want)
		}
	}
	if err := m.Accounts.SetAdmin(context.Background(), "fay@example.org", true); err != nil {
		t.Fatal(err)
	}
	admin := client{tb: t, base: srv.URL, token: mustLogin(t, srv.URL, "fay@example.org", "a long enough password").token}
	resp, body := admin.do(http.MethodGet, "/api/v1/admin/mail-failures", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	fs := decode[authzItems[struct {
		Kind      string `json:"kind"`
		Attempts  int    `json:"attempts"`
		LastError string `json:"last_error"`
	}]](t, body).Items
	if len(fs) != 1 || fs[0].Kind != "verify-email" || fs[0].Attempts != mailMaxAttempts || fs[0].LastError == "" {
		t.Errorf("failures: %s", body)
	}
	if strings.Contains(string(body), "token") || strings.Contains(string(body), "fay@example.org") {
		t.Errorf("failures show a link or an address: %s", body)
	}
}

func TestDelegationNoticesReachBothPeopleAndNobodyElse(t *testing.T) {
	t.Parallel()
	mp := mailtest.Start(t)
	m, srv, _ := mustOpenMail(t, mp.SMTPURL)
	for _, email := range []string{"gil@example.org", "hal@example.org", "ivy@example.org"} {
		mustSignUp(t, srv.URL, email)
	}
	mustSendMail(t, m)
	before := len(mp.WaitFor(t, 3))
	gil := client{tb: t, base: srv.URL, token: mustLogin(t, srv.URL, "gil@example.org", "a long enough password").token}
	resp, body := gil.do(http.MethodPost, "/api/v1/me/delegations", map[string]string{"representative_email": "hal@example.org", "kind": "trusted_other"})
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("grant: %d %s", resp.StatusCode, body)
	}
	id := decode[struct{ ID string }](t, body).ID
	mustSendMail(t, m)
	type summary struct{ To, Subject string }
	summarise := func(msgs []mailtest.Message) map[summary]bool {
		out := map[summary]bool{}
		for _, msg := range msgs {
			out[summary{strings.Join(msg.Recipients(), ","), msg.Subject}] = true
			if strings.Contains(msg.Text, "token=") {
				t.Errorf("a delegation notice carries a token:\n%s", msg.Text)
			}
		}
		return out
	}
	got := mp.WaitFor(t, before+2)[before:]
	want := map[summary]bool{
		{"gil@example.org", "Person hal can now act for you on Carepool"}: true,
		{"hal@example.org", "You can now act for Person gil on Carepool"}: true,
	}
	if diff := cmp.Diff(want, summarise(got)); diff != "" || len(got) != 2 {
		t.Errorf("grant notices (-want +got):\n%s", diff)
	}
	for range 2 { // the second revocation changes nothing and tells nobody
		if resp, body := gil.do(http.MethodDelete, "/api/v1/me/delegations/"+id, nil); resp.StatusCode != http.StatusNoContent {
			t.Fatalf("revoke: %d %s", resp.StatusCode, body)
		}
	}
	mustSendMail(t, m)
	got = mp.WaitFor(t, before+4)[before+2:]
	want = map[summary]bool{
		{"gil@example.org", "A Carepool delegation has ended"}: true,
		{"hal@example.org", "A Carepool delegation has ended"}: true,
	}
	if diff := cmp.Diff(want, summarise(got)); diff != "" || len(got) != 2 {
		t.Errorf("revoke notices (-want +got):\n%s", diff)
	}
	if n := len(mp.Messages(t)); n != before+4 {
		t.Errorf("%d emails in all, want %d", n, before+4)
	}
}

func TestMailConfig(t *testing.T) {
	t.Parallel()
	cfg := func(env map[string]string) (Config, error) {
		return ConfigFromEnv(func(k string) string { return env[k] })
	}
	c, err := cfg(map[string]string{"BASE_URL": "https://carepool.example", "SMTP_URL": "smtp://user:s3cret@mail.example:2525"})
	if err != nil {
		t.Fatal(err)
	}
	if c.MailFrom != "Carepool <no-reply@carepool.example>" {
		t.Errorf("default MAIL_FROM %q", c.MailFrom)
	}
	if s := c.String(); strings.Contains(s, "s3cret") || !strings.Contains(s, "smtp mail.example:2525") {
		t.Errorf("config description %q", s)
	}
	if c, _ := cfg(map[string]string{}); c.MailFrom != "Carepool <no-reply@localhost>" || !strings.Contains(c.String(), ".eml files") {
		t.Errorf("defaults: MAIL_FROM %q, %s", c.MailFrom, c.String())
	}
	for _, bad := range []map[string]string{{"MAIL_FROM": "not an address"}, {"SMTP_URL": "http://mail.example"}} {
		if _, err := cfg(bad); err == nil {
			t.Errorf("%v: no error", bad)
		}
	}
	if got := []time.Duration{mailBackoff(0), mailBackoff(1), mailBackoff(6), mailBackoff(7), mailBackoff(30)}; !cmp.Equal(got,
		[]time.Duration{30 * time.Second, time.Minute, 32 * time.Minute, time.Hour, time.Hour}) {
		t.Errorf("backoff %v", got)
	}
}
