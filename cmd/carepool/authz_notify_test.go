package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/carepool/carepool/infra/store"
	"github.com/carepool/carepool/notify"
)

func TestAuthzNotifications(t *testing.T) {
	t.Parallel()
	f := newAuthzFixture(t)
	f.poolFixture(t)
	runAuthzMatrix(t, f, authzNotifyRows())
}

// aliceNotification writes one notification to alice's inbox, as the worker would.
func (f *authzFixture) aliceNotification(t testing.TB) string {
	t.Helper()
	id := fmt.Sprintf("n-matrix-%d", f.next())
	_, err := store.NewNotify(f.m.DB).Deliver(context.Background(), notify.Delivery{Notifications: []notify.Notification{{
		ID: id, UserID: f.roles["alice"].userID, Kind: notify.KindPledgeApproved, Ref: "pledge:" + f.vars["alicePledge"] + ":approved",
		Title: "Your pledge is approved", Body: "It counts now.", Link: "/pledges/" + f.vars["alicePledge"], CreatedAt: time.Now()}}})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// authzNotifyRows are the routes of the inbox, notification preferences, invitations,
// pool messages and failed notifications, with the pooling columns (authzPoolRoles).
// The pools are the ULO's: ulo organises them, prov provides them, alice has a pledge in
// the open one; nobody else has any part in them.
func authzNotifyRows() []authzRow {
	aliceNote := func(t testing.TB, f *authzFixture) { f.vars["note"] = f.aliceNotification(t) }
	invitee := func(t testing.TB, f *authzFixture, _ *authzRole) any {
		return notify.InvitationInput{Emails: []string{fmt.Sprintf("matrix-invitee-%d@example.org", f.next())}}
	}
	onlyOwn := func(t testing.TB, f *authzFixture, r *authzRole, body []byte) {
		for key, other := range f.roles {
			if key != r.key && other.userID != "" && strings.Contains(string(body), other.userID) {
				t.Errorf("%s's inbox shows %s's user id: %.300s", r.key, key, body)
			}
		}
	}
	rows := []authzRow{
		{route: "GET /api/v1/me/notifications", target: "own inbox", path: "/api/v1/me/notifications", want: authzPoolUsersOK, check: onlyOwn},
		{route: "POST /api/v1/me/notifications/:id/read", target: "alice's", path: "/api/v1/me/notifications/{note}/read",
			want: "401 204 404 404 404 404 404 404 404 404", setup: aliceNote},
		{route: "POST /api/v1/me/notifications/read-all", target: "own inbox", path: "/api/v1/me/notifications/read-all", want: authzPoolUsersOK},
		{route: "GET /api/v1/me/notification-preferences", target: "own", path: "/api/v1/me/notification-preferences", want: authzPoolUsersOK},
		{route: "PUT /api/v1/me/notification-preferences", target: "own, first change", path: "/api/v1/me/notification-preferences", want: authzPoolUsersOK,
			header: func(testing.TB, *authzFixture) []string { return []string{"If-Match", `"v0"`} },
			body:   authzConst(notify.PreferencesInput{Channels: map[notify.Kind]notify.Channel{notify.KindMemberJoined: notify.ChannelEmail}})},
		{route: "POST /api/v1/pools/:id/invitations", target: "open public", path: "/api/v1/pools/{openPool}/invitations",
			want: "401 403 403 403 202 403 403 403 403 403", body: invitee},
		{route: "POST /api/v1/pools/:id/invitations", target: "invite-only", path: "/api/v1/pools/{invitePool}/invitations",
			want: "401 404 404 404 202 403 404 404 404 403", body: invitee},
		{route: "GET /api/v1/pools/:id/messages", target: "open with alice's pledge", path: "/api/v1/pools/{openPool}/messages",
			want: "401 200 403 403 200 403 403 403 403 200"},
		{route: "GET /api/v1/pools/:id/messages", target: "invite-only", path: "/api/v1/pools/{invitePool}/messages",
			want: "401 404 404 404 200 403 404 404 404 200"},
		{route: "POST /api/v1/pools/:id/messages", target: "open public", path: "/api/v1/pools/{openPool}/messages",
			want: "401 403 403 403 201 403 403 403 403 403", body: authzConst(notify.MessageInput{Body: "Matrix message"})},
		{route: "POST /api/v1/pools/:id/messages", target: "draft", path: "/api/v1/pools/{draftPool}/messages",
			want: "401 404 404 404 409 403 404 404 404 403", body: authzConst(notify.MessageInput{Body: "Matrix message"})},
		{route: "GET /api/v1/admin/notify-failures", target: "all", path: "/api/v1/admin/notify-failures",
			want: "401 403 403 403 403 403 403 403 403 200"},
	}
	for i := range rows {
		rows[i].roles = authzPoolRoles
	}
	return rows
}
