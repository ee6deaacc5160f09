package frontend

import (
	"bytes"
	"mime/quotedprintable"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserNotifications goes through the notification pages of the real server with
// axe-core on each: the demo organiser's inbox (the demo pledges told them someone
// joined), marking one read, the email settings, and a message to the demo pool; then
// carl, who is in that pool, finds the message in his inbox, and opens the unsubscribe
// link of the email it sent him (written as an .eml file: the server has no SMTP_URL).
func TestBrowserNotifications(t *testing.T) {
	tb := newTab(t)
	logIn := func(email string) { tb.logIn(email, "carepool-demo") }
	waitInbox := func(want string) {
		t.Helper()
		if !waitFor(tb.ctx, 30*time.Second, func() bool {
			tb.open("/inbox")
			return strings.Contains(tb.text("main"), want)
		}) {
			t.Fatalf("the inbox never showed %q:\n%s", want, tb.text("main"))
		}
	}
	logIn("ulo@demo.carepool.test")
	waitInbox("Someone joined")
	tb.mark()
	tb.mustSee("main", "Your notifications", "unread", "Someone pledged to the pool you organise")
	tb.check("")
	tb.submit(`main form[action$="/read"] button`)
	tb.mustSee("h1", "Your notifications")

	// The account settings page for the address, with its errors first.
	tb.open("/account/email")
	tb.mark()
	tb.check("")
	tb.submit("main form button[type=submit]")
	tb.mustSee(".govuk-error-summary", "Enter your new email address")
	tb.check("")
	tb.open("/account/password")
	tb.mark()
	tb.check("")

	tb.open("/account/notifications")
	tb.mark()
	tb.mustSee("main", "Email settings", "Tell me when someone joins a pool I organise", "Always sent by email")
	tb.check("")
	tb.do("choose email for joins", chromedp.Click(chromedp.CSS(`label[for="channel-member-joined"]`)))
	tb.submit("main form button[type=submit]")
	tb.mustSee("main", "Your email settings have been saved.")
	tb.check("")

	// The demo pool, from the notification's link, and a message to everyone in it.
	waitInbox("Someone joined")
	tb.mark()
	tb.follow("open the pool", chromedp.Click(chromedp.CSS(`main a[href^="/pools/"]`)))
	if !strings.Contains(tb.location(), "/pools/") {
		t.Fatalf("the pool did not open: %s", tb.location())
	}
	messages := strings.TrimPrefix(tb.location(), tb.base) + "/messages"
	tb.open(messages)
	tb.mark()
	tb.mustSee("h1", "Messages from the organisers")
	tb.check("")
	tb.submit("main form button[type=submit]")
	tb.mustSee(".govuk-error-summary", "Write the message")
	tb.check("")
	tb.do("write", chromedp.SendKeys(chromedp.ID("body"), "Please bring an apron on Friday."))
	tb.submit("main form button[type=submit]")
	tb.mustSee("main", "Your message has been sent", "Please bring an apron on Friday.")
	tb.submit(`form[action="/logout"] button`)

	logIn("carl@demo.carepool.test")
	waitInbox("A message from the organisers")
	tb.check("")
	tb.open(messages)
	tb.mustSee("main", "Please bring an apron on Friday.")
	tb.check("")

	// The email it sent carl, and its unsubscribe link.
	link := unsubscribeLinkInMail(t, sharedServer(t), "carl@demo.carepool.test", "sent a message to everyone in it")
	tb.open(strings.TrimPrefix(link, tb.base))
	tb.mark()
	tb.mustSee("main", "Stop these emails?", "the organisers of my pool send a message")
	tb.check("")
	tb.submit("main form button[type=submit]")
	tb.mustSee("main", "You will not get these emails any more")
	tb.check("")
}

var listUnsubscribe = regexp.MustCompile(`(?m)^List-Unsubscribe: <([^>]+)>`)

// unsubscribeLinkInMail finds, among the .eml files the server wrote, the email to an
// address that says something, and returns its List-Unsubscribe link.
func unsubscribeLinkInMail(t *testing.T, srv *realServer, to, says string) string {
	t.Helper()
	var link string
	found := waitFor(t.Context(), 30*time.Second, func() bool {
		files, _ := filepath.Glob(filepath.Join(srv.dir, "data", "mail", "notify-*.eml"))
		for _, f := range files {
			raw, err := os.ReadFile(f)
			if err != nil || !bytes.Contains(raw, []byte("<"+to+">")) {
				continue
			}
			text, _ := readAllQP(raw)
			if m := listUnsubscribe.FindSubmatch(raw); m != nil && strings.Contains(text, says) {
				link = string(m[1])
				return true
			}
		}
		return false
	})
	if !found {
		t.Fatalf("no email to %s saying %q with an unsubscribe link", to, says)
	}
	return link
}

// readAllQP decodes a message's quoted-printable body enough to search its text.
func readAllQP(raw []byte) (string, error) {
	var b bytes.Buffer
	_, err := b.ReadFrom(quotedprintable.NewReader(bytes.NewReader(raw)))
	return b.String(), err
}
