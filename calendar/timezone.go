package calendar

import (
	"fmt"
	"time"
	_ "time/tzdata" // Europe/London on machines without a zone database
)

// TZID is the time zone every session is written in: care in England happens on
// England's clock, and calendar apps then show it right wherever the reader is.
const TZID = "Europe/London"

// london is Europe/London from Go's zone database (embedded, so it is always there).
var london = mustLoad(TZID)

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(fmt.Sprintf("calendar: load time zone %s: %v", name, err))
	}
	return loc
}

// zoneRule is one of the two yearly rules of the UK's clocks in a VTIMEZONE: the
// change happens on the last Sunday of Month at LocalHour (the local time before it).
type zoneRule struct {
	Kind       string // DAYLIGHT or STANDARD
	Name       string // BST or GMT
	From, To   string // UTC offsets before and after, "+0000"
	FromOffset int    // the same, in seconds, for the test against the zone database
	ToOffset   int
	Since      string // the first change under this rule, local time
	Month      time.Month
	LocalHour  int
}

// londonRules are the UK's rules since 1996: clocks go forward to BST at 01:00 GMT on
// the last Sunday of March and back to GMT at 02:00 BST on the last Sunday of October.
// TestLondonRulesMatchTheZoneDatabase checks them against Go's zone database.
var londonRules = []zoneRule{
	{Kind: "DAYLIGHT", Name: "BST", From: "+0000", To: "+0100", FromOffset: 0, ToOffset: 3600,
		Since: "19810329T010000", Month: time.March, LocalHour: 1},
	{Kind: "STANDARD", Name: "GMT", From: "+0100", To: "+0000", FromOffset: 3600, ToOffset: 0,
		Since: "19961027T020000", Month: time.October, LocalHour: 2},
}

// writeTimezone writes the VTIMEZONE component that DTSTART;TZID=Europe/London refers
// to (RFC 5545 section 3.6.5 requires one for every TZID used).
func writeTimezone(w *contentWriter) {
	w.line("BEGIN", "", "VTIMEZONE")
	w.line("TZID", "", TZID)
	w.line("X-LIC-LOCATION", "", TZID)
	for _, r := range londonRules {
		w.line("BEGIN", "", r.Kind)
		w.line("TZOFFSETFROM", "", r.From)
		w.line("TZOFFSETTO", "", r.To)
		w.line("TZNAME", "", r.Name)
		w.line("DTSTART", "", r.Since)
		w.line("RRULE", "", fmt.Sprintf("FREQ=YEARLY;BYMONTH=%d;BYDAY=-1SU", int(r.Month)))
		w.line("END", "", r.Kind)
	}
	w.line("END", "", "VTIMEZONE")
}

// Formats of iCalendar DATE-TIME values (RFC 5545 section 3.3.5).
const (
	localFormat = "20060102T150405"
	utcFormat   = "20060102T150405Z"
)

// dateTime returns the parameters and value of a DTSTART or DTEND for t: London local
// time with TZID, except in the one hour a year when London's local time is ambiguous
// (the clocks go back and 01:00 to 02:00 happens twice), where t is written in UTC.
// RFC 5545 reads an ambiguous local time as its first occurrence, but not every reader
// does (Go's time package, and so golang-ical, takes the second): UTC is read one way.
func dateTime(t time.Time) (params, value string) {
	local := t.In(london)
	if ambiguous(local) {
		return "", t.UTC().Format(utcFormat)
	}
	return ";TZID=" + TZID, local.Format(localFormat)
}

// ambiguous reports whether the wall-clock reading of a London time happens twice: an
// hour later the offset is smaller (this is the first time), or an hour earlier it was
// larger (this is the second).
func ambiguous(local time.Time) bool {
	_, now := local.Zone()
	_, later := local.Add(time.Hour).Zone()
	_, earlier := local.Add(-time.Hour).Zone()
	return later < now || earlier > now
}

// utc formats t as a UTC DATE-TIME (DTSTAMP, LAST-MODIFIED).
func utc(t time.Time) string { return t.UTC().Format(utcFormat) }
