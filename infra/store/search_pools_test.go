package store

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/pooling"
	"github.com/carepool/carepool/search"
)

// searchPool is an open public pool on an offer, as the pooling service stores it, as
// of searchNow (Monday 23 November 2026): four of six places taken, three counted.
func searchPool(providerID, offerID string) pooling.Pool {
	at := func(day, hour int) time.Time { return time.Date(2026, 11, day, hour, 0, 0, 0, time.UTC) }
	return pooling.Pool{
		ID: uuid.NewString(), OfferID: offerID, ProviderID: providerID, OfferKind: marketplace.KindService,
		Title: " Day service for Headingley ", Description: "Four of us from the Forum.", Visibility: pooling.Public,
		Pricing:        pooling.Pricing{GroupPence: 12000, MinPeople: 3, MaxPeople: 6},
		SessionMinutes: 120, BudgetForms: []marketplace.BudgetForm{marketplace.DirectPayment, marketplace.ISF},
		Deadline: at(7, 9).AddDate(0, 1, 0), // 7 December
		Sessions: []pooling.Session{
			{Index: 0, StartsAt: at(16, 10), Status: pooling.SessionScheduled}, // a Monday gone
			{Index: 1, StartsAt: at(27, 10), Status: pooling.SessionScheduled}, // Friday morning
			{Index: 2, StartsAt: at(28, 10), Status: pooling.SessionCancelled}, // a cancelled Saturday
			{Index: 3, StartsAt: at(25, 16), Status: pooling.SessionScheduled}, // Wednesday 16:00–18:00
		},
		Status: pooling.StatusOpen, Taken: 4, CountedK: 3, SharePence: 4000, ConfirmableK: 3,
		Version: 3, CreatedAt: time.Date(2026, 11, 2, 9, 0, 0, 0, time.FixedZone("GMT+1", 3600)),
	}
}

func TestPoolSearchDocumentDescribesThePoolOnItsOffer(t *testing.T) {
	t.Parallel()
	o := storedOffer("prov-1", marketEpoch)
	o.Languages, o.Accessibility, o.Where.AreasServed = nil, []string{"wheelchair_accessible"}, []string{"ls7"}
	o.Price = marketplace.Price{Unit: marketplace.GroupSession, AmountPence: 12000, Group: &marketplace.GroupPricing{MinPeople: 3, MaxPeople: 6}}
	p := marketplace.Provider{ID: "prov-1", Name: "Kirkstall Day Centre", Active: true, Languages: []string{"en", "pa"},
		Verification: marketplace.Verification{DBSVerified: true, InsuranceVerified: true, InsuranceExpires: "2027-01-01"}}
	pool := searchPool("prov-1", o.ID)
	want := search.Document{
		ID: "pool_" + pool.ID, Type: search.TypePool, Title: "Day service for Headingley",
		Description: "Four of us from the Forum.\n\nA day service with lunch and activities.\n\n" +
			"Group purchase: 4 of 6 places taken, deadline 7 December 2026.",
		Categories: []string{"day-service"}, ProviderID: "prov-1", ProviderName: "Kirkstall Day Centre", Kind: search.KindService,
		BudgetForms: []string{"direct_payment", "isf"},
		PricePence:  3000, // one more person makes four: £120 / 4
		PriceUnit:   "per_session", Languages: []string{"en", "pa"}, Accessibility: []string{"wheelchair_accessible"},
		Days: []string{"wednesday", "friday"}, TimesOfDay: []string{"morning", "afternoon", "evening"},
		Verified: true, Outcodes: []string{"LS6", "LS7"}, Geo: &search.Point{Lat: 53.81928, Lng: -1.56704},
		CreatedAt: pool.CreatedAt.UTC(),
	}
	got := PoolSearchDocument(pool, o, p, searchNow)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("document (-want +got):\n%s", diff)
	}
	if err := got.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}

	// Untitled, it takes the offer's title; the price follows pooling's shares, never
	// below the pool's minimum number of people.
	pool.Title = ""
	if d := PoolSearchDocument(pool, o, p, searchNow); d.Title != "Day service" {
		t.Errorf("title of an untitled pool = %q, want the offer's", d.Title)
	}
	for _, c := range []struct {
		counted int
		want    int64
	}{{0, 4000}, {1, 4000}, {2, 4000}, {3, 3000}, {5, 2000}} {
		pool.CountedK = c.counted
		if got := PoolJoinShare(pool); got != c.want || got != pool.Pricing.Share(max(c.counted+1, 3)) {
			t.Errorf("share for one more with %d counted = %d, want %d", c.counted, got, c.want)
		}
	}
	pool.Pricing.FloorPence = 2500
	if got := PoolJoinShare(pool); got != 2500 {
		t.Errorf("share above the floor = %d, want the floor 2500", got)
	}
}

func TestOnlyOpenPublicPoolsWithPlacesLeftAreSearchable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newSearchFixture(t)
	pools := NewPooling(f.db)
	add := func(change func(*pooling.Pool)) string {
		t.Helper()
		p := searchPool(f.active.ID, f.published)
		if change != nil {
			change(&p)
		}
		if err := pools.CreatePool(ctx, p); err != nil {
			t.Fatal(err)
		}
		return p.ID
	}
	open := add(nil)
	onPaused := add(func(p *pooling.Pool) { p.OfferID = f.pause })
	cases := []struct {
		name, id string
		visible  bool
	}{
		{"open and public", open, true},
		{"on an offer paused since", onPaused, true},
		{"invite-only", add(func(p *pooling.Pool) { p.Visibility, p.InviteCode = pooling.InviteOnly, "code-1" }), false},
		{"draft", add(func(p *pooling.Pool) { p.Status = pooling.StatusDraft }), false},
		{"confirmed", add(func(p *pooling.Pool) { p.Status = pooling.StatusConfirmed }), false},
		{"cancelled", add(func(p *pooling.Pool) { p.Status = pooling.StatusCancelled }), false},
		{"failed", add(func(p *pooling.Pool) { p.Status = pooling.StatusFailed }), false},
		{"full", add(func(p *pooling.Pool) { p.Taken = p.Pricing.MaxPeople }), false},
		{"of a suspended provider", add(func(p *pooling.Pool) { p.ProviderID, p.OfferID = f.suspended.ID, f.hidden }), false},
		{"on an offer that is gone", add(func(p *pooling.Pool) { p.OfferID = uuid.NewString() }), false},
		{"unknown", uuid.NewString(), false},
	}
	for _, c := range cases {
		d, visible, err := f.src.PoolDocument(ctx, c.id)
		if err != nil || visible != c.visible {
			t.Errorf("%s: PoolDocument = %v, %v; want visible %v", c.name, visible, err, c.visible)
		}
		if visible && (d.ID != "pool_"+c.id || d.Type != search.TypePool || d.ProviderName != "Kirkstall Swim Club" || !d.Verified) {
			t.Errorf("%s: document %+v", c.name, d)
		}
		up, rm, err := f.src.ResolvePool(ctx, c.id)
		switch {
		case err != nil:
			t.Errorf("%s: ResolvePool: %v", c.name, err)
		case c.visible && (len(up) != 1 || up[0].ID != "pool_"+c.id || rm != nil):
			t.Errorf("%s: ResolvePool = %v, %v; want the document", c.name, up, rm)
		case !c.visible && (up != nil || !slices.Equal(rm, []string{"pool_" + c.id})):
			t.Errorf("%s: ResolvePool = %v, %v; want its removal", c.name, up, rm)
		}
	}

	// The reconcile source lists the offer and the visible pools, so a reconciliation
	// keeps them.
	var listed []string
	err := f.src.Documents(ctx, func(page []search.Document) error {
		for _, d := range page {
			if err := d.Validate(); err != nil {
				t.Errorf("document %s: %v", d.ID, err)
			}
			listed = append(listed, d.ID)
		}
		return nil
	})
	want := []string{f.published, "pool_" + open, "pool_" + onPaused}
	slices.Sort(listed)
	slices.Sort(want)
	if err != nil || !slices.Equal(listed, want) {
		t.Errorf("Documents = %v, %v; want %v", listed, err, want)
	}
	// An estimate: the full pool and the one whose offer is gone count too.
	if n, err := f.src.CountDocuments(ctx); err != nil || n != len(want)+2 {
		t.Errorf("CountDocuments = %d, %v; want %d", n, err, len(want)+2)
	}
}
