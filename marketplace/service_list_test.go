package marketplace_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	mk "github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
)

// listWorld is a world with offers to filter: art and care publish, a third provider is
// suspended, and each has offers that are not published.
type listWorld struct {
	*world
	closed account.Organisation
}

func newListWorld(t *testing.T) *listWorld {
	t.Helper()
	w := &listWorld{world: newWorld(t)}
	dora := w.signUp(t, "Dora Closed")
	w.closed = w.organisation(t, dora, "Closed Care Ltd", account.KindSmallProvider)

	swim := titled(mk.KindCommunityActivity, "Swimming club")
	swim.Categories = []string{"swimming", "sport-and-exercise"}
	swim.Where.Address.Postcode = "LS7 3AA"
	swim.BudgetForms = []mk.BudgetForm{mk.ISF, mk.TrustFund}
	w.createOffer(t, w.alice, w.art, swim, mk.StatusPublished)

	pa := titled(mk.KindPersonalAssistant, "PA in Manchester and Leeds")
	pa.Where.AreasServed = []string{"M1", "LS7"}
	pa.BudgetForms = []mk.BudgetForm{mk.IndirectPayment}
	w.createOffer(t, w.bob, w.care, pa, mk.StatusPublished)

	online := titled(mk.KindService, "Online support planning")
	online.Categories = []string{"support-planning"}
	online.Where = mk.WhereInput{Mode: mk.Online}
	w.createOffer(t, w.bob, w.care, online, mk.StatusPublished)

	w.createOffer(t, w.alice, w.art, titled(mk.KindCommunityActivity, "Art in LS6"), mk.StatusPublished)
	w.createOffer(t, w.alice, w.art, titled(mk.KindCommunityActivity, "Art draft"), mk.StatusDraft)
	w.createOffer(t, w.alice, w.art, titled(mk.KindCommunityActivity, "Art paused"), mk.StatusPaused)
	w.createOffer(t, w.bob, w.care, titled(mk.KindService, "Care archived"), mk.StatusArchived)
	w.createOffer(t, dora, w.closed, titled(mk.KindService, "Closed day service"), mk.StatusPublished)
	w.suspend(t, w.admin, w.closed)
	return w
}

func titlesOf(offers []mk.Offer) []string {
	titles := []string{}
	for _, o := range offers {
		titles = append(titles, o.Title)
	}
	return titles
}

func TestOffersFilters(t *testing.T) {
	t.Parallel()
	w := newListWorld(t)
	published := []string{"Art in LS6", "Online support planning", "PA in Manchester and Leeds", "Swimming club"}
	tests := []struct {
		name   string
		who    *person // nil: anonymous
		filter mk.OfferFilter
		want   []string
	}{
		{"published offers of active providers, newest first", nil, mk.OfferFilter{}, published},
		{"kind", nil, mk.OfferFilter{Kind: mk.KindCommunityActivity}, []string{"Art in LS6", "Swimming club"}},
		{"category", nil, mk.OfferFilter{Category: "sport-and-exercise"}, []string{"Swimming club"}},
		{"outward code of a venue", nil, mk.OfferFilter{Outcode: "LS6"}, []string{"Art in LS6"}},
		{"outward code of a venue or an area served", nil, mk.OfferFilter{Outcode: "LS7"}, []string{"PA in Manchester and Leeds", "Swimming club"}},
		{"outward code in lower case", nil, mk.OfferFilter{Outcode: " m1 "}, []string{"PA in Manchester and Leeds"}},
		{"outward code nobody serves", nil, mk.OfferFilter{Outcode: "BD1"}, []string{}},
		{"budget form", nil, mk.OfferFilter{BudgetForm: mk.IndirectPayment}, []string{"PA in Manchester and Leeds"}},
		{"every budget holder sees the same offers", nil, mk.OfferFilter{BudgetForm: mk.CouncilManaged}, []string{"Art in LS6", "Online support planning"}},
		{"provider", nil, mk.OfferFilter{ProviderID: w.care.ID}, []string{"Online support planning", "PA in Manchester and Leeds"}},
		{"filters combine", nil, mk.OfferFilter{Kind: mk.KindService, ProviderID: w.care.ID, BudgetForm: mk.DirectPayment}, []string{"Online support planning"}},
		{"a suspended provider", nil, mk.OfferFilter{ProviderID: w.closed.ID}, []string{}},
		{"a member sees published offers unless asking for a status", w.amir, mk.OfferFilter{ProviderID: w.art.ID}, []string{"Art in LS6", "Swimming club"}},
		{"drafts, for a member", w.amir, mk.OfferFilter{ProviderID: w.art.ID, Status: mk.StatusDraft}, []string{"Art draft"}},
		{"paused, for the owner", w.alice, mk.OfferFilter{ProviderID: w.art.ID, Status: mk.StatusPaused}, []string{"Art paused"}},
		{"archived, for an administrator", w.admin, mk.OfferFilter{ProviderID: w.care.ID, Status: mk.StatusArchived}, []string{"Care archived"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := anon
			if tt.who != nil {
				ctx = tt.who.ctx(t)
			}
			page, err := w.svc.Offers(ctx, tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, titlesOf(page.Items)); diff != "" {
				t.Errorf("Offers() (-want +got):\n%s", diff)
			}
			if page.NextCursor != "" {
				t.Errorf("NextCursor = %q on the only page", page.NextCursor)
			}
		})
	}
}

func TestOffersRefusesFiltersItCannotApply(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tests := []struct {
		name   string
		who    *person
		filter mk.OfferFilter
		want   []string
	}{
		{"unknown kind", nil, mk.OfferFilter{Kind: "care_home"}, []string{"kind"}},
		{"unknown category", nil, mk.OfferFilter{Category: "knitting"}, []string{"category"}},
		{"unknown budget form", nil, mk.OfferFilter{BudgetForm: "cash"}, []string{"budget_form"}},
		{"unknown outward code", nil, mk.OfferFilter{Outcode: "ZZ99"}, []string{"outcode"}},
		{"a full postcode", nil, mk.OfferFilter{Outcode: "LS6 2AB"}, []string{"outcode"}},
		{"malformed provider id", nil, mk.OfferFilter{ProviderID: "art"}, []string{"provider_id"}},
		{"limit too small", nil, mk.OfferFilter{Limit: -1}, []string{"limit"}},
		{"limit too large", nil, mk.OfferFilter{Limit: mk.MaxLimit + 1}, []string{"limit"}},
		{"cursor we did not give", nil, mk.OfferFilter{Cursor: "bm90IGEgY3Vyc29y"}, []string{"cursor"}},
		{"cursor that is not base64", nil, mk.OfferFilter{Cursor: "%%%"}, []string{"cursor"}},
		{"unknown status", w.alice, mk.OfferFilter{ProviderID: w.art.ID, Status: "deleted"}, []string{"status"}},
		{"status without a provider", w.alice, mk.OfferFilter{Status: mk.StatusDraft}, []string{"status"}},
		{"status for another provider", w.bob, mk.OfferFilter{ProviderID: w.art.ID, Status: mk.StatusDraft}, []string{"status"}},
		{"status, anonymously", nil, mk.OfferFilter{ProviderID: w.art.ID, Status: mk.StatusPublished}, []string{"status"}},
		{"several at once", nil, mk.OfferFilter{Kind: "x", Category: "y", Limit: 1000}, []string{"kind", "category", "limit"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := anon
			if tt.who != nil {
				ctx = tt.who.ctx(t)
			}
			_, err := w.svc.Offers(ctx, tt.filter)
			if kindOf(err) != "invalid" {
				t.Fatalf("Offers() error = %v, want invalid", err)
			}
			if diff := cmp.Diff(tt.want, fieldNames(err)); diff != "" {
				t.Errorf("fields at fault (-want +got):\n%s", diff)
			}
		})
	}
}

// pageThrough lists every page of f, checking each page's size, and returns the ids in
// the order they came.
func pageThrough(t *testing.T, svc *mk.Service, ctx context.Context, f mk.OfferFilter) (ids []string, pages int) {
	t.Helper()
	for {
		page, err := svc.Offers(ctx, f)
		if err != nil {
			t.Fatalf("page %d: %v", pages+1, err)
		}
		pages++
		for _, o := range page.Items {
			ids = append(ids, o.ID)
		}
		if page.NextCursor == "" {
			return ids, pages
		}
		if len(page.Items) != f.Limit {
			t.Fatalf("page %d has %d items and a next cursor, want %d", pages, len(page.Items), f.Limit)
		}
		f.Cursor = page.NextCursor
		if pages > 100 {
			t.Fatal("paging does not end")
		}
	}
}

func TestOffersPagesWithoutDuplicatesOrGaps(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		step      time.Duration // between creation times; 0 makes them all equal
		n, limit  int
		wantPages int
	}{
		{"three pages, the last one short", time.Second, 25, 10, 3},
		{"pages that fill exactly end without an empty page", time.Second, 20, 10, 2},
		{"offers created in the same millisecond", 0, 23, 5, 5},
		{"one page", time.Second, 3, 10, 1},
		{"one at a time", time.Millisecond, 4, 1, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			w.clock.setStep(tt.step)
			var want []string
			for range tt.n {
				want = append(want, w.createOffer(t, w.alice, w.art, mk.SampleOfferInput(mk.KindService), mk.StatusPublished).ID)
			}
			// Newest first; offers created at the same moment come in descending id order.
			slices.Reverse(want)
			if tt.step == 0 {
				slices.Sort(want)
				slices.Reverse(want)
			}
			got, pages := pageThrough(t, w.svc, anon, mk.OfferFilter{Limit: tt.limit})
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("ids over all pages (-want +got):\n%s", diff)
			}
			if pages != tt.wantPages {
				t.Errorf("%d pages, want %d", pages, tt.wantPages)
			}
		})
	}
}

func TestOffersPagingIsStableWhileOffersArePublished(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	var want []string
	for range 6 {
		want = append(want, w.createOffer(t, w.alice, w.art, mk.SampleOfferInput(mk.KindService), mk.StatusPublished).ID)
	}
	slices.Reverse(want)
	first, err := w.svc.Offers(anon, mk.OfferFilter{Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	w.createOffer(t, w.bob, w.care, mk.SampleOfferInput(mk.KindService), mk.StatusPublished)
	second, err := w.svc.Offers(anon, mk.OfferFilter{Limit: 3, Cursor: first.NextCursor})
	if err != nil {
		t.Fatal(err)
	}
	got := append(ids(first.Items), ids(second.Items)...)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("two pages with a new offer published between them (-want +got):\n%s", diff)
	}
}

func ids(offers []mk.Offer) []string {
	out := []string{}
	for _, o := range offers {
		out = append(out, o.ID)
	}
	return out
}

func TestOffersLimitDefaultsAndBounds(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.clock.setStep(time.Millisecond)
	ctx := w.alice.ctx(t)
	for range mk.MaxLimit + 1 {
		if _, err := w.svc.CreateOffer(ctx, w.art.ID, mk.SampleOfferInput(mk.KindService)); err != nil {
			t.Fatal(err)
		}
	}
	// Drafts are listed to members by status, which saves publishing 101 offers.
	tests := []struct {
		limit, want int
		next        bool
	}{
		{0, mk.DefaultLimit, true},
		{1, 1, true},
		{mk.MaxLimit, mk.MaxLimit, true},
	}
	for _, tt := range tests {
		page, err := w.svc.Offers(ctx, mk.OfferFilter{ProviderID: w.art.ID, Status: mk.StatusDraft, Limit: tt.limit})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) != tt.want || (page.NextCursor != "") != tt.next {
			t.Errorf("limit %d: %d items, next cursor %q; want %d items and a next cursor", tt.limit, len(page.Items), page.NextCursor, tt.want)
		}
	}
	page, err := w.svc.Offers(ctx, mk.OfferFilter{ProviderID: w.art.ID, Status: mk.StatusDraft, Limit: mk.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	last, err := w.svc.Offers(ctx, mk.OfferFilter{ProviderID: w.art.ID, Status: mk.StatusDraft, Limit: mk.MaxLimit, Cursor: page.NextCursor})
	if err != nil {
		t.Fatal(err)
	}
	if len(last.Items) != 1 || last.NextCursor != "" {
		t.Errorf("last page: %d items, next cursor %q; want 1 item and no cursor", len(last.Items), last.NextCursor)
	}
}
