package openreferral

import (
	"strings"

	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
)

// Carepool publishes its own taxonomies: its categories (what an offer is about) and the
// facts HSDS has no field for (the kind of offer, the forms of personal budget accepted,
// whether budgets can be pooled, the kind of provider, details of a provider's profile,
// and whether a listing waits for its provider to claim it). Services and organizations
// carry them as attributes, so a consumer can filter on them with taxonomy_term_id and
// nothing of Carepool's is lost when a feed is imported back.
type taxonomy struct {
	Slug        string
	Name        string
	Description string
	Terms       []marketplace.Term
}

// The slugs of Carepool's taxonomies and of the terms the mapping names.
const (
	taxCategories      = "carepool-categories"
	taxOfferKinds      = "carepool-offer-kinds"
	taxBudgetForms     = "carepool-budget-forms"
	taxPooling         = "carepool-pooling"
	taxProviderKinds   = "carepool-provider-kinds"
	taxProviderDetails = "carepool-provider-details"
	taxListingState    = "carepool-listing-state"

	termPoolable         = "pooling-available"
	termAreasServed      = "areas-served"
	termLanguages        = "languages"
	termDBSCheckedOn     = "dbs-checked-on"
	termInsuranceExpires = "insurance-expires"
	termUnclaimed        = "unclaimed"
)

var taxonomies = []taxonomy{
	{taxCategories, "Carepool categories", "What an offer on Carepool is about. Every service has at least one.", marketplace.Categories},
	{taxOfferKinds, "Carepool kinds of offer", "Whether an offer is a service from a provider, a personal assistant's time or a community activity.", marketplace.Kinds},
	{taxBudgetForms, "Forms of personal budget accepted", "The forms of personal budget (direct payment, individual service fund, council-managed budget ...) a service can be paid from.", marketplace.BudgetForms},
	{taxPooling, "Pooling personal budgets", "Whether people can pool their personal budgets to buy a service together.", []marketplace.Term{
		{Slug: termPoolable, Label: "Budgets can be pooled", Help: "The service has a group price shared by the people who join. The attribute's value gives the group size and the least each person pays, as JSON: {\"min_people\":4,\"max_people\":10,\"floor_pence\":4800}."},
	}},
	{taxProviderKinds, "Carepool kinds of provider", "What sort of provider an organization is.", []marketplace.Term{
		{Slug: string(account.KindSmallProvider), Label: "Small care and support provider"},
		{Slug: string(account.KindSoleTraderPA), Label: "Self-employed personal assistant"},
		{Slug: string(account.KindCommunityGroup), Label: "Community group"},
		{Slug: string(account.KindISFProvider), Label: "Provider that holds individual service funds"},
	}},
	{taxProviderDetails, "Carepool provider details", "Details of a provider's profile that HSDS has no field for. The attribute's value holds the detail.", []marketplace.Term{
		{Slug: termAreasServed, Label: "Areas served", Help: "The postcode outward codes the provider serves, separated by spaces."},
		{Slug: termLanguages, Label: "Languages", Help: "The languages the provider works in, as ISO 639 codes separated by spaces."},
		{Slug: termDBSCheckedOn, Label: "DBS check date", Help: "The date of the provider's DBS check, as the provider states it (YYYY-MM-DD)."},
		{Slug: termInsuranceExpires, Label: "Insurance expiry date", Help: "When the provider's insurance expires, as the provider states it (YYYY-MM-DD)."},
	}},
	{taxListingState, "Carepool listing state", "The state of a listing that is not yet public. Only administrators see such listings.", []marketplace.Term{
		{Slug: termUnclaimed, Label: "Waiting for its provider to claim it", Help: "Imported from another directory; the provider has not claimed it yet, so it is not published."},
	}},
}

func taxonomyID(slug string) string { return derive("taxonomy", slug) }

func termID(tax, slug string) string { return derive("taxonomy_term", tax, slug) }

// term returns the HSDS taxonomy term of a Carepool term.
func term(tax string, t marketplace.Term) TaxonomyTerm {
	desc := t.Help
	if desc == "" {
		desc = t.Label
	}
	return TaxonomyTerm{ID: termID(tax, t.Slug), Code: t.Slug, Name: t.Label, Description: desc,
		Taxonomy: tax, TaxonomyID: taxonomyID(tax), Term: t.Label}
}

// lookupTerm finds a term of one of Carepool's taxonomies by slug.
func lookupTerm(tax, slug string) (TaxonomyTerm, bool) {
	for _, x := range taxonomies {
		if x.Slug != tax {
			continue
		}
		for _, t := range x.Terms {
			if t.Slug == slug {
				return term(tax, t), true
			}
		}
	}
	return TaxonomyTerm{}, false
}

// termsByID indexes every Carepool term by id, for filters and imports.
var termsByID = func() map[string]TaxonomyTerm {
	m := map[string]TaxonomyTerm{}
	for _, x := range taxonomies {
		for _, t := range x.Terms {
			tt := term(x.Slug, t)
			m[tt.ID] = tt
		}
	}
	return m
}()

// HSDS returns the taxonomy as HSDS publishes it, with its terms when withTerms is set.
func (x taxonomy) HSDS(withTerms bool) Taxonomy {
	t := Taxonomy{ID: taxonomyID(x.Slug), Name: x.Name, Description: x.Description, Version: "1"}
	if withTerms {
		for _, tt := range x.Terms {
			t.TaxonomyTerms = append(t.TaxonomyTerms, term(x.Slug, tt))
		}
	}
	return t
}

// matchTerm finds the Carepool term a foreign term names: by our id, by code, then by
// name (case-insensitive), within one of our taxonomies.
func matchTerm(tax string, t *TaxonomyTerm, id string) (string, bool) {
	if known, ok := termsByID[id]; ok && known.Taxonomy == tax {
		return known.Code, true
	}
	if t == nil {
		return "", false
	}
	if known, ok := termsByID[t.ID]; ok && known.Taxonomy == tax {
		return known.Code, true
	}
	if t.Taxonomy != "" && t.Taxonomy != tax && t.TaxonomyID != taxonomyID(tax) {
		return "", false
	}
	for _, x := range taxonomies {
		if x.Slug != tax {
			continue
		}
		for _, tt := range x.Terms {
			if strings.EqualFold(t.Code, tt.Slug) || strings.EqualFold(strings.TrimSpace(t.Name), tt.Label) {
				return tt.Slug, true
			}
		}
	}
	return "", false
}
