package notify_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.mongodb.org/mongo-driver/bson"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/infra/store"
	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/notify"
	"github.com/carepool/carepool/pooling"
)

func fieldsOf(t *testing.T, err error) []string {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok || e.Kind != apperr.Invalid {
		t.Fatalf("want a validation error, got %v", err)
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field)
	}
	return out
}

func TestInvitationsReachAddressesWithoutTellingWhoHasAnAccount(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	uma := w.user("uma", true)
	ulo := w.org(account.KindUserLedOrganisation, uma, nil)
	p := w.newPool(uma, ulo, "", pooling.StatusOpen)
	known := w.user("known", true)
	out := w.db.NewNotifyOutbox("test")

	_, err := w.svc.Invite(w.as(uma), p.ID, notify.InvitationInput{Emails: []string{"new@example.org", "not an address", "x@nodot"}})
	if diff := cmp.Diff([]string{"emails[1]", "emails[2]"}, fieldsOf(t, err)); diff != "" {
		t.Errorf("fields at fault (-want +got):\n%s", diff)
	}
	res, err := w.svc.Invite(w.as(uma), p.ID, notify.InvitationInput{Emails: []string{"New@Example.org ", w.emails[known], "new@example.org"}})
	if err != nil || res.Invited != 2 {
		t.Fatalf("invite = %+v, %v", res, err)
	}
	if _, err := w.svc.Drain(w.ctx, out); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(sorted("new@example.org", w.emails[known]), w.mailedTo(notify.KindInvited)); diff != "" {
		t.Errorf("invitation emails (-want +got):\n%s", diff)
	}
	if got := w.count("notifications", bson.M{"kind": "invited"}); got != 1 {
		t.Errorf("%d invitations in inboxes, want 1 (the account's)", got)
	}
	var m store.Mail
	if err := w.db.Collection("mail").FindOne(w.ctx, bson.M{"to": "new@example.org"}).Decode(&m); err != nil {
		t.Fatal(err)
	}
	if m.Path != "/pools/"+p.ID || m.Notice.Unsubscribe == "" || m.UserID != "" {
		t.Errorf("invitation to an address: path %q, unsubscribe %q, user %q", m.Path, m.Notice.Unsubscribe, m.UserID)
	}

	// The same answer again, and nothing sent twice.
	again, err := w.svc.Invite(w.as(uma), p.ID, notify.InvitationInput{Emails: []string{w.emails[known], "new@example.org"}})
	if err != nil || again != res {
		t.Fatalf("invite again = %+v, %v", again, err)
	}
	if rep, _ := w.svc.Drain(w.ctx, out); rep.Emails != 0 {
		t.Errorf("inviting again sent %d emails", rep.Emails)
	}

	// An address that unsubscribed gets no more invitations, from any pool.
	token, _ := strings.CutPrefix(m.Notice.Unsubscribe, "/unsubscribe/")
	if v, err := w.svc.Unsubscribe(w.ctx, token); err != nil || v.Account {
		t.Fatalf("unsubscribe = %+v, %v", v, err)
	}
	p2 := w.newPool(uma, ulo, "", pooling.StatusOpen)
	if _, err := w.svc.Invite(w.as(uma), p2.ID, notify.InvitationInput{Emails: []string{"new@example.org"}}); err != nil {
		t.Fatal(err)
	}
	if rep, _ := w.svc.Drain(w.ctx, out); rep.Emails != 0 {
		t.Errorf("an unsubscribed address was invited again: %d emails", rep.Emails)
	}

	// The daily limit (5 in this world: 3 sent so far).
	_, err = w.svc.Invite(w.as(uma), p2.ID, notify.InvitationInput{Emails: []string{"a@example.org", "b@example.org", "c@example.org"}})
	if e, ok := apperr.As(err); !ok || e.Kind != apperr.RateLimited {
		t.Errorf("over the limit: %v", err)
	}
}

func TestOnlyOrganisersInviteAndOnlyToAPoolTakingPledges(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	uma, member, stranger := w.user("uma", true), w.user("member", true), w.user("stranger", true)
	ulo := w.org(account.KindUserLedOrganisation, uma, nil)
	open := w.newPool(uma, ulo, "", pooling.StatusOpen)
	w.pledge(open, member, member, marketplace.DirectPayment, "", pooling.PledgePledged)
	closed := w.newPool(uma, ulo, "", pooling.StatusFailed)
	in := notify.InvitationInput{Emails: []string{"someone@example.org"}}
	tests := []struct {
		name string
		who  string
		pool string
		want apperr.Kind
	}{
		{"a member", member, open.ID, apperr.Forbidden},
		{"a stranger", stranger, open.ID, apperr.Forbidden},
		{"nobody logged in", "", open.ID, apperr.Unauthenticated},
		{"a closed pool", uma, closed.ID, apperr.Conflict},
		{"no such pool", uma, "00000000-0000-4000-8000-000000000000", apperr.NotFound},
	}
	for _, tt := range tests {
		ctx := w.ctx
		if tt.who != "" {
			ctx = w.as(tt.who)
		}
		if _, err := w.svc.Invite(ctx, tt.pool, in); apperr.KindOf(err) != tt.want {
			t.Errorf("%s: %v, want kind %d", tt.name, err, tt.want)
		}
	}
	if n := w.count("pool_invitations", bson.M{}); n != 0 {
		t.Errorf("refused invitations stored %d", n)
	}
}

func TestInboxPagesNewestFirstAndMarksRead(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	me, other := w.user("me", true), w.user("other", true)
	var ns []notify.Notification
	for i := range 25 {
		ns = append(ns, notify.Notification{ID: fmt.Sprintf("n-%02d", i), UserID: me, Kind: notify.KindMemberJoined,
			Ref: fmt.Sprintf("pledge:p%d:joined", i), Title: "t", Body: "b", Link: "/x", CreatedAt: w.now.Add(time.Duration(i/2) * time.Minute)})
	}
	ns = append(ns, notify.Notification{ID: "n-other", UserID: other, Kind: notify.KindMemberJoined, Ref: "x", CreatedAt: w.now})
	if _, err := w.notes.Deliver(w.ctx, notify.Delivery{Notifications: ns}); err != nil {
		t.Fatal(err)
	}
	var seen []string
	cursor := ""
	for page := 0; ; page++ {
		p, err := w.svc.Inbox(w.as(me), cursor, 10)
		if err != nil {
			t.Fatal(err)
		}
		if p.Unread != 25 {
			t.Errorf("page %d: unread %d", page, p.Unread)
		}
		for _, n := range p.Items {
			seen = append(seen, n.ID)
		}
		if cursor = p.NextCursor; cursor == "" {
			break
		}
	}
	var want []string
	for i := 24; i >= 0; i-- { // newest first; the same minute by id, highest first
		want = append(want, fmt.Sprintf("n-%02d", i))
	}
	if diff := cmp.Diff(want, seen); diff != "" {
		t.Errorf("pages (-want +got):\n%s", diff)
	}
	if err := w.svc.MarkRead(w.as(other), "n-03"); apperr.KindOf(err) != apperr.NotFound {
		t.Errorf("marking someone else's read: %v", err)
	}
	for range 2 {
		if err := w.svc.MarkRead(w.as(me), "n-03"); err != nil {
			t.Fatal(err)
		}
	}
	if n, _ := w.svc.UnreadCount(w.as(me)); n != 24 {
		t.Errorf("unread after one read: %d", n)
	}
	if n, err := w.svc.MarkAllRead(w.as(me)); err != nil || n != 24 {
		t.Errorf("mark all read = %d, %v", n, err)
	}
	if n, _ := w.svc.UnreadCount(w.as(other)); n != 1 {
		t.Errorf("marking mine read touched someone else's: unread %d", n)
	}
	if _, err := w.svc.Inbox(w.as(me), "bm90LWEtY3Vyc29y", 10); apperr.KindOf(err) != apperr.Invalid {
		t.Errorf("a made-up cursor: %v", err)
	}
}

func TestPoolMessagesFromOrganisersToMembers(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	uma, member, stranger, left := w.user("uma", true), w.user("member", true), w.user("stranger", true), w.user("left", true)
	ulo := w.org(account.KindUserLedOrganisation, uma, nil)
	p := w.newPool(uma, ulo, "", pooling.StatusOpen)
	w.pledge(p, member, member, marketplace.DirectPayment, "", pooling.PledgePledged)
	w.pledge(p, left, left, marketplace.DirectPayment, "", pooling.PledgeWithdrawn)

	for body, want := range map[string]string{"   ": "body", strings.Repeat("x", notify.MaxMessageLength+1): "body", "bell\a": "body"} {
		if diff := cmp.Diff([]string{want}, fieldsOf(t, must2(w.svc.PostMessage(w.as(uma), p.ID, notify.MessageInput{Body: body})))); diff != "" {
			t.Errorf("%q: %s", body, diff)
		}
	}
	if _, err := w.svc.PostMessage(w.as(member), p.ID, notify.MessageInput{Body: "hi"}); apperr.KindOf(err) != apperr.Forbidden {
		t.Errorf("a member posting: %v", err)
	}
	m, err := w.svc.PostMessage(w.as(uma), p.ID, notify.MessageInput{Body: "  Bring an apron.\r\nSee you Friday!  "})
	if err != nil || m.Body != "Bring an apron.\nSee you Friday!" {
		t.Fatalf("post = %+v, %v", m, err)
	}
	for who, want := range map[string]apperr.Kind{uma: 0, member: 0, stranger: apperr.Forbidden, left: apperr.Forbidden} {
		ms, err := w.svc.PoolMessages(w.as(who), p.ID)
		if apperr.KindOf(err) != want && !(want == 0 && err == nil) {
			t.Errorf("reading as %s: %v", who, err)
		}
		if err == nil && (len(ms) != 1 || ms[0].Body != m.Body) {
			t.Errorf("messages: %+v", ms)
		}
	}
	if _, err := w.svc.Drain(w.ctx, w.db.NewNotifyOutbox("test")); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(sorted(member), w.recipients("message:"+m.ID)); diff != "" {
		t.Errorf("told (-want +got):\n%s", diff)
	}
	var mail store.Mail
	if err := w.db.Collection("mail").FindOne(w.ctx, bson.M{"kind": "notify:pool-message"}).Decode(&mail); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(fmt.Sprintf("%+v", *mail.Notice), "apron") {
		t.Errorf("the organisers' words were emailed: %+v", *mail.Notice)
	}
}

func must2[T any](_ T, err error) error { return err }
