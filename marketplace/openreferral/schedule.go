package openreferral

import (
	"fmt"
	"strings"
	"time"

	"github.com/carepool/carepool/marketplace"
)

// Weekly slots become WEEKLY schedules with byday, one per run of consecutive slots with
// the same times (Monday to Friday 09:30-15:30 is one schedule); a dated session becomes a
// schedule with dtstart (and valid_from = valid_to) and no freq; notes ("by arrangement")
// become a schedule with notes only. Times are UK local time.

var byday = map[string]string{
	"monday": "MO", "tuesday": "TU", "wednesday": "WE", "thursday": "TH", "friday": "FR", "saturday": "SA", "sunday": "SU",
}

// dayOf is byday's inverse.
var dayOf = func() map[string]string {
	m := map[string]string{}
	for d, code := range byday {
		m[code] = d
	}
	return m
}()

func schedules(o marketplace.Offer) []Schedule {
	var out []Schedule
	seen := map[string]int{}
	id := func(parts ...string) string {
		key := strings.Join(parts, "/")
		seen[key]++
		if n := seen[key]; n > 1 {
			key += fmt.Sprintf("#%d", n)
		}
		return derive("schedule", o.ID, key)
	}
	one := 1
	weekly := o.When.Weekly
	for i := 0; i < len(weekly); {
		j := i + 1
		for j < len(weekly) && weekly[j].Start == weekly[i].Start && weekly[j].End == weekly[i].End {
			j++
		}
		var codes, names []string
		for _, w := range weekly[i:j] {
			codes = append(codes, byday[w.Day])
			names = append(names, capitalise(w.Day))
		}
		out = append(out, Schedule{ID: id("weekly", strings.Join(codes, ","), weekly[i].Start, weekly[i].End), ServiceID: o.ID,
			Freq: "WEEKLY", Interval: &one, ByDay: strings.Join(codes, ","), OpensAt: weekly[i].Start, ClosesAt: weekly[i].End,
			Description: fmt.Sprintf("Every %s, %s to %s (UK time)", list(names), weekly[i].Start, weekly[i].End)})
		i = j
	}
	for _, d := range o.When.Dated {
		desc := d.Date
		if t, err := time.Parse(time.DateOnly, d.Date); err == nil {
			desc = t.Format("Monday 2 January 2006")
		}
		out = append(out, Schedule{ID: id("dated", d.Date, d.Start, d.End), ServiceID: o.ID,
			ValidFrom: d.Date, ValidTo: d.Date, DTStart: d.Date, OpensAt: d.Start, ClosesAt: d.End,
			Description: fmt.Sprintf("On %s, %s to %s (UK time)", desc, d.Start, d.End)})
	}
	if o.When.Notes != "" {
		out = append(out, Schedule{ID: id("notes"), ServiceID: o.ID, Notes: o.When.Notes, Description: o.When.Notes})
	}
	return out
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// list joins names as people write them: "Monday, Tuesday and Friday".
func list(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
