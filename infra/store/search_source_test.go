package store

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/search"
)

var searchNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func TestSearchDocumentMapsAnOfferAndItsProvider(t *testing.T) {
	t.Parallel()
	created := time.Date(2026, 3, 2, 9, 0, 0, 0, time.FixedZone("BST", 3600))
	o := marketplace.Offer{
		ID: "0b4d0f1e-2d7c-4e0b-9a47-6c1f7a3b9e21", ProviderID: "prov-1", Kind: marketplace.KindCommunityActivity,
		Title: " Swimming for autistic adults ", Description: "Quiet sessions.", Categories: []string{"swimming", "sport-and-exercise"},
		Where: marketplace.Where{Mode: marketplace.AtAddress, Outcode: "LS6", AreasServed: []string{"ls7", "LS6"}, Lat: 53.82, Lng: -1.57},
		When: marketplace.Schedule{
			Weekly: []marketplace.WeeklySlot{{Day: "saturday", Start: "10:00", End: "12:30"}, {Day: "monday", Start: "18:00", End: "20:00"}},
			Dated: []marketplace.DatedSession{
				{Date: "2026-12-02", Start: "09:00", End: "10:00"}, // a Wednesday to come
				{Date: "2026-11-20", Start: "14:00", End: "15:00"}, // a Friday gone
			},
		},
		Price: marketplace.Price{Unit: marketplace.GroupSession, AmountPence: 6000,
			Group: &marketplace.GroupPricing{MinPeople: 2, MaxPeople: 4, FloorPence: 1000}},
		BudgetForms:   []marketplace.BudgetForm{marketplace.DirectPayment, marketplace.ISF},
		Accessibility: []string{"wheelchair_accessible"}, Status: marketplace.StatusPublished, CreatedAt: created,
	}
	p := marketplace.Provider{ID: "prov-1", Name: "Kirkstall Swim Club", Active: true, Languages: []string{"en", "pa"},
		Verification: marketplace.Verification{DBSVerified: true, InsuranceVerified: true, InsuranceExpires: "2026-11-23"}}
	want := search.Document{
		ID: o.ID, Type: search.TypeOffer, Title: "Swimming for autistic adults", Description: "Quiet sessions.",
		Categories: []string{"swimming", "sport-and-exercise"}, ProviderID: "prov-1", ProviderName: "Kirkstall Swim Club",
		Kind: search.KindActivity, BudgetForms: []string{"direct_payment", "isf"}, PricePence: 1500, PriceUnit: "group_session",
		Languages: []string{"en", "pa"}, Accessibility: []string{"wheelchair_accessible"},
		Days: []string{"monday", "wednesday", "saturday"}, TimesOfDay: []string{"morning", "afternoon", "evening"},
		Verified: true, Outcodes: []string{"LS6", "LS7"}, Geo: &search.Point{Lat: 53.82, Lng: -1.57}, CreatedAt: created.UTC(),
	}
	got := SearchDocument(o, p, searchNow)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("document (-want +got):\n%s", diff)
	}
	if err := got.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
	// The insurance expired yesterday: no longer verified.
	if SearchDocument(o, p, searchNow.Add(24*time.Hour)).Verified {
		t.Error("verified after the insurance expired")
	}
	o.Where = marketplace.Where{Mode: marketplace.Online}
	o.Languages = []string{"ur"}
	if d := SearchDocument(o, p, searchNow); !d.Online || d.Geo != nil || d.Outcodes != nil || !slices.Equal(d.Languages, []string{"ur"}) {
		t.Errorf("online offer with its own languages: %+v", d)
	}
}

func TestSearchDocumentsOfEveryMarketplaceTermAreValid(t *testing.T) {
	t.Parallel()
	o := storedOffer("prov", marketEpoch)
	for _, k := range marketplace.Kinds {
		o.Kind = marketplace.Kind(k.Slug)
		if err := SearchDocument(o, marketplace.Provider{}, searchNow).Validate(); err != nil {
			t.Errorf("kind %s: %v", k.Slug, err)
		}
	}
	for _, f := range marketplace.BudgetForms {
		o.BudgetForms = []marketplace.BudgetForm{marketplace.BudgetForm(f.Slug)}
		if err := SearchDocument(o, marketplace.Provider{}, searchNow).Validate(); err != nil {
			t.Errorf("budget form %s: %v", f.Slug, err)
		}
	}
	// Categories and accessibility features are searched by their labels: the
	// search port must know the marketplace's.
	for _, c := range marketplace.Categories {
		o.Categories = []string{c.Slug}
		if err := SearchDocument(o, marketplace.Provider{}, searchNow).Validate(); err != nil {
			t.Errorf("category %s: %v", c.Slug, err)
		}
		if got := search.FacetCategory.Label(c.Slug); got != c.Label {
			t.Errorf("search label of category %s = %q, want %q", c.Slug, got, c.Label)
		}
	}
	for _, a := range marketplace.AccessibilityFeatures {
		o.Accessibility = []string{a.Slug}
		if err := SearchDocument(o, marketplace.Provider{}, searchNow).Validate(); err != nil {
			t.Errorf("accessibility %s: %v", a.Slug, err)
		}
		if got := search.FacetAccessibility.Label(a.Slug); !strings.EqualFold(got, a.Label) {
			t.Errorf("search label of accessibility feature %s = %q, want %q", a.Slug, got, a.Label)
		}
	}
	for _, l := range marketplace.Languages {
		o.Languages = []string{l.Slug}
		if err := SearchDocument(o, marketplace.Provider{}, searchNow).Validate(); err != nil {
			t.Errorf("language %s: %v", l.Slug, err)
		}
	}
}

// searchFixture is a store with two providers: one active with a published, a
// draft and a paused offer, and one suspended with a published offer.
type searchFixture struct {
	db                      *DB
	src                     *SearchSource
	active, suspended       account.Organisation
	published, draft, pause string
	hidden                  string // the suspended provider's published offer
}

func newSearchFixture(t *testing.T) *searchFixture {
	t.Helper()
	ctx := context.Background()
	db := mustOpenMarketDB(t)
	f := &searchFixture{db: db, src: NewSearchSource(db, func() time.Time { return searchNow })}
	f.active = mustCreateOrganisation(t, db, "Kirkstall Swim Club", account.KindCommunityGroup)
	f.suspended = mustCreateOrganisation(t, db, "Closed Club", account.KindSmallProvider)
	m := NewMarketplace(db)
	profile := marketplace.Provider{ID: f.active.ID, Languages: []string{"en"}, Version: 1,
		Verification: marketplace.Verification{DBSVerified: true, InsuranceVerified: true, InsuranceExpires: "2027-01-01"}}
	if err := m.SaveProvider(ctx, &profile, 0); err != nil {
		t.Fatal(err)
	}
	add := func(org account.Organisation, status marketplace.Status) string {
		o := storedOffer(org.ID, marketEpoch)
		o.Status = status
		if err := m.CreateOffer(ctx, &o); err != nil {
			t.Fatal(err)
		}
		return o.ID
	}
	f.published = add(f.active, marketplace.StatusPublished)
	f.draft = add(f.active, marketplace.StatusDraft)
	f.pause = add(f.active, marketplace.StatusPaused)
	f.hidden = add(f.suspended, marketplace.StatusPublished)
	f.suspended = mustSuspend(t, db, f.suspended)
	return f
}

func TestSearchSourceShowsOnlyPublishedOffersOfActiveProviders(t *testing.T) {
	t.Parallel()
	f := newSearchFixture(t)
	ctx := context.Background()
	for _, c := range []struct {
		name, id string
		visible  bool
	}{
		{"published", f.published, true}, {"draft", f.draft, false}, {"paused", f.pause, false},
		{"of a suspended provider", f.hidden, false}, {"unknown", uuid.NewString(), false},
	} {
		d, visible, err := f.src.OfferDocument(ctx, c.id)
		if err != nil || visible != c.visible {
			t.Errorf("%s: OfferDocument = %v, %v; want visible %v", c.name, visible, err, c.visible)
		}
		if visible && (d.ID != c.id || d.ProviderName != "Kirkstall Swim Club" || !d.Verified) {
			t.Errorf("%s: document %+v", c.name, d)
		}
	}
	var listed []string
	err := f.src.Documents(ctx, func(page []search.Document) error {
		for _, d := range page {
			listed = append(listed, d.ID)
		}
		return nil
	})
	if err != nil || !slices.Equal(listed, []string{f.published}) {
		t.Errorf("Documents = %v, %v; want only the published offer of the active provider", listed, err)
	}
	if n, err := f.src.CountDocuments(ctx); err != nil || n != 1 {
		t.Errorf("CountDocuments = %d, %v; want 1", n, err)
	}
	ids, err := f.src.ProviderOfferIDs(ctx, f.active.ID)
	slices.Sort(ids)
	want := []string{f.published, f.draft, f.pause}
	slices.Sort(want)
	if err != nil || !slices.Equal(ids, want) {
		t.Errorf("ProviderOfferIDs = %v, %v; want every offer of the provider %v", ids, err, want)
	}
}

func TestSearchSourceDocumentsComeInPages(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenMarketDB(t)
	org := mustCreateOrganisation(t, db, "Big Provider", account.KindSmallProvider)
	coll := db.Collection(offersCollection)
	var docs []any
	for range searchPage + 20 {
		docs = append(docs, storedOffer(org.ID, marketEpoch))
	}
	if _, err := coll.InsertMany(ctx, docs); err != nil {
		t.Fatal(err)
	}
	var pages []int
	err := NewSearchSource(db, nil).Documents(ctx, func(page []search.Document) error {
		pages = append(pages, len(page))
		return nil
	})
	if err != nil || !slices.Equal(pages, []int{searchPage, 20}) {
		t.Errorf("pages = %v, %v; want %d then 20", pages, err, searchPage)
	}
}

func TestSuspendingOrReinstatingAnOrganisationQueuesASearchTask(t *testing.T) {
	t.Parallel()
	db := mustOpenMarketDB(t)
	org := mustCreateOrganisation(t, db, "Kirkstall Swim Club", account.KindCommunityGroup)
	org = mustSuspend(t, db, org)
	org.Status, org.LastChange = account.StatusActive, nil
	if _, err := NewAccounts(db).UpdateOrganisation(context.Background(), org); err != nil {
		t.Fatal(err)
	}
	want := []string{"provider:" + org.ID, "provider:" + org.ID}
	if diff := cmp.Diff(want, searchTaskRefs(t, db)); diff != "" {
		t.Errorf("search tasks (-want +got):\n%s", diff)
	}
	// A lost race writes nothing, task included.
	stale := org // at the version before the reinstatement
	if _, err := NewAccounts(db).UpdateOrganisation(context.Background(), stale); err == nil {
		t.Fatal("update at an old version succeeded")
	}
	if got := searchTaskRefs(t, db); len(got) != 2 {
		t.Errorf("search tasks after a lost race = %v, want still 2", got)
	}
}

func TestSearchOutboxAdaptsTheStoreOutbox(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenMarketDB(t)
	if err := db.Tx(ctx, func(ctx context.Context) error { return db.enqueue(ctx, SearchTopic, "offer:o1") }); err != nil {
		t.Fatal(err)
	}
	ob := db.NewSearchOutbox("worker-1")
	tasks, err := ob.Claim(ctx, 10, time.Minute)
	if err != nil || len(tasks) != 1 || tasks[0].Ref != "offer:o1" {
		t.Fatalf("Claim = %+v, %v", tasks, err)
	}
	if err := ob.Retry(ctx, tasks[0], context.DeadlineExceeded, 0); err != nil {
		t.Fatal(err)
	}
	tasks, err = ob.Claim(ctx, 10, time.Minute)
	if err != nil || len(tasks) != 1 || tasks[0].Attempts != 1 {
		t.Fatalf("Claim after Retry = %+v, %v; want the task, one attempt", tasks, err)
	}
	if err := ob.Done(ctx, tasks[0]); err != nil {
		t.Fatal(err)
	}
	if n, err := ob.Pending(ctx); err != nil || n != 0 {
		t.Errorf("Pending = %d, %v; want 0", n, err)
	}
}
