package marketplace

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/carepool/carepool/marketplace/account"
)

// OpenDirectory is the marketplace as open directories (Open Referral UK) publish it: every
// published offer of an active provider, with its provider, read all at once so that a
// feed can count, filter and page it. Administrators also see the listings an import
// created that no provider has claimed yet (see account.Claims).
type OpenDirectory struct{ store ListingStore }

// ListingStore is what the open directory reads. Each method reads a whole collection:
// the embedded engine scans for every query anyway, and a feed needs every listing to
// count them.
type ListingStore interface {
	// OffersWithStatus returns every offer in one of statuses.
	OffersWithStatus(ctx context.Context, statuses ...Status) ([]Offer, error)
	// AllProviders returns every provider profile that has been written.
	AllProviders(ctx context.Context) ([]Provider, error)
	// ProviderOrganisations returns every organisation of a provider kind.
	ProviderOrganisations(ctx context.Context) ([]account.Organisation, error)
	// UnclaimedProviders returns the organisations an import created that no provider has
	// claimed yet, each with the profile the import staged for it (nil when the feed gave
	// no usable profile). The staged profile goes live when a claim is approved.
	UnclaimedProviders(ctx context.Context) (map[string]*Provider, error)
}

// NewOpenDirectory returns the open directory over store.
func NewOpenDirectory(store ListingStore) *OpenDirectory { return &OpenDirectory{store: store} }

// Listing is one offer as an open directory publishes it, with its provider.
type Listing struct {
	Offer    Offer
	Provider *DirectoryProvider
}

// DirectoryProvider is a provider as an open directory publishes it: its profile (empty
// when it has written none), its organisation's name, kinds and last change, and whether
// it still waits for its provider to claim it.
type DirectoryProvider struct {
	Provider
	HasProfile   bool
	Unclaimed    bool
	OrgUpdatedAt time.Time
}

// Modified is when anything an open directory shows of the listing last changed: the
// offer, the provider's profile or its organisation (a rename, a reinstatement).
func (l Listing) Modified() time.Time {
	latest := l.Offer.UpdatedAt
	for _, t := range []time.Time{l.Provider.UpdatedAt, l.Provider.OrgUpdatedAt} {
		if t.After(latest) {
			latest = t
		}
	}
	return latest.UTC()
}

// Published is what the directory shows one caller at one moment, sorted by id.
type Published struct {
	Listings  []Listing
	Providers []*DirectoryProvider // providers with a profile or at least one listing
}

// Published returns the directory as the caller may see it: published offers of active
// providers for everyone; administrators also see the draft offers of providers an import
// created and no one has claimed yet (marked Unclaimed). Offers of suspended providers,
// other drafts, paused and archived offers never appear.
func (d *OpenDirectory) Published(ctx context.Context) (Published, error) {
	admin := account.ActorFrom(ctx).IsAdmin()
	orgs, err := d.store.ProviderOrganisations(ctx)
	if err != nil {
		return Published{}, fmt.Errorf("open directory: organisations: %w", err)
	}
	unclaimed, err := d.store.UnclaimedProviders(ctx)
	if err != nil {
		return Published{}, fmt.Errorf("open directory: unclaimed providers: %w", err)
	}
	profiles, err := d.store.AllProviders(ctx)
	if err != nil {
		return Published{}, fmt.Errorf("open directory: providers: %w", err)
	}
	statuses := []Status{StatusPublished}
	if admin && len(unclaimed) > 0 {
		statuses = append(statuses, StatusDraft)
	}
	offers, err := d.store.OffersWithStatus(ctx, statuses...)
	if err != nil {
		return Published{}, fmt.Errorf("open directory: offers: %w", err)
	}

	byID := make(map[string]*DirectoryProvider, len(orgs))
	orgOf := make(map[string]account.Organisation, len(orgs))
	for _, org := range orgs {
		orgOf[org.ID] = org
		staged, isUnclaimed := unclaimed[org.ID]
		if org.Suspended() || (isUnclaimed && !admin) {
			continue
		}
		p := &DirectoryProvider{Provider: Provider{ID: org.ID, AreasServed: []string{}, Languages: []string{}},
			Unclaimed: isUnclaimed, OrgUpdatedAt: org.UpdatedAt}
		if staged != nil {
			p.Provider, p.HasProfile = *staged, true
		}
		withOrg(&p.Provider, org)
		byID[org.ID] = p
	}
	for _, prof := range profiles {
		if p, ok := byID[prof.ID]; ok && !p.Unclaimed {
			p.Provider, p.HasProfile = prof, true
			withOrg(&p.Provider, orgOf[prof.ID])
		}
	}

	var out Published
	listed := map[string]bool{}
	for _, o := range offers {
		p, ok := byID[o.ProviderID]
		if !ok || (o.Status != StatusPublished && !p.Unclaimed) {
			continue
		}
		out.Listings = append(out.Listings, Listing{Offer: o, Provider: p})
		listed[p.ID] = true
	}
	for _, p := range byID {
		if p.HasProfile || listed[p.ID] {
			out.Providers = append(out.Providers, p)
		}
	}
	slices.SortFunc(out.Listings, func(a, b Listing) int { return cmp.Compare(a.Offer.ID, b.Offer.ID) })
	slices.SortFunc(out.Providers, func(a, b *DirectoryProvider) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}
