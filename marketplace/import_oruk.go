package marketplace

import (
	"context"
	"time"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace/account"
)

// ImportedOffer builds the draft offer an importer creates from input it has normalised
// and validated, as CreateOffer would (the place derived from the postcode or first area),
// with the times the source gives. An importer stores it itself.
func ImportedOffer(id, providerID string, in OfferInput, createdAt, updatedAt time.Time) Offer {
	o := Offer{ID: id, ProviderID: providerID, Status: StatusDraft, Version: 1,
		CreatedAt: createdAt.UTC().Truncate(time.Millisecond), UpdatedAt: updatedAt.UTC().Truncate(time.Millisecond)}
	o.apply(in)
	return o
}

// ImportedProfile builds a provider profile from input an importer has normalised and
// validated. Nothing in it is verified: an administrator verifies a provider's checks
// after the provider has claimed it.
func ImportedProfile(id string, in ProviderInput, updatedAt time.Time) Provider {
	p := Provider{ID: id, Version: 1, UpdatedAt: updatedAt.UTC().Truncate(time.Millisecond)}
	p.apply(in)
	if p.AreasServed == nil {
		p.AreasServed = []string{}
	}
	if p.Languages == nil {
		p.Languages = []string{}
	}
	return p
}

// Input returns what a provider would send to write the offer again as it is.
func (o Offer) Input() OfferInput {
	return OfferInput{Kind: o.Kind, Title: o.Title, Description: o.Description, Categories: o.Categories,
		Where: WhereInput{Mode: o.Where.Mode, Address: o.Where.Address, AreasServed: o.Where.AreasServed},
		When:  o.When, Price: o.Price, BudgetForms: o.BudgetForms, Accessibility: o.Accessibility, Languages: o.Languages}
}

// ImportLink ties a record of a source feed to the local object made from it, so that
// importing the same feed again updates what the last import made instead of adding more.
type ImportLink struct {
	Source   string // the feed, such as https://example.org/openreferral/v3
	Kind     string // "organization" or "service"
	SourceID string // the record's id in the feed
	LocalID  string // the organisation's or offer's id here
	Hash     string // a digest of what was imported, so an unchanged record is left alone
}

// Key is how links are looked up within a source: Kind + "/" + SourceID.
func (l ImportLink) Key() string { return l.Kind + "/" + l.SourceID }

// ImportBatch is one organisation of a feed with its services, written all at once.
type ImportBatch struct {
	Source string
	// Org is created (unclaimed, with no owner) when CreateOrg is set; with UpdateOrg its
	// name and kinds replace the stored ones. Either way, an existing organisation must
	// still be unclaimed.
	Org       account.Organisation
	CreateOrg bool
	UpdateOrg bool
	// Profile is the provider profile staged until the organisation is claimed (nil: the
	// feed gave none that is valid). It is written when CreateOrg or SetProfile is set.
	Profile    *Provider
	SetProfile bool
	// Offers are created when their Version is 1, and otherwise replace the stored draft at
	// Version-1.
	Offers []Offer
	Links  []ImportLink
}

// ErrImportConflict is returned by ImportStore.SaveImport when what a batch would change
// changed since the importer read it: the organisation was claimed, or a listing edited.
var ErrImportConflict = apperr.Conflictf("import-conflict", "This organisation or one of its listings changed while it was being imported (it may have been claimed). Run the import again.")

// ImportStore keeps what an Open Referral import writes.
type ImportStore interface {
	// ImportLinks returns the links of a source, keyed by ImportLink.Key.
	ImportLinks(ctx context.Context, source string) (map[string]ImportLink, error)
	// OffersByID returns the offers that exist among ids.
	OffersByID(ctx context.Context, ids []string) (map[string]Offer, error)
	// OrganisationsExist returns which of ids are organisations' ids.
	OrganisationsExist(ctx context.Context, ids []string) (map[string]bool, error)
	// UnclaimedProviders is ListingStore.UnclaimedProviders.
	UnclaimedProviders(ctx context.Context) (map[string]*Provider, error)
	// SaveImport writes a batch in one transaction, with a search task for each offer:
	// ErrImportConflict when the organisation to update is no longer unclaimed or an
	// offer is no longer the draft at the version the importer read.
	SaveImport(ctx context.Context, b ImportBatch) error
}
