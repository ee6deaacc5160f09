package openreferral

import (
	"fmt"
	"strings"
	"time"

	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/outcode"
)

// The mapping from the marketplace to HSDS. A provider is an organization; each listing
// (an offer) is a service with its schedules, cost option, service areas, one location
// (the venue, the area it comes to, or online) with the accessibility features, languages,
// the provider's business contact details, and attributes: its kind, categories, the
// forms of personal budget it accepts and whether budgets can be pooled. Nothing private
// is published: no budget holders, pledges, account emails or who verified a provider.

// timeFormat writes last_modified with millisecond accuracy, as HSDS asks.
const timeFormat = "2006-01-02T15:04:05.000Z07:00"

// Service statuses: published listings are active; listings that wait for their provider
// to claim them (administrators only) are inactive.
const (
	statusActive   = "active"
	statusInactive = "inactive"
)

// fullService is the whole HSDS service of a listing.
func fullService(l marketplace.Listing) Service {
	o, p := l.Offer, l.Provider
	s := serviceOneToOne(l)
	s.Organization = organization(p, true)
	s.Schedules = schedules(o)
	for _, code := range o.Where.AreasServed {
		s.ServiceAreas = append(s.ServiceAreas, ServiceArea{ID: derive("service_area", o.ID, code), ServiceID: o.ID, Name: code, ServiceArea: code})
	}
	s.ServiceAtLocations = []ServiceAtLocation{serviceAtLocation(l, false)}
	for _, code := range o.Languages {
		s.Languages = append(s.Languages, Language{ID: derive("language", o.ID, code), ServiceID: o.ID,
			Name: marketplace.Label(marketplace.Languages, code), Code: code})
	}
	s.CostOptions = []CostOption{costOption(o)}
	if c := p.Contact; c.Email != "" || c.Phone != "" {
		contact := Contact{ID: derive("contact", o.ID), ServiceID: o.ID, Name: p.Name, Email: c.Email}
		if c.Phone != "" {
			contact.Phones = []Phone{{ID: derive("phone", o.ID), Number: c.Phone}}
		}
		s.Contacts = []Contact{contact}
	}
	s.Attributes = serviceAttributes(l)
	return s
}

// serviceOneToOne is a service as lists show it: its own fields and its organization's,
// without the arrays of related objects.
func serviceOneToOne(l marketplace.Listing) Service {
	o, p := l.Offer, l.Provider
	s := Service{ID: o.ID, OrganizationID: p.ID, Name: o.Title, Description: o.Description, URL: p.Contact.Website,
		Email: p.Contact.Email, Status: statusActive, LastModified: l.Modified().Format(timeFormat),
		Organization: organization(p, false)}
	if l.Provider.Unclaimed {
		s.Status = statusInactive
	}
	s.Accreditations, s.AssuredDate = accreditations(p.Verification)
	return s
}

// accreditations says which of the provider's checks a Carepool administrator verified.
func accreditations(v marketplace.Verification) (text, assured string) {
	var checks []string
	if v.DBSVerified && v.DBSCheckedOn != "" {
		checks = append(checks, "DBS check of "+v.DBSCheckedOn)
	}
	if v.InsuranceVerified && v.InsuranceExpires != "" {
		checks = append(checks, "insurance valid until "+v.InsuranceExpires)
	}
	if v.CQCVerified && v.CQCNumber != "" {
		checks = append(checks, "CQC registration "+v.CQCNumber)
	}
	if len(checks) == 0 {
		return "", ""
	}
	if v.VerifiedAt != nil {
		assured = v.VerifiedAt.UTC().Format(time.DateOnly)
	}
	return "Verified by Carepool: " + list(checks) + ".", assured
}

func serviceAttributes(l marketplace.Listing) []Attribute {
	o := l.Offer
	var attrs []Attribute
	add := func(tax, slug, value string) {
		t, ok := lookupTerm(tax, slug)
		if !ok {
			return // a slug the vocabulary no longer has: nothing to link to
		}
		attrs = append(attrs, Attribute{ID: derive("attribute", o.ID, t.ID), LinkID: o.ID, LinkType: "service",
			TaxonomyTermID: t.ID, Value: value, TaxonomyTerm: &t})
	}
	add(taxOfferKinds, string(o.Kind), "")
	for _, c := range o.Categories {
		add(taxCategories, c, "")
	}
	for _, f := range o.BudgetForms {
		add(taxBudgetForms, string(f), "")
	}
	if o.Price.Unit == marketplace.GroupSession && o.Price.Group != nil {
		add(taxPooling, termPoolable, poolValueOf(o.Price.Group))
	}
	if l.Provider.Unclaimed {
		add(taxListingState, termUnclaimed, "")
	}
	return attrs
}

// organization is a provider as HSDS publishes it; full adds its phones, registration
// number and attributes (lists show the one-to-one fields only).
func organization(p *marketplace.DirectoryProvider, full bool) *Organization {
	org := &Organization{ID: p.ID, Name: p.Name, Description: p.Description, Email: p.Contact.Email, Website: p.Contact.Website}
	if org.Description == "" {
		org.Description = p.Name + " has not written a description yet."
	}
	if !full {
		return org
	}
	if p.Contact.Phone != "" {
		org.Phones = []Phone{{ID: derive("phone", p.ID), Number: p.Contact.Phone}}
	}
	if n := p.Verification.CQCNumber; n != "" {
		org.OrganizationIdentifiers = []OrganizationIdentifier{{ID: derive("organization_identifier", p.ID, "cqc"),
			OrganizationID: p.ID, IdentifierType: cqcIdentifierType, Identifier: n}}
	}
	add := func(tax, slug, value string) {
		if t, ok := lookupTerm(tax, slug); ok {
			org.Attributes = append(org.Attributes, Attribute{ID: derive("attribute", p.ID, t.ID, value), LinkID: p.ID,
				LinkType: "organization", TaxonomyTermID: t.ID, Value: value, TaxonomyTerm: &t})
		}
	}
	for _, k := range p.Kinds {
		add(taxProviderKinds, k, "")
	}
	if len(p.AreasServed) > 0 {
		add(taxProviderDetails, termAreasServed, strings.Join(p.AreasServed, " "))
	}
	if len(p.Languages) > 0 {
		add(taxProviderDetails, termLanguages, strings.Join(p.Languages, " "))
	}
	if d := p.Verification.DBSCheckedOn; d != "" {
		add(taxProviderDetails, termDBSCheckedOn, d)
	}
	if d := p.Verification.InsuranceExpires; d != "" {
		add(taxProviderDetails, termInsuranceExpires, d)
	}
	return org
}

// cqcIdentifierType names a CQC registration number among organization identifiers.
const cqcIdentifierType = "CQC registration number"

func salID(offerID string) string { return derive("service_at_location", offerID) }

// serviceAtLocation links the listing's service to its one location; withService nests
// the service (as /service_at_locations does), fully when the location is full too.
func serviceAtLocation(l marketplace.Listing, withService bool) ServiceAtLocation {
	loc := location(l.Offer)
	sal := ServiceAtLocation{ID: salID(l.Offer.ID), ServiceID: l.Offer.ID, LocationID: loc.ID, Location: &loc}
	if withService {
		s := fullService(l)
		s.ServiceAtLocations = nil // the link is the object itself
		sal.Service = &s
	}
	return sal
}

// location is where the listing happens: a venue (with its address), the area a service
// comes to, or online. Coordinates are the centre of the postcode's outward code, which
// is all Carepool knows; the description says so.
func location(o marketplace.Offer) Location {
	w := o.Where
	loc := Location{ID: derive("location", o.ID), LocationType: "physical"}
	if w.Outcode != "" {
		lat, lng := w.Lat, w.Lng
		loc.Latitude, loc.Longitude = &lat, &lng
	}
	switch w.Mode {
	case marketplace.AtAddress:
		a := w.Address
		loc.Name = a.Line1 + ", " + a.Town
		loc.Description = fmt.Sprintf("The map position is the centre of the %s postcode area, not the exact address.", w.Outcode)
		county := "England"
		if p, ok := outcode.Lookup(w.Outcode); ok && p.County != "" {
			county = p.County
		}
		loc.Addresses = []Address{{ID: derive("address", o.ID), LocationID: loc.ID, Address1: a.Line1, Address2: a.Line2,
			City: a.Town, StateProvince: county, PostalCode: a.Postcode, Country: "GB", AddressType: "physical"}}
	case marketplace.InArea:
		loc.Name = "Comes to you in " + strings.Join(w.AreasServed, ", ")
		loc.Description = fmt.Sprintf("This service comes to you in the postcode areas %s. The map position is the centre of %s, not a venue.",
			strings.Join(w.AreasServed, ", "), w.Outcode)
	default:
		loc.LocationType, loc.Name, loc.Description = "virtual", "Online", "This takes place online."
		loc.Latitude, loc.Longitude = nil, nil
	}
	for _, slug := range o.Accessibility {
		label := marketplace.Label(marketplace.AccessibilityFeatures, slug)
		a := Accessibility{ID: derive("accessibility", o.ID, slug), LocationID: loc.ID, Description: label, Accessibility: label}
		for _, t := range marketplace.AccessibilityFeatures {
			if t.Slug == slug {
				a.Details = t.Help
			}
		}
		loc.Accessibility = append(loc.Accessibility, a)
	}
	return loc
}

// oneToOneLocation is a location as lists show it.
func oneToOneLocation(l Location) *Location {
	l.Addresses, l.Accessibility = nil, nil
	return &l
}
