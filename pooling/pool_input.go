package pooling

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace"
)

// Limits on pools.
const (
	MaxSessions        = 104 // two years of weekly sessions
	MaxSharedPAPeople  = 8   // people sharing one personal assistant's hours
	DefaultGraceDays   = 5   // working days a pool waits for approvals after its deadline
	maxPoolTitleLen    = 120
	maxPoolDescLen     = 2000
	maxNoticeDays      = 90
	maxGraceDays       = 20
	maxEveryDays       = 28
	maxSessionMinutes  = 12 * 60
	sessionMinuteSteps = 15
)

// PoolInput is what an organiser writes to propose (or rewrite the draft of) a pool.
type PoolInput struct {
	OfferID string `json:"offer_id"`
	// OrganiserOrgID is the user-led organisation or provider proposing the pool; empty
	// when a budget holder proposes it for themselves.
	OrganiserOrgID string     `json:"organiser_org_id"`
	Title          string     `json:"title"`
	Description    string     `json:"description"`
	Visibility     Visibility `json:"visibility"`
	// MinPeople and MaxPeople narrow the offer's group size (0: the offer's own). For a
	// shared personal assistant they are required, as is SessionMinutes.
	MinPeople        int       `json:"min_people"`
	MaxPeople        int       `json:"max_people"`
	SessionMinutes   int       `json:"session_minutes"`
	Deadline         time.Time `json:"deadline"`
	Schedule         Schedule  `json:"schedule"`
	GraceWorkingDays int       `json:"grace_working_days"` // 0: DefaultGraceDays
}

// Normalize trims text and fills in defaults: a single session unless told otherwise,
// billed per four sessions when recurring.
func (in *PoolInput) Normalize() {
	in.Title = strings.TrimSpace(in.Title)
	in.Description = strings.TrimSpace(in.Description)
	in.OrganiserOrgID = strings.TrimSpace(in.OrganiserOrgID)
	if in.Visibility == "" {
		in.Visibility = Public
	}
	s := &in.Schedule
	if s.Sessions == 0 {
		s.Sessions = 1
	}
	if s.PeriodSessions == 0 {
		s.PeriodSessions = min(4, max(s.Sessions, 1))
	}
	if in.GraceWorkingDays == 0 {
		in.GraceWorkingDays = DefaultGraceDays
	}
	in.Deadline = in.Deadline.UTC().Truncate(time.Millisecond)
	s.FirstSession = s.FirstSession.UTC().Truncate(time.Millisecond)
}

// Validate reports every field at fault (after Normalize). What depends on the offer and
// the clock is checked by the service.
func (in PoolInput) Validate() error {
	var f apperr.Fields
	if !marketplace.ValidID(in.OfferID) {
		f.Add("offer_id", "name the offer to pool")
	}
	if n := utf8.RuneCountInString(in.Title); n < 3 || n > maxPoolTitleLen {
		f.Add("title", "must be between 3 and %d characters", maxPoolTitleLen)
	}
	if utf8.RuneCountInString(in.Description) > maxPoolDescLen {
		f.Add("description", "must be at most %d characters", maxPoolDescLen)
	}
	if in.Visibility != Public && in.Visibility != InviteOnly {
		f.Add("visibility", "must be public or invite_only")
	}
	if in.MinPeople < 0 || in.MaxPeople < 0 || (in.MaxPeople > 0 && in.MinPeople > in.MaxPeople) {
		f.Add("min_people", "must be at least 1 and no more than max_people")
	}
	if m := in.SessionMinutes; m < 0 || m > maxSessionMinutes || m%sessionMinuteSteps != 0 {
		f.Add("session_minutes", "must be a number of minutes in steps of %d, up to %d", sessionMinuteSteps, maxSessionMinutes)
	}
	if in.GraceWorkingDays < 0 || in.GraceWorkingDays > maxGraceDays {
		f.Add("grace_working_days", "must be between 1 and %d working days", maxGraceDays)
	}
	if in.Deadline.IsZero() {
		f.Add("deadline", "is required: the date by which enough people must pledge")
	}
	s := in.Schedule
	switch {
	case s.FirstSession.IsZero():
		f.Add("schedule.first_session", "is required")
	case !in.Deadline.IsZero() && !s.FirstSession.After(in.Deadline):
		f.Add("schedule.first_session", "must be after the deadline")
	}
	if s.Sessions < 1 || s.Sessions > MaxSessions {
		f.Add("schedule.sessions", "must be between 1 and %d", MaxSessions)
	}
	switch {
	case s.Sessions == 1 && s.EveryDays != 0:
		f.Add("schedule.every_days", "must be 0 for a single session")
	case s.Sessions > 1 && (s.EveryDays < 1 || s.EveryDays > maxEveryDays):
		f.Add("schedule.every_days", "must be between 1 and %d days for repeating sessions", maxEveryDays)
	}
	if s.PeriodSessions < 1 || s.PeriodSessions > max(s.Sessions, 1) {
		f.Add("schedule.period_sessions", "must be between 1 and the number of sessions")
	}
	switch {
	case s.NoticeDays < 0 || s.NoticeDays > maxNoticeDays:
		f.Add("schedule.notice_days", "must be between 0 and %d days", maxNoticeDays)
	case s.Sessions == 1 && s.NoticeDays != 0:
		f.Add("schedule.notice_days", "applies to repeating sessions only")
	}
	return f.Err()
}

// pricingFor works out what a pool on offer charges: a group session's price and
// people, or a shared personal assistant's rate for the session's length.
func pricingFor(o marketplace.Offer, in PoolInput) (Pricing, error) {
	var f apperr.Fields
	var p Pricing
	switch {
	case o.Price.Unit == marketplace.GroupSession && o.Price.Group != nil:
		g := o.Price.Group
		p = Pricing{GroupPence: o.Price.AmountPence, FloorPence: g.FloorPence, MinPeople: g.MinPeople, MaxPeople: g.MaxPeople}
		if in.SessionMinutes != 0 {
			f.Add("session_minutes", "applies to shared personal assistants only")
		}
	case o.Kind == marketplace.KindPersonalAssistant && (o.Price.Unit == marketplace.PerHour || o.Price.Unit == marketplace.PerSession):
		p = Pricing{GroupPence: o.Price.AmountPence, MinPeople: 2, MaxPeople: MaxSharedPAPeople}
		if o.Price.Unit == marketplace.PerHour {
			if in.SessionMinutes == 0 {
				f.Add("session_minutes", "say how long each shared session is, in minutes")
			}
			// Rounded up to the penny: the PA is never paid less than the rate.
			p.GroupPence = (o.Price.AmountPence*int64(in.SessionMinutes) + 59) / 60
		}
	default:
		f.Add("offer_id", "this offer has no group price, so it cannot be pooled; ask the provider to add one")
		return p, f.Err()
	}
	offerMin, offerMax := p.MinPeople, p.MaxPeople
	if in.MinPeople > 0 {
		p.MinPeople = in.MinPeople
	}
	if in.MaxPeople > 0 {
		p.MaxPeople = in.MaxPeople
	}
	if p.MinPeople < offerMin || p.MaxPeople > offerMax || p.MinPeople > p.MaxPeople {
		f.Add("min_people", "the group must be between %d and %d people, as the offer allows", offerMin, offerMax)
	}
	if p.FloorPence == 0 && p.MaxPeople > 0 {
		p.FloorPence = p.GroupPence / int64(p.MaxPeople) // DOMAIN.md's default floor
	}
	if p.GroupPence <= 0 {
		f.Add("offer_id", "this offer's price is not set")
	}
	return p, f.Err()
}
