package frontend

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/carepool/carepool/infra/store"
	"github.com/carepool/carepool/notify"
	"github.com/carepool/carepool/pooling"
)

// sampleNotifyPages is one populated struct per notification page, for
// TestEveryPageTemplateRenders.
func sampleNotifyPages() []page {
	base := func(title string) Base {
		return Base{Title: title, User: &NavUser{Name: "Alice Walker"}, CSRF: "token", Path: "/inbox", Notice: "Saved."}
	}
	withErrors := func(b Base, errs ...FieldError) Base { b.Errors = errs; return b }
	v := notify.PreferencesView{Version: 2}
	for _, k := range notify.Kinds() {
		security := k == notify.KindChargeFailed || k == notify.KindPaymentNeedsApproval
		v.Items = append(v.Items, notify.PreferenceView{Kind: k, Label: "something happens", Who: "Everyone", Security: security, Channel: notify.ChannelEmail})
	}
	prefs := preferencesPage(v, map[notify.Kind]notify.Channel{notify.KindInvited: notify.ChannelOff})
	prefs.Base = withErrors(base("Email settings"), FieldError{ID: "channel-invited", Message: "Choose how to hear about this"})
	item := inboxItem(notify.Notification{ID: "n-1", Title: "“Friday art” is going ahead", Body: "It is confirmed. You have a place.\n\nThe reason given: x",
		Link: "/pools/p1", CreatedAt: time.Date(2026, 12, 1, 10, 30, 0, 0, time.UTC)})
	read := item
	read.ID, read.Unread = "n-2", false
	return []page{
		&InboxPage{Base: base("Your notifications"), Items: []InboxItem{item, read}, Unread: 1, NextURL: "/inbox?from=x"},
		&InboxPage{Base: base("Your notifications")},
		prefs,
		&PoolMessagesPage{Base: withErrors(base("Messages about Friday art"), FieldError{ID: "body", Message: "Write the message"}),
			Pool: Link{URL: "/pools/p1", Label: "Friday art"}, Organiser: true, Action: "/pools/p1/messages", Body: "x",
			Messages: []MessageView{{When: "1 December 2026", Lines: []string{"Bring an apron.", "See you!"}}}},
		&PoolMessagesPage{Base: base("Messages about Friday art"), Pool: Link{URL: "/pools/p1", Label: "Friday art"}},
		&UnsubscribePage{Base: Base{Title: "Stop these emails?"}, Label: "a pool is confirmed", Account: true, Action: "/unsubscribe/t"},
		&UnsubscribePage{Base: Base{Title: "Stop these emails?"}, Label: "I am invited to join a pool", Action: "/unsubscribe/t"},
		&UnsubscribePage{Base: Base{Title: "You will not get these emails any more"}, Label: "a pool is confirmed", Account: true, Done: true},
	}
}

// notifyApp is the pages with the pooling and notify services on one store.
type notifyApp struct {
	*testApp
	pools  *pooling.Service
	notify *notify.Service
	notes  *store.Notify
}

func newNotifyTestApp(t *testing.T) *notifyApp {
	t.Helper()
	a := newTestServices(t)
	pools := pooling.NewService(store.NewPooling(a.db), a.market, store.NewDirectory(a.db), a.accounts, pooling.Config{Instance: "test"})
	n := &notifyApp{testApp: a, pools: pools, notes: store.NewNotify(a.db)}
	var err error
	n.notify, err = notify.NewService(notify.Deps{Store: n.notes, Pools: store.NewPooling(a.db), Access: pools,
		People: store.NewAccounts(a.db)}, notify.Config{})
	if err != nil {
		t.Fatal(err)
	}
	a.serve(Config{Accounts: a.accounts, Market: a.market, Pools: pools, Notify: n.notify, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	return n
}

// userID returns the id of the account with an email.
func (n *notifyApp) userID(email string) string {
	n.t.Helper()
	u, err := store.NewAccounts(n.db).UserByEmail(context.Background(), email)
	if err != nil {
		n.t.Fatal(err)
	}
	return u.ID
}

func TestInboxPageListsNotificationsAndMarksThemRead(t *testing.T) {
	t.Parallel()
	n := newNotifyTestApp(t)
	aliceEmail, _ := n.user("Alice Walker")
	bobEmail, _ := n.user("Bob Other")
	alice := n.userID(aliceEmail)
	if _, err := n.notes.Deliver(context.Background(), notify.Delivery{Notifications: []notify.Notification{
		{ID: "n-a1", UserID: alice, Kind: notify.KindPoolConfirmed, Ref: "pool:p1:confirmed", Title: "“Friday art” is going ahead",
			Body: "It is confirmed.\n\nThe reason given: <script>", Link: "/pools/p1", CreatedAt: time.Now()},
		{ID: "n-a2", UserID: alice, Kind: notify.KindInvited, Ref: "invitation:i1", Title: "You are invited", Body: "Join us.",
			Link: "https://evil.example/", CreatedAt: time.Now().Add(-time.Hour)}}}); err != nil {
		t.Fatal(err)
	}
	b := n.browser()
	resp, _ := b.get("/inbox")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login?next=%2Finbox") {
		t.Errorf("anonymous: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	b.logIn(aliceEmail)
	resp, body := b.get("/inbox")
	mustStatus(t, resp, body, http.StatusOK)
	mustContain(t, body, "2 unread", "“Friday art” is going ahead", `href="/pools/p1"`, "The reason given: &lt;script&gt;")
	if strings.Contains(body, "evil.example") {
		t.Error("a link off the site is shown")
	}
	resp, body = b.post("/inbox/n-a1/read", nil)
	mustStatus(t, resp, body, http.StatusSeeOther)
	_, body = b.get("/inbox")
	mustContain(t, body, "1 unread")

	other := n.browser()
	other.logIn(bobEmail)
	other.get("/inbox")
	resp, body = other.post("/inbox/n-a2/read", nil)
	mustStatus(t, resp, body, http.StatusNotFound)
	resp, body = b.post("/inbox/read-all", nil)
	mustStatus(t, resp, body, http.StatusSeeOther)
	_, body = b.get(resp.Header.Get("Location"))
	mustContain(t, body, "Your notifications are marked as read.")
	if strings.Contains(body, "unread") {
		t.Error("still unread after marking all read")
	}
}

func TestEmailSettingsFormSavesChoicesButNotSecurityMessages(t *testing.T) {
	t.Parallel()
	n := newNotifyTestApp(t)
	email, secret := n.user("Alice Walker")
	b := n.browser()
	b.logIn(email)
	resp, body := b.get("/account/notifications")
	mustStatus(t, resp, body, http.StatusOK)
	mustContain(t, body, "Tell me when a pool is confirmed and going ahead", "Always sent by email", `name="version" value="0"`)
	if strings.Contains(body, `name="channel-charge-failed"`) {
		t.Error("a security message can be chosen on the form")
	}
	resp, body = b.post("/account/notifications", url.Values{"version": {"0"}, "channel-pool-confirmed": {"inbox"}, "channel-invited": {"off"}})
	mustStatus(t, resp, body, http.StatusSeeOther)
	v, err := n.notify.Preferences(n.as(secret))
	if err != nil {
		t.Fatal(err)
	}
	got := map[notify.Kind]notify.Channel{}
	for _, item := range v.Items {
		got[item.Kind] = item.Channel
	}
	if got[notify.KindPoolConfirmed] != notify.ChannelInbox || got[notify.KindInvited] != notify.ChannelOff || got[notify.KindPoolFailed] != notify.ChannelEmail {
		t.Errorf("saved: %v", got)
	}
	// A tampered form cannot turn off a security message; a stale one is refused.
	b.get("/account/notifications")
	resp, body = b.post("/account/notifications", url.Values{"version": {"1"}, "channel-charge-failed": {"off"}})
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	mustContain(t, body, "There is a problem", "security message")
	resp, body = b.post("/account/notifications", url.Values{"version": {"0"}, "channel-pool-confirmed": {"email"}})
	mustStatus(t, resp, body, http.StatusPreconditionFailed)
}

func TestPoolMessagesPageForOrganisersAndMembers(t *testing.T) {
	t.Parallel()
	n := newNotifyTestApp(t)
	orgID, ownerEmail, owner := n.provider("Headingley Arts Group")
	offer := n.offer(owner, orgID, sampleOffer("Friday art and lunch"), true)
	day := time.Now().UTC().Truncate(24 * time.Hour)
	pool, err := n.pools.ProposePool(owner, pooling.PoolInput{OfferID: offer.ID, OrganiserOrgID: orgID, Title: "Friday art for Headingley",
		Visibility: pooling.Public, Deadline: day.AddDate(0, 0, 21), Schedule: pooling.Schedule{FirstSession: day.AddDate(0, 0, 28), Sessions: 1}})
	if err == nil {
		pool, err = n.pools.OpenPool(owner, pool.ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	memberEmail, secret := n.user("Alice Walker")
	budget, err := n.pools.AddBudget(n.as(secret), pooling.BudgetInput{Form: "direct_payment", ActualPence: 100_000})
	if err == nil {
		_, err = n.pools.Pledge(n.as(secret), pool.ID, pooling.PledgeInput{BudgetID: budget.ID, LimitPence: 12_000}, "k1")
	}
	if err != nil {
		t.Fatal(err)
	}
	strangerEmail, _ := n.user("Stella Stranger")
	path := "/pools/" + pool.ID + "/messages"

	org := n.browser()
	org.logIn(ownerEmail)
	_, body := org.get(path)
	mustContain(t, body, "Write to everyone in the pool", "have not sent any messages yet")
	resp, body := org.post(path, url.Values{"body": {"   "}})
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	mustContain(t, body, "There is a problem", `href="#body"`)
	resp, body = org.post(path, url.Values{"body": {"Bring an apron.\nSee you Friday!"}})
	mustStatus(t, resp, body, http.StatusSeeOther)

	member := n.browser()
	member.logIn(memberEmail)
	resp, body = member.get(path)
	mustStatus(t, resp, body, http.StatusOK)
	mustContain(t, body, "<p class=\"govuk-body\">Bring an apron.</p>", "See you Friday!")
	if strings.Contains(body, "Write to everyone") {
		t.Error("a member is offered the organisers' form")
	}
	member.get(path)
	resp, body = member.post(path, url.Values{"body": {"Me too"}})
	mustStatus(t, resp, body, http.StatusForbidden)

	stranger := n.browser()
	stranger.logIn(strangerEmail)
	resp, body = stranger.get(path)
	mustStatus(t, resp, body, http.StatusForbidden)

	// Organisers invite people by email from the same page; members cannot.
	invite := "/pools/" + pool.ID + "/invitations"
	org.get(path)
	resp, body = org.post(invite, url.Values{"emails": {"not an address"}})
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	mustContain(t, body, "There is a problem", `href="#emails"`, "not an address")
	resp, body = org.post(invite, url.Values{"emails": {"friend@example.org\nneighbour@example.org"}})
	mustStatus(t, resp, body, http.StatusSeeOther)
	_, body = org.get(resp.Header.Get("Location"))
	mustContain(t, body, "The invitations are on their way")
	member.get(path)
	resp, body = member.post(invite, url.Values{"emails": {"friend@example.org"}})
	mustStatus(t, resp, body, http.StatusForbidden)
}

func TestUnsubscribeLinkChangesNothingUntilPosted(t *testing.T) {
	t.Parallel()
	n := newNotifyTestApp(t)
	email, secret := n.user("Alice Walker")
	alice := n.userID(email)
	// An email of a pool event to alice, made as the worker makes it.
	ref := "pool:00000000-0000-4000-8000-000000000001:confirmed"
	if _, err := n.db.Collection("pools").InsertOne(context.Background(), pooling.Pool{ID: "00000000-0000-4000-8000-000000000001",
		Title: "Friday art", Status: pooling.StatusConfirmed, Organiser: pooling.Organiser{UserID: alice},
		History: []pooling.Transition{{To: pooling.StatusConfirmed, At: time.Now().UTC().Truncate(time.Millisecond)}}}); err != nil {
		t.Fatal(err)
	}
	if err := store.NewAccounts(n.db).MarkEmailVerified(context.Background(), alice, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := n.notify.Deliver(context.Background(), ref); err != nil {
		t.Fatal(err)
	}
	var m store.Mail
	if err := n.db.Collection("mail").FindOne(context.Background(), bson.M{"user_id": alice, "kind": "notify:pool-confirmed"}).Decode(&m); err != nil {
		t.Fatal(err)
	}
	path := m.Notice.Unsubscribe
	channel := func() notify.Channel {
		v, err := n.notify.Preferences(n.as(secret))
		if err != nil {
			t.Fatal(err)
		}
		for _, item := range v.Items {
			if item.Kind == notify.KindPoolConfirmed {
				return item.Channel
			}
		}
		return ""
	}

	b := n.browser() // not logged in: the link needs no log-in
	resp, body := b.get(path)
	mustStatus(t, resp, body, http.StatusOK)
	mustContain(t, body, "Stop these emails?", "a pool is confirmed and going ahead", `action="`+path+`"`)
	if channel() != notify.ChannelEmail {
		t.Fatal("opening the link changed the settings")
	}
	// A mail program's one-click unsubscribe: no cookie, no form token, another origin.
	req, _ := http.NewRequest(http.MethodPost, n.url+path, strings.NewReader("List-Unsubscribe=One-Click"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://mail.example")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || channel() != notify.ChannelInbox {
		t.Errorf("one-click unsubscribe: %d, channel %s", resp.StatusCode, channel())
	}
	resp, body = b.post(path+"x", nil)
	mustStatus(t, resp, body, http.StatusNotFound)
}
