package frontend

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Europe/London on machines without a zone database

	"github.com/carepool/carepool/marketplace"
)

// Formatting in the GOV.UK style: "£12.50" and "£480", "10am" and "2:30pm", "Saturday
// 5 December 2026", and lists joined with "and" or "or".

// pounds formats pence as pounds: whole amounts without pence.
func pounds(pence int64) string {
	sign := ""
	if pence < 0 {
		sign, pence = "-", -pence
	}
	whole := groupThousands(pence / 100)
	if pence%100 == 0 {
		return sign + "£" + whole
	}
	return fmt.Sprintf("%s£%s.%02d", sign, whole, pence%100)
}

func groupThousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	if len(s) <= 3 {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// poundsInput formats pence for a form field: "12.50", "480".
func poundsInput(pence int64) string {
	if pence%100 == 0 {
		return strconv.FormatInt(pence/100, 10)
	}
	return fmt.Sprintf("%d.%02d", pence/100, pence%100)
}

// parsePounds reads an amount typed in pounds ("12", "12.5", "£12.50", "1,200") as pence.
func parsePounds(s string) (int64, bool) {
	s = strings.ReplaceAll(strings.TrimPrefix(strings.TrimSpace(s), "£"), ",", "")
	whole, frac, dotted := strings.Cut(s, ".")
	if whole == "" || len(whole) > 7 || strings.Trim(whole, "0123456789") != "" {
		return 0, false
	}
	if dotted && (len(frac) == 0 || len(frac) > 2 || strings.Trim(frac, "0123456789") != "") {
		return 0, false
	}
	for len(frac) < 2 {
		frac += "0"
	}
	p, _ := strconv.ParseInt(whole, 10, 64)
	c, _ := strconv.ParseInt(frac, 10, 64)
	return p*100 + c, true
}

// clock formats "14:30" as "2:30pm", "10:00" as "10am", "12:00" as "midday".
func clock(hhmm string) string {
	t, err := time.Parse("15:04", hhmm)
	if err != nil {
		return hhmm
	}
	switch {
	case t.Hour() == 12 && t.Minute() == 0:
		return "midday"
	case t.Hour() == 0 && t.Minute() == 0:
		return "midnight"
	case t.Minute() == 0:
		return strings.ToLower(t.Format("3pm"))
	}
	return strings.ToLower(t.Format("3:04pm"))
}

// longDate formats "2026-12-05" as "Saturday 5 December 2026".
func longDate(date string) string {
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return date
	}
	return t.Format("Monday 2 January 2006")
}

// plainDate formats "2026-12-05" as "5 December 2026".
func plainDate(date string) string {
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return date
	}
	return t.Format("2 January 2006")
}

// dayName capitalises a day: "saturday" → "Saturday".
func dayName(day string) string {
	if day == "" {
		return ""
	}
	return strings.ToUpper(day[:1]) + day[1:]
}

// joinWords joins a list as people write it: "a, b and c".
func joinWords(words []string, last string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " " + last + " " + words[len(words)-1]
}

// priceSummary says what an offer costs in one line, per person where it can: "£60 to
// £120 per person a session, shared by 4 to 10 people", "£18 an hour".
func priceSummary(p marketplace.Price) string {
	switch p.Unit {
	case marketplace.PerHour:
		return pounds(p.AmountPence) + " an hour"
	case marketplace.PerSession:
		return pounds(p.AmountPence) + " a session"
	case marketplace.PerPerson:
		return pounds(p.AmountPence) + " per person"
	case marketplace.GroupSession:
		if g := p.Group; g != nil {
			low, high := p.PerPersonAt(g.MaxPeople), p.PerPersonAt(g.MinPeople)
			if low == high {
				return fmt.Sprintf("%s per person a session", pounds(low))
			}
			return fmt.Sprintf("%s to %s per person a session, depending on how many join", pounds(low), pounds(high))
		}
		return pounds(p.AmountPence) + " a session for the group"
	}
	return pounds(p.AmountPence)
}

// hitPrice describes a search hit's price, which is per person and, for a group, the
// share at the largest group.
func hitPrice(pence int64, unit string) string {
	switch marketplace.PriceUnit(unit) {
	case marketplace.PerHour:
		return pounds(pence) + " an hour"
	case marketplace.PerSession:
		return pounds(pence) + " a session"
	case marketplace.GroupSession:
		return "From " + pounds(pence) + " per person a session, in a group"
	}
	return pounds(pence) + " per person"
}

// weeklyText describes a weekly slot: "Every Friday, 10am to 2:30pm".
func weeklyText(w marketplace.WeeklySlot) string {
	return fmt.Sprintf("Every %s, %s to %s", dayName(w.Day), clock(w.Start), clock(w.End))
}

// datedText describes one dated session: "Saturday 5 December 2026, 9am to 5pm".
func datedText(d marketplace.DatedSession) string {
	return fmt.Sprintf("%s, %s to %s", longDate(d.Date), clock(d.Start), clock(d.End))
}

// daysText lists days as a sentence: "Tuesday and Thursday", or "Monday to Friday".
func daysText(days []string) string {
	if len(days) == 5 && days[0] == "monday" && days[4] == "friday" {
		return "Monday to Friday"
	}
	if len(days) == 7 {
		return "Every day"
	}
	names := make([]string, len(days))
	for i, d := range days {
		names[i] = dayName(d)
	}
	return joinWords(names, "and")
}

// shortDate formats a time as "5 December 2026".
func shortDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(ukTime).Format("2 January 2006")
}

// ukTime is the zone of every time people read on the pages.
var ukTime = func() *time.Location {
	if l, err := time.LoadLocation("Europe/London"); err == nil {
		return l
	}
	return time.UTC
}()

// truncateWords shortens text to about n characters at a word boundary, with "…".
func truncateWords(s string, n int) string {
	if len([]rune(s)) <= n {
		return s
	}
	r := []rune(s)[:n]
	if i := strings.LastIndexByte(string(r), ' '); i > n/2 {
		return string(r)[:i] + "…"
	}
	return string(r) + "…"
}
