package openreferral

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/marketplace/outcode"
)

// The mapping back, from an HSDS service to a Carepool offer and its provider. Carepool's
// own feed maps back exactly (its attributes carry what HSDS has no field for); another
// directory's feed maps as well as its data allows, and every value left out or assumed is
// noted against the field it came from. A service that cannot become a valid offer is
// rejected with the fields at fault.

// mapped is one service of a feed, read as Carepool data.
type mapped struct {
	sourceID string
	org      orgRecord
	offer    marketplace.OfferInput
	modified time.Time // the feed's last_modified, or zero
	problems []Problem // why the service cannot be imported
	notes    []Problem // what was left out or assumed
}

// orgRecord is the organization a service is delivered by.
type orgRecord struct {
	sourceID string
	name     string
	kinds    []account.OrgKind
	profile  marketplace.ProviderInput
	notes    []Problem
}

func (m *mapped) problem(field, format string, args ...any) {
	m.problems = append(m.problems, Problem{Field: field, Message: fmt.Sprintf(format, args...)})
}

func (m *mapped) note(field, format string, args ...any) {
	m.notes = append(m.notes, Problem{Field: field, Message: fmt.Sprintf(format, args...)})
}

// unmap reads a decoded service. It never fails: what is wrong is in problems.
func unmap(s *Service) mapped {
	m := mapped{sourceID: strings.TrimSpace(s.ID)}
	switch {
	case m.sourceID == "":
		m.problem("id", "is missing: every service needs an id")
	case len(m.sourceID) > 200:
		m.problem("id", "is longer than 200 characters")
	}
	if t, err := time.Parse(time.RFC3339Nano, s.LastModified); err == nil {
		m.modified = t.UTC()
	}
	in := &m.offer
	in.Title, in.Description = strings.TrimSpace(s.Name), strings.TrimSpace(s.Description)
	m.readAttributes(s)
	m.readPlace(s)
	m.readSchedules(s)
	m.readPrice(s)
	for i, l := range s.Languages {
		if code, ok := languageOf(l); ok {
			in.Languages = append(in.Languages, code)
		} else {
			m.note(fmt.Sprintf("languages[%d]", i), "%q is not a language Carepool lists; left out", firstOf(l.Code, l.Name))
		}
	}
	if len(in.Languages) == 0 {
		in.Languages = []string{"en"}
		m.note("languages", "none given: English assumed")
	}
	if in.Kind == "" {
		in.Kind = marketplace.KindService
		if in.Price.Unit == marketplace.GroupSession {
			in.Kind = marketplace.KindCommunityActivity
		}
	}
	if s.Organization == nil {
		m.problem("organization", "is missing: each service needs its organization nested (ask the feed for full=true)")
	} else {
		m.org = unmapOrganization(s, in.Kind)
	}
	if len(m.problems) == 0 {
		in.Normalize()
		if err := in.Validate(); err != nil {
			if e, ok := apperr.As(err); ok {
				for _, f := range e.Fields {
					m.problems = append(m.problems, Problem{Field: hsdsField(f.Field), Message: f.Message})
				}
			}
		}
	}
	return m
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// readAttributes reads the kind, categories, forms of budget and pooling from the
// attributes; categories may also come from another taxonomy's terms or the name.
func (m *mapped) readAttributes(s *Service) {
	in := &m.offer
	var foreign []string
	for i, a := range s.Attributes {
		field := fmt.Sprintf("attributes[%d]", i)
		if slug, ok := matchTerm(taxOfferKinds, a.TaxonomyTerm, a.TaxonomyTermID); ok {
			in.Kind = marketplace.Kind(slug)
		} else if slug, ok := matchTerm(taxCategories, a.TaxonomyTerm, a.TaxonomyTermID); ok {
			in.Categories = append(in.Categories, slug)
		} else if slug, ok := matchTerm(taxBudgetForms, a.TaxonomyTerm, a.TaxonomyTermID); ok {
			in.BudgetForms = append(in.BudgetForms, marketplace.BudgetForm(slug))
		} else if _, ok := matchTerm(taxPooling, a.TaxonomyTerm, a.TaxonomyTermID); ok {
			var v poolValue
			if err := json.Unmarshal([]byte(a.Value), &v); err != nil {
				m.note(field+".value", "is not the group size Carepool writes ({\"min_people\":4,\"max_people\":10,\"floor_pence\":4800}); read from the cost option instead")
				continue
			}
			in.Price.Group = &marketplace.GroupPricing{MinPeople: v.MinPeople, MaxPeople: v.MaxPeople, FloorPence: v.FloorPence}
		} else if _, ok := matchTerm(taxListingState, a.TaxonomyTerm, a.TaxonomyTermID); ok {
			// the listing state is this directory's own, not the feed's
		} else if a.TaxonomyTerm != nil {
			foreign = append(foreign, a.TaxonomyTerm.Name)
		}
	}
	if len(in.Categories) == 0 {
		for _, text := range append(foreign, in.Title) {
			for _, c := range guessCategories(text) {
				if !slices.Contains(in.Categories, c) {
					in.Categories = append(in.Categories, c)
				}
			}
		}
		if len(in.Categories) > 0 {
			m.note("attributes", "no Carepool category: %s guessed from the terms and the name", strings.Join(in.Categories, ", "))
		} else {
			m.problem("attributes", "no taxonomy term or word of the name matches a Carepool category (see /taxonomies); a provider can add one after claiming")
		}
	}
	if len(in.BudgetForms) == 0 {
		in.BudgetForms = []marketplace.BudgetForm{marketplace.DirectPayment}
		m.note("attributes", "no forms of personal budget given: direct payments assumed (any provider can be paid from one)")
	}
}

// readPlace reads where the service happens from its first location and its areas.
func (m *mapped) readPlace(s *Service) {
	in := &m.offer
	for i, a := range s.ServiceAreas {
		code, ok := outcode.Normalize(firstOf(a.Name, a.ServiceArea))
		if !ok || strings.ContainsRune(strings.TrimSpace(firstOf(a.Name, a.ServiceArea)), ' ') {
			m.note(fmt.Sprintf("service_areas[%d]", i), "%q is not a postcode outward code (such as LS6); left out", clip(firstOf(a.Name, a.ServiceArea), 60))
			continue
		}
		in.Where.AreasServed = append(in.Where.AreasServed, code)
	}
	if len(s.ServiceAtLocations) > 1 {
		m.note("service_at_locations", "has %d locations; Carepool lists one place per offer, so only the first is imported", len(s.ServiceAtLocations))
	}
	var loc *Location
	if len(s.ServiceAtLocations) > 0 {
		loc = s.ServiceAtLocations[0].Location
	}
	const field = "service_at_locations[0].location"
	switch {
	case loc == nil && len(in.Where.AreasServed) > 0:
		in.Where.Mode = marketplace.InArea
	case loc == nil:
		m.problem("service_at_locations", "no location and no postcode areas served: Carepool needs to know where a service happens")
		return
	case strings.EqualFold(loc.LocationType, "virtual"):
		in.Where.Mode = marketplace.Online
	case len(loc.Addresses) > 0:
		a := loc.Addresses[0]
		in.Where.Mode = marketplace.AtAddress
		in.Where.Address = &marketplace.Address{Line1: a.Address1, Line2: a.Address2, Town: a.City, Postcode: a.PostalCode}
	case len(in.Where.AreasServed) > 0:
		in.Where.Mode = marketplace.InArea
	case loc.Latitude != nil && loc.Longitude != nil:
		if near := outcode.Within(*loc.Latitude, *loc.Longitude, 5); len(near) > 0 {
			in.Where.Mode, in.Where.AreasServed = marketplace.InArea, []string{near[0].Code}
			m.note(field, "has no address: taken as a service in %s, the postcode area nearest its coordinates", near[0].Code)
		} else {
			m.problem(field, "has no address, and its coordinates are not in the UK")
		}
	default:
		m.problem(field, "has no address, no coordinates and no postcode areas served")
	}
	if loc == nil {
		return
	}
	for i, a := range loc.Accessibility {
		if slug, ok := accessibilityOf(a); ok {
			if !slices.Contains(in.Accessibility, slug) {
				in.Accessibility = append(in.Accessibility, slug)
			}
		} else {
			m.note(fmt.Sprintf("%s.accessibility[%d]", field, i), "%q is not an accessibility feature Carepool lists; left out", clip(firstOf(a.Description, a.Accessibility), 60))
		}
	}
}

// readSchedules reads weekly and dated sessions and notes.
func (m *mapped) readSchedules(s *Service) {
	w := &m.offer.When
	var notes []string
	for i, sc := range s.Schedules {
		field := fmt.Sprintf("schedules[%d]", i)
		start, end := clockOf(sc.OpensAt), clockOf(sc.ClosesAt)
		text := firstOf(sc.Notes, sc.Description)
		switch {
		case strings.EqualFold(sc.Freq, "WEEKLY") && start != "" && end != "" && sc.ByDay != "":
			if sc.Interval != nil && *sc.Interval > 1 {
				m.note(field+".interval", "every %d weeks is read as every week", *sc.Interval)
			}
			for _, code := range strings.Split(sc.ByDay, ",") {
				day, ok := dayOf[strings.ToUpper(strings.TrimSpace(code))]
				if !ok {
					m.note(field+".byday", "%q is not a day of the week (MO to SU); left out", code)
					continue
				}
				w.Weekly = append(w.Weekly, marketplace.WeeklySlot{Day: day, Start: start, End: end})
			}
		case sc.Freq == "" && start != "" && end != "" && datedOn(sc) != "":
			w.Dated = append(w.Dated, marketplace.DatedSession{Date: datedOn(sc), Start: start, End: end})
		case sc.Freq == "" && start == "" && end == "" && text != "":
			notes = append(notes, text)
		default:
			if text != "" {
				notes = append(notes, text)
			}
			m.note(field, "is not a weekly or one-day schedule with opening and closing times; kept as notes")
		}
	}
	w.Notes = strings.Join(notes, " ")
}

// datedOn is the one date of a schedule without freq: dtstart, or valid_from = valid_to.
func datedOn(sc Schedule) string {
	d := sc.DTStart
	if d == "" && sc.ValidFrom != "" && sc.ValidFrom == sc.ValidTo {
		d = sc.ValidFrom
	}
	if len(d) >= 10 {
		d = d[:10]
	}
	if _, err := time.Parse(time.DateOnly, d); err != nil {
		return ""
	}
	return d
}

var clockPrefix = regexp.MustCompile(`^([01]?[0-9]|2[0-3]):([0-5][0-9])`)

// clockOf reads "9:30", "09:30", "09:30:00" or "09:30:00Z" as "09:30" (UK time).
func clockOf(s string) string {
	mm := clockPrefix.FindStringSubmatch(strings.TrimSpace(s))
	if mm == nil {
		return ""
	}
	h, _ := strconv.Atoi(mm[1])
	return fmt.Sprintf("%02d:%s", h, mm[2])
}

// readPrice reads the first cost option with an amount.
func (m *mapped) readPrice(s *Service) {
	p := &m.offer.Price
	i := slices.IndexFunc(s.CostOptions, func(c CostOption) bool { return c.Amount != "" })
	if i < 0 {
		m.problem("cost_options", "no price: Carepool lists paid offers only (the amount is in pounds, such as 12.50)")
		return
	}
	if n := len(s.CostOptions); n > 1 {
		m.note("cost_options", "has %d options; only the first with an amount is imported", n)
	}
	c := s.CostOptions[i]
	field := fmt.Sprintf("cost_options[%d]", i)
	pence, err := penceOf(c.Amount)
	if err != nil {
		m.problem(field+".amount", "%s", err)
		return
	}
	p.AmountPence = pence
	desc := strings.ToLower(c.AmountDescription)
	for unit, d := range unitDescriptions {
		if desc == d {
			p.Unit = unit
		}
	}
	switch {
	case p.Unit != "":
	case strings.HasPrefix(desc, unitDescriptions[marketplace.GroupSession]):
		p.Unit = marketplace.GroupSession
	case strings.Contains(desc, "hour"):
		p.Unit = marketplace.PerHour
	case strings.Contains(desc, "person") || strings.Contains(desc, "each") || strings.Contains(desc, "head"):
		p.Unit = marketplace.PerPerson
	default:
		p.Unit = marketplace.PerSession
		m.note(field+".amount_description", "%q does not say what the price is for: taken as per session", clip(c.AmountDescription, 60))
	}
	if p.Unit == marketplace.GroupSession && p.Group == nil {
		var lo, hi int
		if _, err := fmt.Sscanf(desc, "per group session, shared by %d to %d people", &lo, &hi); err == nil {
			p.Group = &marketplace.GroupPricing{MinPeople: lo, MaxPeople: hi}
		}
	}
	if p.Unit != marketplace.GroupSession {
		p.Group = nil
	}
}

// hsdsFields names, for each field of a Carepool offer, the HSDS field it came from, so a
// validation problem points into the feed.
var hsdsFields = []struct{ ours, theirs string }{
	{"title", "name"},
	{"kind", "attributes (carepool-offer-kinds)"},
	{"categories", "attributes (carepool-categories)"},
	{"budget_forms", "attributes (carepool-budget-forms)"},
	{"where.address.line1", "service_at_locations[0].location.addresses[0].address_1"},
	{"where.address.line2", "service_at_locations[0].location.addresses[0].address_2"},
	{"where.address.town", "service_at_locations[0].location.addresses[0].city"},
	{"where.address.postcode", "service_at_locations[0].location.addresses[0].postal_code"},
	{"where.address", "service_at_locations[0].location.addresses"},
	{"where.areas_served", "service_areas"},
	{"where.mode", "service_at_locations[0].location.location_type"},
	{"when", "schedules"},
	{"price.amount_pence", "cost_options[0].amount"},
	{"price.unit", "cost_options[0].amount_description"},
	{"price.group", "attributes (carepool-pooling)"},
	{"accessibility", "service_at_locations[0].location.accessibility"},
}

func hsdsField(ours string) string {
	for _, f := range hsdsFields {
		if rest, ok := strings.CutPrefix(ours, f.ours); ok {
			if strings.HasPrefix(rest, "[") || strings.HasPrefix(rest, ".") {
				return f.theirs + " (" + ours + ")"
			}
			if rest == "" {
				return f.theirs
			}
		}
	}
	return ours
}
