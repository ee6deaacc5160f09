package openreferral

import (
	"fmt"
	"strings"

	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
)

// unmapOrganization reads a service's organization and its provider profile.
func unmapOrganization(s *Service, kind marketplace.Kind) orgRecord {
	o := s.Organization
	r := orgRecord{sourceID: strings.TrimSpace(o.ID), name: strings.TrimSpace(o.Name)}
	p := &r.profile
	p.Description = strings.TrimSpace(o.Description)
	if p.Description == r.name+" has not written a description yet." {
		p.Description = "" // what Carepool's own feed says of a provider without a profile
	}
	p.Contact = marketplace.Contact{Email: o.Email, Website: o.Website}
	if len(o.Phones) > 0 {
		p.Contact.Phone = o.Phones[0].Number
	}
	for _, c := range s.Contacts { // a feed may give the contact details on the service only
		if p.Contact.Email == "" {
			p.Contact.Email = c.Email
		}
		if p.Contact.Phone == "" && len(c.Phones) > 0 {
			p.Contact.Phone = c.Phones[0].Number
		}
	}
	if p.Contact.Email == "" {
		p.Contact.Email = s.Email
	}
	if p.Contact.Website == "" {
		p.Contact.Website = s.URL
	}
	for _, id := range o.OrganizationIdentifiers {
		if strings.Contains(strings.ToUpper(id.IdentifierType+" "+id.IdentifierScheme), "CQC") {
			p.CQCNumber = strings.TrimSpace(id.Identifier)
		}
	}
	for i, a := range o.Attributes {
		if slug, ok := matchTerm(taxProviderKinds, a.TaxonomyTerm, a.TaxonomyTermID); ok {
			r.kinds = append(r.kinds, account.OrgKind(slug))
			continue
		}
		slug, ok := matchTerm(taxProviderDetails, a.TaxonomyTerm, a.TaxonomyTermID)
		if !ok {
			continue
		}
		switch slug {
		case termAreasServed:
			p.AreasServed = strings.Fields(a.Value)
		case termLanguages:
			p.Languages = strings.Fields(a.Value)
		case termDBSCheckedOn:
			p.DBSCheckedOn = strings.TrimSpace(a.Value)
		case termInsuranceExpires:
			p.InsuranceExpires = strings.TrimSpace(a.Value)
		default:
			r.notes = append(r.notes, Problem{Field: fmt.Sprintf("organization.attributes[%d]", i), Message: "is not a provider detail Carepool knows; left out"})
		}
	}
	if len(r.kinds) == 0 {
		switch kind {
		case marketplace.KindPersonalAssistant:
			r.kinds = []account.OrgKind{account.KindSoleTraderPA}
		case marketplace.KindCommunityActivity:
			r.kinds = []account.OrgKind{account.KindCommunityGroup}
		default:
			r.kinds = []account.OrgKind{account.KindSmallProvider}
		}
		r.notes = append(r.notes, Problem{Field: "organization.attributes", Message: fmt.Sprintf("no Carepool kind of provider: %s assumed from its service", r.kinds[0])})
	}
	return r
}
