package calendar

import (
	"bytes"
	"fmt"
	"testing"
	"time"
)

// lastSunday returns the last Sunday of a month.
func lastSunday(year int, month time.Month) time.Time {
	d := time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC) // the month's last day
	return d.AddDate(0, 0, -int(d.Weekday()))
}

// TestLondonRulesMatchTheZoneDatabase checks the VTIMEZONE's two rules against Go's
// zone database for every year they cover here: on the last Sunday of March and October,
// at the rule's local hour, the offset changes from From to To, and not a minute before.
func TestLondonRulesMatchTheZoneDatabase(t *testing.T) {
	t.Parallel()
	for year := 1997; year <= 2040; year++ {
		for _, r := range londonRules {
			day := lastSunday(year, r.Month)
			// The local hour is read on the clock before the change.
			change := time.Date(year, r.Month, day.Day(), r.LocalHour, 0, 0, 0, time.UTC).Add(-time.Duration(r.FromOffset) * time.Second)
			_, before := change.Add(-time.Minute).In(london).Zone()
			_, after := change.In(london).Zone()
			if before != r.FromOffset || after != r.ToOffset {
				t.Errorf("%d %s: offset %d then %d at %s, want %d then %d", year, r.Kind, before, after, change, r.FromOffset, r.ToOffset)
			}
		}
	}
}

func TestDateTimeIsLondonTimeExceptInTheRepeatedHour(t *testing.T) {
	t.Parallel()
	// 25 October 2026 is the last Sunday of October: at 02:00 BST (01:00 UTC) the clocks
	// go back to 01:00 GMT, so 01:00 to 02:00 local happens twice.
	tests := []struct {
		utc          time.Time
		params, want string
	}{
		{time.Date(2026, 10, 24, 9, 0, 0, 0, time.UTC), ";TZID=Europe/London", "20261024T100000"},   // Saturday, BST
		{time.Date(2026, 10, 26, 9, 0, 0, 0, time.UTC), ";TZID=Europe/London", "20261026T090000"},   // Monday, GMT
		{time.Date(2026, 10, 24, 23, 59, 0, 0, time.UTC), ";TZID=Europe/London", "20261025T005900"}, // 00:59 BST, once
		{time.Date(2026, 10, 25, 0, 0, 0, 0, time.UTC), "", "20261025T000000Z"},                     // first 01:00 (BST)
		{time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC), "", "20261025T003000Z"},                    // first 01:30 (BST)
		{time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC), "", "20261025T013000Z"},                    // second 01:30 (GMT)
		{time.Date(2026, 10, 25, 1, 0, 0, 0, time.UTC), "", "20261025T010000Z"},                     // second 01:00
		{time.Date(2026, 10, 25, 2, 0, 0, 0, time.UTC), ";TZID=Europe/London", "20261025T020000"},   // 02:00 GMT, only once
		{time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC), ";TZID=Europe/London", "20260329T020000"},    // clocks go forward
		{time.Date(2026, 7, 1, 23, 15, 30, 0, time.UTC), ";TZID=Europe/London", "20260702T001530"},  // past midnight in BST
	}
	for _, tt := range tests {
		t.Run(tt.utc.Format(time.RFC3339), func(t *testing.T) {
			params, value := dateTime(tt.utc)
			if params != tt.params || value != tt.want {
				t.Errorf("dateTime = %q %q, want %q %q", params, value, tt.params, tt.want)
			}
			// An independent parser reads the same instant back.
			ev := sampleEvent("x")
			ev.Start, ev.End = tt.utc, tt.utc.Add(time.Hour)
			events := parse(t, Calendar{Events: []Event{ev}}.Write()).Events()
			if got, err := events[0].GetStartAt(); err != nil || !got.Equal(tt.utc) {
				t.Errorf("parsed DTSTART = %v (%v), want %v", got, err, tt.utc)
			}
		})
	}
}

func TestCancelledEventsDoNotBlockTime(t *testing.T) {
	t.Parallel()
	ev := sampleEvent("x")
	ev.Status = Cancelled
	out := Calendar{Events: []Event{ev}}.Write()
	for _, want := range []string{"STATUS:CANCELLED\r\n", "TRANSP:TRANSPARENT\r\n"} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("a cancelled event lacks %q", want)
		}
	}
	ev.Status = Tentative
	if out := (Calendar{Events: []Event{ev}}.Write()); bytes.Contains(out, []byte("TRANSP:")) {
		t.Errorf("a tentative event is marked transparent:\n%s", out)
	}
}

func ExampleCalendar_Write() {
	start := time.Date(2026, 10, 24, 9, 0, 0, 0, time.UTC)
	out := Calendar{Events: []Event{{UID: "pool-p1-session-1@carepool.example", Start: start, End: start.Add(2 * time.Hour),
		Summary: "Art, lunch and chat", Status: Tentative, Sequence: 2, Modified: start.Add(-72 * time.Hour)}}}.Write()
	i := bytes.Index(out, []byte("BEGIN:VEVENT"))
	fmt.Print(string(bytes.ReplaceAll(out[i:], []byte("\r\n"), []byte("\n"))))
	// Output:
	// BEGIN:VEVENT
	// UID:pool-p1-session-1@carepool.example
	// DTSTAMP:20261021T090000Z
	// DTSTART;TZID=Europe/London:20261024T100000
	// DTEND;TZID=Europe/London:20261024T120000
	// SUMMARY:Art\, lunch and chat
	// STATUS:TENTATIVE
	// SEQUENCE:2
	// LAST-MODIFIED:20261021T090000Z
	// END:VEVENT
	// END:VCALENDAR
}
