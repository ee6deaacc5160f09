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

	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/pooling"
	"github.com/carepool/carepool/search"
)

// A pool is searchable while anyone may still join it: public, open, with a
// place left, on an offer of an active provider. A full pool refuses pledges
// (until someone withdraws, which queues its search task again), so a search
// hit would lead nowhere; drafts, invite-only pools and pools that are
// confirmed, failed, cancelled or later are not for the public to find.
// Whether the offer itself is still published does not matter: the pool
// copied what people pledge for (price, schedule, budget forms) and still
// takes pledges. Its document describes the pool with the offer's words,
// place and provider; its id is "pool_" and the pool's, which never equals an
// offer's (offer ids are UUIDs).

// PoolDocumentID is the search document id of a pool.
func PoolDocumentID(poolID string) string { return "pool_" + poolID }

// poolSearchable reports whether a pool, of an active provider, may be found.
func poolSearchable(p pooling.Pool) bool {
	return p.Visibility == pooling.Public && p.Status == pooling.StatusOpen && p.Taken < p.Pricing.MaxPeople
}

// poolSearchFilter selects the pools poolSearchable may accept.
func poolSearchFilter() bson.M {
	return bson.M{"status": pooling.StatusOpen, "visibility": pooling.Public}
}

// PoolSearchDocument is the search document of an open public pool on offer o of
// provider p, as of now. Its title is the pool's (the offer's when it has
// none); its description the pool's, the offer's and where the pool stands;
// its price what one more person would pay a session now (PoolJoinShare); its
// days and times those of its sessions to come; its budget forms those the
// pool accepts. The rest is the offer's, as in SearchDocument.
func PoolSearchDocument(pool pooling.Pool, o marketplace.Offer, p marketplace.Provider, now time.Time) search.Document {
	d := search.Document{
		ID: PoolDocumentID(pool.ID), Type: search.TypePool, Title: strings.TrimSpace(pool.Title),
		PricePence: PoolJoinShare(pool), PriceUnit: string(marketplace.PerSession), CreatedAt: pool.CreatedAt.UTC(),
	}
	if d.Title == "" {
		d.Title = strings.TrimSpace(o.Title)
	}
	offerFields(&d, o, p, now)
	d.BudgetForms = budgetForms(pool.BudgetForms)
	var text []string
	for _, s := range []string{pool.Description, o.Description} {
		if s = strings.TrimSpace(s); s != "" {
			text = append(text, s)
		}
	}
	text = append(text, fmt.Sprintf("Group purchase: %d of %d places taken, deadline %s.",
		pool.Taken, pool.Pricing.MaxPeople, pool.Deadline.In(ukTime).Format("2 January 2006")))
	d.Description = strings.Join(text, "\n\n")
	d.Days, d.TimesOfDay = poolSchedule(pool, now)
	return d
}

// PoolJoinShare is the most one more person would pay a session in an open pool
// if it went ahead now: the pool's share at the number of people who would
// count with them (one more than count now, as a newcomer never uncounts
// anyone), and never at fewer than the minimum the pool needs to go ahead.
// With nobody counted yet it is the share at the minimum, the "most anyone
// would pay" of the pool's own summary.
func PoolJoinShare(pool pooling.Pool) int64 {
	pr := pool.Pricing
	return pr.Share(min(max(pool.CountedK+1, pr.MinPeople), max(pr.MaxPeople, 1)))
}

// poolSchedule returns the days and times of day of a pool's scheduled sessions
// from today on, in the zone schedules are written in.
func poolSchedule(pool pooling.Pool, now time.Time) (days, times []string) {
	var tt timetable
	today := now.In(ukTime).Format(time.DateOnly)
	for _, s := range pool.Sessions {
		at := s.StartsAt.In(ukTime)
		if s.Status != pooling.SessionScheduled || at.Format(time.DateOnly) < today {
			continue
		}
		from := at.Hour()*60 + at.Minute()
		tt.add(strings.ToLower(at.Weekday().String()), from, from+pool.SessionMinutes)
	}
	return tt.lists()
}

// PoolDocument returns a pool's search document and whether the public may find
// it (see above). A pool, or an offer, that does not exist is not visible.
func (s *SearchSource) PoolDocument(ctx context.Context, id string) (search.Document, bool, error) {
	var pool pooling.Pool
	err := s.db.Collection(poolsCollection).FindOne(ctx, bson.M{"_id": id}).Decode(&pool)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return search.Document{}, false, nil
	}
	if err != nil {
		return search.Document{}, false, fmt.Errorf("read pool: %w", err)
	}
	if !poolSearchable(pool) {
		return search.Document{}, false, nil
	}
	docs, err := s.poolDocs(ctx, []pooling.Pool{pool}, s.now())
	if err != nil || len(docs) == 0 {
		return search.Document{}, false, err
	}
	return docs[0], true, nil
}

// ResolvePool resolves the search worker's "pool:<id>" refs
// (search.Worker.More["pool"]): the pool's document when it is visible, and
// otherwise its removal.
func (s *SearchSource) ResolvePool(ctx context.Context, id string) (upsert []search.Document, remove []string, err error) {
	d, visible, err := s.PoolDocument(ctx, id)
	switch {
	case err != nil:
		return nil, nil, err
	case visible:
		return []search.Document{d}, nil, nil
	}
	return nil, []string{PoolDocumentID(id)}, nil
}

var _ search.Resolve = (*SearchSource)(nil).ResolvePool

// poolDocs builds the documents of searchable pools whose offer exists and whose
// provider is active, reading their offers and providers.
func (s *SearchSource) poolDocs(ctx context.Context, pools []pooling.Pool, now time.Time) ([]search.Document, error) {
	var offerIDs, providerIDs []string
	for _, p := range pools {
		if !slices.Contains(offerIDs, p.OfferID) {
			offerIDs = append(offerIDs, p.OfferID)
		}
		if !slices.Contains(providerIDs, p.ProviderID) {
			providerIDs = append(providerIDs, p.ProviderID)
		}
	}
	if len(offerIDs) == 0 {
		return nil, nil
	}
	cur, err := s.db.Collection(offersCollection).Find(ctx, bson.M{"_id": bson.M{"$in": offerIDs}})
	if err != nil {
		return nil, fmt.Errorf("find pools' offers: %w", err)
	}
	var list []marketplace.Offer
	if err := cur.All(ctx, &list); err != nil {
		return nil, fmt.Errorf("read pools' offers: %w", err)
	}
	offers := map[string]marketplace.Offer{}
	for _, o := range list {
		offers[o.ID] = o
	}
	providers, err := s.providers(ctx, providerIDs)
	if err != nil {
		return nil, err
	}
	var docs []search.Document
	for _, p := range pools {
		o, ok := offers[p.OfferID]
		if prov := providers[p.ProviderID]; ok && prov.Active {
			docs = append(docs, PoolSearchDocument(p, o, prov, now))
		}
	}
	return docs, nil
}

// poolDocuments calls fn with the documents of every visible pool, a page at a
// time (Documents' second part).
func (s *SearchSource) poolDocuments(ctx context.Context, fn func([]search.Document) error) error {
	now := s.now()
	var batch []pooling.Pool
	flush := func() error {
		docs, err := s.poolDocs(ctx, batch, now)
		batch = batch[:0]
		if err != nil || len(docs) == 0 {
			return err
		}
		return fn(docs)
	}
	err := findEach(ctx, s.db, poolsCollection, poolSearchFilter(), nil, func(p pooling.Pool) error {
		if !poolSearchable(p) {
			return nil
		}
		if batch = append(batch, p); len(batch) == searchPage {
			return flush()
		}
		return nil
	})
	if err != nil {
		return err // fn's, or the store's (findEach names the collection)
	}
	return flush()
}

// countPools counts the open public pools of providers not in suspended.
func (s *SearchSource) countPools(ctx context.Context, suspended []string) (int, error) {
	filter := poolSearchFilter()
	if len(suspended) > 0 {
		filter["provider_id"] = bson.M{"$nin": suspended}
	}
	n, err := s.db.Collection(poolsCollection).CountDocuments(ctx, filter)
	if err != nil {
		return 0, fmt.Errorf("count open public pools: %w", err)
	}
	return int(n), nil
}
