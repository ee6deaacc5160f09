package calendar

import (
	"fmt"
	"strings"
	"time"

	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/pooling"
)

// defaultSessionLength is how long a session lasts in the calendar when neither the pool
// nor the offer's schedule says.
const defaultSessionLength = time.Hour

// poolInfo is what the events of one pool are made from.
type poolInfo struct {
	pool     pooling.PoolView
	offer    *marketplace.Offer // nil when it cannot be read
	modified time.Time          // when the pool last changed
}

// place is the part a person plays in a pool, for their own feed: nil for the pool's
// public feed and for the pools a person organises or provides.
type place struct {
	pledge pooling.Pledge
}

// events returns one event per session of the pool, as the person with place p sees
// them (nil p: as everyone sees them).
func (s *Service) events(info poolInfo, p *place) []Event {
	pool := info.pool
	summary := pool.Title
	if info.offer != nil && info.offer.Title != "" {
		summary = info.offer.Title
	}
	out := make([]Event, 0, len(pool.Sessions))
	for _, sess := range pool.Sessions {
		status, why := sessionStatus(pool, sess)
		if p != nil {
			inPlace, ok := p.covers(sess.Index)
			if !ok {
				continue // before the person joined: never theirs
			}
			if !inPlace && status != Cancelled {
				status, why = Cancelled, "You are no longer taking part in this session."
			}
		}
		start := sess.StartsAt.UTC()
		out = append(out, Event{
			UID:         s.uid(pool.ID, sess.Index),
			Start:       start,
			End:         start.Add(sessionLength(pool, info.offer, start)),
			Summary:     summary,
			Location:    location(info.offer),
			Description: why + "\n\nPool: " + pool.Title + "\nDetails and changes: " + s.poolURL(pool.ID),
			URL:         s.poolURL(pool.ID),
			Status:      status,
			Sequence:    pool.Version,
			Modified:    info.modified,
		})
	}
	return out
}

// covers reports whether session j was ever the person's (ok) and whether they are
// still taking part in it (in). A pledge in an open pool covers every session; one in a
// confirmed pool those from the session it joined, up to the one it leaves before.
func (p *place) covers(j int) (in, ok bool) {
	pl := p.pledge
	if j < pl.From {
		return false, false
	}
	switch pl.Status {
	case pooling.PledgeWithdrawn, pooling.PledgeDeclined, pooling.PledgeReleased:
		return false, true
	}
	return j < pl.Until, true
}

// sessionStatus says whether a session is going ahead, and why, in plain English.
func sessionStatus(p pooling.PoolView, sess pooling.Session) (EventStatus, string) {
	switch {
	case p.Status == pooling.StatusFailed:
		return Cancelled, "Cancelled: not enough people joined this pool, so it is not going ahead. Nobody pays anything."
	case p.Status == pooling.StatusCancelled:
		return Cancelled, "Cancelled: this pool was called off. Nobody pays anything."
	case sess.Status == pooling.SessionCancelled:
		why := "Cancelled: this session is not going ahead."
		if r := strings.TrimSpace(sess.CancelReason); r != "" {
			why += " Reason: " + r
		}
		return Cancelled, why
	case p.Status == pooling.StatusDraft || p.Status == pooling.StatusOpen:
		return Tentative, fmt.Sprintf("Not confirmed yet: this pool goes ahead only if enough people join by %s.",
			p.Deadline.In(london).Format("Monday 2 January 2006"))
	}
	return Confirmed, "Going ahead."
}

// sessionLength is how long a session lasts: the pool's own length (shared personal
// assistants), else the offer's time slot that starts when the session does, else an hour.
func sessionLength(p pooling.PoolView, o *marketplace.Offer, start time.Time) time.Duration {
	if p.SessionMinutes > 0 {
		return time.Duration(p.SessionMinutes) * time.Minute
	}
	if o == nil {
		return defaultSessionLength
	}
	local := start.In(london)
	day, clock, date := strings.ToLower(local.Weekday().String()), local.Format("15:04"), local.Format("2006-01-02")
	for _, slot := range o.When.Weekly {
		if slot.Day == day && slot.Start == clock {
			if d, ok := between(slot.Start, slot.End); ok {
				return d
			}
		}
	}
	for _, sess := range o.When.Dated {
		if sess.Date == date && sess.Start == clock {
			if d, ok := between(sess.Start, sess.End); ok {
				return d
			}
		}
	}
	return defaultSessionLength
}

// between returns the time from one "15:04" clock reading to a later one the same day.
func between(from, to string) (time.Duration, bool) {
	a, err1 := time.Parse("15:04", from)
	b, err2 := time.Parse("15:04", to)
	if err1 != nil || err2 != nil || !b.After(a) {
		return 0, false
	}
	return b.Sub(a), true
}

// location is where the offer happens, as one line.
func location(o *marketplace.Offer) string {
	if o == nil {
		return ""
	}
	switch o.Where.Mode {
	case marketplace.Online:
		return "Online"
	case marketplace.InArea:
		if len(o.Where.AreasServed) == 0 {
			return "Comes to you"
		}
		return "Comes to you (in " + strings.Join(o.Where.AreasServed, ", ") + ")"
	}
	if a := o.Where.Address; a != nil {
		var parts []string
		for _, s := range []string{a.Line1, a.Line2, a.Town, a.Postcode} {
			if s = strings.TrimSpace(s); s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, ", ")
	}
	return ""
}
