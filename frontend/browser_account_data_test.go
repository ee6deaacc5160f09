package frontend

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserCalendarFeedAndAccountDeletion runs axe-core and the 320 px check on the
// account page's calendar section, the new calendar address, the "your data" page (with
// what stands in the way, then with the deletion form and its errors) and the page after
// deletion, on the real server.
func TestBrowserCalendarFeedAndAccountDeletion(t *testing.T) {
	tb := newTab(t)
	logIn := func(email, password string) { tb.logIn(email, password) }

	// Alice has pledges in the demo pool: the page says what must happen first.
	logIn("alice@demo.carepool.test", "carepool-demo")
	tb.open("/account/data")
	tb.mark()
	tb.mustSee("main", "Download your data", "Before you can delete your account", "Withdraw from it first")
	tb.check("account-data-blocked")
	tb.submit(`form[action="/logout"] button`)

	// A newcomer gets a calendar address, then deletes their account.
	email := fmt.Sprintf("browser-delete-%d@example.org", time.Now().UnixNano())
	tb.open("/signup")
	tb.mark()
	tb.do("sign up", chromedp.SendKeys(chromedp.ID("name"), "Dee Leted"), chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), "correct horse battery"))
	tb.submit("main form button[type=submit]")
	tb.mustSee("main", "Your calendar feed is off", "A calendar feed is a private web address")
	tb.check("")

	tb.submit(`main form[action="/account/calendar-feed"] button`)
	tb.mustSee("h1", "Your calendar address")
	addr, err := chromedp.Run(tb.ctx, chromedp.Value(chromedp.ID("feed-url")))
	if err != nil || !strings.Contains(addr, "/calendar/") || !strings.HasSuffix(addr, ".ics") {
		t.Errorf("the address shown is %q (%v)", addr, err)
	}
	tb.check("calendar-feed")

	tb.open("/account")
	tb.mark()
	tb.mustSee("main", "Your calendar feed is on", "Make a new calendar address")
	tb.check("")

	tb.submit(`main a[href="/account/data"]`)
	tb.mustSee("main", "Delete your account", "6 years")
	tb.check("account-data")
	tb.submit(`main form[action="/account/data/delete"] button`)
	tb.mustSee(".govuk-error-summary", "Tick the box to confirm", "Enter your password")
	tb.check("")
	tb.do("confirm and give the password", chromedp.Click(chromedp.CSS(`label[for="confirm"]`)),
		chromedp.SendKeys(chromedp.ID("password"), "correct horse battery"))
	tb.submit(`main form[action="/account/data/delete"] button`)
	tb.mustSee("h1", "Your account has been deleted")
	tb.mustSee("header", "Log in")
	tb.check("account-deleted")
}
