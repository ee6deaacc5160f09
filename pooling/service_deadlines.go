package pooling

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// DeadlineReport says what one run of ProcessDeadlines did.
type DeadlineReport struct {
	Confirmed int // reached their minimum and are going ahead
	Failed    int // did not, and released everything
	Waiting   int // started a grace period, waiting for approvals
	Skipped   int // another server copy holds their lease, or nothing was due after all
}

// deadlineBatch bounds the pools one run looks at; the next run takes the rest.
const deadlineBatch = 100

// ProcessDeadlines handles every open pool whose deadline (or grace period) has come by
// now. It acts for the platform, not for a caller: run it from a background job in every
// server copy. Each pool is processed under a lease in the store, taken with a
// conditional write, and its change is conditional on the version read, so two copies
// never process the same pool twice.
//
// At the deadline a pool whose approved counted pledges reach the minimum confirms. One
// that would reach it only with pledges still waiting for approval waits for them for
// its grace period (working days; approvers are reminded through the "notify" outbox),
// then confirms or fails; one that cannot reach it fails.
func (s *Service) ProcessDeadlines(ctx context.Context, now time.Time) (DeadlineReport, error) {
	var rep DeadlineReport
	now = now.UTC()
	due, err := s.store.Pools(ctx, PoolQuery{Statuses: []Status{StatusOpen}, DueBy: &now, Limit: deadlineBatch})
	if err != nil {
		return rep, fmt.Errorf("find pools due: %w", err)
	}
	var errs []error
	for _, p := range due {
		lease := "pool-deadline:" + p.ID
		ok, err := s.store.TakeLease(ctx, lease, s.cfg.Instance, now, now.Add(s.cfg.LeaseFor))
		if err != nil {
			errs = append(errs, fmt.Errorf("lease pool %s: %w", p.ID, err))
			continue
		}
		if !ok {
			rep.Skipped++
			continue
		}
		outcome, err := s.processDeadline(ctx, p.ID, now)
		if rerr := s.store.ReleaseLease(ctx, lease, s.cfg.Instance); rerr != nil {
			errs = append(errs, fmt.Errorf("release lease of pool %s: %w", p.ID, rerr))
		}
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("deadline of pool %s: %w", p.ID, err))
		case outcome == StatusConfirmed:
			rep.Confirmed++
		case outcome == StatusFailed:
			rep.Failed++
		case outcome == StatusOpen:
			rep.Waiting++
		default:
			rep.Skipped++
		}
	}
	return rep, errors.Join(errs...)
}

// processDeadline decides one pool in a transaction and returns what it became: "" when
// nothing was due after all (another copy got there first).
func (s *Service) processDeadline(ctx context.Context, id string, now time.Time) (Status, error) {
	var outcome Status
	err := s.store.Tx(ctx, func(ctx context.Context) error {
		outcome = ""
		w, err := s.load(ctx, id)
		if err != nil {
			return err
		}
		if w.pool.Status != StatusOpen || w.pool.DueAt == nil || w.pool.DueAt.After(now) {
			return nil
		}
		w.op, w.by = OpConfirm, SystemActor
		tally(&w.pool, w.pledges)
		switch {
		case w.pool.ConfirmableK >= w.pool.Pricing.MinPeople:
			w.memo = "Pool confirmed at its deadline: counted shares move into the pool."
			w.notify = append(w.notify, "pool:"+id+":confirmed")
			err = confirm(&w.pool, w.pledges, RoleSystem, SystemActor, now, "the deadline came with enough approved pledges")
			if errors.Is(err, errNoSessionLeft) {
				err = w.fail(now, "No session was left to run.")
			}
		case w.pool.GraceUntil == nil && w.pool.CountedK >= w.pool.Pricing.MinPeople && w.pool.Waiting > 0:
			until := addWorkingDays(w.pool.Deadline, w.pool.GraceDays)
			w.pool.GraceUntil, w.pool.DueAt = &until, &until
			w.notify = append(w.notify, "pool:"+id+":approvals-reminder")
		default:
			err = w.fail(now, "The deadline came without enough approved pledges.")
		}
		if err != nil {
			return err
		}
		outcome = w.pool.Status
		return w.commit(ctx)
	})
	return outcome, err
}

// addWorkingDays adds n working days (Monday to Friday) to t. Bank holidays are not
// counted out; the grace period is a safety margin, not a legal deadline.
func addWorkingDays(t time.Time, n int) time.Time {
	for n > 0 {
		t = t.AddDate(0, 0, 1)
		if wd := t.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n--
		}
	}
	return t
}
