package mail_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/carepool/carepool/infra/mail"
	"github.com/carepool/carepool/infra/mail/mailtest"
)

func sampleNotice() mail.Notice {
	return mail.Notice{Name: "Ann <b>", Subject: "“Art & lunch” is going ahead", Happened: "The pool <i>Art</i> is confirmed.",
		Means: "You have a place.", Todo: "Nothing to do.", LinkText: "See the pool", Link: "https://carepool.test/pools/p1",
		Unsubscribable: true}
}

func TestRenderNoticeEscapesAndKeepsOneLink(t *testing.T) {
	t.Parallel()
	subject, text, html, err := mail.RenderNotice(sampleNotice())
	if err != nil {
		t.Fatal(err)
	}
	if subject != "“Art & lunch” is going ahead" {
		t.Errorf("subject %q", subject)
	}
	for _, want := range []string{"Hello Ann <b>,", "The pool <i>Art</i> is confirmed.", "See the pool: https://carepool.test/pools/p1", "To stop emails like this one"} {
		if !strings.Contains(text, want) {
			t.Errorf("text part lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(html, "<i>Art</i>") || !strings.Contains(html, "&lt;i&gt;Art&lt;/i&gt;") {
		t.Errorf("HTML part does not escape the text:\n%s", html)
	}
	if n := strings.Count(html, "<a "); n != 1 {
		t.Errorf("HTML part has %d links, want 1", n)
	}
	n := sampleNotice()
	n.Unsubscribable = false
	if _, text, _, _ := mail.RenderNotice(n); strings.Contains(text, "To stop emails") {
		t.Errorf("a security notice says how to stop it:\n%s", text)
	}
	if _, _, _, err := mail.RenderNotice(mail.Notice{}); err == nil {
		t.Error("an empty notice rendered without error")
	}
}

func noticeMessage(t *testing.T, unsubscribe string) mail.Message {
	t.Helper()
	subject, text, html, err := mail.RenderNotice(sampleNotice())
	if err != nil {
		t.Fatal(err)
	}
	return mail.Message{Key: "notify-1", From: "Carepool <no-reply@carepool.test>", To: []string{"ann@example.org"},
		Subject: subject, Text: text, HTML: html, Unsubscribe: unsubscribe}
}

func TestMessageCarriesOneClickUnsubscribeHeaders(t *testing.T) {
	t.Parallel()
	b, err := noticeMessage(t, "https://carepool.test/unsubscribe/abc.def").Bytes()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"List-Unsubscribe: <https://carepool.test/unsubscribe/abc.def>\r\n", "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("message lacks %q", want)
		}
	}
	b, err = noticeMessage(t, "").Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "List-Unsubscribe") {
		t.Error("a message without an unsubscribe link has List-Unsubscribe headers")
	}
}

func TestMessageRefusesABadUnsubscribeLink(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"https://x/u\r\nBcc: eve@example.org", "javascript:alert(1)", "https://x/a>,<https://evil", "/unsubscribe/abc"} {
		if _, err := noticeMessage(t, bad).Bytes(); err == nil {
			t.Errorf("unsubscribe %q: no error", bad)
		}
	}
}

func TestUnsubscribeHeadersReachARealSMTPServer(t *testing.T) {
	t.Parallel()
	mp := mailtest.Start(t)
	s, err := mail.NewSMTPSender(mp.SMTPURL)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), noticeMessage(t, "https://carepool.test/unsubscribe/abc.def")); err != nil {
		t.Fatal(err)
	}
	got := mp.WaitFor(t, 1)
	want := map[string][]string{"List-Unsubscribe": {"<https://carepool.test/unsubscribe/abc.def>"},
		"List-Unsubscribe-Post": {"List-Unsubscribe=One-Click"}}
	for k, v := range want {
		if diff := cmp.Diff(v, got[0].Headers[k]); diff != "" {
			t.Errorf("header %s (-want +got):\n%s", k, diff)
		}
	}
}
