package calendar_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/carepool/carepool/calendar"
	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/pooling"
)

var london, _ = time.LoadLocation("Europe/London")

func (e *env) poolFeed(t testing.TB, ctx context.Context, id string) []feedEvent {
	t.Helper()
	r, err := e.cal.PoolFeed(ctx, id)
	if err != nil {
		t.Fatalf("pool feed: %v", err)
	}
	return parseFeed(t, r.Body)
}

func (e *env) sessions(t testing.TB, id string) []pooling.Session {
	t.Helper()
	p, err := e.pools.Pool(e.organiser.ctx(t), id)
	if err != nil {
		t.Fatal(err)
	}
	return p.Sessions
}

func statuses(evs []feedEvent) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.Status
	}
	return out
}

func sequence(t testing.TB, evs []feedEvent) int {
	t.Helper()
	n, err := strconv.Atoi(evs[0].Sequence)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		if e.Sequence != evs[0].Sequence {
			t.Errorf("events of one pool differ in SEQUENCE: %s and %s", evs[0].Sequence, e.Sequence)
		}
	}
	return n
}

func TestPoolFeedShowsEverySessionInLondonTimeEitherSideOfTheClockChange(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.openPool(t, pooling.Public)
	alice := e.holder(t, "Alice Holder")
	e.pledge(t, alice, p.ID, 8_000, "")

	r, err := e.cal.PoolFeed(context.Background(), p.ID) // anonymous: the pool is public
	if err != nil {
		t.Fatal(err)
	}
	got := parseFeed(t, r.Body)
	stored := e.sessions(t, p.ID)
	if len(got) != 3 || len(stored) != 3 {
		t.Fatalf("%d events for %d sessions, want 3", len(got), len(stored))
	}
	_, before := stored[0].StartsAt.In(london).Zone()
	_, after := stored[2].StartsAt.In(london).Zone()
	if before != 3600 || after != 0 {
		t.Fatalf("the sessions do not straddle the clock change: offsets %d and %d", before, after)
	}
	for i, ev := range got {
		want := feedEvent{UID: fmt.Sprintf("pool-%s-session-%d@carepool.example", p.ID, i), Summary: "Saturday art and lunch",
			Location: "1 Park Lane, Leeds, LS6 2AB", Status: "TENTATIVE", Sequence: ev.Sequence,
			URL: "https://carepool.example/pools/" + p.ID, Description: ev.Description,
			Start: stored[i].StartsAt.UTC(), End: ev.End,
			StartRaw: stored[i].StartsAt.In(london).Format("20060102T150405")}
		if diff := cmp.Diff(want, ev); diff != "" {
			t.Errorf("session %d (-want +got):\n%s", i, diff)
		}
		if !strings.Contains(ev.Description, want.URL) || !strings.Contains(ev.Description, "Not confirmed yet") {
			t.Errorf("session %d description %q lacks the link or the status", i, ev.Description)
		}
	}
	if got[0].StartRaw != "20261017T100000" || got[0].End.Sub(got[0].Start) != 150*time.Minute {
		t.Errorf("first session %s for %s, want 10:00 London time for the offer's 2½ hours", got[0].StartRaw, got[0].End.Sub(got[0].Start))
	}
	for _, private := range []string{alice.name, alice.email, alice.id, e.organiser.name, e.organiser.email, e.organiser.id} {
		if strings.Contains(string(r.Body), private) {
			t.Errorf("the public feed shows %q", private)
		}
	}
}

func TestPoolFeedFollowsConfirmationCancelledSessionsAndRaisesSequence(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.openPool(t, pooling.Public)
	ctx := context.Background()
	open := e.poolFeed(t, ctx, p.ID)
	if diff := cmp.Diff([]string{"TENTATIVE", "TENTATIVE", "TENTATIVE"}, statuses(open)); diff != "" {
		t.Errorf("open pool (-want +got):\n%s", diff)
	}

	var leaver pooling.PledgeView
	var last *person
	for _, name := range []string{"Ann", "Ben", "Cat"} {
		last = e.holder(t, name+" Holder")
		leaver = e.pledge(t, last, p.ID, 8_000, "")
	}
	if _, err := e.pools.ConfirmPool(e.organiser.ctx(t), p.ID, ""); err != nil {
		t.Fatal(err)
	}
	confirmed := e.poolFeed(t, ctx, p.ID)
	if diff := cmp.Diff([]string{"CONFIRMED", "CONFIRMED", "CONFIRMED"}, statuses(confirmed)); diff != "" {
		t.Errorf("confirmed pool (-want +got):\n%s", diff)
	}

	// The first session happens; then Cat leaves, and the two sessions after it cannot
	// run with two people.
	e.clock.Set(firstSaturday.Add(3 * time.Hour))
	if _, err := e.pools.RecordDelivery(e.provider.ctx(t), p.ID, pooling.DeliveryInput{Session: 0}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := e.pools.Withdraw(last.ctx(t), leaver.ID, ""); err != nil {
		t.Fatal(err)
	}
	after := e.poolFeed(t, ctx, p.ID)
	if diff := cmp.Diff([]string{"CONFIRMED", "CANCELLED", "CANCELLED"}, statuses(after)); diff != "" {
		t.Errorf("after the leaving (-want +got):\n%s", diff)
	}
	if !strings.Contains(after[1].Description, "Reason: Too few people") {
		t.Errorf("cancelled session says %q", after[1].Description)
	}
	s0, s1, s2 := sequence(t, open), sequence(t, confirmed), sequence(t, after)
	if !(s0 < s1 && s1 < s2) {
		t.Errorf("SEQUENCE went %d, %d, %d; it must rise with every change", s0, s1, s2)
	}
	for i := range open {
		if open[i].UID != confirmed[i].UID || open[i].UID != after[i].UID {
			t.Errorf("session %d changed UID: %s, %s, %s", i, open[i].UID, confirmed[i].UID, after[i].UID)
		}
	}
}

func TestPoolFeedOfACancelledPoolCancelsEverySession(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.openPool(t, pooling.Public)
	before := sequence(t, e.poolFeed(t, context.Background(), p.ID))
	if _, err := e.pools.CancelPool(e.organiser.ctx(t), p.ID, "The venue closed.", ""); err != nil {
		t.Fatal(err)
	}
	evs := e.poolFeed(t, context.Background(), p.ID)
	if diff := cmp.Diff([]string{"CANCELLED", "CANCELLED", "CANCELLED"}, statuses(evs)); diff != "" {
		t.Errorf("cancelled pool (-want +got):\n%s", diff)
	}
	if after := sequence(t, evs); after <= before {
		t.Errorf("SEQUENCE %d after cancelling, was %d", after, before)
	}
}

func TestPoolFeedOfAnInviteOnlyPoolNeedsAccess(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.openPool(t, pooling.InviteOnly)
	invite, err := e.pools.Pool(e.organiser.ctx(t), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	member, stranger := e.holder(t, "Mo Member"), e.holder(t, "Stella Stranger")
	e.pledge(t, member, p.ID, 8_000, invite.InviteCode)
	tests := []struct {
		who  string
		ctx  context.Context
		want apperr.Kind // or -1: allowed
	}{
		{"anonymous", context.Background(), apperr.NotFound},
		{"a stranger", stranger.ctx(t), apperr.NotFound},
		{"someone with a pledge in it", member.ctx(t), -1},
		{"its organiser", e.organiser.ctx(t), -1},
		{"its provider", e.provider.ctx(t), -1},
	}
	for _, tt := range tests {
		_, err := e.cal.PoolFeed(tt.ctx, p.ID)
		switch {
		case tt.want < 0 && err != nil:
			t.Errorf("%s: %v, want the feed", tt.who, err)
		case tt.want >= 0 && !apperr.Is(err, tt.want):
			t.Errorf("%s: err = %v, want kind %d", tt.who, err, tt.want)
		}
	}
}

// personalFeed reads a person's feed by the secret in its address.
func (e *env) personalFeed(t testing.TB, url string) ([]feedEvent, error) {
	t.Helper()
	secret := strings.TrimSuffix(url[strings.LastIndex(url, "/")+1:], ".ics")
	r, err := e.cal.PersonalFeed(context.Background(), secret)
	if err != nil {
		return nil, err
	}
	return parseFeed(t, r.Body), nil
}

func TestPersonalFeedShowsOnlyTheOwnersPools(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	joined, other := e.openPool(t, pooling.Public), e.openPool(t, pooling.Public)
	alice, bob := e.holder(t, "Alice Holder"), e.holder(t, "Bob Holder")
	e.pledge(t, alice, joined.ID, 8_000, "")
	e.pledge(t, bob, other.ID, 8_000, "")

	pools := func(evs []feedEvent) map[string]int {
		out := map[string]int{}
		for _, ev := range evs {
			out[strings.TrimPrefix(ev.URL, "https://carepool.example/pools/")]++
		}
		return out
	}
	tests := []struct {
		who  *person
		want map[string]int
	}{
		{alice, map[string]int{joined.ID: 3}},
		{bob, map[string]int{other.ID: 3}},
		{e.organiser, map[string]int{joined.ID: 3, other.ID: 3}}, // organises both
		{e.holder(t, "Stella Stranger"), map[string]int{}},
	}
	for _, tt := range tests {
		f, err := e.cal.CreateFeed(tt.who.ctx(t))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(f.URL, "https://carepool.example/calendar/") || !strings.HasSuffix(f.URL, ".ics") {
			t.Errorf("feed address %q", f.URL)
		}
		evs, err := e.personalFeed(t, f.URL)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, pools(evs)); diff != "" {
			t.Errorf("%s's feed, sessions by pool (-want +got):\n%s", tt.who.name, diff)
		}
	}
}

func TestPersonalFeedAddressChangesAndTurnsOff(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	alice := e.holder(t, "Alice Holder")
	ctx := alice.ctx(t)
	if st, err := e.cal.FeedStatus(ctx); err != nil || st.On {
		t.Fatalf("before: %+v %v, want off", st, err)
	}
	first, err := e.cal.CreateFeed(ctx)
	if err != nil {
		t.Fatal(err)
	}
	second, err := e.cal.CreateFeed(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.personalFeed(t, first.URL); !errors.Is(err, calendar.ErrFeedNotFound) {
		t.Errorf("the old address after a new one: err = %v, want ErrFeedNotFound", err)
	}
	if _, err := e.personalFeed(t, second.URL); err != nil {
		t.Errorf("the new address: %v", err)
	}
	if st, err := e.cal.FeedStatus(ctx); err != nil || !st.On || st.CreatedAt == nil {
		t.Errorf("status = %+v %v, want on", st, err)
	}
	if err := e.cal.DisableFeed(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := e.personalFeed(t, second.URL); !errors.Is(err, calendar.ErrFeedNotFound) {
		t.Errorf("after turning off: err = %v, want ErrFeedNotFound", err)
	}
	if err := e.cal.DisableFeed(ctx); err != nil {
		t.Errorf("turning off twice: %v", err)
	}
	for _, secret := range []string{"", "short", strings.Repeat("a", 43), strings.Repeat("!", 43), "../" + strings.Repeat("a", 40)} {
		if _, err := e.cal.PersonalFeed(context.Background(), secret); !errors.Is(err, calendar.ErrFeedNotFound) {
			t.Errorf("secret %q: err = %v, want ErrFeedNotFound", secret, err)
		}
	}
	if _, err := e.cal.CreateFeed(context.Background()); !errors.Is(err, apperr.ErrUnauthenticated) {
		t.Errorf("anonymous CreateFeed: err = %v", err)
	}
}

func TestPersonalFeedCancelsTheSessionsOfAPoolTheOwnerLeft(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.openPool(t, pooling.Public)
	alice := e.holder(t, "Alice Holder")
	pledge := e.pledge(t, alice, p.ID, 8_000, "")
	f, err := e.cal.CreateFeed(alice.ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	before, err := e.personalFeed(t, f.URL)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.pools.Withdraw(alice.ctx(t), pledge.ID, ""); err != nil {
		t.Fatal(err)
	}
	after, err := e.personalFeed(t, f.URL)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"CANCELLED", "CANCELLED", "CANCELLED"}, statuses(after)); diff != "" {
		t.Errorf("after leaving (-want +got):\n%s", diff)
	}
	if b, a := sequence(t, before), sequence(t, after); a <= b {
		t.Errorf("SEQUENCE %d after leaving, was %d", a, b)
	}
	// Long after, the pool drops out of the feed.
	e.clock.Set(epoch.AddDate(0, 4, 0))
	if later, err := e.personalFeed(t, f.URL); err != nil || len(later) != 0 {
		t.Errorf("four months later: %d events, %v; want none", len(later), err)
	}
}

func TestPersonalDataOfTheCalendarIsItsExistenceOnly(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	alice := e.holder(t, "Alice Holder")
	f, err := e.cal.CreateFeed(alice.ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.cal.ExportPersonalData(context.Background(), alice.id)
	if err != nil {
		t.Fatal(err)
	}
	st, ok := got.(calendar.FeedStatus)
	if !ok || !st.On || strings.Contains(fmt.Sprint(got), f.URL[strings.LastIndex(f.URL, "/")+1:]) {
		t.Errorf("export = %#v", got)
	}
	if err := e.cal.ErasePersonalData(context.Background(), alice.id); err != nil {
		t.Fatal(err)
	}
	if _, err := e.personalFeed(t, f.URL); !errors.Is(err, calendar.ErrFeedNotFound) {
		t.Errorf("after erasure: err = %v", err)
	}
}
