package marketplace

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace/outcode"
)

// OfferInput is what a provider writes when creating or replacing an offer. Everything
// else on an Offer (id, status, version, times, derived places) is set by the service.
type OfferInput struct {
	Kind          Kind         `json:"kind"`
	Title         string       `json:"title"`
	Description   string       `json:"description"`
	Categories    []string     `json:"categories"`
	Where         WhereInput   `json:"where"`
	When          Schedule     `json:"when"`
	Price         Price        `json:"price"`
	BudgetForms   []BudgetForm `json:"budget_forms"`
	Accessibility []string     `json:"accessibility"`
	Languages     []string     `json:"languages"`
}

// WhereInput is the writable part of Where.
type WhereInput struct {
	Mode        WhereMode `json:"mode"`
	Address     *Address  `json:"address,omitempty"`
	AreasServed []string  `json:"areas_served"`
}

// Limits on offers. Prices above these are almost certainly typing mistakes (pence
// entered as pounds), so they are refused with a message saying so.
const (
	MaxTitleLen       = 120
	MaxDescriptionLen = 5000
	maxListLen        = 30
	maxSlots          = 60
	maxPerHourPence   = 50_000    // £500 an hour
	maxPerUnitPence   = 500_000   // £5,000 a session or a person
	maxGroupPence     = 2_000_000 // £20,000 a group session
	maxGroupSize      = 200
)

var (
	clockTime  = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)
	ukPostcode = regexp.MustCompile(`^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$`)
)

// Normalize trims text, upper-cases postcodes and outward codes, and removes duplicate
// list entries, so that validation and storage see one canonical form.
func (in *OfferInput) Normalize() {
	in.Title = strings.TrimSpace(in.Title)
	in.Description = strings.TrimSpace(in.Description)
	in.Categories = dedupe(in.Categories, strings.ToLower)
	in.Accessibility = dedupe(in.Accessibility, strings.ToLower)
	in.Languages = dedupe(in.Languages, strings.ToLower)
	in.Where.AreasServed = dedupe(in.Where.AreasServed, strings.ToUpper)
	// Lists are sent as [] rather than null, so clients need not test for both.
	if in.When.Weekly == nil {
		in.When.Weekly = []WeeklySlot{}
	}
	if in.When.Dated == nil {
		in.When.Dated = []DatedSession{}
	}
	if a := in.Where.Address; a != nil {
		a.Line1, a.Line2, a.Town = strings.TrimSpace(a.Line1), strings.TrimSpace(a.Line2), strings.TrimSpace(a.Town)
		a.Postcode = canonicalPostcode(a.Postcode)
	}
	seen := map[BudgetForm]bool{}
	forms := in.BudgetForms[:0:0]
	for _, f := range in.BudgetForms {
		if !seen[f] {
			seen[f] = true
			forms = append(forms, f)
		}
	}
	in.BudgetForms = forms
	if in.Price.Unit == GroupSession && in.Price.Group != nil && in.Price.Group.FloorPence == 0 && in.Price.Group.MaxPeople > 0 {
		in.Price.Group.FloorPence = in.Price.AmountPence / int64(in.Price.Group.MaxPeople)
	}
}

// canonicalPostcode upper-cases a postcode and writes it with one space before the
// inward code ("ls62ab" becomes "LS6 2AB"), the form outward-code lookups expect.
func canonicalPostcode(s string) string {
	fields := strings.Fields(strings.ToUpper(s))
	compact := strings.Join(fields, "")
	if n := len(compact); n >= 5 && n <= 7 {
		if spaced := compact[:n-3] + " " + compact[n-3:]; ukPostcode.MatchString(spaced) {
			return spaced
		}
	}
	return strings.Join(fields, " ")
}

func dedupe(list []string, canon func(string) string) []string {
	out := make([]string, 0, len(list))
	for _, s := range list {
		s = canon(strings.TrimSpace(s))
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// Validate checks every field and returns an apperr validation error listing all the
// fields at fault, in plain English. Call Normalize first.
func (in *OfferInput) Validate() error {
	var f apperr.Fields
	if !known(Kinds, string(in.Kind)) {
		f.Add("kind", "must be one of service, personal_assistant or community_activity")
	}
	checkText(&f, "title", in.Title, 3, MaxTitleLen)
	checkText(&f, "description", in.Description, 20, MaxDescriptionLen)
	checkTerms(&f, "categories", in.Categories, Categories, true)
	checkTerms(&f, "accessibility", in.Accessibility, AccessibilityFeatures, false)
	checkTerms(&f, "languages", in.Languages, Languages, true)
	if len(in.BudgetForms) == 0 {
		f.Add("budget_forms", "choose at least one form of budget you accept")
	}
	for i, b := range in.BudgetForms {
		if !known(BudgetForms, string(b)) {
			f.Add(fmt.Sprintf("budget_forms[%d]", i), "%q is not a form of personal budget; use direct_payment, indirect_payment, trust_fund, brokered_fund, isf or council_managed", b)
		}
	}
	in.Where.validate(&f)
	in.When.validate(&f)
	in.Price.validate(&f)
	return f.Err()
}

func checkText(f *apperr.Fields, field, s string, minLen, maxLen int) {
	n := utf8.RuneCountInString(s)
	switch {
	case !utf8.ValidString(s):
		f.Add(field, "contains characters we cannot read")
	case n == 0:
		f.Add(field, "is required")
	case n < minLen:
		f.Add(field, "must be at least %d characters", minLen)
	case n > maxLen:
		f.Add(field, "must be at most %d characters", maxLen)
	case strings.ContainsFunc(s, func(r rune) bool { return r < 32 && r != '\n' && r != '\r' && r != '\t' }):
		f.Add(field, "contains control characters")
	}
}

func checkTerms(f *apperr.Fields, field string, list []string, terms []Term, required bool) {
	if required && len(list) == 0 {
		f.Add(field, "choose at least one")
	}
	if len(list) > maxListLen {
		f.Add(field, "choose at most %d", maxListLen)
		return
	}
	for i, s := range list {
		if !known(terms, s) {
			f.Add(fmt.Sprintf("%s[%d]", field, i), "%q is not in the list of %s", s, strings.ReplaceAll(field, "_", " "))
		}
	}
}

func (w *WhereInput) validate(f *apperr.Fields) {
	switch w.Mode {
	case AtAddress:
		if w.Address == nil {
			f.Add("where.address", "is required when the offer is at an address")
			break
		}
		checkText(f, "where.address.line1", w.Address.Line1, 2, 200)
		checkText(f, "where.address.town", w.Address.Town, 2, 100)
		if utf8.RuneCountInString(w.Address.Line2) > 200 {
			f.Add("where.address.line2", "must be at most 200 characters")
		}
		if !ukPostcode.MatchString(w.Address.Postcode) {
			f.Add("where.address.postcode", "must be a UK postcode, such as LS6 2AB")
		} else if _, ok := outcode.Normalize(w.Address.Postcode); !ok {
			f.Add("where.address.postcode", "we do not know the area of this postcode; check the first half (such as LS6)")
		}
	case InArea:
		if len(w.AreasServed) == 0 {
			f.Add("where.areas_served", "list at least one area you serve, as the first half of a postcode (such as LS6)")
		}
	case Online:
	default:
		f.Add("where.mode", "must be address, area or online")
	}
	if w.Mode != AtAddress && w.Address != nil {
		f.Add("where.address", "give an address only when the mode is address")
	}
	checkOutcodes(f, "where.areas_served", w.AreasServed)
}

func checkOutcodes(f *apperr.Fields, field string, codes []string) {
	if len(codes) > maxListLen {
		f.Add(field, "list at most %d areas", maxListLen)
		return
	}
	for i, c := range codes {
		if _, ok := outcode.Lookup(c); !ok || strings.ContainsRune(c, ' ') {
			f.Add(fmt.Sprintf("%s[%d]", field, i), "%q is not a postcode area we know; use the first half of a postcode, such as LS6", c)
		}
	}
}

func (s *Schedule) validate(f *apperr.Fields) {
	if len(s.Weekly)+len(s.Dated) > maxSlots {
		f.Add("when", "list at most %d times", maxSlots)
		return
	}
	for i, w := range s.Weekly {
		p := fmt.Sprintf("when.weekly[%d]", i)
		if !slices.Contains(Days, w.Day) {
			f.Add(p+".day", "must be a day of the week in lower case, such as saturday")
		}
		checkTimes(f, p, w.Start, w.End)
	}
	for i, d := range s.Dated {
		p := fmt.Sprintf("when.dated[%d]", i)
		if _, err := time.Parse(time.DateOnly, d.Date); err != nil {
			f.Add(p+".date", "must be a date written as YYYY-MM-DD, such as 2026-12-05")
		}
		checkTimes(f, p, d.Start, d.End)
	}
	if utf8.RuneCountInString(s.Notes) > 500 {
		f.Add("when.notes", "must be at most 500 characters")
	}
}

func checkTimes(f *apperr.Fields, prefix, start, end string) {
	okStart, okEnd := clockTime.MatchString(start), clockTime.MatchString(end)
	if !okStart {
		f.Add(prefix+".start", "must be a 24-hour time such as 09:30")
	}
	if !okEnd {
		f.Add(prefix+".end", "must be a 24-hour time such as 15:00")
	}
	if okStart && okEnd && end <= start {
		f.Add(prefix+".end", "must be after the start time")
	}
}

func (p *Price) validate(f *apperr.Fields) {
	limits := map[PriceUnit]int64{PerHour: maxPerHourPence, PerSession: maxPerUnitPence, PerPerson: maxPerUnitPence, GroupSession: maxGroupPence}
	limit, ok := limits[p.Unit]
	if !ok {
		f.Add("price.unit", "must be per_hour, per_session, per_person or group_session")
		return
	}
	switch {
	case p.AmountPence <= 0:
		f.Add("price.amount_pence", "must be more than 0 (amounts are in pence: £12.50 is 1250)")
	case p.AmountPence > limit:
		f.Add("price.amount_pence", "must be at most %d pence (£%d); amounts are in pence, so £12.50 is 1250", limit, limit/100)
	}
	if p.Unit != GroupSession {
		if p.Group != nil {
			f.Add("price.group", "give group details only when the unit is group_session")
		}
		return
	}
	g := p.Group
	if g == nil {
		f.Add("price.group", "is required for a group price: the least and most people, and the least anyone pays")
		return
	}
	if g.MinPeople < 2 || g.MinPeople > maxGroupSize {
		f.Add("price.group.min_people", "must be between 2 and %d", maxGroupSize)
	}
	if g.MaxPeople < g.MinPeople || g.MaxPeople > maxGroupSize {
		f.Add("price.group.max_people", "must be at least min_people and at most %d", maxGroupSize)
	}
	if g.FloorPence < 0 {
		f.Add("price.group.floor_pence", "must not be negative")
	} else if g.MinPeople >= 2 && g.FloorPence > (p.AmountPence+int64(g.MinPeople)-1)/int64(g.MinPeople) {
		f.Add("price.group.floor_pence", "must not be more than each person pays at the smallest group (the group price divided by min_people)")
	}
}
