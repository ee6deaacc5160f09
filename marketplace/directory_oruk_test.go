package marketplace_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	mk "github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
)

// listingStore is a fixed ListingStore.
type listingStore struct {
	offers    []mk.Offer
	profiles  []mk.Provider
	orgs      []account.Organisation
	unclaimed map[string]*mk.Provider
}

var _ mk.ListingStore = listingStore{}

func (s listingStore) OffersWithStatus(_ context.Context, statuses ...mk.Status) ([]mk.Offer, error) {
	var out []mk.Offer
	for _, o := range s.offers {
		for _, st := range statuses {
			if o.Status == st {
				out = append(out, o)
			}
		}
	}
	return out, nil
}
func (s listingStore) AllProviders(context.Context) ([]mk.Provider, error) { return s.profiles, nil }
func (s listingStore) ProviderOrganisations(context.Context) ([]account.Organisation, error) {
	return s.orgs, nil
}
func (s listingStore) UnclaimedProviders(context.Context) (map[string]*mk.Provider, error) {
	return s.unclaimed, nil
}

func TestTheOpenDirectoryShowsPublishedOffersOfActiveProvidersOnly(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	org := func(id string, status account.OrgStatus) account.Organisation {
		return account.Organisation{ID: id, Name: "Org " + id, Kinds: []account.OrgKind{account.KindCommunityGroup}, Status: status, UpdatedAt: at}
	}
	offer := func(id, provider string, status mk.Status) mk.Offer {
		return mk.Offer{ID: id, ProviderID: provider, Status: status, UpdatedAt: at}
	}
	staged := &mk.Provider{ID: "p4", Description: "Staged by an import", UpdatedAt: at}
	s := listingStore{
		orgs: []account.Organisation{org("p1", account.StatusActive), org("p2", account.StatusSuspended), org("p3", account.StatusActive), org("p4", account.StatusActive), org("p5", account.StatusActive)},
		offers: []mk.Offer{offer("o1", "p1", mk.StatusPublished), offer("o2", "p1", mk.StatusDraft), offer("o3", "p1", mk.StatusPaused),
			offer("o4", "p2", mk.StatusPublished), offer("o5", "p3", mk.StatusArchived), offer("o6", "p4", mk.StatusDraft), offer("o7", "p9", mk.StatusPublished)},
		profiles:  []mk.Provider{{ID: "p1", Description: "One", UpdatedAt: at.Add(time.Hour)}, {ID: "p3", Description: "Three"}, {ID: "p2", Description: "Two"}},
		unclaimed: map[string]*mk.Provider{"p4": staged, "p5": nil},
	}
	tests := []struct {
		name          string
		actor         *account.Actor
		wantListings  []string
		wantProviders []string
	}{
		{"the public", &account.Actor{}, []string{"o1"}, []string{"p1", "p3"}},
		{"a member of the provider sees no more here", &account.Actor{UserID: "u", Memberships: []account.Membership{{OrgID: "p1"}}}, []string{"o1"}, []string{"p1", "p3"}},
		{"an administrator also sees the listings waiting for a claim", &account.Actor{UserID: "a", Admin: true}, []string{"o1", "o6"}, []string{"p1", "p3", "p4"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pub, err := mk.NewOpenDirectory(s).Published(account.WithActor(context.Background(), tt.actor))
			if err != nil {
				t.Fatal(err)
			}
			var listings, providers []string
			for _, l := range pub.Listings {
				listings = append(listings, l.Offer.ID)
				if l.Provider.ID != l.Offer.ProviderID {
					t.Errorf("%s is listed with provider %s", l.Offer.ID, l.Provider.ID)
				}
			}
			for _, p := range pub.Providers {
				providers = append(providers, p.ID)
			}
			if diff := cmp.Diff(tt.wantListings, listings); diff != "" {
				t.Errorf("listings (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantProviders, providers); diff != "" {
				t.Errorf("providers (-want +got):\n%s", diff)
			}
			for _, p := range pub.Providers {
				switch {
				case p.ID == "p1" && (p.Name != "Org p1" || p.Description != "One" || !p.Active || p.Unclaimed):
					t.Errorf("p1 = %+v", p)
				case p.ID == "p4" && (!p.Unclaimed || p.Description != "Staged by an import" || p.Name != "Org p4"):
					t.Errorf("p4 = %+v", p)
				}
			}
			if got := pub.Listings[0].Modified(); !got.Equal(at.Add(time.Hour)) {
				t.Errorf("o1 modified %s: want its provider's later change", got)
			}
		})
	}
}
