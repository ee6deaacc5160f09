package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
)

// Collections of Open Referral imports and the open directory.
const (
	// collUnclaimed holds one document per organisation an import created that no provider
	// has claimed yet, with the profile staged for it. Approving a claim deletes it and
	// writes the profile to providers, in one transaction (see claim.go).
	collUnclaimed = "unclaimed_organisations"
	// collImportLinks ties each imported feed record to what was made of it; the _id is
	// source|kind|source id, so a record is linked once.
	collImportLinks = "import_links"
)

func init() {
	registerIndexes(collImportLinks, plain("import_links_source", bson.D{{Key: "source", Value: 1}}))
}

type unclaimedDoc struct {
	ID        string                `bson:"_id"`
	Source    string                `bson:"source"`
	Profile   *marketplace.Provider `bson:"profile,omitempty"`
	CreatedAt time.Time             `bson:"created_at"`
}

type importLinkDoc struct {
	ID       string `bson:"_id"`
	Source   string `bson:"source"`
	Kind     string `bson:"kind"`
	SourceID string `bson:"source_id"`
	LocalID  string `bson:"local_id"`
	Hash     string `bson:"hash"`
}

var (
	_ marketplace.ListingStore = (*Marketplace)(nil)
	_ marketplace.ImportStore  = (*Marketplace)(nil)
)

// OffersWithStatus implements marketplace.ListingStore.
func (m *Marketplace) OffersWithStatus(ctx context.Context, statuses ...marketplace.Status) ([]marketplace.Offer, error) {
	return m.findOffers(ctx, bson.M{"status": bson.M{"$in": statuses}})
}

// OffersByID implements marketplace.ImportStore.
func (m *Marketplace) OffersByID(ctx context.Context, ids []string) (map[string]marketplace.Offer, error) {
	out := map[string]marketplace.Offer{}
	if len(ids) == 0 {
		return out, nil
	}
	offers, err := m.findOffers(ctx, bson.M{"_id": bson.M{"$in": ids}})
	for _, o := range offers {
		out[o.ID] = o
	}
	return out, err
}

func (m *Marketplace) findOffers(ctx context.Context, filter bson.M) ([]marketplace.Offer, error) {
	return findAll[marketplace.Offer](ctx, m.db, offersCollection, filter, nil)
}

// AllProviders implements marketplace.ListingStore.
func (m *Marketplace) AllProviders(ctx context.Context) ([]marketplace.Provider, error) {
	cur, err := m.db.Collection(providersCollection).Find(ctx, bson.M{})
	if err != nil {
		return nil, fmt.Errorf("find providers: %w", err)
	}
	providers := []marketplace.Provider{}
	if err := cur.All(ctx, &providers); err != nil {
		return nil, fmt.Errorf("decode providers: %w", err)
	}
	return providers, nil
}

// ProviderOrganisations implements marketplace.ListingStore.
func (m *Marketplace) ProviderOrganisations(ctx context.Context) ([]account.Organisation, error) {
	var kinds []string
	for _, k := range account.OrgKinds {
		if k.IsProvider() {
			kinds = append(kinds, string(k))
		}
	}
	cur, err := m.db.Collection(collOrganisations).Find(ctx, bson.M{"kinds": bson.M{"$in": kinds}})
	if err != nil {
		return nil, fmt.Errorf("find provider organisations: %w", err)
	}
	var docs []organisationDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("decode provider organisations: %w", err)
	}
	orgs := make([]account.Organisation, len(docs))
	for i, d := range docs {
		orgs[i] = d.organisation()
	}
	return orgs, nil
}

// UnclaimedProviders implements marketplace.ListingStore.
func (m *Marketplace) UnclaimedProviders(ctx context.Context) (map[string]*marketplace.Provider, error) {
	cur, err := m.db.Collection(collUnclaimed).Find(ctx, bson.M{})
	if err != nil {
		return nil, fmt.Errorf("find unclaimed organisations: %w", err)
	}
	var docs []unclaimedDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("decode unclaimed organisations: %w", err)
	}
	out := make(map[string]*marketplace.Provider, len(docs))
	for _, d := range docs {
		out[d.ID] = d.Profile
	}
	return out, nil
}

// OrganisationsExist implements marketplace.ImportStore.
func (m *Marketplace) OrganisationsExist(ctx context.Context, ids []string) (map[string]bool, error) {
	out := map[string]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	cur, err := m.db.Collection(collOrganisations).Find(ctx, bson.M{"_id": bson.M{"$in": ids}},
		options.Find().SetProjection(bson.M{"_id": 1}))
	if err != nil {
		return nil, fmt.Errorf("find organisations: %w", err)
	}
	var docs []struct {
		ID string `bson:"_id"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("decode organisations: %w", err)
	}
	for _, d := range docs {
		out[d.ID] = true
	}
	return out, nil
}

// ImportLinks implements marketplace.ImportStore.
func (m *Marketplace) ImportLinks(ctx context.Context, source string) (map[string]marketplace.ImportLink, error) {
	cur, err := m.db.Collection(collImportLinks).Find(ctx, bson.M{"source": source})
	if err != nil {
		return nil, fmt.Errorf("find import links: %w", err)
	}
	var docs []importLinkDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("decode import links: %w", err)
	}
	out := make(map[string]marketplace.ImportLink, len(docs))
	for _, d := range docs {
		l := marketplace.ImportLink{Source: d.Source, Kind: d.Kind, SourceID: d.SourceID, LocalID: d.LocalID, Hash: d.Hash}
		out[l.Key()] = l
	}
	return out, nil
}

// SaveImport implements marketplace.ImportStore: the organisation, its staged profile,
// its offers (each with a search task) and the links commit together or not at all.
func (m *Marketplace) SaveImport(ctx context.Context, b marketplace.ImportBatch) error {
	return m.db.Tx(ctx, func(ctx context.Context) error {
		if err := m.saveImportedOrg(ctx, b); err != nil {
			return err
		}
		// Inserts go in one call per collection: the embedded engine copies a collection's
		// document list on every write, so fewer writes make a large import much faster.
		offers := m.db.Collection(offersCollection)
		var created, tasks []any
		now := time.Now().UTC()
		for i := range b.Offers {
			o := &b.Offers[i]
			tasks = append(tasks, Task{ID: uuid.NewString(), Topic: SearchTopic, Ref: "offer:" + o.ID, CreatedAt: now, DueAt: now})
			if o.Version == 1 {
				created = append(created, o)
				continue
			}
			res, err := offers.ReplaceOne(ctx, bson.M{"_id": o.ID, "version": o.Version - 1, "status": marketplace.StatusDraft}, o)
			if err != nil {
				return fmt.Errorf("replace offer %s: %w", o.ID, err)
			}
			if res.MatchedCount == 0 {
				return marketplace.ErrImportConflict
			}
		}
		if len(created) > 0 {
			if _, err := offers.InsertMany(ctx, created); err != nil {
				return fmt.Errorf("insert offers: %w", err)
			}
		}
		if len(tasks) > 0 {
			if _, err := m.db.Collection(outboxCollection).InsertMany(ctx, tasks); err != nil {
				return fmt.Errorf("enqueue search tasks: %w", err)
			}
		}
		var ids []string
		var docs []any
		for _, l := range b.Links {
			id := l.Source + "|" + l.Kind + "|" + l.SourceID
			ids = append(ids, id)
			docs = append(docs, importLinkDoc{ID: id, Source: l.Source, Kind: l.Kind, SourceID: l.SourceID, LocalID: l.LocalID, Hash: l.Hash})
		}
		if len(docs) > 0 {
			links := m.db.Collection(collImportLinks)
			if _, err := links.DeleteMany(ctx, bson.M{"_id": bson.M{"$in": ids}}); err != nil {
				return fmt.Errorf("replace links: %w", err)
			}
			if _, err := links.InsertMany(ctx, docs); err != nil {
				return fmt.Errorf("link records: %w", err)
			}
		}
		return nil
	})
}

func (m *Marketplace) saveImportedOrg(ctx context.Context, b marketplace.ImportBatch) error {
	o := b.Org
	orgs, unclaimed := m.db.Collection(collOrganisations), m.db.Collection(collUnclaimed)
	if b.CreateOrg {
		doc := organisationDoc{ID: o.ID, Name: o.Name, Kinds: kindStrings(o.Kinds), Status: string(account.StatusActive),
			CreatedBy: o.CreatedBy, CreatedAt: o.CreatedAt.UTC(), UpdatedAt: o.UpdatedAt.UTC(), Version: 1, OwnerCount: 0}
		if _, err := orgs.InsertOne(ctx, doc); err != nil {
			return fmt.Errorf("insert organisation %s: %w", o.ID, err)
		}
		if _, err := unclaimed.InsertOne(ctx, unclaimedDoc{ID: o.ID, Source: b.Source, Profile: b.Profile, CreatedAt: o.CreatedAt.UTC()}); err != nil {
			return fmt.Errorf("stage organisation %s: %w", o.ID, err)
		}
		return nil
	}
	// Only an organisation nobody owns yet is the import's to change.
	n, err := unclaimed.CountDocuments(ctx, bson.M{"_id": o.ID})
	if err != nil {
		return fmt.Errorf("find unclaimed organisation %s: %w", o.ID, err)
	}
	if n == 0 {
		return marketplace.ErrImportConflict
	}
	if b.UpdateOrg {
		res, err := orgs.UpdateOne(ctx, bson.M{"_id": o.ID, "owner_count": 0},
			bson.M{"$set": bson.M{"name": o.Name, "kinds": kindStrings(o.Kinds), "updated_at": o.UpdatedAt.UTC()}, "$inc": bson.M{"version": 1}})
		if err != nil {
			return fmt.Errorf("update organisation %s: %w", o.ID, err)
		}
		if res.MatchedCount == 0 {
			return marketplace.ErrImportConflict
		}
	}
	if b.SetProfile {
		set := bson.M{"$set": bson.M{"profile": b.Profile}}
		if b.Profile == nil {
			set = bson.M{"$unset": bson.M{"profile": ""}}
		}
		if _, err := unclaimed.UpdateOne(ctx, bson.M{"_id": o.ID}, set); err != nil {
			return fmt.Errorf("stage profile of %s: %w", o.ID, err)
		}
	}
	return nil
}

// errNotUnclaimed is how claim approval learns, inside its transaction, that the
// organisation is no longer waiting for a claim.
var errNotUnclaimed = errors.New("organisation is not unclaimed")

// takeUnclaimed removes an organisation from the unclaimed ones and returns the profile
// staged for it. Call it inside a transaction.
func (db *DB) takeUnclaimed(ctx context.Context, orgID string) (*marketplace.Provider, error) {
	var d unclaimedDoc
	err := db.Collection(collUnclaimed).FindOneAndDelete(ctx, bson.M{"_id": orgID}).Decode(&d)
	if err != nil {
		if errors.Is(err, mongo.ErrNoDocuments) {
			return nil, errNotUnclaimed
		}
		return nil, fmt.Errorf("take unclaimed organisation %s: %w", orgID, err)
	}
	return d.Profile, nil
}
