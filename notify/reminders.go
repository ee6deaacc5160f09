package notify

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/carepool/carepool/pooling"
)

// The reminder window: sessions starting between 24 and 48 hours from now are reminded,
// so that a job running every hour reminds each session once, the day before.
const (
	remindFrom = 24 * time.Hour
	remindTo   = 48 * time.Hour
)

// RemindReport counts what one run of Remind did.
type RemindReport struct {
	Sessions int   // session reminders recorded
	Notices  int   // notice-ending notifications recorded
	Purged   int64 // old notifications deleted
}

// Remind records a reminder for every scheduled session of a confirmed pool that starts
// in the next 24 to 48 hours (ref pool:<id>:session:<j>:reminder), and a notice-ending
// notification for every pledge whose notice to leave ends before such a session
// (pledge:<id>:notice-ending); the worker delivers them. Each is recorded once ever,
// whichever server copy runs it and however often. It also deletes notifications older
// than KeepFor, so inboxes stay bounded. It acts for the platform: run it from a job.
func (s *Service) Remind(ctx context.Context, now time.Time) (RemindReport, error) {
	var rep RemindReport
	from, to := now.Add(remindFrom), now.Add(remindTo)
	pools, err := s.store.PoolsWithSessionsBetween(ctx, from, to)
	if err != nil {
		return rep, fmt.Errorf("pools with sessions soon: %w", err)
	}
	var errs []error
	for _, p := range pools {
		sessions, notices, err := s.remindPool(ctx, p, from, to, now)
		rep.Sessions += sessions
		rep.Notices += notices
		if err != nil {
			errs = append(errs, fmt.Errorf("reminders of pool %s: %w", p.ID, err))
		}
	}
	n, err := s.store.PurgeNotifications(ctx, now.Add(-s.cfg.KeepFor))
	rep.Purged = n
	if err != nil {
		errs = append(errs, fmt.Errorf("purge old notifications: %w", err))
	}
	return rep, errors.Join(errs...)
}

func (s *Service) remindPool(ctx context.Context, p pooling.Pool, from, to, now time.Time) (int, int, error) {
	var sessions, notices int
	var soon []int
	for _, sess := range p.Sessions {
		if sess.Status == pooling.SessionScheduled && !sess.StartsAt.Before(from) && sess.StartsAt.Before(to) {
			soon = append(soon, sess.Index)
			ok, err := s.store.EnqueueOnce(ctx, SessionRef(p.ID, sess.Index, "reminder"), now)
			if err != nil {
				return sessions, notices, err
			}
			if ok {
				sessions++
			}
		}
	}
	pledges, err := s.pools.PoolPledges(ctx, p.ID)
	if err != nil {
		return sessions, notices, err
	}
	for _, pl := range pledges {
		// A pledge that gave notice stops before session Until; its notice ends when that
		// session is about to start.
		gaveNotice := (pl.Status == pooling.PledgeConfirmed || pl.Status == pooling.PledgeCompleted) && pl.Until > pl.From && pl.Until < len(p.Sessions)
		if !gaveNotice || !slices.Contains(soon, pl.Until) {
			continue
		}
		ok, err := s.store.EnqueueOnce(ctx, "pledge:"+pl.ID+":notice-ending", now)
		if err != nil {
			return sessions, notices, err
		}
		if ok {
			notices++
		}
	}
	return sessions, notices, nil
}
