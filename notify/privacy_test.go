package notify_test

import (
	"context"
	"testing"

	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/notify"
	"github.com/carepool/carepool/pooling"
)

func TestExportAndEraseWhatIsKeptAboutAPerson(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	uma, other := w.user("uma", true), w.user("other", true)
	p := w.newPool(uma, w.org(account.KindUserLedOrganisation, uma, nil), "", pooling.StatusOpen)
	m, err := w.svc.PostMessage(w.as(uma), p.ID, notify.MessageInput{Body: "Meet at the side door, I use a wheelchair."})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.SetPreferences(w.as(uma), 0, notify.PreferencesInput{Channels: map[notify.Kind]notify.Channel{notify.KindInvited: notify.ChannelOff}}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.notes.Deliver(w.ctx, notify.Delivery{Notifications: []notify.Notification{
		{ID: "n-uma", UserID: uma, Kind: notify.KindMemberJoined, Ref: "a", CreatedAt: w.now},
		{ID: "n-other", UserID: other, Kind: notify.KindMemberJoined, Ref: "a", CreatedAt: w.now}}}); err != nil {
		t.Fatal(err)
	}
	export := func(who string) notify.PersonalData {
		t.Helper()
		d, err := w.svc.ExportPersonalData(w.ctx, who)
		if err != nil {
			t.Fatal(err)
		}
		return d.(notify.PersonalData)
	}
	d := export(uma)
	if len(d.Notifications) != 1 || d.Preferences[notify.KindInvited] != notify.ChannelOff || len(d.Messages) != 1 || d.Messages[0].ID != m.ID {
		t.Fatalf("export = %+v", d)
	}
	for range 2 { // deletion may run more than once (MongoDB retries transactions)
		if err := w.db.Tx(w.ctx, func(ctx context.Context) error { return w.svc.ErasePersonalData(ctx, uma) }); err != nil {
			t.Fatal(err)
		}
	}
	if d := export(uma); len(d.Notifications)+len(d.Preferences)+len(d.Messages) != 0 {
		t.Errorf("after erasure: %+v", d)
	}
	ms, err := w.svc.PoolMessages(w.as(uma), p.ID)
	if err != nil || len(ms) != 1 || ms[0].Body != notify.RemovedMessage {
		t.Errorf("the pool's messages after erasure: %+v, %v", ms, err)
	}
	if d := export(other); len(d.Notifications) != 1 {
		t.Errorf("someone else's inbox after erasure: %+v", d)
	}
}
