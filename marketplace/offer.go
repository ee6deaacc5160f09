package marketplace

import (
	"time"
)

// Offer is something a provider offers: a service, a personal assistant's time, or a
// community activity. Money is integer pence throughout.
type Offer struct {
	ID            string       `json:"id" bson:"_id"`
	ProviderID    string       `json:"provider_id" bson:"provider_id"`
	Kind          Kind         `json:"kind" bson:"kind"`
	Title         string       `json:"title" bson:"title"`
	Description   string       `json:"description" bson:"description"`
	Categories    []string     `json:"categories" bson:"categories"`
	Where         Where        `json:"where" bson:"where"`
	When          Schedule     `json:"when" bson:"when"`
	Price         Price        `json:"price" bson:"price"`
	BudgetForms   []BudgetForm `json:"budget_forms" bson:"budget_forms"`
	Accessibility []string     `json:"accessibility" bson:"accessibility"`
	Languages     []string     `json:"languages" bson:"languages"`
	Status        Status       `json:"status" bson:"status"`
	Version       int64        `json:"version" bson:"version"`
	CreatedAt     time.Time    `json:"created_at" bson:"created_at"`
	UpdatedAt     time.Time    `json:"updated_at" bson:"updated_at"`
	PublishedAt   *time.Time   `json:"published_at,omitempty" bson:"published_at,omitempty"`
}

// WhereMode says how an offer is located.
type WhereMode string

// The ways an offer can be located.
const (
	AtAddress WhereMode = "address" // at a venue: a street address with a postcode
	InArea    WhereMode = "area"    // comes to you, in the outward codes listed
	Online    WhereMode = "online"  // online only
)

// Where says where an offer happens. Outcode, Lat and Lng are derived from the postcode
// (or the first area served) when the offer is saved; clients do not send them.
type Where struct {
	Mode        WhereMode `json:"mode" bson:"mode"`
	Address     *Address  `json:"address,omitempty" bson:"address,omitempty"`
	AreasServed []string  `json:"areas_served" bson:"areas_served"`
	Outcode     string    `json:"outcode,omitempty" bson:"outcode,omitempty"`
	Lat         float64   `json:"latitude,omitempty" bson:"lat,omitempty"`
	Lng         float64   `json:"longitude,omitempty" bson:"lng,omitempty"`
}

// Address is a venue's postal address.
type Address struct {
	Line1    string `json:"line1" bson:"line1"`
	Line2    string `json:"line2,omitempty" bson:"line2,omitempty"`
	Town     string `json:"town" bson:"town"`
	Postcode string `json:"postcode" bson:"postcode"`
}

// Schedule says when an offer happens: every week at set times, on set dates, or both.
// An empty schedule means "by arrangement" (common for PAs and home support).
type Schedule struct {
	Weekly []WeeklySlot   `json:"weekly" bson:"weekly"`
	Dated  []DatedSession `json:"dated" bson:"dated"`
	Notes  string         `json:"notes,omitempty" bson:"notes,omitempty"`
}

// WeeklySlot is a regular weekly time, in UK local time.
type WeeklySlot struct {
	Day   string `json:"day" bson:"day"`     // monday..sunday
	Start string `json:"start" bson:"start"` // "10:00"
	End   string `json:"end" bson:"end"`     // "12:30"
}

// DatedSession is a session on one date, in UK local time.
type DatedSession struct {
	Date  string `json:"date" bson:"date"` // "2026-12-05"
	Start string `json:"start" bson:"start"`
	End   string `json:"end" bson:"end"`
}

// PriceUnit says what a price is for.
type PriceUnit string

// The ways an offer can be priced.
const (
	PerHour      PriceUnit = "per_hour"
	PerSession   PriceUnit = "per_session"
	PerPerson    PriceUnit = "per_person"
	GroupSession PriceUnit = "group_session" // a price per session for the whole group, shared by the people in it
)

// Price is what an offer costs, in pence.
type Price struct {
	Unit        PriceUnit     `json:"unit" bson:"unit"`
	AmountPence int64         `json:"amount_pence" bson:"amount_pence"`
	Group       *GroupPricing `json:"group,omitempty" bson:"group,omitempty"`
}

// GroupPricing describes a group price: how many people the session needs and takes,
// and the least anyone pays (the per-person floor; default group price ÷ maximum).
type GroupPricing struct {
	MinPeople  int   `json:"min_people" bson:"min_people"`
	MaxPeople  int   `json:"max_people" bson:"max_people"`
	FloorPence int64 `json:"floor_pence" bson:"floor_pence"`
}

// PerPersonAt returns what each person pays per session when n people share a group
// session: the group price split n ways, rounded up to the penny (the largest part of an
// exact split), and never below the floor. For other units it is the amount itself.
func (p Price) PerPersonAt(n int) int64 {
	if p.Unit != GroupSession || p.Group == nil || n < 1 {
		return p.AmountPence
	}
	share := (p.AmountPence + int64(n) - 1) / int64(n)
	return max(share, p.Group.FloorPence)
}

// LowestPerPerson is the least one person can pay per unit: for a group, the share at the
// largest group. Search's "maximum price" filter compares against it.
func (p Price) LowestPerPerson() int64 {
	if p.Unit == GroupSession && p.Group != nil {
		return p.PerPersonAt(p.Group.MaxPeople)
	}
	return p.AmountPence
}

// Visible reports whether the public may see the offer.
func (o *Offer) Visible() bool { return o.Status == StatusPublished }
