package marketplace

import (
	"context"
	"time"

	"github.com/carepool/carepool/marketplace/account"
)

// Store keeps offers and provider profiles. Every write also records, in the same
// transaction, a task for the search index (the outbox), so the index follows the store.
type Store interface {
	// CreateOffer inserts a new offer.
	CreateOffer(ctx context.Context, o *Offer) error
	// UpdateOffer replaces the offer if its stored version is still expectVersion, and
	// stores it with o.Version. It returns apperr.ErrVersionMismatch if the stored version
	// differs and a NotFound error if there is no such offer.
	UpdateOffer(ctx context.Context, o *Offer, expectVersion int64) error
	// Offer returns one offer, or a NotFound error.
	Offer(ctx context.Context, id string) (Offer, error)
	// Offers returns up to q.Limit offers matching q, newest first, after q.After.
	Offers(ctx context.Context, q OfferQuery) ([]Offer, error)

	// Provider returns a provider's profile, or a NotFound error if it has none yet.
	Provider(ctx context.Context, id string) (Provider, error)
	// SaveProvider inserts (expectVersion 0) or replaces (if the stored version is still
	// expectVersion) a profile. It returns apperr.ErrVersionMismatch on a lost race.
	SaveProvider(ctx context.Context, p *Provider, expectVersion int64) error
	// Providers returns up to q.Limit profiles matching q, ordered by id, after q.After.
	Providers(ctx context.Context, q ProviderQuery) ([]Provider, error)
}

// Directory is what the marketplace needs to know of organisations, which the account
// package owns.
type Directory interface {
	// Organisation returns an organisation, or a NotFound error.
	Organisation(ctx context.Context, id string) (account.Organisation, error)
	// SuspendedOrganisationIDs returns the ids of every suspended organisation (a short list).
	SuspendedOrganisationIDs(ctx context.Context) ([]string, error)
}

// Service applies the marketplace's rules: who may create, change, publish and see offers
// and provider profiles.
type Service struct {
	store Store
	dir   Directory
	now   func() time.Time
	newID func() string
}

// NewService returns a marketplace service. now and newID may be nil for the real clock
// and random UUIDs; tests pass fixed ones.
func NewService(store Store, dir Directory, now func() time.Time, newID func() string) *Service {
	if now == nil {
		now = time.Now
	}
	if newID == nil {
		newID = newUUID
	}
	return &Service{store: store, dir: dir, now: func() time.Time { return now().UTC().Truncate(time.Millisecond) }, newID: newID}
}
