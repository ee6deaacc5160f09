package frontend

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/carepool/carepool/pooling"
)

// The propose form's fields as typed, and how they become a pooling.PoolInput. The
// page checks what it must understand (whole numbers, real dates and times); the
// pooling service checks the rest (the deadline is ahead, sizes fit the offer).

// proposeRaw is the propose form as typed.
type proposeRaw struct {
	Organiser, Title, Description, Visibility string
	MinPeople, MaxPeople, SessionMinutes      string
	Deadline, First                           DateParts
	FirstTime, Sessions, EveryDays            string
	NoticeDays                                string
}

// DateParts is a date typed into the GOV.UK date input: day, month and year.
type DateParts struct{ Day, Month, Year string }

func proposeRawFrom(f url.Values) proposeRaw {
	get := func(k string) string { return strings.TrimSpace(f.Get(k)) }
	return proposeRaw{Organiser: get("organiser"), Title: f.Get("title"), Description: f.Get("description"),
		Visibility: get("visibility"), MinPeople: get("min-people"), MaxPeople: get("max-people"),
		SessionMinutes: get("session-minutes"),
		Deadline:       DateParts{get("deadline-day"), get("deadline-month"), get("deadline-year")},
		First:          DateParts{get("first-day"), get("first-month"), get("first-year")},
		FirstTime:      get("first-time"), Sessions: get("sessions"), EveryDays: get("every-days"), NoticeDays: get("notice-days")}
}

// proposeOrder is the order of the form's fields, for the error summary.
var proposeOrder = []string{"offer", "organiser", "title", "description", "visibility", "min-people", "max-people",
	"session-minutes", "deadline-day", "first-day", "first-time", "sessions", "every-days", "notice-days"}

// proposeFields maps the pooling service's fields to the form's.
var proposeFields = fieldSpecs{
	"":                         {ID: "organiser"},
	"offer_id":                 {ID: "offer", Label: "The activity"},
	"organiser_org_id":         {ID: "organiser", Label: "Who organises it", Required: "Choose who organises the pool"},
	"title":                    {ID: "title", Label: "Name of the pool", Required: "Enter a name for the pool"},
	"description":              {ID: "description", Label: "Who it is for"},
	"visibility":               {ID: "visibility", Label: "Who can join", Required: "Choose who can join"},
	"min_people":               {ID: "min-people", Label: "Smallest group"},
	"max_people":               {ID: "max-people", Label: "Largest group"},
	"session_minutes":          {ID: "session-minutes", Label: "Length of each session"},
	"grace_working_days":       {ID: "deadline-day", Label: "Waiting time for approvals"},
	"deadline":                 {ID: "deadline-day", Label: "Deadline", Required: "Enter the deadline to join"},
	"schedule.first_session":   {ID: "first-day", Label: "First session", Required: "Enter the date of the first session"},
	"schedule.sessions":        {ID: "sessions", Label: "Number of sessions"},
	"schedule.every_days":      {ID: "every-days", Label: "How often"},
	"schedule.period_sessions": {ID: "sessions", Label: "Sessions billed together"},
	"schedule.notice_days":     {ID: "notice-days", Label: "Notice to leave"},
}

// input turns the form into a PoolInput, with a message for each field it cannot read.
func (r proposeRaw) input(offerID string) (pooling.PoolInput, FormErrors) {
	var errs FormErrors
	in := pooling.PoolInput{OfferID: offerID, Title: r.Title, Description: r.Description, Visibility: pooling.Visibility(r.Visibility)}
	switch r.Organiser {
	case "":
		errs = errs.add("organiser", "Choose who organises the pool")
	case "me":
	default:
		in.OrganiserOrgID = r.Organiser
	}
	if strings.TrimSpace(r.Title) == "" {
		errs = errs.add("title", "Enter a name for the pool")
	}
	if r.Visibility == "" {
		errs = errs.add("visibility", "Choose who can join")
	}
	whole := func(id, value, what string, lo, hi int) int {
		if value == "" {
			return 0
		}
		n, err := strconv.Atoi(value)
		if err != nil || n < lo || n > hi {
			errs = errs.add(id, fmt.Sprintf("%s must be a whole number from %d to %d", what, lo, hi))
			return 0
		}
		return n
	}
	in.MinPeople = whole("min-people", r.MinPeople, "The smallest group", 1, 200)
	in.MaxPeople = whole("max-people", r.MaxPeople, "The largest group", 1, 200)
	if in.MinPeople > 0 && in.MaxPeople > 0 && in.MinPeople > in.MaxPeople {
		errs = errs.add("min-people", "The smallest group must not be bigger than the largest")
	}
	in.SessionMinutes = whole("session-minutes", r.SessionMinutes, "The length of each session, in minutes,", 15, 12*60)
	in.Schedule.Sessions = whole("sessions", r.Sessions, "The number of sessions", 1, pooling.MaxSessions)
	if in.Schedule.Sessions > 1 {
		in.Schedule.EveryDays = whole("every-days", r.EveryDays, "How often", 1, 28)
		if in.Schedule.EveryDays == 0 {
			errs = errs.add("every-days", "Choose how often the sessions are")
		}
		in.Schedule.NoticeDays = whole("notice-days", r.NoticeDays, "The notice to leave, in days,", 0, 90)
	}
	if d, msg := r.Deadline.date(23, 59); msg != "" {
		errs = errs.add("deadline-day", "Deadline: "+msg)
	} else {
		in.Deadline = d
	}
	hour, minute, ok := parseClock(r.FirstTime)
	if !ok {
		errs = errs.add("first-time", "Enter the time the first session starts, like 10am or 14:30")
	}
	if d, msg := r.First.date(hour, minute); msg != "" {
		errs = errs.add("first-day", "First session: "+msg)
	} else if ok {
		in.Schedule.FirstSession = d
	}
	return in, errs
}

// date reads the parts as a date at hour:minute, UK time, or says what is wrong.
func (d DateParts) date(hour, minute int) (time.Time, string) {
	if d.Day == "" && d.Month == "" && d.Year == "" {
		return time.Time{}, "enter a date"
	}
	day, e1 := strconv.Atoi(d.Day)
	month, e2 := strconv.Atoi(d.Month)
	year, e3 := strconv.Atoi(d.Year)
	if e1 != nil || e2 != nil || e3 != nil || year < 2000 || year > 2200 || month < 1 || month > 12 || day < 1 {
		return time.Time{}, "enter a real date, with the day, month and year as numbers, like 27 3 2026"
	}
	t := time.Date(year, time.Month(month), day, hour, minute, 0, 0, ukTime)
	if t.Day() != day {
		return time.Time{}, "enter a real date: that month has no such day"
	}
	return t, ""
}

// parseClock reads a time of day as people type it: "10", "10am", "2:30pm", "14:30",
// "14.30", "midday".
func parseClock(s string) (hour, minute int, ok bool) {
	s = strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	switch s {
	case "midday", "noon":
		return 12, 0, true
	case "":
		return 0, 0, false
	}
	pm, am := strings.HasSuffix(s, "pm"), strings.HasSuffix(s, "am")
	s = strings.TrimSuffix(strings.TrimSuffix(s, "pm"), "am")
	hs, ms, _ := strings.Cut(strings.ReplaceAll(s, ".", ":"), ":")
	h, err := strconv.Atoi(hs)
	if err != nil || len(hs) > 2 {
		return 0, 0, false
	}
	m := 0
	if ms != "" {
		if m, err = strconv.Atoi(ms); err != nil || len(ms) != 2 {
			return 0, 0, false
		}
	}
	switch {
	case (am || pm) && (h < 1 || h > 12):
		return 0, 0, false
	case pm && h < 12:
		h += 12
	case am && h == 12:
		h = 0
	}
	if h > 23 || m > 59 {
		return 0, 0, false
	}
	return h, m, true
}

// DateInputView is a GOV.UK date input: a fieldset with day, month and year.
type DateInputView struct {
	ID, Legend, Hint, Error string
	DateParts
}

// Described is the fieldset's aria-describedby.
func (d DateInputView) Described() string { return described(d.ID, d.Hint != "", d.Error != "") }

// dateInput builds a date input whose error, if any, is the one of its day field (the
// error summary links to the day).
func dateInput(id, legend, hint string, parts DateParts, errs FormErrors) DateInputView {
	return DateInputView{ID: id, Legend: legend, Hint: hint, Error: errs.For(id + "-day"), DateParts: parts}
}
