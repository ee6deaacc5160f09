package openreferral

import "encoding/json"

// The HSDS 3.0 objects Carepool publishes and imports, with the fields it uses. Field
// names and shapes follow the HSDS schemas (testdata/hsds-3.0/schema); where the ORUK
// profile drops a field Carepool's data needs (a language's name and code, a contact's
// email and phones, an attribute's value), the HSDS field is kept. Decoding ignores the
// fields Carepool does not use.

// Service is an HSDS service: one Carepool offer.
type Service struct {
	ID                 string              `json:"id"`
	OrganizationID     string              `json:"organization_id,omitempty"`
	Name               string              `json:"name"`
	Description        string              `json:"description,omitempty"`
	URL                string              `json:"url,omitempty"`
	Email              string              `json:"email,omitempty"`
	Status             string              `json:"status"`
	Accreditations     string              `json:"accreditations,omitempty"`
	AssuredDate        string              `json:"assured_date,omitempty"`
	LastModified       string              `json:"last_modified,omitempty"`
	Organization       *Organization       `json:"organization,omitempty"`
	Schedules          []Schedule          `json:"schedules,omitempty"`
	ServiceAreas       []ServiceArea       `json:"service_areas,omitempty"`
	ServiceAtLocations []ServiceAtLocation `json:"service_at_locations,omitempty"`
	Languages          []Language          `json:"languages,omitempty"`
	CostOptions        []CostOption        `json:"cost_options,omitempty"`
	Contacts           []Contact           `json:"contacts,omitempty"`
	Attributes         []Attribute         `json:"attributes,omitempty"`
}

// Organization is an HSDS organization: one Carepool provider.
type Organization struct {
	ID                      string                   `json:"id"`
	Name                    string                   `json:"name"`
	Description             string                   `json:"description"`
	Email                   string                   `json:"email,omitempty"`
	Website                 string                   `json:"website,omitempty"`
	Phones                  []Phone                  `json:"phones,omitempty"`
	OrganizationIdentifiers []OrganizationIdentifier `json:"organization_identifiers,omitempty"`
	Attributes              []Attribute              `json:"attributes,omitempty"`
	Services                []Service                `json:"services,omitempty"`
}

// OrganizationIdentifier is a registration number of an organization.
type OrganizationIdentifier struct {
	ID               string `json:"id"`
	OrganizationID   string `json:"organization_id,omitempty"`
	IdentifierScheme string `json:"identifier_scheme,omitempty"`
	IdentifierType   string `json:"identifier_type"`
	Identifier       string `json:"identifier"`
}

// Phone is a telephone number.
type Phone struct {
	ID     string `json:"id"`
	Number string `json:"number"`
}

// Contact is how to reach the people behind a service.
type Contact struct {
	ID        string  `json:"id"`
	ServiceID string  `json:"service_id,omitempty"`
	Name      string  `json:"name,omitempty"`
	Email     string  `json:"email,omitempty"`
	Phones    []Phone `json:"phones,omitempty"`
}

// Schedule is when a service happens, in the RFC 5545 terms HSDS uses: weekly slots have
// freq WEEKLY and byday; a session on one date has dtstart (= valid_from = valid_to) and
// no freq; a schedule with notes only says "by arrangement".
type Schedule struct {
	ID          string `json:"id"`
	ServiceID   string `json:"service_id,omitempty"`
	ValidFrom   string `json:"valid_from,omitempty"`
	ValidTo     string `json:"valid_to,omitempty"`
	DTStart     string `json:"dtstart,omitempty"`
	Freq        string `json:"freq,omitempty"`
	Interval    *int   `json:"interval,omitempty"`
	ByDay       string `json:"byday,omitempty"`
	OpensAt     string `json:"opens_at,omitempty"`
	ClosesAt    string `json:"closes_at,omitempty"`
	Description string `json:"description,omitempty"`
	Notes       string `json:"notes,omitempty"`
}

// ServiceArea is an area a service covers: for Carepool, one postcode outward code.
type ServiceArea struct {
	ID          string `json:"id"`
	ServiceID   string `json:"service_id,omitempty"`
	Name        string `json:"name,omitempty"`
	ServiceArea string `json:"service_area,omitempty"` // the ORUK profile's free-text area
}

// ServiceAtLocation links a service to a location.
type ServiceAtLocation struct {
	ID         string    `json:"id"`
	ServiceID  string    `json:"service_id,omitempty"`
	LocationID string    `json:"location_id,omitempty"`
	Location   *Location `json:"location,omitempty"`
	Service    *Service  `json:"service,omitempty"`
}

// Location is where a service happens: a venue, the area a service comes to, or online.
type Location struct {
	ID            string          `json:"id"`
	LocationType  string          `json:"location_type"`
	Name          string          `json:"name,omitempty"`
	Description   string          `json:"description,omitempty"`
	Latitude      *float64        `json:"latitude,omitempty"`
	Longitude     *float64        `json:"longitude,omitempty"`
	Addresses     []Address       `json:"addresses,omitempty"`
	Accessibility []Accessibility `json:"accessibility,omitempty"`
}

// Address is a location's postal address.
type Address struct {
	ID            string `json:"id"`
	LocationID    string `json:"location_id,omitempty"`
	Address1      string `json:"address_1"`
	Address2      string `json:"address_2,omitempty"`
	City          string `json:"city"`
	StateProvince string `json:"state_province"`
	PostalCode    string `json:"postal_code"`
	Country       string `json:"country"`
	AddressType   string `json:"address_type"`
}

// Accessibility is one accessibility feature of a location.
type Accessibility struct {
	ID            string `json:"id"`
	LocationID    string `json:"location_id,omitempty"`
	Description   string `json:"description,omitempty"`
	Details       string `json:"details,omitempty"`
	Accessibility string `json:"accessibility,omitempty"` // the ORUK profile's free text
}

// Language is a language a service is offered in.
type Language struct {
	ID        string `json:"id"`
	ServiceID string `json:"service_id,omitempty"`
	Name      string `json:"name,omitempty"`
	Code      string `json:"code,omitempty"`
}

// CostOption is what a service costs. Amount is in pounds, written exactly from pence.
type CostOption struct {
	ID                string      `json:"id"`
	ServiceID         string      `json:"service_id,omitempty"`
	Option            string      `json:"option,omitempty"`
	Amount            json.Number `json:"amount,omitempty"`
	AmountDescription string      `json:"amount_description,omitempty"`
}

// Attribute links a service or organization to a taxonomy term, with an optional value.
type Attribute struct {
	ID             string        `json:"id"`
	LinkID         string        `json:"link_id,omitempty"`
	LinkType       string        `json:"link_type,omitempty"`
	TaxonomyTermID string        `json:"taxonomy_term_id,omitempty"`
	Value          string        `json:"value,omitempty"`
	TaxonomyTerm   *TaxonomyTerm `json:"taxonomy_term,omitempty"`
}

// TaxonomyTerm is one term of a taxonomy.
type TaxonomyTerm struct {
	ID          string `json:"id"`
	Code        string `json:"code,omitempty"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Taxonomy    string `json:"taxonomy,omitempty"`
	TaxonomyID  string `json:"taxonomy_id,omitempty"`
	Term        string `json:"term,omitempty"` // the ORUK profile's term text
}

// Taxonomy is a controlled vocabulary: Carepool publishes its own.
type Taxonomy struct {
	ID            string         `json:"id"`
	Name          string         `json:"name"`
	Description   string         `json:"description"`
	Version       string         `json:"version,omitempty"`
	TaxonomyTerms []TaxonomyTerm `json:"taxonomy_terms,omitempty"`
}

// Page is ORUK's paged envelope of every list.
type Page struct {
	TotalItems int  `json:"total_items"`
	TotalPages int  `json:"total_pages"`
	PageNumber int  `json:"page_number"`
	Size       int  `json:"size"`
	FirstPage  bool `json:"first_page"`
	LastPage   bool `json:"last_page"`
	Empty      bool `json:"empty"`
	Contents   any  `json:"contents"`
}

// MinimalService is a service as minimal=true lists it: enough to sync by id.
type MinimalService struct {
	ID           string `json:"id"`
	ModifiedDate string `json:"modified_date"`
}

// APIInfo is the answer of the API's root.
type APIInfo struct {
	Version    string `json:"version"`
	Profile    string `json:"profile"`
	OpenAPIURL string `json:"openapi_url"`
}
