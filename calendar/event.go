// Package calendar publishes pool sessions as iCalendar (RFC 5545) feeds that people add
// to their calendar apps: one public feed per pool, and one private feed per person of
// the sessions of the pools they are in, at a secret address they can change or turn
// off. The iCalendar text is written here by hand (it is small); README.md explains the
// choices (time zone, SEQUENCE, what a cancelled session looks like).
package calendar

import (
	"strconv"
	"time"
)

// EventStatus is an event's STATUS. Calendar apps remove or strike through cancelled
// events when they next read the feed.
type EventStatus string

// The statuses of an event (RFC 5545 section 3.8.1.11).
const (
	Tentative EventStatus = "TENTATIVE" // the pool may not go ahead
	Confirmed EventStatus = "CONFIRMED" // the pool is going ahead
	Cancelled EventStatus = "CANCELLED" // the session, the pool or the person's place is off
)

// Event is one session as a VEVENT.
type Event struct {
	UID         string // stable across updates: the same session keeps it for ever
	Start, End  time.Time
	Summary     string
	Location    string
	Description string
	URL         string
	Status      EventStatus
	// Sequence rises whenever the event changes, so calendar apps take the new version.
	Sequence int64
	// Modified is when the event last changed; it is also the DTSTAMP (see write).
	Modified time.Time
}

// Calendar is a whole feed.
type Calendar struct {
	Name   string // shown by calendar apps as the calendar's name
	Events []Event
}

// ProductID names Carepool as the producer of the feeds (PRODID).
const ProductID = "-//Carepool//Pool sessions//EN"

// refreshInterval asks subscribing apps to read the feed again every hour.
const refreshInterval = "PT1H"

// Write returns the calendar as an iCalendar object.
//
// DTSTAMP is the event's last change rather than the moment of writing, so that the
// same state of the pools always gives the same bytes: the feeds' ETags then let apps
// that poll every hour get "not modified" instead of the whole feed.
func (c Calendar) Write() []byte {
	var w contentWriter
	w.line("BEGIN", "", "VCALENDAR")
	w.line("PRODID", "", ProductID)
	w.line("VERSION", "", "2.0")
	w.line("CALSCALE", "", "GREGORIAN")
	w.line("METHOD", "", "PUBLISH")
	if c.Name != "" {
		w.text("X-WR-CALNAME", c.Name)
		w.text("NAME", c.Name) // RFC 7986
	}
	w.line("X-WR-TIMEZONE", "", TZID)
	w.line("REFRESH-INTERVAL", ";VALUE=DURATION", refreshInterval)
	w.line("X-PUBLISHED-TTL", "", refreshInterval)
	writeTimezone(&w)
	for _, e := range c.Events {
		e.write(&w)
	}
	w.line("END", "", "VCALENDAR")
	return w.buf.Bytes()
}

func (e Event) write(w *contentWriter) {
	w.line("BEGIN", "", "VEVENT")
	w.text("UID", e.UID)
	w.line("DTSTAMP", "", utc(e.Modified))
	params, value := dateTime(e.Start)
	w.line("DTSTART", params, value)
	params, value = dateTime(e.End)
	w.line("DTEND", params, value)
	w.text("SUMMARY", e.Summary)
	if e.Location != "" {
		w.text("LOCATION", e.Location)
	}
	if e.Description != "" {
		w.text("DESCRIPTION", e.Description)
	}
	if e.URL != "" {
		w.line("URL", "", e.URL)
	}
	w.line("STATUS", "", string(e.Status))
	w.line("SEQUENCE", "", strconv.FormatInt(e.Sequence, 10))
	w.line("LAST-MODIFIED", "", utc(e.Modified))
	if e.Status == Cancelled {
		// Cancelled sessions should not block time in anyone's diary.
		w.line("TRANSP", "", "TRANSPARENT")
	}
	w.line("END", "", "VEVENT")
}
