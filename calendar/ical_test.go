package calendar

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	ics "github.com/arran4/golang-ical"
	"github.com/google/go-cmp/cmp"
)

// physicalLines splits a calendar into its physical lines, failing on a bare LF.
func physicalLines(t testing.TB, b []byte) []string {
	t.Helper()
	if !bytes.HasSuffix(b, []byte("\r\n")) {
		t.Fatalf("output does not end with CRLF: %q", tail(b))
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\r\n"), "\r\n")
	for _, l := range lines {
		if strings.ContainsAny(l, "\r\n") {
			t.Fatalf("line with a bare CR or LF: %q", l)
		}
	}
	return lines
}

func tail(b []byte) []byte { return b[max(0, len(b)-20):] }

// checkLines checks RFC 5545's line rules: at most 75 octets, valid UTF-8 on every
// physical line (so no fold split a character), continuation lines start with a space.
func checkLines(t testing.TB, b []byte) {
	t.Helper()
	for i, l := range physicalLines(t, b) {
		if len(l) > maxLineOctets {
			t.Errorf("line %d is %d octets: %q", i, len(l), l)
		}
		if !utf8.ValidString(l) {
			t.Errorf("line %d is not valid UTF-8 (a fold split a character): %q", i, l)
		}
		if i == 0 && strings.HasPrefix(l, " ") {
			t.Errorf("the first line is a continuation: %q", l)
		}
	}
}

func TestFoldKeepsEveryLineWithin75OctetsWithoutSplittingACharacter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, value string
	}{
		{"short", "Art group"},
		{"exactly fills the first line", strings.Repeat("a", maxLineOctets-len("SUMMARY:"))},
		{"one octet over", strings.Repeat("a", maxLineOctets-len("SUMMARY:")+1)},
		{"long ASCII", strings.Repeat("Friday art and lunch ", 20)},
		{"two-byte characters across every boundary", strings.Repeat("é", 200)},
		{"three-byte characters", strings.Repeat("€", 100)},
		{"four-byte characters offset by one", "x" + strings.Repeat("🎨", 80)},
		{"mixed", strings.Repeat("Café £5, 🎨; art\\ ", 15)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var w contentWriter
			w.text("SUMMARY", tt.value)
			checkLines(t, w.buf.Bytes())
			unfolded := strings.ReplaceAll(strings.TrimSuffix(w.buf.String(), "\r\n"), "\r\n ", "")
			if want := "SUMMARY:" + escapeText(tt.value); unfolded != want {
				t.Errorf("unfolded = %q, want %q", unfolded, want)
			}
		})
	}
}

func TestEscapeTextEscapesWhatTextMayNotHold(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"Art, lunch; chat", `Art\, lunch\; chat`},
		{`back\slash`, `back\\slash`},
		{"line one\nline two", `line one\nline two`},
		{"windows\r\nline", `windows\nline`},
		{"old mac\rline", `old mac\nline`},
		{"tab\tkept", "tab\tkept"},
		{"bell\x07 and nul\x00 dropped", "bell and nul dropped"},
		{"bad \xff utf-8", "bad  utf-8"},
		{`colon: and "quotes" stay`, `colon: and "quotes" stay`},
	}
	for _, tt := range tests {
		if got := escapeText(tt.in); got != tt.want {
			t.Errorf("escapeText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// sampleEvent is an event with every property set.
func sampleEvent(text string) Event {
	start := time.Date(2026, 10, 17, 9, 0, 0, 0, time.UTC)
	return Event{UID: "pool-p1-session-0@carepool.example", Start: start, End: start.Add(150 * time.Minute),
		Summary: text, Location: text, Description: text, URL: "https://carepool.example/pools/p1",
		Status: Confirmed, Sequence: 3, Modified: time.Date(2026, 10, 1, 8, 0, 0, 0, time.UTC)}
}

// parse reads a calendar back with an independent iCalendar library.
func parse(t testing.TB, b []byte) *ics.Calendar {
	t.Helper()
	cal, err := ics.ParseCalendar(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, b)
	}
	return cal
}

func prop(e *ics.VEvent, p ics.ComponentProperty) string {
	if v := e.GetProperty(p); v != nil {
		return v.Value
	}
	return ""
}

func TestWriteParsesBackWithEveryProperty(t *testing.T) {
	t.Parallel()
	ev := sampleEvent("Friday art, lunch; and chat\nBring an apron \\ smock")
	out := Calendar{Name: "Carepool: Friday art", Events: []Event{ev}}.Write()
	checkLines(t, out)
	cal := parse(t, out)
	for _, p := range []ics.Property{ics.PropertyProductId, ics.PropertyVersion, ics.PropertyCalscale, ics.PropertyMethod} {
		if cal.CalendarProperties == nil || !hasCalendarProperty(cal, p) {
			t.Errorf("calendar has no %s", p)
		}
	}
	events := cal.Events()
	if len(events) != 1 {
		t.Fatalf("%d events, want 1", len(events))
	}
	e := events[0]
	start, err := e.GetStartAt()
	if err != nil || !start.Equal(ev.Start) {
		t.Errorf("DTSTART = %v (%v), want %v", start, err, ev.Start)
	}
	end, err := e.GetEndAt()
	if err != nil || !end.Equal(ev.End) {
		t.Errorf("DTEND = %v (%v), want %v", end, err, ev.End)
	}
	got := map[string]string{
		"UID": prop(e, ics.ComponentPropertyUniqueId), "SUMMARY": prop(e, ics.ComponentPropertySummary),
		"LOCATION": prop(e, ics.ComponentPropertyLocation), "DESCRIPTION": prop(e, ics.ComponentPropertyDescription),
		"URL": prop(e, ics.ComponentPropertyUrl), "STATUS": prop(e, ics.ComponentPropertyStatus),
		"SEQUENCE": prop(e, ics.ComponentPropertySequence), "DTSTAMP": prop(e, ics.ComponentPropertyDtstamp),
		"LAST-MODIFIED": prop(e, ics.ComponentPropertyLastModified),
		"TZID":          strings.Join(e.GetProperty(ics.ComponentPropertyDtStart).ICalParameters["TZID"], ","),
	}
	want := map[string]string{
		"UID": ev.UID, "SUMMARY": ev.Summary, "LOCATION": ev.Location, "DESCRIPTION": ev.Description, "URL": ev.URL,
		"STATUS": "CONFIRMED", "SEQUENCE": "3", "DTSTAMP": "20261001T080000Z", "LAST-MODIFIED": "20261001T080000Z",
		"TZID": TZID,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("event properties (-want +got):\n%s", diff)
	}
	if !bytes.Contains(out, []byte("BEGIN:VTIMEZONE\r\nTZID:Europe/London\r\n")) {
		t.Errorf("no VTIMEZONE for Europe/London")
	}
}

func hasCalendarProperty(cal *ics.Calendar, p ics.Property) bool {
	for _, cp := range cal.CalendarProperties {
		if cp.IANAToken == string(p) {
			return true
		}
	}
	return false
}

// FuzzTextSurvivesEscapingAndFolding writes any text as an event's summary, place and
// description, and reads it back with an independent parser: every line obeys RFC 5545
// and the text comes back as the text a TEXT value can carry.
func FuzzTextSurvivesEscapingAndFolding(f *testing.F) {
	for _, s := range []string{"", "Art, lunch; chat", `a\b`, "one\ntwo\r\nthree\rfour", strings.Repeat("é🎨", 60),
		"\\n not a newline", "ends with backslash\\", "\x00\x7f\xff", " leading and trailing ", "x\u0085y\u2028z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Calendar{Events: []Event{sampleEvent(s)}}.Write()
		checkLines(t, out)
		events := parse(t, out).Events()
		if len(events) != 1 {
			t.Fatalf("%d events, want 1", len(events))
		}
		want := cleanText(s)
		for _, p := range []ics.ComponentProperty{ics.ComponentPropertySummary, ics.ComponentPropertyLocation, ics.ComponentPropertyDescription} {
			got := prop(events[0], p)
			if p != ics.ComponentPropertySummary && want == "" {
				continue // empty places and descriptions are left out
			}
			if got != want {
				t.Errorf("%s = %q, want %q", p, got, want)
			}
		}
	})
}
