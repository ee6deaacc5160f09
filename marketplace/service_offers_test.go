package marketplace_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	mk "github.com/carepool/carepool/marketplace"
)

func TestCreateOfferOnlyAsAMemberOfTheProvider(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		who      func(w *world) *person // nil: anonymous
		provider func(w *world) string
		want     string
	}{
		{"owner", func(w *world) *person { return w.alice }, func(w *world) string { return w.art.ID }, "ok"},
		{"member", func(w *world) *person { return w.amir }, func(w *world) string { return w.art.ID }, "ok"},
		{"owner of another provider", func(w *world) *person { return w.bob }, func(w *world) string { return w.art.ID }, "forbidden"},
		{"administrator", func(w *world) *person { return w.admin }, func(w *world) string { return w.art.ID }, "forbidden"},
		{"someone who belongs nowhere", func(w *world) *person { return w.visitor }, func(w *world) string { return w.art.ID }, "forbidden"},
		{"anonymous", nil, func(w *world) string { return w.art.ID }, "unauthenticated"},
		{"an organisation that is not a provider", func(w *world) *person { return w.carol }, func(w *world) string { return w.ulo.ID }, "not found"},
		{"unknown provider", func(w *world) *person { return w.alice }, func(*world) string { return uuid.NewString() }, "not found"},
		{"malformed provider id", func(w *world) *person { return w.alice }, func(*world) string { return "art-group" }, "not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			ctx := anon
			if tt.who != nil {
				ctx = tt.who(w).ctx(t)
			}
			before := w.snapshot(t)
			o, err := w.svc.CreateOffer(ctx, tt.provider(w), mk.SampleOfferInput(mk.KindCommunityActivity))
			if got := kindOf(err); got != tt.want {
				t.Fatalf("CreateOffer() error = %v (%s), want %s", err, got, tt.want)
			}
			if err != nil {
				w.assertUnchanged(t, before)
				return
			}
			if o.Status != mk.StatusDraft || o.Version != 1 || o.ProviderID != w.art.ID || !o.CreatedAt.Equal(o.UpdatedAt) || o.PublishedAt != nil {
				t.Errorf("new offer: status %s, version %d, provider %s, created %v, updated %v, published %v; want a version 1 draft of art",
					o.Status, o.Version, o.ProviderID, o.CreatedAt, o.UpdatedAt, o.PublishedAt)
			}
			stored, err := w.market.Offer(context.Background(), o.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(o, stored); diff != "" {
				t.Errorf("stored offer differs from the one returned (-returned +stored):\n%s", diff)
			}
			if after := w.snapshot(t); after.Tasks != before.Tasks+1 {
				t.Errorf("search tasks = %d, want %d", after.Tasks, before.Tasks+1)
			}
		})
	}
}

func TestCreateOfferNormalisesValidatesAndDerivesThePlace(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := w.alice.ctx(t)

	in := mk.SampleOfferInput(mk.KindService)
	in.Title = "  Day service  "
	in.Where.Address.Postcode = "ls62ab"
	o, err := w.svc.CreateOffer(ctx, w.art.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	wantWhere := mk.Where{Mode: mk.AtAddress, Address: &mk.Address{Line1: "1 Park Lane", Town: "Leeds", Postcode: "LS6 2AB"},
		AreasServed: []string{}, Outcode: "LS6", Lat: 53.81928, Lng: -1.56704}
	if diff := cmp.Diff(wantWhere, o.Where); diff != "" {
		t.Errorf("where (-want +got):\n%s", diff)
	}
	if o.Title != "Day service" {
		t.Errorf("title = %q, want it trimmed", o.Title)
	}

	pa, err := w.svc.CreateOffer(ctx, w.art.ID, mk.SampleOfferInput(mk.KindPersonalAssistant))
	if err != nil {
		t.Fatal(err)
	}
	if pa.Where.Outcode != "LS6" || pa.Where.Lat == 0 {
		t.Errorf("an area offer is placed at %q (%v,%v), want its first area LS6", pa.Where.Outcode, pa.Where.Lat, pa.Where.Lng)
	}

	before := w.snapshot(t)
	bad := mk.SampleOfferInput(mk.KindService)
	bad.Price.AmountPence, bad.Where.Address.Postcode = -100, "ZZ99 9ZZ"
	_, err = w.svc.CreateOffer(ctx, w.art.ID, bad)
	if diff := cmp.Diff([]string{"where.address.postcode", "price.amount_pence"}, fieldNames(err)); diff != "" {
		t.Errorf("fields at fault (-want +got):\n%s", diff)
	}
	w.assertUnchanged(t, before)
}

func TestOfferIsVisibleToThePublicOnlyWhenPublished(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	offers := map[mk.Status]mk.Offer{}
	for _, s := range []mk.Status{mk.StatusDraft, mk.StatusPublished, mk.StatusPaused, mk.StatusArchived} {
		offers[s] = w.createOffer(t, w.alice, w.art, titled(mk.KindCommunityActivity, "Art "+string(s)), s)
	}
	viewers := []struct {
		name string
		who  *person
		// whether the viewer sees offers that are not published
		seesAll bool
	}{
		{"anonymous", nil, false},
		{"someone who belongs nowhere", w.visitor, false},
		{"another provider", w.bob, false},
		{"a user-led organisation", w.carol, false},
		{"owner", w.alice, true},
		{"member", w.amir, true},
		{"administrator", w.admin, true},
	}
	for _, v := range viewers {
		ctx := anon
		if v.who != nil {
			ctx = v.who.ctx(t)
		}
		for status, o := range offers {
			got, err := w.svc.Offer(ctx, o.ID)
			want := "not found"
			if status == mk.StatusPublished || v.seesAll {
				want = "ok"
			}
			if kindOf(err) != want {
				t.Errorf("%s gets a %s offer: error %v, want %s", v.name, status, err, want)
				continue
			}
			if err == nil {
				if diff := cmp.Diff(o, got); diff != "" {
					t.Errorf("%s gets a %s offer (-want +got):\n%s", v.name, status, diff)
				}
			}
		}
	}
	for _, id := range []string{uuid.NewString(), "not-a-uuid", ""} {
		if _, err := w.svc.Offer(w.admin.ctx(t), id); kindOf(err) != "not found" {
			t.Errorf("Offer(%q) error = %v, want not found", id, err)
		}
	}
}

func TestSetOfferStatusFollowsTheLifecycle(t *testing.T) {
	t.Parallel()
	tests := []struct {
		from, to mk.Status
		want     string // "ok", "unchanged" (a repeat) or an error kind
	}{
		{mk.StatusDraft, mk.StatusPublished, "ok"},
		{mk.StatusDraft, mk.StatusPaused, "conflict"},
		{mk.StatusDraft, mk.StatusArchived, "ok"},
		{mk.StatusDraft, mk.StatusDraft, "unchanged"},
		{mk.StatusPublished, mk.StatusPaused, "ok"},
		{mk.StatusPublished, mk.StatusArchived, "ok"},
		{mk.StatusPublished, mk.StatusDraft, "conflict"},
		{mk.StatusPublished, mk.StatusPublished, "unchanged"},
		{mk.StatusPaused, mk.StatusPublished, "ok"},
		{mk.StatusPaused, mk.StatusArchived, "ok"},
		{mk.StatusPaused, mk.StatusDraft, "conflict"},
		{mk.StatusPaused, mk.StatusPaused, "unchanged"},
		{mk.StatusArchived, mk.StatusPublished, "conflict"},
		{mk.StatusArchived, mk.StatusPaused, "conflict"},
		{mk.StatusArchived, mk.StatusDraft, "conflict"},
		{mk.StatusArchived, mk.StatusArchived, "unchanged"},
	}
	for _, tt := range tests {
		t.Run(string(tt.from)+" to "+string(tt.to), func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			o := w.createOffer(t, w.alice, w.art, mk.SampleOfferInput(mk.KindService), tt.from)
			before := w.snapshot(t)
			got, err := w.svc.SetOfferStatus(w.amir.ctx(t), o.ID, tt.to, o.Version)
			switch tt.want {
			case "ok":
				if err != nil {
					t.Fatalf("SetOfferStatus: %v", err)
				}
				want := o
				want.Status, want.Version, want.UpdatedAt = tt.to, o.Version+1, got.UpdatedAt
				if tt.to == mk.StatusPublished && o.PublishedAt == nil {
					want.PublishedAt = got.PublishedAt
					if got.PublishedAt == nil {
						t.Error("a first publication sets published_at")
					}
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("offer (-want +got):\n%s", diff)
				}
				if !got.UpdatedAt.After(o.UpdatedAt) {
					t.Errorf("updated_at %v did not move on from %v", got.UpdatedAt, o.UpdatedAt)
				}
				stored, _ := w.market.Offer(context.Background(), o.ID)
				if diff := cmp.Diff(got, stored); diff != "" {
					t.Errorf("stored (-returned +stored):\n%s", diff)
				}
				if after := w.snapshot(t); after.Tasks != before.Tasks+1 {
					t.Errorf("search tasks = %d, want %d", after.Tasks, before.Tasks+1)
				}
			case "unchanged":
				if err != nil {
					t.Fatalf("repeating a status: %v", err)
				}
				if diff := cmp.Diff(o, got); diff != "" {
					t.Errorf("repeating a status changed the offer (-want +got):\n%s", diff)
				}
				w.assertUnchanged(t, before)
			default:
				if kindOf(err) != tt.want {
					t.Fatalf("SetOfferStatus error = %v, want %s", err, tt.want)
				}
				w.assertUnchanged(t, before)
			}
		})
	}
}

func TestRepublishingKeepsTheFirstPublicationTime(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := w.alice.ctx(t)
	o := w.createOffer(t, w.alice, w.art, mk.SampleOfferInput(mk.KindService), mk.StatusPublished)
	first := *o.PublishedAt
	for _, to := range []mk.Status{mk.StatusPaused, mk.StatusPublished} {
		var err error
		if o, err = w.svc.SetOfferStatus(ctx, o.ID, to, 0); err != nil {
			t.Fatal(err)
		}
	}
	if !o.PublishedAt.Equal(first) || o.Version != 4 {
		t.Errorf("after pause and republish: published %v version %d, want %v version 4", o.PublishedAt, o.Version, first)
	}
}

func TestSetOfferStatusOnlyByTheProvidersMembers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		who    func(w *world) *person
		status mk.Status // the offer's status before
		want   string
	}{
		{"member", func(w *world) *person { return w.amir }, mk.StatusPublished, "ok"},
		{"anonymous", func(*world) *person { return nil }, mk.StatusPublished, "unauthenticated"},
		{"another provider, published offer", func(w *world) *person { return w.bob }, mk.StatusPublished, "forbidden"},
		{"another provider, draft", func(w *world) *person { return w.bob }, mk.StatusDraft, "not found"},
		{"administrator may archive, to act on a safeguarding report", func(w *world) *person { return w.admin }, mk.StatusPublished, "ok"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			o := w.createOffer(t, w.alice, w.art, mk.SampleOfferInput(mk.KindService), tt.status)
			ctx := anon
			if p := tt.who(w); p != nil {
				ctx = p.ctx(t)
			}
			before := w.snapshot(t)
			_, err := w.svc.SetOfferStatus(ctx, o.ID, mk.StatusArchived, 0)
			if got := kindOf(err); got != tt.want {
				t.Fatalf("SetOfferStatus error = %v (%s), want %s", err, got, tt.want)
			}
			if err != nil {
				w.assertUnchanged(t, before)
			}
		})
	}
}

func TestAdministratorsCannotPublishOffers(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	o := w.createOffer(t, w.alice, w.art, mk.SampleOfferInput(mk.KindService), mk.StatusDraft)
	before := w.snapshot(t)
	if _, err := w.svc.SetOfferStatus(w.admin.ctx(t), o.ID, mk.StatusPublished, 0); kindOf(err) != "forbidden" {
		t.Fatalf("admin publish: error %v, want forbidden", err)
	}
	w.assertUnchanged(t, before)
}

func TestSetOfferStatusWithAStaleVersionChangesNothing(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	o := w.createOffer(t, w.alice, w.art, mk.SampleOfferInput(mk.KindService), mk.StatusDraft)
	before := w.snapshot(t)
	for _, v := range []int64{o.Version + 1, 99} {
		if _, err := w.svc.SetOfferStatus(w.alice.ctx(t), o.ID, mk.StatusPublished, v); kindOf(err) != "precondition failed" {
			t.Errorf("SetOfferStatus at version %d: error %v, want precondition failed", v, err)
		}
	}
	w.assertUnchanged(t, before)
}

func TestPublishIsRefusedWhileTheProviderIsSuspended(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	draft := w.createOffer(t, w.alice, w.art, titled(mk.KindService, "Draft"), mk.StatusDraft)
	paused := w.createOffer(t, w.alice, w.art, titled(mk.KindService, "Paused"), mk.StatusPaused)
	w.suspend(t, w.admin, w.art)

	before := w.snapshot(t)
	for _, o := range []mk.Offer{draft, paused} {
		_, err := w.svc.SetOfferStatus(w.alice.ctx(t), o.ID, mk.StatusPublished, o.Version)
		if kindOf(err) != "conflict" {
			t.Errorf("publish %q while suspended: error %v, want conflict", o.Title, err)
		}
	}
	w.assertUnchanged(t, before)

	// Withdrawing an offer is still allowed, and publishing works again once reinstated.
	if _, err := w.svc.SetOfferStatus(w.alice.ctx(t), paused.ID, mk.StatusArchived, 0); err != nil {
		t.Errorf("archive while suspended: %v", err)
	}
	w.reinstate(t, w.admin, w.art)
	if _, err := w.svc.SetOfferStatus(w.alice.ctx(t), draft.ID, mk.StatusPublished, 0); err != nil {
		t.Errorf("publish after reinstatement: %v", err)
	}
}

func TestSuspendedProvidersOffersDisappear(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	artOffer := w.createOffer(t, w.alice, w.art, titled(mk.KindCommunityActivity, "Art"), mk.StatusPublished)
	careOffer := w.createOffer(t, w.bob, w.care, titled(mk.KindService, "Care"), mk.StatusPublished)
	w.suspend(t, w.admin, w.art)

	list := func(ctx context.Context, f mk.OfferFilter) []string {
		t.Helper()
		page, err := w.svc.Offers(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		titles := []string{}
		for _, o := range page.Items {
			titles = append(titles, o.Title)
		}
		return titles
	}
	tests := []struct {
		name    string
		ctx     context.Context
		filter  mk.OfferFilter
		want    []string
		wantGet string // for GET of the suspended provider's offer
	}{
		{"anonymous", anon, mk.OfferFilter{}, []string{"Care"}, "not found"},
		{"anonymous, by provider", anon, mk.OfferFilter{ProviderID: w.art.ID}, []string{}, "not found"},
		{"another provider", w.bob.ctx(t), mk.OfferFilter{}, []string{"Care"}, "not found"},
		{"the suspended provider's owner, own offers", w.alice.ctx(t), mk.OfferFilter{ProviderID: w.art.ID}, []string{"Art"}, "ok"},
		{"the suspended provider's owner, everyone's offers", w.alice.ctx(t), mk.OfferFilter{}, []string{"Care"}, "ok"},
		{"administrator, by provider", w.admin.ctx(t), mk.OfferFilter{ProviderID: w.art.ID}, []string{"Art"}, "ok"},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, list(tt.ctx, tt.filter)); diff != "" {
			t.Errorf("%s: list (-want +got):\n%s", tt.name, diff)
		}
		if _, err := w.svc.Offer(tt.ctx, artOffer.ID); kindOf(err) != tt.wantGet {
			t.Errorf("%s: get the suspended provider's offer: error %v, want %s", tt.name, err, tt.wantGet)
		}
	}
	if _, err := w.svc.Offer(anon, careOffer.ID); err != nil {
		t.Errorf("get an active provider's offer: %v", err)
	}

	w.reinstate(t, w.admin, w.art)
	if diff := cmp.Diff([]string{"Care", "Art"}, list(anon, mk.OfferFilter{})); diff != "" {
		t.Errorf("after reinstatement (-want +got):\n%s", diff)
	}
}

func TestReplaceOffer(t *testing.T) {
	t.Parallel()
	changed := func() mk.OfferInput {
		in := mk.SampleOfferInput(mk.KindPersonalAssistant)
		in.Title = "PA for days out"
		return in
	}
	invalid := changed()
	invalid.Where.AreasServed = []string{"LS6 2AB"}
	tests := []struct {
		name    string
		who     func(w *world) *person
		status  mk.Status
		version func(o mk.Offer) int64
		id      func(o mk.Offer) string
		in      mk.OfferInput
		want    string
	}{
		{"member at the current version", func(w *world) *person { return w.amir }, mk.StatusPublished, current, sameID, changed(), "ok"},
		{"owner, draft", func(w *world) *person { return w.alice }, mk.StatusDraft, current, sameID, changed(), "ok"},
		{"stale version", func(w *world) *person { return w.alice }, mk.StatusPublished, func(o mk.Offer) int64 { return o.Version - 1 }, sameID, changed(), "precondition failed"},
		{"version from the future", func(w *world) *person { return w.alice }, mk.StatusPublished, func(o mk.Offer) int64 { return o.Version + 1 }, sameID, changed(), "precondition failed"},
		{"invalid input", func(w *world) *person { return w.alice }, mk.StatusPublished, current, sameID, invalid, "invalid"},
		{"archived", func(w *world) *person { return w.alice }, mk.StatusArchived, current, sameID, changed(), "conflict"},
		{"another provider, published", func(w *world) *person { return w.bob }, mk.StatusPublished, current, sameID, changed(), "forbidden"},
		{"another provider, draft", func(w *world) *person { return w.bob }, mk.StatusDraft, current, sameID, changed(), "not found"},
		{"administrator", func(w *world) *person { return w.admin }, mk.StatusPublished, current, sameID, changed(), "forbidden"},
		{"anonymous", func(*world) *person { return nil }, mk.StatusPublished, current, sameID, changed(), "unauthenticated"},
		{"unknown offer", func(w *world) *person { return w.alice }, mk.StatusPublished, current, func(mk.Offer) string { return uuid.NewString() }, changed(), "not found"},
		{"malformed id", func(w *world) *person { return w.alice }, mk.StatusPublished, current, func(mk.Offer) string { return "offer-1" }, changed(), "not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			o := w.createOffer(t, w.alice, w.art, mk.SampleOfferInput(mk.KindService), tt.status)
			ctx := anon
			if p := tt.who(w); p != nil {
				ctx = p.ctx(t)
			}
			before := w.snapshot(t)
			got, err := w.svc.ReplaceOffer(ctx, tt.id(o), tt.version(o), tt.in)
			if kindOf(err) != tt.want {
				t.Fatalf("ReplaceOffer error = %v, want %s", err, tt.want)
			}
			if err != nil {
				w.assertUnchanged(t, before)
				return
			}
			if got.Title != "PA for days out" || got.Kind != mk.KindPersonalAssistant || got.Where.Outcode != "LS6" ||
				got.Version != o.Version+1 || got.Status != o.Status || !got.CreatedAt.Equal(o.CreatedAt) ||
				!got.UpdatedAt.After(o.UpdatedAt) || got.ID != o.ID || got.ProviderID != o.ProviderID {
				t.Errorf("replaced offer = %+v; want the new content at version %d, same id, provider, status and creation", got, o.Version+1)
			}
			stored, _ := w.market.Offer(context.Background(), o.ID)
			if diff := cmp.Diff(got, stored); diff != "" {
				t.Errorf("stored (-returned +stored):\n%s", diff)
			}
		})
	}
}

func current(o mk.Offer) int64 { return o.Version }
func sameID(o mk.Offer) string { return o.ID }

func TestOfferTimesAreStoredToTheMillisecond(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.clock.now = w.clock.now.Add(123456789 * time.Nanosecond)
	o := w.createOffer(t, w.alice, w.art, mk.SampleOfferInput(mk.KindService), mk.StatusPublished)
	stored, err := w.svc.Offer(anon, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(o, stored); diff != "" {
		t.Errorf("the offer returned on publication differs from a later read (-returned +read):\n%s", diff)
	}
}
