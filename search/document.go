package search

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode"
)

// Document is one searchable thing: an offer, or an open pool on an offer.
// Pools use the same fields (a pool's price is the current share per person,
// its days and times those of its sessions), so a new document type needs no
// new port.
type Document struct {
	ID            string    `json:"id"`   // unique across types, e.g. "offer_123", "pool_77"
	Type          string    `json:"type"` // TypeOffer or TypePool
	Title         string    `json:"title"`
	Description   string    `json:"description,omitempty"`
	Categories    []string  `json:"categories,omitempty"` // slugs, e.g. "swimming"
	ProviderID    string    `json:"providerId,omitempty"`
	ProviderName  string    `json:"providerName,omitempty"`
	Kind          string    `json:"kind"`                  // KindService, KindPersonalAssistant, KindActivity
	BudgetForms   []string  `json:"budgetForms,omitempty"` // accepted: direct_payment, isf, ...
	PricePence    int64     `json:"pricePence"`            // per person; a group offer's lowest share
	PriceUnit     string    `json:"priceUnit,omitempty"`   // "session", "hour", ...
	Languages     []string  `json:"languages,omitempty"`   // ISO 639-1 codes
	Accessibility []string  `json:"accessibility,omitempty"`
	Days          []string  `json:"days,omitempty"`       // monday..sunday
	TimesOfDay    []string  `json:"timesOfDay,omitempty"` // morning, afternoon, evening
	Verified      bool      `json:"verified"`
	Outcodes      []string  `json:"outcodes,omitempty"` // where it is or which areas it serves, e.g. "LS6"
	Geo           *Point    `json:"geo,omitempty"`      // where it takes place, if anywhere
	Online        bool      `json:"online"`
	CreatedAt     time.Time `json:"createdAt"`
}

// Point is a WGS84 position.
type Point struct {
	Lat float64 `json:"lat"`
	Lng float64 `json:"lng"`
}

// Validate checks a document before it is indexed, returning a
// *ValidationError that names every field at fault.
func (d Document) Validate() error {
	var v ValidationError
	if d.ID == "" || len(d.ID) > 200 || strings.IndexFunc(d.ID, invalidIDRune) >= 0 {
		v.Add("id", "must be 1 to 200 letters, digits, '-' or '_'")
	}
	if !validValue("type", d.Type) {
		v.Add("type", "must be offer or pool")
	}
	if strings.TrimSpace(d.Title) == "" {
		v.Add("title", "must not be empty")
	}
	if !validValue("kind", d.Kind) {
		v.Add("kind", "must be service, personal_assistant or community_activity")
	}
	if d.PricePence < 0 {
		v.Add("pricePence", "must not be negative")
	}
	for _, f := range []struct {
		name, vocab string
		values      []string
	}{
		{"categories", "category", d.Categories}, {"budgetForms", "budget_form", d.BudgetForms},
		{"languages", "language", d.Languages}, {"accessibility", "accessibility", d.Accessibility},
		{"days", "day", d.Days}, {"timesOfDay", "time", d.TimesOfDay},
	} {
		for _, val := range f.values {
			if !validValue(f.vocab, val) {
				v.Add(f.name, fmt.Sprintf("unknown value %q", val))
				break
			}
		}
	}
	for _, oc := range d.Outcodes {
		if oc == "" || oc != strings.ToUpper(oc) || len(oc) > 4 || strings.IndexFunc(oc, invalidOutcodeRune) >= 0 {
			v.Add("outcodes", fmt.Sprintf("%q is not an upper-case outward code", oc))
			break
		}
	}
	if g := d.Geo; g != nil && (g.Lat < -90 || g.Lat > 90 || g.Lng < -180 || g.Lng > 180) {
		v.Add("geo", "latitude must be within ±90 and longitude within ±180")
	}
	return v.Err()
}

func invalidIDRune(r rune) bool {
	return !(r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_'))
}

func invalidOutcodeRune(r rune) bool { return !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') }

// Hash is the document's content hash: equal documents have equal hashes, and
// any change to a field changes it. A reindex compares it with Index.Hashes.
func (d Document) Hash() string {
	d.CreatedAt = d.CreatedAt.UTC()
	b, err := json.Marshal(d)
	if err != nil {
		panic(err) // a struct of strings, numbers and times always marshals
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}

// SearchableAttributes returns a document's searchable text, attribute by
// attribute, most important first: title; kind and categories; provider name;
// languages and accessibility features; description. Both adapters search
// exactly these, in this order.
func SearchableAttributes(d Document) [][]string {
	cats := []string{Label("kind", d.Kind)}
	for _, c := range d.Categories {
		cats = append(cats, Label("category", c))
	}
	var tags []string
	for _, l := range d.Languages {
		tags = append(tags, Label("language", l))
	}
	for _, a := range d.Accessibility {
		tags = append(tags, Label("accessibility", a))
	}
	return [][]string{{d.Title}, cats, {d.ProviderName}, tags, {d.Description}}
}

// SearchableAttributeNames names the attributes of SearchableAttributes, as
// the Meilisearch adapter stores them.
var SearchableAttributeNames = []string{"title", "categoryNames", "providerName", "tags", "description"}
