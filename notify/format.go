package notify

import (
	"fmt"
	"net/url"
	"strings"
	"time"
	_ "time/tzdata" // Europe/London on machines without a zone database

	"github.com/carepool/carepool/pooling"
)

// ukTime is the zone of every time people read.
var ukTime = func() *time.Location {
	if l, err := time.LoadLocation("Europe/London"); err == nil {
		return l
	}
	return time.UTC
}()

// named quotes a pool's title: “Friday art and lunch”.
func named(p pooling.Pool) string {
	t := strings.TrimSpace(p.Title)
	if t == "" {
		t = "your pool"
	}
	return "“" + t + "”"
}

// date is "Friday 18 December 2026".
func date(t time.Time) string {
	if t.IsZero() {
		return "a date still to be fixed"
	}
	return t.In(ukTime).Format("Monday 2 January 2006")
}

// dateTime is "Friday 18 December 2026 at 10am" (or "at 10:30am").
func dateTime(t time.Time) string {
	if t.IsZero() {
		return date(t)
	}
	l := t.In(ukTime)
	clock := l.Format("3:04pm")
	if l.Minute() == 0 {
		clock = l.Format("3pm")
	}
	return date(t) + " at " + clock
}

// pounds is "£60" or "£60.50".
func pounds(pence int64) string {
	s := pooling.Pounds(pence)
	return strings.TrimSuffix(s, ".00")
}

// firstSession is when a pool's first scheduled session starts (zero if none).
func firstSession(p pooling.Pool) time.Time {
	for _, s := range p.Sessions {
		if s.Status == pooling.SessionScheduled {
			return s.StartsAt
		}
	}
	return time.Time{}
}

// sessionStart is when session j starts (zero if there is no such session).
func sessionStart(p pooling.Pool, j int) time.Time {
	if j < 0 || j >= len(p.Sessions) {
		return time.Time{}
	}
	return p.Sessions[j].StartsAt
}

// shareOf is what a confirmed pledge pays for its first session in the pool.
func shareOf(pl *pooling.Pledge) int64 {
	if pl == nil {
		return 0
	}
	for _, s := range pl.Shares {
		if s > 0 {
			return s
		}
	}
	return 0
}

// places is "5 of 8 places are taken".
func places(p pooling.Pool) string {
	return fmt.Sprintf("%d of %d places are taken.", p.Taken, p.Pricing.MaxPeople)
}

func poolPath(id string) string   { return "/pools/" + url.PathEscape(id) }
func pledgePath(id string) string { return "/pledges/" + url.PathEscape(id) }
