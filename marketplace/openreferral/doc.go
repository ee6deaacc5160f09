// Package openreferral publishes Carepool's marketplace as a read-only Open Referral UK
// (ORUK) 3.0 API, the UK profile of the Human Services Data Specification (HSDS) 3.0, and
// imports ORUK/HSDS 3.0 feeds as unclaimed draft listings.
//
// The mapping (mapping.go, schedule.go, cost.go, taxonomy.go) turns a marketplace.Listing
// into HSDS objects; the handler (http.go, query.go) serves them under /openreferral/v3
// with ORUK's paged envelope and query parameters; the importer (fetch.go, decode.go,
// import.go, unmap*.go) reads a feed back into offers and provider organisations, which
// wait as drafts until a person from the provider claims the organisation and an
// administrator approves the claim (claims_http.go; the rules are in account.Claims).
//
// Every object that is not an offer or an organisation gets a stable UUID derived from
// the offer's or organisation's id (ids.go), so a consumer can sync by id.
// README.md describes the endpoints, the parameters, and what is left out.
package openreferral
