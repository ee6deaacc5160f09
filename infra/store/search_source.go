package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/search"
)

// SearchSource builds the search index's documents from the store: one per
// published offer of an active (not suspended) provider, with the provider's
// name and verification, and one per open public pool with places left
// (search_pools.go). It is the search worker's Source (ResolvePool resolves
// its "pool" refs) and the Catalog that rebuilds and reconciliations read.
type SearchSource struct {
	db  *DB
	now func() time.Time
}

var (
	_ search.Source  = (*SearchSource)(nil)
	_ search.Catalog = (*SearchSource)(nil)
)

// NewSearchSource returns the search source on db. now tells the day against
// which verification expiry and dated sessions are judged; nil is the real
// clock.
func NewSearchSource(db *DB, now func() time.Time) *SearchSource {
	if now == nil {
		now = time.Now
	}
	return &SearchSource{db: db, now: now}
}

// OfferDocument returns an offer's search document and whether the public
// may find it. See search.Source.
func (s *SearchSource) OfferDocument(ctx context.Context, id string) (search.Document, bool, error) {
	var o marketplace.Offer
	err := s.db.Collection(offersCollection).FindOne(ctx, bson.M{"_id": id}).Decode(&o)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return search.Document{}, false, nil
	}
	if err != nil {
		return search.Document{}, false, fmt.Errorf("read offer: %w", err)
	}
	if !o.Visible() {
		return search.Document{}, false, nil
	}
	providers, err := s.providers(ctx, []string{o.ProviderID})
	if err != nil {
		return search.Document{}, false, err
	}
	p, ok := providers[o.ProviderID]
	if !ok || !p.Active {
		return search.Document{}, false, nil
	}
	return SearchDocument(o, p, s.now()), true, nil
}

// ProviderOfferIDs lists the ids of a provider's offers. See search.Source.
func (s *SearchSource) ProviderOfferIDs(ctx context.Context, providerID string) ([]string, error) {
	cur, err := s.db.Collection(offersCollection).Find(ctx, bson.M{"provider_id": providerID},
		options.Find().SetProjection(bson.M{"_id": 1}))
	if err != nil {
		return nil, fmt.Errorf("find offers of %s: %w", providerID, err)
	}
	var docs []struct {
		ID string `bson:"_id"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read offers of %s: %w", providerID, err)
	}
	ids := make([]string, len(docs))
	for i, d := range docs {
		ids[i] = d.ID
	}
	return ids, nil
}

// CountDocuments counts the published offers of providers that are not
// suspended, and their open public pools (full ones included: it is an
// estimate). See search.Catalog.
func (s *SearchSource) CountDocuments(ctx context.Context) (int, error) {
	suspended, err := NewDirectory(s.db).SuspendedOrganisationIDs(ctx)
	if err != nil {
		return 0, err
	}
	filter := bson.M{"status": marketplace.StatusPublished}
	if len(suspended) > 0 {
		filter["provider_id"] = bson.M{"$nin": suspended}
	}
	n, err := s.db.Collection(offersCollection).CountDocuments(ctx, filter)
	if err != nil {
		return 0, fmt.Errorf("count published offers: %w", err)
	}
	pools, err := s.countPools(ctx, suspended)
	return int(n) + pools, err
}

// searchPage is how many documents Documents hands over at once.
const searchPage = 500

// Documents lists the document of every published offer of an active
// provider, then of every visible pool (see PoolDocument), a page at a time.
// See search.Catalog.
func (s *SearchSource) Documents(ctx context.Context, fn func([]search.Document) error) error {
	cur, err := s.db.Collection(offersCollection).Find(ctx, bson.M{"status": marketplace.StatusPublished})
	if err != nil {
		return fmt.Errorf("find published offers: %w", err)
	}
	defer cur.Close(ctx)
	now := s.now()
	providers := map[string]marketplace.Provider{} // read once each, as their offers come
	var offers []marketplace.Offer
	flush := func() error {
		var missing []string
		for _, o := range offers {
			if _, ok := providers[o.ProviderID]; !ok && !slices.Contains(missing, o.ProviderID) {
				missing = append(missing, o.ProviderID)
			}
		}
		got, err := s.providers(ctx, missing)
		if err != nil {
			return err
		}
		for _, id := range missing {
			providers[id] = got[id] // the zero Provider (inactive) when there is no organisation
		}
		var page []search.Document
		for _, o := range offers {
			if p := providers[o.ProviderID]; p.Active {
				page = append(page, SearchDocument(o, p, now))
			}
		}
		offers = offers[:0]
		if len(page) == 0 {
			return nil
		}
		return fn(page)
	}
	for cur.Next(ctx) {
		var o marketplace.Offer
		if err := cur.Decode(&o); err != nil {
			return fmt.Errorf("read offer: %w", err)
		}
		if offers = append(offers, o); len(offers) == searchPage {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := cur.Err(); err != nil {
		return fmt.Errorf("read published offers: %w", err)
	}
	if err := flush(); err != nil {
		return err
	}
	return s.poolDocuments(ctx, fn)
}

// providers reads the profiles of the given providers with their
// organisation's name and status (Active false when suspended). A provider
// without an organisation is left out; one without a profile yet has an
// empty one.
func (s *SearchSource) providers(ctx context.Context, ids []string) (map[string]marketplace.Provider, error) {
	out := map[string]marketplace.Provider{}
	if len(ids) == 0 {
		return out, nil
	}
	cur, err := s.db.Collection(collOrganisations).Find(ctx, bson.M{"_id": bson.M{"$in": ids}})
	if err != nil {
		return nil, fmt.Errorf("find providers' organisations: %w", err)
	}
	var orgs []organisationDoc
	if err := cur.All(ctx, &orgs); err != nil {
		return nil, fmt.Errorf("read providers' organisations: %w", err)
	}
	cur, err = s.db.Collection(providersCollection).Find(ctx, bson.M{"_id": bson.M{"$in": ids}})
	if err != nil {
		return nil, fmt.Errorf("find provider profiles: %w", err)
	}
	var profiles []marketplace.Provider
	if err := cur.All(ctx, &profiles); err != nil {
		return nil, fmt.Errorf("read provider profiles: %w", err)
	}
	for _, d := range orgs {
		org := d.organisation()
		p := marketplace.Provider{ID: org.ID}
		if i := slices.IndexFunc(profiles, func(p marketplace.Provider) bool { return p.ID == org.ID }); i >= 0 {
			p = profiles[i]
		}
		p.Name, p.Active = org.Name, org.Status == account.StatusActive
		out[org.ID] = p
	}
	return out, nil
}

// SearchDocument is the search document of a published offer of provider p,
// as of now (which decides whether the provider's checks are still current
// and which dated sessions are still to come). Its ID is the offer's.
func SearchDocument(o marketplace.Offer, p marketplace.Provider, now time.Time) search.Document {
	d := search.Document{
		ID: o.ID, Type: search.TypeOffer, Title: strings.TrimSpace(o.Title), Description: o.Description,
		PricePence: o.Price.LowestPerPerson(), PriceUnit: string(o.Price.Unit), CreatedAt: o.CreatedAt.UTC(),
	}
	offerFields(&d, o, p, now)
	d.BudgetForms = budgetForms(o.BudgetForms)
	d.Days, d.TimesOfDay = schedule(o.When, now)
	return d
}

// offerFields fills in what every document about an offer (the offer's own, or
// a pool's on it) takes from the offer and its provider p: categories, kind,
// accessibility, languages (the provider's when the offer names none), the
// provider's id, name and verification as of now, and where it takes place.
func offerFields(d *search.Document, o marketplace.Offer, p marketplace.Provider, now time.Time) {
	d.Categories, d.ProviderID, d.ProviderName, d.Kind = o.Categories, o.ProviderID, p.Name, string(o.Kind)
	d.Languages, d.Accessibility, d.Verified = o.Languages, o.Accessibility, p.Verification.Verified(now)
	d.Online = o.Where.Mode == marketplace.Online
	if len(d.Languages) == 0 {
		d.Languages = p.Languages // an offer says nothing: its provider's languages
	}
	if !d.Online {
		for _, c := range append([]string{o.Where.Outcode}, o.Where.AreasServed...) {
			if c = strings.ToUpper(strings.TrimSpace(c)); c != "" && !slices.Contains(d.Outcodes, c) {
				d.Outcodes = append(d.Outcodes, c)
			}
		}
		if o.Where.Lat != 0 || o.Where.Lng != 0 {
			d.Geo = &search.Point{Lat: o.Where.Lat, Lng: o.Where.Lng}
		}
	}
}

// budgetForms lists budget forms as the search vocabulary's slugs.
func budgetForms(forms []marketplace.BudgetForm) []string {
	var out []string
	for _, f := range forms {
		out = append(out, string(f))
	}
	return out
}

// schedule returns the days (in week order) and times of day on which an
// offer runs: its weekly slots and the dated sessions from today on. A slot
// counts for every time of day it overlaps: morning until 12:00, afternoon
// until 17:00, evening after.
func schedule(s marketplace.Schedule, now time.Time) (days, times []string) {
	var tt timetable
	slot := func(day, start, end string) {
		from, ok1 := minutes(start)
		to, ok2 := minutes(end)
		if !ok1 {
			from = -1 // the day only
		}
		if !ok2 {
			to = -1
		}
		tt.add(day, from, to)
	}
	for _, w := range s.Weekly {
		slot(strings.ToLower(w.Day), w.Start, w.End)
	}
	today := now.In(ukTime).Format(time.DateOnly)
	for _, d := range s.Dated {
		date, err := time.Parse(time.DateOnly, d.Date)
		if err != nil || d.Date < today {
			continue
		}
		slot(strings.ToLower(date.Weekday().String()), d.Start, d.End)
	}
	return tt.lists()
}

// timetable collects the days and times of day on which something runs.
type timetable struct{ onDay, atTime map[string]bool }

// add records a slot on day from minute from to minute to after midnight. A
// negative from records the day only; a slot with no end (to < 0), or one
// that runs past midnight, counts at its start.
func (t *timetable) add(day string, from, to int) {
	if t.onDay == nil {
		t.onDay, t.atTime = map[string]bool{}, map[string]bool{}
	}
	t.onDay[day] = true
	if from < 0 {
		return
	}
	if to <= from {
		to = from + 1
	}
	for _, tod := range []struct {
		name     string
		from, to int
	}{{"morning", 0, 12 * 60}, {"afternoon", 12 * 60, 17 * 60}, {"evening", 17 * 60, 24 * 60}} {
		if from < tod.to && to > tod.from {
			t.atTime[tod.name] = true
		}
	}
}

// lists returns the days in week order and the times of day in day order.
func (t *timetable) lists() (days, times []string) {
	for _, d := range search.Days {
		if t.onDay[d] {
			days = append(days, d)
		}
	}
	for _, tod := range search.TimesOfDay {
		if t.atTime[tod] {
			times = append(times, tod)
		}
	}
	return days, times
}

// ukTime is the zone schedules are written in; UTC when the zone database is
// missing (an hour's difference at most, around midnight).
var ukTime = func() *time.Location {
	if l, err := time.LoadLocation("Europe/London"); err == nil {
		return l
	}
	return time.UTC
}()

// minutes reads "HH:MM" as minutes after midnight.
func minutes(hhmm string) (int, bool) {
	t, err := time.Parse("15:04", hhmm)
	if err != nil {
		return 0, false
	}
	return t.Hour()*60 + t.Minute(), true
}

// SearchOutbox is the store's outbox of search tasks as the search worker
// sees it (search.Outbox).
type SearchOutbox struct{ o *Outbox }

var _ search.Outbox = (*SearchOutbox)(nil)

// NewSearchOutbox returns the outbox of search tasks for a worker called
// owner (its leases carry the name).
func (db *DB) NewSearchOutbox(owner string) *SearchOutbox {
	return &SearchOutbox{o: db.NewOutbox(SearchTopic, owner)}
}

// Claim leases due search tasks. See search.Outbox.
func (s *SearchOutbox) Claim(ctx context.Context, n int, lease time.Duration) ([]search.Task, error) {
	tasks, err := s.o.Claim(ctx, n, lease)
	out := make([]search.Task, len(tasks))
	for i, t := range tasks {
		out[i] = search.Task{ID: t.ID, Ref: t.Ref, Attempts: t.Attempts}
	}
	return out, err
}

// Done removes a finished task. See search.Outbox.
func (s *SearchOutbox) Done(ctx context.Context, t search.Task) error {
	return s.o.Done(ctx, Task{ID: t.ID})
}

// Retry releases a failed task. See search.Outbox.
func (s *SearchOutbox) Retry(ctx context.Context, t search.Task, cause error, backoff time.Duration) error {
	return s.o.Retry(ctx, Task{ID: t.ID}, cause, backoff)
}

// Pending counts the search tasks not yet done.
func (s *SearchOutbox) Pending(ctx context.Context) (int64, error) { return s.o.Pending(ctx) }
