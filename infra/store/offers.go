package store

import (
	"context"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace"
)

const (
	offersCollection    = "offers"
	providersCollection = "providers"
	// SearchTopic is the outbox topic of search index updates.
	SearchTopic = "search"
)

func init() {
	registerIndexes(offersCollection, plain("provider_created", bson.D{{Key: "provider_id", Value: 1}, {Key: "created_at", Value: -1}}))
}

// Marketplace keeps offers and provider profiles.
type Marketplace struct{ db *DB }

var _ marketplace.Store = (*Marketplace)(nil)

// NewMarketplace returns the marketplace store on db.
func NewMarketplace(db *DB) *Marketplace { return &Marketplace{db: db} }

// CreateOffer inserts the offer and its search task in one transaction.
func (m *Marketplace) CreateOffer(ctx context.Context, o *marketplace.Offer) error {
	return m.db.Tx(ctx, func(ctx context.Context) error {
		if _, err := m.db.Collection(offersCollection).InsertOne(ctx, o); err != nil {
			return err
		}
		return m.db.enqueue(ctx, SearchTopic, "offer:"+o.ID)
	})
}

// UpdateOffer replaces the offer if it is still at expectVersion, with its search task.
func (m *Marketplace) UpdateOffer(ctx context.Context, o *marketplace.Offer, expectVersion int64) error {
	return m.db.Tx(ctx, func(ctx context.Context) error {
		res, err := m.db.Collection(offersCollection).ReplaceOne(ctx, bson.M{"_id": o.ID, "version": expectVersion}, o)
		if err != nil {
			return err
		}
		if res.MatchedCount == 0 {
			return m.missOrConflict(ctx, offersCollection, o.ID, "offer")
		}
		if err := m.db.enqueue(ctx, SearchTopic, "offer:"+o.ID); err != nil {
			return err
		}
		return m.db.enqueuePoolsOf(ctx, "offer_id", o.ID)
	})
}

// missOrConflict tells a lost race (the document exists at another version) from a
// missing document, after a conditional write matched nothing.
func (m *Marketplace) missOrConflict(ctx context.Context, coll, id, what string) error {
	n, err := m.db.Collection(coll).CountDocuments(ctx, bson.M{"_id": id})
	if err != nil {
		return err
	}
	if n == 0 {
		return apperr.NotFoundf(what)
	}
	return apperr.ErrVersionMismatch
}

// Offer returns one offer.
func (m *Marketplace) Offer(ctx context.Context, id string) (marketplace.Offer, error) {
	return findOne[marketplace.Offer](ctx, m.db, offersCollection, bson.M{"_id": id}, apperr.NotFoundf("offer"))
}

// Offers returns offers matching q, newest first.
func (m *Marketplace) Offers(ctx context.Context, q marketplace.OfferQuery) ([]marketplace.Offer, error) {
	filter := bson.D{}
	if len(q.Statuses) == 0 {
		filter = append(filter, bson.E{Key: "status", Value: marketplace.StatusPublished})
	} else {
		filter = append(filter, bson.E{Key: "status", Value: bson.M{"$in": q.Statuses}})
	}
	add := func(key string, value any, set bool) {
		if set {
			filter = append(filter, bson.E{Key: key, Value: value})
		}
	}
	add("kind", q.Kind, q.Kind != "")
	add("categories", q.Category, q.Category != "")
	add("budget_forms", q.BudgetForm, q.BudgetForm != "")
	// One provider_id condition: a filter naming a field twice is ambiguous across
	// drivers and servers.
	provider := bson.M{}
	if q.ProviderID != "" {
		provider["$eq"] = q.ProviderID
	}
	if len(q.ExcludeOrgIDs) > 0 {
		provider["$nin"] = q.ExcludeOrgIDs
	}
	if len(provider) > 0 {
		filter = append(filter, bson.E{Key: "provider_id", Value: provider})
	}
	if q.Outcode != "" {
		filter = append(filter, bson.E{Key: "$or", Value: bson.A{
			bson.M{"where.outcode": q.Outcode}, bson.M{"where.areas_served": q.Outcode}}})
	}
	if c := q.After; c != nil {
		filter = append(filter, bson.E{Key: "$and", Value: bson.A{bson.M{"$or": bson.A{
			bson.M{"created_at": bson.M{"$lt": c.CreatedAt}},
			bson.M{"created_at": c.CreatedAt, "_id": bson.M{"$lt": c.ID}},
		}}}})
	}
	opts := options.Find().SetSort(bson.D{{Key: "created_at", Value: -1}, {Key: "_id", Value: -1}}).SetLimit(int64(q.Limit))
	return findAll[marketplace.Offer](ctx, m.db, offersCollection, filter, opts)
}

// Provider returns a provider's profile.
func (m *Marketplace) Provider(ctx context.Context, id string) (marketplace.Provider, error) {
	return findOne[marketplace.Provider](ctx, m.db, providersCollection, bson.M{"_id": id}, apperr.NotFoundf("provider"))
}

// SaveProvider inserts or conditionally replaces a profile. The provider's name and
// verification appear in its offers' search documents, so it queues a search task too.
func (m *Marketplace) SaveProvider(ctx context.Context, p *marketplace.Provider, expectVersion int64) error {
	return m.db.Tx(ctx, func(ctx context.Context) error {
		coll := m.db.Collection(providersCollection)
		if expectVersion == 0 {
			if _, err := coll.InsertOne(ctx, p); err != nil {
				if IsDuplicateKey(err) {
					return apperr.ErrVersionMismatch
				}
				return err
			}
		} else {
			res, err := coll.ReplaceOne(ctx, bson.M{"_id": p.ID, "version": expectVersion}, p)
			if err != nil {
				return err
			}
			if res.MatchedCount == 0 {
				return m.missOrConflict(ctx, providersCollection, p.ID, "provider")
			}
		}
		if err := m.db.enqueue(ctx, SearchTopic, "provider:"+p.ID); err != nil {
			return err
		}
		return m.db.enqueuePoolsOf(ctx, "provider_id", p.ID)
	})
}

// Providers returns profiles by id after q.AfterID.
func (m *Marketplace) Providers(ctx context.Context, q marketplace.ProviderQuery) ([]marketplace.Provider, error) {
	filter := bson.M{}
	if q.AfterID != "" {
		filter["_id"] = bson.M{"$gt": q.AfterID}
	}
	if q.Outcode != "" {
		filter["areas_served"] = q.Outcode
	}
	return findAll[marketplace.Provider](ctx, m.db, providersCollection, filter,
		options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetLimit(int64(q.Limit)))
}
