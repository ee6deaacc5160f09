package meili

import (
	"time"

	"github.com/carepool/carepool/search"
)

// document is a search.Document as stored in Meilisearch: the searchable
// attributes (search.SearchableAttributeNames) spelled out, _geo where
// Meilisearch's geo filters and sort look for it, dates as Unix seconds for
// sorting, and the content hash.
type document struct {
	ID            string    `json:"id"`
	Type          string    `json:"type"`
	Title         string    `json:"title"`
	CategoryNames []string  `json:"categoryNames"`
	ProviderName  string    `json:"providerName"`
	Tags          []string  `json:"tags"`
	Description   string    `json:"description"`
	Categories    []string  `json:"categories"`
	ProviderID    string    `json:"providerId"`
	Kind          string    `json:"kind"`
	BudgetForms   []string  `json:"budgetForms"`
	PricePence    int64     `json:"pricePence"`
	PriceUnit     string    `json:"priceUnit"`
	Languages     []string  `json:"languages"`
	Accessibility []string  `json:"accessibility"`
	Days          []string  `json:"days"`
	TimesOfDay    []string  `json:"timesOfDay"`
	Verified      bool      `json:"verified"`
	Outcodes      []string  `json:"outcodes"`
	Geo           *geoPoint `json:"_geo,omitempty"`
	Online        bool      `json:"online"`
	CreatedAt     int64     `json:"createdAt"`
	Created       time.Time `json:"created"` // exact, for round trips
	Hash          string    `json:"hash"`
}

type geoPoint struct {
	Lat float64 `json:"lat"`
	Lng float64 `json:"lng"`
}

func toDocument(d search.Document) document {
	attrs := search.SearchableAttributes(d)
	m := document{
		ID: d.ID, Type: d.Type, Title: d.Title, CategoryNames: attrs[1], ProviderName: d.ProviderName,
		Tags: attrs[3], Description: d.Description, Categories: d.Categories, ProviderID: d.ProviderID,
		Kind: d.Kind, BudgetForms: d.BudgetForms, PricePence: d.PricePence, PriceUnit: d.PriceUnit,
		Languages: d.Languages, Accessibility: d.Accessibility, Days: d.Days, TimesOfDay: d.TimesOfDay,
		Verified: d.Verified, Outcodes: d.Outcodes, Online: d.Online,
		CreatedAt: d.CreatedAt.Unix(), Created: d.CreatedAt, Hash: d.Hash(),
	}
	if g := d.Geo; g != nil {
		m.Geo = &geoPoint{Lat: g.Lat, Lng: g.Lng}
	}
	return m
}

func (m document) toSearch() search.Document {
	d := search.Document{
		ID: m.ID, Type: m.Type, Title: m.Title, Description: m.Description, Categories: m.Categories,
		ProviderID: m.ProviderID, ProviderName: m.ProviderName, Kind: m.Kind, BudgetForms: m.BudgetForms,
		PricePence: m.PricePence, PriceUnit: m.PriceUnit, Languages: m.Languages, Accessibility: m.Accessibility,
		Days: m.Days, TimesOfDay: m.TimesOfDay, Verified: m.Verified, Outcodes: m.Outcodes, Online: m.Online,
		CreatedAt: m.Created,
	}
	if g := m.Geo; g != nil {
		d.Geo = &search.Point{Lat: g.Lat, Lng: g.Lng}
	}
	return d
}
