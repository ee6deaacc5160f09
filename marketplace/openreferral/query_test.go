package openreferral

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace"
)

func TestQueryParametersAreReadOrRefusedByName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		query      string
		params     []string
		wantFields []string
		check      func(t *testing.T, q query)
	}{
		{"defaults", "", serviceParams, nil, func(t *testing.T, q query) {
			if q.page != 1 || q.perPage != DefaultPerPage {
				t.Errorf("page %d per_page %d", q.page, q.perPage)
			}
		}},
		{"minimal lists everything on one page", "minimal=true", serviceParams, nil, func(t *testing.T, q query) {
			if q.perPage != MaxMinimalPerPage {
				t.Errorf("per_page %d", q.perPage)
			}
		}},
		{"a day by code or by name, and times", "day=saturday&start_time=09:30:00&end_time=17:00", serviceParams, nil, func(t *testing.T, q query) {
			if q.day != "SA" || q.startTime != "09:30" || q.endTime != "17:00" {
				t.Errorf("day %q start %q end %q", q.day, q.startTime, q.endTime)
			}
		}},
		{"modified_after as a date", "modified_after=2026-01-31", serviceParams, nil, func(t *testing.T, q query) {
			if !q.modifiedAfter.Equal(time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC)) {
				t.Errorf("modified_after %s", q.modifiedAfter)
			}
		}},
		{"a full postcode is its outward code", "postcode=ls6+2ab&proximity=1500", salParams, nil, func(t *testing.T, q query) {
			if q.postcode != "LS6" || q.proximity != 1500 || !q.hasProximity {
				t.Errorf("postcode %q proximity %v", q.postcode, q.proximity)
			}
		}},
		{"unknown and repeated parameters", "colour=red&page=1&page=2", serviceParams, []string{"colour", "page"}, nil},
		{"malformed values", "page=0&per_page=501&full=maybe&taxonomy_term_id=42&modified_after=yesterday&day=someday&start_time=9am", serviceParams,
			[]string{"full", "page", "per_page", "taxonomy_term_id", "modified_after", "day", "start_time"}, nil},
		{"age limits are not supported, rather than ignored", "minimum_age=18&maximum_age=65", serviceParams, []string{"minimum_age", "maximum_age"}, nil},
		{"ndjson is not supported", "format=ndjson", serviceParams, []string{"format"}, nil},
		{"an unknown postcode, and proximity without one", "postcode=ZZ99&proximity=-5", salParams, []string{"postcode", "proximity"}, nil},
		{"proximity needs a postcode", "proximity=100", salParams, []string{"proximity"}, nil},
		{"postcode is for service_at_locations only", "postcode=LS6", serviceParams, []string{"postcode"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v, err := url.ParseQuery(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			q, err := parseQuery(v, tt.params)
			var got []string
			if e, ok := apperr.As(err); ok {
				for _, f := range e.Fields {
					got = append(got, f.Field)
				}
			} else if err != nil {
				t.Fatalf("not a validation error: %v", err)
			}
			if diff := cmp.Diff(tt.wantFields, got); diff != "" {
				t.Errorf("fields at fault (-want +got):\n%s", diff)
			}
			if tt.check != nil && err == nil {
				tt.check(t, q)
			}
		})
	}
}

func TestDayAndTimesMustHoldForOneSession(t *testing.T) {
	t.Parallel()
	s := marketplace.Schedule{
		Weekly: []marketplace.WeeklySlot{{Day: "monday", Start: "10:00", End: "12:00"}, {Day: "saturday", Start: "18:00", End: "21:00"}},
		Dated:  []marketplace.DatedSession{{Date: "2026-12-05", Start: "09:00", End: "17:00"}}, // a Saturday
	}
	tests := []struct {
		day, start, end string
		want            bool
	}{
		{"MO", "", "", true},
		{"TU", "", "", false},
		{"SA", "09:00", "17:00", true}, // the dated session
		{"MO", "11:00", "", false},     // Monday's session starts at 10:00
		{"", "18:00", "21:00", true},
		{"MO", "", "21:00", true},
		{"SA", "10:00", "20:00", false}, // no Saturday session fits inside
	}
	for _, tt := range tests {
		q := query{day: tt.day, startTime: tt.start, endTime: tt.end}
		if got := q.keepTimes(s); got != tt.want {
			t.Errorf("day %q start %q end %q: %v, want %v", tt.day, tt.start, tt.end, got, tt.want)
		}
	}
	if (query{day: "MO"}).keepTimes(marketplace.Schedule{Notes: "By arrangement"}) {
		t.Error("a schedule by arrangement matched a day")
	}
}

func TestAPostcodeIsCoveredByTheAreasServedOrByNearbyVenues(t *testing.T) {
	t.Parallel()
	at := listing(t, artGroup()).Offer // a venue in LS6
	area := at
	area.Where = marketplace.Where{Mode: marketplace.InArea, AreasServed: []string{"LS16", "LS6"}, Outcode: "LS16", Lat: 53.85, Lng: -1.6}
	online := at
	online.Where = marketplace.Where{Mode: marketplace.Online}
	tests := []struct {
		name      string
		o         marketplace.Offer
		postcode  string
		proximity float64
		want      bool
	}{
		{"a venue in the postcode's area", at, "LS6", 0, true},
		{"a venue in another area", at, "LS7", 0, false},
		{"a venue within proximity of another area", at, "LS7", 5000, true},
		{"a venue beyond proximity", at, "BS1", 5000, false},
		{"a service that comes to that area", area, "LS6", 0, true},
		{"a service that does not come to that area, however near", area, "LS7", 50000, false},
		{"online covers no postcode", online, "LS6", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			q := query{postcode: tt.postcode, proximity: tt.proximity, hasProximity: tt.proximity > 0}
			if _, got := q.distance(tt.o); got != tt.want {
				t.Errorf("covered = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPagesDescribeThemselves(t *testing.T) {
	t.Parallel()
	tests := []struct {
		n, page, per int
		want         Page
		from, to     int
	}{
		{0, 1, 10, Page{TotalItems: 0, TotalPages: 0, PageNumber: 1, Size: 0, FirstPage: true, LastPage: true, Empty: true}, 0, 0},
		{25, 1, 10, Page{TotalItems: 25, TotalPages: 3, PageNumber: 1, Size: 10, FirstPage: true}, 0, 10},
		{25, 3, 10, Page{TotalItems: 25, TotalPages: 3, PageNumber: 3, Size: 5, LastPage: true}, 20, 25},
		{25, 9, 10, Page{TotalItems: 25, TotalPages: 3, PageNumber: 9, Size: 0, LastPage: true, Empty: true}, 25, 25},
	}
	for _, tt := range tests {
		got, from, to := query{page: tt.page, perPage: tt.per}.pageOf(tt.n)
		if diff := cmp.Diff(tt.want, got); diff != "" || from != tt.from || to != tt.to {
			t.Errorf("%d items, page %d of %d: [%d:%d] (-want +got):\n%s", tt.n, tt.page, tt.per, from, to, diff)
		}
	}
}

func TestSearchNeedsEveryWord(t *testing.T) {
	t.Parallel()
	l := listing(t, artGroup())
	for search, want := range map[string]bool{"art": true, "ART lunch": true, "headingley friends": true, "arts crafts": true, "swimming": false, "art swimming": false, "": true} {
		if got := (query{words: words(search)}).keep(l); got != want {
			t.Errorf("search %q: %v, want %v", search, got, want)
		}
	}
	if !strings.Contains(strings.Join(words("Day-trip, LS6!"), " "), "day trip ls6") {
		t.Errorf("words = %q", words("Day-trip, LS6!"))
	}
}
