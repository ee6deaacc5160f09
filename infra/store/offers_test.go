package store

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"go.mongodb.org/mongo-driver/bson"

	"github.com/carepool/carepool/infra/apperr"
	mk "github.com/carepool/carepool/marketplace"
)

// mustOpenMarketDB opens an empty in-memory database for one test.
func mustOpenMarketDB(tb testing.TB) *DB {
	tb.Helper()
	ctx := context.Background()
	db, err := OpenMemory(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = db.Close(ctx) })
	return db
}

var marketEpoch = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// storedOffer returns a published offer as the service would store it.
func storedOffer(providerID string, created time.Time) mk.Offer {
	return mk.Offer{
		ID: uuid.NewString(), ProviderID: providerID, Kind: mk.KindService,
		Title: "Day service", Description: "A day service with lunch and activities.",
		Categories: []string{"day-service"},
		Where: mk.Where{Mode: mk.AtAddress, Address: &mk.Address{Line1: "1 Park Lane", Town: "Leeds", Postcode: "LS6 2AB"},
			AreasServed: []string{}, Outcode: "LS6", Lat: 53.81928, Lng: -1.56704},
		When:        mk.Schedule{Weekly: []mk.WeeklySlot{{Day: "monday", Start: "10:00", End: "15:00"}}},
		Price:       mk.Price{Unit: mk.PerSession, AmountPence: 4500},
		BudgetForms: []mk.BudgetForm{mk.DirectPayment}, Accessibility: []string{}, Languages: []string{"en"},
		Status: mk.StatusPublished, Version: 1, CreatedAt: created, UpdatedAt: created, PublishedAt: &created,
	}
}

// searchTaskRefs returns the refs of the queued search tasks, sorted.
func searchTaskRefs(t *testing.T, db *DB) []string {
	t.Helper()
	cur, err := db.Collection(outboxCollection).Find(context.Background(), bson.M{"topic": SearchTopic})
	if err != nil {
		t.Fatal(err)
	}
	var tasks []Task
	if err := cur.All(context.Background(), &tasks); err != nil {
		t.Fatal(err)
	}
	refs := []string{}
	for _, task := range tasks {
		refs = append(refs, task.Ref)
	}
	slices.Sort(refs)
	return refs
}

func mustStoredOffer(t *testing.T, m *Marketplace, id string) mk.Offer {
	t.Helper()
	o, err := m.Offer(context.Background(), id)
	if err != nil {
		t.Fatalf("Offer(%s): %v", id, err)
	}
	return o
}

func TestMarketplaceCreateOfferStoresItWithASearchTask(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenMarketDB(t)
	m := NewMarketplace(db)
	o := storedOffer(uuid.NewString(), marketEpoch)
	o.Where = mk.Where{Mode: mk.InArea, AreasServed: []string{"LS6", "LS7"}, Outcode: "LS6", Lat: 53.8, Lng: -1.5}
	o.Price = mk.Price{Unit: mk.GroupSession, AmountPence: 48000, Group: &mk.GroupPricing{MinPeople: 4, MaxPeople: 10, FloorPence: 4800}}
	o.When.Dated = []mk.DatedSession{{Date: "2026-12-05", Start: "10:00", End: "12:00"}}

	if err := m.CreateOffer(ctx, &o); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(o, mustStoredOffer(t, m, o.ID)); diff != "" {
		t.Errorf("stored offer (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"offer:" + o.ID}, searchTaskRefs(t, db)); diff != "" {
		t.Errorf("search tasks (-want +got):\n%s", diff)
	}

	// A second insert of the same id fails, and queues nothing.
	if err := m.CreateOffer(ctx, &o); err == nil || !IsDuplicateKey(err) {
		t.Errorf("second CreateOffer error = %v, want a duplicate key", err)
	}
	if diff := cmp.Diff([]string{"offer:" + o.ID}, searchTaskRefs(t, db)); diff != "" {
		t.Errorf("search tasks after a failed insert (-want +got):\n%s", diff)
	}
}

func TestMarketplaceUpdateOfferIsConditionalOnTheVersion(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		id        func(stored mk.Offer) string
		expect    int64
		wantKind  apperr.Kind // apperr.Internal means success
		wantSaved bool
	}{
		{"current version", func(o mk.Offer) string { return o.ID }, 1, apperr.Internal, true},
		{"stale version", func(o mk.Offer) string { return o.ID }, 0, apperr.PreconditionFailed, false},
		{"future version", func(o mk.Offer) string { return o.ID }, 2, apperr.PreconditionFailed, false},
		{"no such offer", func(mk.Offer) string { return uuid.NewString() }, 1, apperr.NotFound, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := mustOpenMarketDB(t)
			m := NewMarketplace(db)
			stored := storedOffer(uuid.NewString(), marketEpoch)
			if err := m.CreateOffer(ctx, &stored); err != nil {
				t.Fatal(err)
			}
			before := searchTaskRefs(t, db)

			next := stored
			next.ID = tt.id(stored)
			next.Title, next.Version, next.UpdatedAt = "Day service and lunch", 2, marketEpoch.Add(time.Hour)
			err := m.UpdateOffer(ctx, &next, tt.expect)

			wantRefs, wantStored := before, stored
			if tt.wantSaved {
				if err != nil {
					t.Fatalf("UpdateOffer: %v", err)
				}
				wantRefs = append(slices.Clone(before), "offer:"+stored.ID)
				slices.Sort(wantRefs)
				wantStored = next
			} else if !apperr.Is(err, tt.wantKind) {
				t.Fatalf("UpdateOffer error = %v, want kind %v", err, tt.wantKind)
			}
			if diff := cmp.Diff(wantStored, mustStoredOffer(t, m, stored.ID)); diff != "" {
				t.Errorf("stored offer (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(wantRefs, searchTaskRefs(t, db)); diff != "" {
				t.Errorf("search tasks (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMarketplaceOfferOfAnUnknownIDIsNotFound(t *testing.T) {
	t.Parallel()
	_, err := NewMarketplace(mustOpenMarketDB(t)).Offer(context.Background(), uuid.NewString())
	if !apperr.Is(err, apperr.NotFound) {
		t.Errorf("Offer() error = %v, want NotFound", err)
	}
}

func TestMarketplaceOffersFiltersAndOrdersNewestFirst(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenMarketDB(t)
	m := NewMarketplace(db)
	p, q, r := uuid.NewString(), uuid.NewString(), uuid.NewString()
	at := func(i int) time.Time { return marketEpoch.Add(time.Duration(i) * time.Minute) }

	o1 := storedOffer(p, at(1))
	o2 := storedOffer(p, at(2))
	o2.Kind, o2.Categories, o2.BudgetForms = mk.KindPersonalAssistant, []string{"getting-out"}, []mk.BudgetForm{mk.ISF}
	o2.Where = mk.Where{Mode: mk.InArea, AreasServed: []string{"M1", "LS7"}, Outcode: "M1"}
	o3 := storedOffer(q, at(3))
	o3.Kind, o3.Categories, o3.BudgetForms = mk.KindCommunityActivity, []string{"swimming", "arts-and-crafts"}, []mk.BudgetForm{mk.ISF, mk.CouncilManaged}
	o3.Where.Outcode = "LS7"
	o4 := storedOffer(q, at(4))
	o4.Status, o4.PublishedAt = mk.StatusDraft, nil
	o5 := storedOffer(r, at(5))
	o6 := storedOffer(p, at(6))
	o6.Status = mk.StatusPaused
	for _, o := range []*mk.Offer{&o1, &o2, &o3, &o4, &o5, &o6} {
		if err := m.CreateOffer(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	names := map[string]string{o1.ID: "o1", o2.ID: "o2", o3.ID: "o3", o4.ID: "o4", o5.ID: "o5", o6.ID: "o6"}

	tests := []struct {
		name  string
		query mk.OfferQuery
		want  []string
	}{
		{"published only by default", mk.OfferQuery{}, []string{"o5", "o3", "o2", "o1"}},
		{"kind", mk.OfferQuery{Kind: mk.KindService}, []string{"o5", "o1"}},
		{"category among several", mk.OfferQuery{Category: "arts-and-crafts"}, []string{"o3"}},
		{"outward code of the venue or an area served", mk.OfferQuery{Outcode: "LS7"}, []string{"o3", "o2"}},
		{"outward code of venues", mk.OfferQuery{Outcode: "LS6"}, []string{"o5", "o1"}},
		{"outward code served by nobody", mk.OfferQuery{Outcode: "BD1"}, []string{}},
		{"budget form", mk.OfferQuery{BudgetForm: mk.ISF}, []string{"o3", "o2"}},
		{"provider", mk.OfferQuery{ProviderID: p}, []string{"o2", "o1"}},
		{"excluded providers", mk.OfferQuery{ExcludeOrgIDs: []string{q, r}}, []string{"o2", "o1"}},
		{"a provider that is also excluded", mk.OfferQuery{ProviderID: q, ExcludeOrgIDs: []string{q}}, []string{}},
		{"statuses", mk.OfferQuery{Statuses: []mk.Status{mk.StatusDraft, mk.StatusPaused}}, []string{"o6", "o4"}},
		{"status of one provider", mk.OfferQuery{Statuses: []mk.Status{mk.StatusDraft}, ProviderID: q}, []string{"o4"}},
		{"limit", mk.OfferQuery{Limit: 2}, []string{"o5", "o3"}},
		{"after a cursor", mk.OfferQuery{After: &mk.Cursor{CreatedAt: o3.CreatedAt, ID: o3.ID}}, []string{"o2", "o1"}},
		{"everything at once", mk.OfferQuery{Kind: mk.KindService, Outcode: "LS6", ExcludeOrgIDs: []string{r}, Limit: 5}, []string{"o1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if tt.query.Limit == 0 {
				tt.query.Limit = 100
			}
			offers, err := m.Offers(ctx, tt.query)
			if err != nil {
				t.Fatal(err)
			}
			got := []string{}
			for _, o := range offers {
				got = append(got, names[o.ID])
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Offers() (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMarketplaceOffersBreaksTiesByID(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	m := NewMarketplace(mustOpenMarketDB(t))
	var ids []string
	for range 5 {
		o := storedOffer(uuid.NewString(), marketEpoch)
		if err := m.CreateOffer(ctx, &o); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, o.ID)
	}
	slices.Sort(ids)
	slices.Reverse(ids)
	var got []string
	q := mk.OfferQuery{Limit: 2}
	for {
		page, err := m.Offers(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range page {
			got = append(got, o.ID)
		}
		if len(page) < q.Limit {
			break
		}
		last := page[len(page)-1]
		q.After = &mk.Cursor{CreatedAt: last.CreatedAt, ID: last.ID}
	}
	if diff := cmp.Diff(ids, got); diff != "" {
		t.Errorf("offers created at the same moment, paged two at a time (-want +got):\n%s", diff)
	}
}

func TestMarketplaceSaveProviderInsertsThenReplacesByVersion(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenMarketDB(t)
	m := NewMarketplace(db)
	id := uuid.NewString()
	p := mk.Provider{ID: id, Name: "not stored", Kinds: []string{"small_provider"}, Active: true,
		Description: "A small provider.", AreasServed: []string{"LS6"}, Contact: mk.Contact{Email: "hello@example.org"},
		Languages: []string{"en"}, Version: 1, UpdatedAt: marketEpoch}

	steps := []struct {
		name     string
		version  int64 // the version the step writes
		expect   int64
		wantKind apperr.Kind // Internal means success
	}{
		{"first write", 1, 0, apperr.Internal},
		{"a second first write", 1, 0, apperr.PreconditionFailed},
		{"stale version", 2, 0, apperr.PreconditionFailed},
		{"current version", 2, 1, apperr.Internal},
		{"the version just replaced", 3, 1, apperr.PreconditionFailed},
	}
	want := mk.Provider{}
	wantRefs := []string{}
	for _, s := range steps {
		next := p
		next.Version, next.Description = s.version, s.name
		err := m.SaveProvider(ctx, &next, s.expect)
		if s.wantKind == apperr.Internal {
			if err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
			want = next
			want.Name, want.Kinds, want.Active = "", nil, false // these come from the organisation
			wantRefs = append(wantRefs, "provider:"+id)
		} else if !apperr.Is(err, s.wantKind) {
			t.Fatalf("%s: error = %v, want kind %v", s.name, err, s.wantKind)
		}
		got, err := m.Provider(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: stored profile (-want +got):\n%s", s.name, diff)
		}
		if diff := cmp.Diff(wantRefs, searchTaskRefs(t, db)); diff != "" {
			t.Errorf("%s: search tasks (-want +got):\n%s", s.name, diff)
		}
	}

	missing := mk.Provider{ID: uuid.NewString(), Version: 2}
	if err := m.SaveProvider(ctx, &missing, 1); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("replacing a profile that does not exist: error = %v, want NotFound", err)
	}
	if _, err := m.Provider(ctx, missing.ID); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("Provider() of a missing profile: error = %v, want NotFound", err)
	}
}

func TestMarketplaceProvidersPagesByIDAndArea(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	m := NewMarketplace(mustOpenMarketDB(t))
	var ids []string
	for i, areas := range [][]string{{"LS6"}, {"LS6", "M1"}, {"M1"}, {}} {
		p := mk.Provider{ID: uuid.NewString(), Description: "Provider", AreasServed: areas, Languages: []string{"en"}, Version: 1}
		if err := m.SaveProvider(ctx, &p, 0); err != nil {
			t.Fatalf("provider %d: %v", i, err)
		}
		ids = append(ids, p.ID)
	}
	inLS6 := []string{ids[0], ids[1]}
	slices.Sort(ids)
	slices.Sort(inLS6)

	tests := []struct {
		name  string
		query mk.ProviderQuery
		want  []string
	}{
		{"all by id", mk.ProviderQuery{Limit: 10}, ids},
		{"limit", mk.ProviderQuery{Limit: 2}, ids[:2]},
		{"after an id", mk.ProviderQuery{AfterID: ids[1], Limit: 10}, ids[2:]},
		{"after the last", mk.ProviderQuery{AfterID: ids[3], Limit: 10}, []string{}},
		{"serving an area", mk.ProviderQuery{Outcode: "LS6", Limit: 10}, inLS6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			providers, err := m.Providers(ctx, tt.query)
			if err != nil {
				t.Fatal(err)
			}
			got := []string{}
			for _, p := range providers {
				got = append(got, p.ID)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Providers() (-want +got):\n%s", diff)
			}
		})
	}
}
