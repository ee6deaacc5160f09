package notify_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.mongodb.org/mongo-driver/bson"

	"github.com/carepool/carepool/infra/store"
	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/notify"
	"github.com/carepool/carepool/pooling"
)

// confirmedWorld is a confirmed pool organised by one person, with n members who each
// pledged for themselves.
func confirmedWorld(t testing.TB, n int) (*world, pooling.Pool, []string) {
	w := newWorld(t)
	organiser, provider := w.user("org", true), w.user("prov", true)
	p := w.newPool(organiser, "", w.org(account.KindCommunityGroup, provider, nil), pooling.StatusConfirmed)
	var members []string
	for range n {
		m := w.user("member", true)
		w.pledge(p, m, m, marketplace.DirectPayment, "", pooling.PledgeConfirmed)
		members = append(members, m)
	}
	return w, p, append(members, organiser, provider)
}

func (w *world) count(coll string, filter bson.M) int64 {
	w.t.Helper()
	n, err := w.db.Collection(coll).CountDocuments(w.ctx, filter)
	if err != nil {
		w.t.Fatal(err)
	}
	return n
}

func TestDeliveringTwiceWritesEverythingOnce(t *testing.T) {
	t.Parallel()
	w, p, people := confirmedWorld(t, 3)
	ref := "pool:" + p.ID + ":confirmed"
	first := w.deliver(ref)
	if want := (notify.Delivered{Notifications: len(people), Emails: len(people)}); first != want {
		t.Fatalf("first delivery %+v, want %+v", first, want)
	}
	if again := w.deliver(ref); again != (notify.Delivered{}) {
		t.Errorf("second delivery wrote %+v", again)
	}
	if n := w.count("notifications", bson.M{"ref": ref}); n != int64(len(people)) {
		t.Errorf("%d notifications, want %d", n, len(people))
	}
	if n := w.count("mail", bson.M{"kind": "notify:pool-confirmed"}); n != int64(len(people)) {
		t.Errorf("%d emails, want %d", n, len(people))
	}
	if n := w.count("outbox", bson.M{"topic": store.MailTopic}); n != int64(len(people)) {
		t.Errorf("%d send tasks, want %d", n, len(people))
	}
}

func TestServerCopiesDeliveringAtOnceWriteEverythingOnce(t *testing.T) {
	t.Parallel()
	w, p, people := confirmedWorld(t, 6)
	// Several copies delivering the same event at once (a lease that ran out)...
	ref := "pool:" + p.ID + ":confirmed"
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, err := w.svc.Deliver(w.ctx, ref); err != nil && !store.IsDuplicateKey(err) {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	// ...and two workers draining the outbox at once.
	refs := []string{notify.SessionRef(p.ID, 0, "reminder"), notify.SessionRef(p.ID, 1, "reminder")}
	for _, r := range refs {
		for range 3 { // the same task recorded three times, too
			if err := w.pools.Enqueue(w.ctx, store.NotifyTopic, r); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, owner := range []string{"copy-a", "copy-b"} {
		wg.Go(func() {
			if _, err := w.svc.Drain(w.ctx, w.db.NewNotifyOutbox(owner)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	members := int64(len(people) - 2)
	for _, tt := range []struct {
		ref  string
		want int64
	}{{ref, int64(len(people))}, {refs[0], members}, {refs[1], members}} {
		if n := w.count("notifications", bson.M{"ref": tt.ref}); n != tt.want {
			t.Errorf("%s: %d notifications, want %d", tt.ref, n, tt.want)
		}
	}
	if n := w.count("mail", bson.M{"kind": "notify:session-reminder"}); n != 2*members {
		t.Errorf("%d reminder emails, want %d", n, 2*members)
	}
	if n := w.count("outbox", bson.M{"topic": store.NotifyTopic}); n != 0 {
		t.Errorf("%d notify tasks left", n)
	}
}

func TestPreferencesAndProvedAddressesDecideTheChannels(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	organiser := w.user("org", true)
	p := w.newPool(organiser, "", "", pooling.StatusConfirmed)
	byDefault, inboxOnly, off, unproved := w.user("a", true), w.user("b", true), w.user("c", true), w.user("d", false)
	var pledges []pooling.Pledge
	for _, m := range []string{byDefault, inboxOnly, off, unproved} {
		pledges = append(pledges, w.pledge(p, m, m, marketplace.DirectPayment, "", pooling.PledgeConfirmed))
	}
	for who, ch := range map[string]notify.Channel{inboxOnly: notify.ChannelInbox, off: notify.ChannelOff} {
		if _, err := w.svc.SetPreferences(w.as(who), 0, notify.PreferencesInput{Channels: map[notify.Kind]notify.Channel{notify.KindPoolConfirmed: ch}}); err != nil {
			t.Fatal(err)
		}
	}
	// Someone turned a security message off behind the API's back: it still comes.
	if err := w.notes.SetChannel(w.ctx, off, notify.KindChargeFailed, notify.ChannelOff, w.now); err != nil {
		t.Fatal(err)
	}
	ref := "pool:" + p.ID + ":confirmed"
	w.deliver(ref)
	if diff := cmp.Diff(sorted(byDefault, inboxOnly, unproved, organiser), w.recipients(ref)); diff != "" {
		t.Errorf("inboxes (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(w.addresses(byDefault, organiser), w.mailedTo(notify.KindPoolConfirmed)); diff != "" {
		t.Errorf("emails (-want +got):\n%s", diff)
	}
	w.deliver("pledge:" + pledges[2].ID + ":charge-failed")
	if diff := cmp.Diff(w.addresses(off), w.mailedTo(notify.KindChargeFailed)); diff != "" {
		t.Errorf("security emails (-want +got):\n%s", diff)
	}
	var m store.Mail
	if err := w.db.Collection("mail").FindOne(w.ctx, bson.M{"kind": "notify:charge-failed"}).Decode(&m); err != nil {
		t.Fatal(err)
	}
	if m.Notice == nil || m.Notice.Unsubscribe != "" {
		t.Errorf("a security email can be unsubscribed from: %+v", m.Notice)
	}
}

func TestUnsubscribeTurnsOffOneKindOfEmailOnly(t *testing.T) {
	t.Parallel()
	w, p, people := confirmedWorld(t, 1)
	member := people[0]
	w.deliver("pool:" + p.ID + ":confirmed")
	var m store.Mail
	if err := w.db.Collection("mail").FindOne(w.ctx, bson.M{"user_id": member, "kind": "notify:pool-confirmed"}).Decode(&m); err != nil {
		t.Fatal(err)
	}
	token, ok := strings.CutPrefix(m.Notice.Unsubscribe, "/unsubscribe/")
	if !ok {
		t.Fatalf("unsubscribe link %q", m.Notice.Unsubscribe)
	}
	// Looking changes nothing.
	v, err := w.svc.CheckUnsubscribe(w.ctx, token)
	if err != nil || v.Kind != notify.KindPoolConfirmed || v.Done || !v.Account {
		t.Fatalf("check = %+v, %v", v, err)
	}
	if prefs, _ := w.svc.Preferences(w.as(member)); prefs.Version != 0 {
		t.Errorf("looking at the link changed the preferences: version %d", prefs.Version)
	}
	for range 2 { // twice is fine
		if v, err = w.svc.Unsubscribe(w.ctx, token); err != nil || !v.Done {
			t.Fatalf("unsubscribe = %+v, %v", v, err)
		}
	}
	// Another pool confirming reaches the inbox but sends no email; other kinds still do.
	other := w.newPool(people[1], "", "", pooling.StatusConfirmed)
	w.pledge(other, member, member, marketplace.DirectPayment, "", pooling.PledgeConfirmed)
	w.deliver("pool:" + other.ID + ":confirmed")
	w.deliver(notify.SessionRef(other.ID, 0, "reminder"))
	if got := w.inboxes("pool:" + other.ID + ":confirmed")[member]; len(got) != 1 {
		t.Errorf("inbox after unsubscribing: %v", got)
	}
	var mine []store.Mail
	cur, _ := w.db.Collection("mail").Find(w.ctx, bson.M{"user_id": member})
	if err := cur.All(w.ctx, &mine); err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, m := range mine {
		kinds = append(kinds, m.Kind)
	}
	if diff := cmp.Diff([]string{"notify:pool-confirmed", "notify:session-reminder"}, kinds); diff != "" {
		t.Errorf("emails to the member (-want +got):\n%s", diff)
	}
	if _, err := w.svc.Unsubscribe(w.ctx, token+"x"); err != notify.ErrUnsubscribeInvalid {
		t.Errorf("a damaged token: %v", err)
	}
}
