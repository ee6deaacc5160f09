package openreferral

import (
	"math"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/infra/web"
	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/outcode"
)

// Limits of pages. minimal=true lists are meant to fit in one page (HSDS), so they get a
// larger one.
const (
	DefaultPerPage    = 50
	MaxPerPage        = 500
	MaxMinimalPerPage = 10000
	maxProximity      = 200_000 // metres
)

// query is what a list request asks for. Zero values mean "not asked".
type query struct {
	page, perPage int
	words         []string // search: every word must appear
	termID        string
	taxonomyID    string
	orgID         string
	modifiedAfter time.Time
	minimal, full bool
	fullService   bool
	day           string // RFC 5545 code, MO..SU
	startTime     string // HH:MM
	endTime       string // HH:MM
	postcode      string // an outward code
	proximity     float64
	hasProximity  bool
	topOnly       bool
	parentID      string
}

var clock = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$`)

// Parameters of the list endpoints, by endpoint.
var (
	serviceParams = []string{"page", "per_page", "search", "taxonomy_term_id", "taxonomy_id", "organization_id",
		"modified_after", "minimal", "full", "day", "start_time", "end_time", "minimum_age", "maximum_age", "format"}
	salParams      = []string{"page", "per_page", "search", "taxonomy_term_id", "taxonomy_id", "organization_id", "modified_after", "full", "day", "start_time", "end_time", "minimum_age", "maximum_age", "postcode", "proximity", "format"}
	orgParams      = []string{"page", "per_page", "search", "full", "full_service", "format"}
	taxonomyParams = []string{"page", "per_page", "search", "format"}
	termParams     = []string{"page", "per_page", "search", "taxonomy_id", "top_only", "parent_id", "format"}
)

// parseQuery reads the parameters of a list, refusing unknown and malformed ones with a
// problem that names each (a typo must not silently widen a consumer's sync).
func parseQuery(v url.Values, allowed []string) (query, error) {
	if err := web.OnlyParams(v, allowed...); err != nil {
		return query{}, err
	}
	var f apperr.Fields
	q := query{page: 1, perPage: DefaultPerPage}
	integer := func(name string, min, max int, dst *int) {
		if s := v.Get(name); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < min || n > max {
				f.Add(name, "must be a whole number from %d to %d", min, max)
				return
			}
			*dst = n
		}
	}
	boolean := func(name string, dst *bool) {
		if s := v.Get(name); s != "" {
			b, err := strconv.ParseBool(s)
			if err != nil {
				f.Add(name, "must be true or false")
			}
			*dst = b
		}
	}
	uuidParam := func(name string, dst *string) {
		if s := v.Get(name); s != "" {
			if !isUUID(s) {
				f.Add(name, "must be a UUID")
			}
			*dst = strings.ToLower(s)
		}
	}
	boolean("minimal", &q.minimal)
	boolean("full", &q.full)
	boolean("full_service", &q.fullService)
	boolean("top_only", &q.topOnly)
	maxPer := MaxPerPage
	if q.minimal {
		q.perPage, maxPer = MaxMinimalPerPage, MaxMinimalPerPage
	}
	integer("page", 1, math.MaxInt32, &q.page)
	integer("per_page", 1, maxPer, &q.perPage)
	q.words = words(v.Get("search"))
	uuidParam("taxonomy_term_id", &q.termID)
	uuidParam("taxonomy_id", &q.taxonomyID)
	uuidParam("organization_id", &q.orgID)
	uuidParam("parent_id", &q.parentID)
	if s := v.Get("modified_after"); s != "" {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t, err = time.Parse(time.DateOnly, s)
		}
		if err != nil {
			f.Add("modified_after", "must be a date and time such as 2026-01-31T09:00:00Z, or a date such as 2026-01-31")
		}
		q.modifiedAfter = t
	}
	if s := v.Get("day"); s != "" {
		code := strings.ToUpper(strings.TrimSpace(s))
		if d, ok := byday[strings.ToLower(code)]; ok {
			code = d
		}
		if _, ok := dayOf[code]; !ok {
			f.Add("day", "must be a day of the week: MO, TU, WE, TH, FR, SA, SU or its name, such as saturday")
		}
		q.day = code
	}
	for _, p := range []struct {
		name string
		dst  *string
	}{{"start_time", &q.startTime}, {"end_time", &q.endTime}} {
		if s := v.Get(p.name); s != "" {
			if !clock.MatchString(s) {
				f.Add(p.name, "must be a 24-hour time such as 09:30 or 09:30:00 (UK time)")
			}
			*p.dst = s[:min(len(s), 5)]
		}
	}
	for _, name := range []string{"minimum_age", "maximum_age"} {
		if v.Get(name) != "" {
			f.Add(name, "is not supported: Carepool listings do not record age limits (everything on Carepool is adult social care, but providers do not state an age range), so we cannot filter on it")
		}
	}
	if s := v.Get("format"); s != "" && s != "json" {
		f.Add("format", "only json is supported; page through the results instead of ndjson")
	}
	if s := v.Get("postcode"); s != "" {
		code, ok := outcode.Normalize(s)
		if !ok {
			f.Add("postcode", "is not a UK postcode we know; give a postcode such as LS6 2AB or its first half, such as LS6")
		}
		q.postcode = code
	}
	if s := v.Get("proximity"); s != "" {
		m, err := strconv.ParseFloat(s, 64)
		switch {
		case err != nil || m <= 0 || m > maxProximity || math.IsNaN(m):
			f.Add("proximity", "must be a distance in metres, more than 0 and at most %d", maxProximity)
		case q.postcode == "" && v.Get("postcode") == "":
			f.Add("proximity", "needs a postcode to measure from")
		}
		q.proximity, q.hasProximity = m, true
	}
	return q, f.Err()
}

// words splits a search into lower-case words of letters and digits.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
}

// matches reports whether every word appears in one of the texts.
func matches(ws []string, texts ...string) bool {
	if len(ws) == 0 {
		return true
	}
	hay := strings.ToLower(strings.Join(texts, "\n"))
	for _, w := range ws {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}

// keep reports whether a listing passes the service filters of q.
func (q query) keep(l marketplace.Listing) bool {
	o, p := l.Offer, l.Provider
	if q.orgID != "" && p.ID != q.orgID {
		return false
	}
	if !q.modifiedAfter.IsZero() && l.Modified().Before(q.modifiedAfter) {
		return false
	}
	if q.termID != "" || q.taxonomyID != "" {
		found := false
		for _, a := range serviceAttributes(l) {
			if (q.termID == "" || a.TaxonomyTermID == q.termID) && (q.taxonomyID == "" || a.TaxonomyTerm.TaxonomyID == q.taxonomyID) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	if q.day != "" || q.startTime != "" || q.endTime != "" {
		if !q.keepTimes(o.When) {
			return false
		}
	}
	if len(q.words) > 0 {
		texts := []string{o.Title, o.Description, p.Name, o.Where.Outcode, strings.Join(o.Where.AreasServed, " ")}
		if a := o.Where.Address; a != nil {
			texts = append(texts, a.Town, a.Postcode)
		}
		for _, c := range o.Categories {
			texts = append(texts, marketplace.Label(marketplace.Categories, c))
		}
		if !matches(q.words, texts...) {
			return false
		}
	}
	return true
}

// keepTimes reports whether one session of the schedule is on q.day (if asked), starts at
// or after q.startTime and ends at or before q.endTime: all three must hold for the same
// session. A schedule by arrangement has no session, so it never matches.
func (q query) keepTimes(s marketplace.Schedule) bool {
	ok := func(day, start, end string) bool {
		return (q.day == "" || byday[day] == q.day) && (q.startTime == "" || start >= q.startTime) && (q.endTime == "" || end <= q.endTime)
	}
	for _, w := range s.Weekly {
		if ok(w.Day, w.Start, w.End) {
			return true
		}
	}
	for _, d := range s.Dated {
		t, err := time.Parse(time.DateOnly, d.Date)
		if err == nil && ok(strings.ToLower(t.Weekday().String()), d.Start, d.End) {
			return true
		}
	}
	return false
}

// distance is how far, in metres, the listing is from the centre of q.postcode, and
// whether it covers the postcode at all: a service that comes to people covers the areas
// it serves; a venue covers its own area, or everything within proximity when one is
// given. Online listings have no place and cover no postcode.
func (q query) distance(o marketplace.Offer) (float64, bool) {
	centre, ok := outcode.Lookup(q.postcode)
	if !ok || o.Where.Mode == marketplace.Online || o.Where.Outcode == "" {
		return 0, false
	}
	d := outcode.DistanceMiles(centre.Lat, centre.Lng, o.Where.Lat, o.Where.Lng) * metresPerMile
	if o.Where.Mode == marketplace.InArea {
		for _, code := range o.Where.AreasServed {
			if code == q.postcode {
				return d, true
			}
		}
		return d, false
	}
	if q.hasProximity {
		return d, d <= q.proximity
	}
	return d, o.Where.Outcode == q.postcode
}

const metresPerMile = 1609.344

// pageOf cuts one page out of n items and returns the envelope and the bounds.
func (q query) pageOf(n int) (Page, int, int) {
	pages := (n + q.perPage - 1) / q.perPage
	from := min((q.page-1)*q.perPage, n)
	to := min(from+q.perPage, n)
	return Page{TotalItems: n, TotalPages: pages, PageNumber: q.page, Size: to - from,
		FirstPage: q.page == 1, LastPage: q.page >= pages, Empty: to == from}, from, to
}
