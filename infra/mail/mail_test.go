package mail_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/carepool/carepool/infra/mail"
	"github.com/carepool/carepool/infra/mail/mailtest"
)

func mustRender(tb testing.TB, key, to, kind string, d mail.Data) mail.Message {
	tb.Helper()
	subject, text, html, err := mail.Render(kind, d)
	if err != nil {
		tb.Fatal(err)
	}
	return mail.Message{Key: key, From: "Carepool <no-reply@carepool.test>", To: []string{to},
		Subject: subject, Text: text, HTML: html}
}

func TestRenderEveryKind(t *testing.T) {
	kinds := []string{mail.KindVerifyEmail, mail.KindPasswordReset, mail.KindPasswordChanged,
		mail.KindDelegationGranted, mail.KindDelegationRevoked, mail.KindEmailChangeAsked, mail.KindEmailChanged}
	for _, kind := range kinds {
		for _, role := range []string{"holder", "representative"} {
			subject, text, html, err := mail.Render(kind, mail.Data{Name: "Ann <b>", Other: "Bob & Co", Role: role,
				Link: "https://carepool.test/x?token=abc&y=1"})
			if err != nil {
				t.Fatalf("%s: %v", kind, err)
			}
			if subject == "" || strings.Contains(subject, "\n") {
				t.Errorf("%s: subject %q", kind, subject)
			}
			if !strings.Contains(text, "https://carepool.test/x?token=abc&y=1") || !strings.Contains(text, "Hello Ann <b>,") {
				t.Errorf("%s: text part lacks the link or greeting:\n%s", kind, text)
			}
			if strings.Contains(html, "Ann <b>") || !strings.Contains(html, "Ann &lt;b&gt;") {
				t.Errorf("%s: HTML part does not escape the name:\n%s", kind, html)
			}
			if n := strings.Count(html, "<a "); n != 1 {
				t.Errorf("%s: HTML part has %d links, want 1", kind, n)
			}
		}
	}
	if _, _, _, err := mail.Render("no-such-kind", mail.Data{}); err == nil {
		t.Error("Render of an unknown kind: no error")
	}
}

func TestMessageRejectsHeaderInjection(t *testing.T) {
	m := mustRender(t, "k1", "ann@example.org", mail.KindVerifyEmail, mail.Data{Link: "https://x"})
	for name, bad := range map[string]func(*mail.Message){
		"subject":  func(m *mail.Message) { m.Subject = "hi\r\nBcc: eve@example.org" },
		"to":       func(m *mail.Message) { m.To = []string{"ann@example.org\r\nBcc: eve@example.org"} },
		"key":      func(m *mail.Message) { m.Key = "../etc/passwd" },
		"no-to":    func(m *mail.Message) { m.To = nil },
		"bad-from": func(m *mail.Message) { m.From = "not an address" },
	} {
		c := m
		bad(&c)
		if _, err := c.Bytes(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestFileSenderWritesEMLOnce(t *testing.T) {
	dir := t.TempDir()
	s, err := mail.NewSender("", dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	m := mustRender(t, "verify-1", "ann@example.org", mail.KindVerifyEmail, mail.Data{Link: "https://carepool.test/v?t=1"})
	for range 2 {
		if err := s.Send(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if diff := cmp.Diff([]string{"verify-1.eml"}, names); diff != "" {
		t.Fatalf("files (-want +got):\n%s", diff)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "verify-1.eml"))
	for _, want := range []string{"To: <ann@example.org>", "Message-ID: <verify-1@carepool.test>",
		"multipart/alternative", "text/plain", "text/html"} {
		if !strings.Contains(string(b), want) {
			t.Errorf(".eml lacks %q", want)
		}
	}
}

func TestSMTPSenderDeliversToMailpit(t *testing.T) {
	mp := mailtest.Start(t)
	s, err := mail.NewSMTPSender(mp.SMTPURL)
	if err != nil {
		t.Fatal(err)
	}
	m := mustRender(t, "reset-1", "Ann Smith <ann@example.org>", mail.KindPasswordReset,
		mail.Data{Name: "Ann", Link: "https://carepool.test/reset?token=abc"})
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	got := mp.WaitFor(t, 1)
	if len(got) != 1 {
		t.Fatalf("%d messages arrived, want 1", len(got))
	}
	if diff := cmp.Diff([]string{"ann@example.org"}, got[0].Recipients()); diff != "" {
		t.Errorf("recipients (-want +got):\n%s", diff)
	}
	if got[0].Subject != "Reset your Carepool password" || got[0].MessageID != "reset-1@carepool.test" {
		t.Errorf("subject %q, message id %q", got[0].Subject, got[0].MessageID)
	}
	if !strings.Contains(got[0].Text, "https://carepool.test/reset?token=abc") ||
		!strings.Contains(got[0].HTML, `href="https://carepool.test/reset?token=abc"`) {
		t.Errorf("link missing from a part:\n%s\n%s", got[0].Text, got[0].HTML)
	}
}

func TestSMTPSenderWithCredentials(t *testing.T) {
	mp := mailtest.Start(t)
	s, err := mail.NewSMTPSender(strings.Replace(mp.SMTPURL, "smtp://", "smtp://user:secret@", 1))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), mustRender(t, "k2", "bob@example.org", mail.KindPasswordChanged, mail.Data{Link: "https://x"})); err != nil {
		t.Fatal(err)
	}
	mp.WaitFor(t, 1)
}

func TestSMTPSenderReportsUnreachableServer(t *testing.T) {
	s, err := mail.NewSMTPSender("smtp://127.0.0.1:1")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), mustRender(t, "k3", "bob@example.org", mail.KindPasswordChanged, mail.Data{})); err == nil {
		t.Fatal("no error")
	}
	for _, bad := range []string{"http://x", "smtp://", "::"} {
		if _, err := mail.NewSMTPSender(bad); err == nil {
			t.Errorf("NewSMTPSender(%q): no error", bad)
		}
	}
}
