package pooling

import (
	"fmt"
	"time"

	"github.com/carepool/carepool/infra/apperr"
)

// join lets an approved pledge into a confirmed pool from the first session that has a
// place for it and has not started, provided its limit covers the share it would pay
// there; the shares of everyone in those sessions fall accordingly.
func join(pool *Pool, pledges []*Pledge, p *Pledge, by string, now time.Time) error {
	from := joinFrom(pool, pledges, now)
	if from < 0 {
		return ErrPoolFull
	}
	if share := joinShare(pool, pledges, from); p.LimitPence < share {
		return apperr.Conflictf("limit-below-share",
			"Each person in this pool pays up to %s a session, which is more than your limit of %s.",
			Pounds(share), Pounds(p.LimitPence))
	}
	p.From, p.Until, p.Shares = from, len(pool.Sessions), make([]int64, len(pool.Sessions))
	p.set(PledgeConfirmed, by, now, fmt.Sprintf("joined from session %d", from+1))
	reshare(pool, pledges, from)
	return nil
}

// leave takes a confirmed pledge out of a recurring pool after its notice period: it
// still pays for the sessions that start within the notice, and the sessions after
// that are shared among the others (or cancelled, if they no longer work without it).
func leave(pool *Pool, pledges []*Pledge, p *Pledge, by string, now time.Time) error {
	if !pool.Schedule.Recurring() {
		return apperr.Conflictf("pool-confirmed",
			"This pool is confirmed, so you cannot withdraw from it. Ask the organiser or the provider if you cannot go.")
	}
	if p.Until < len(pool.Sessions) {
		return apperr.Conflictf("already-leaving", "You have already given notice to leave this pool.")
	}
	notice := now.AddDate(0, 0, pool.Schedule.NoticeDays)
	eff := -1
	for j := p.From; j < len(pool.Sessions); j++ {
		if s := pool.Sessions[j]; s.Status == SessionScheduled && !s.StartsAt.Before(notice) {
			eff = j
			break
		}
	}
	if eff < 0 {
		return apperr.Conflictf("within-notice",
			"Your remaining sessions all start within the %d days' notice this pool asks for, so they go ahead as agreed.",
			pool.Schedule.NoticeDays)
	}
	p.Until, p.Active = eff, false
	note := fmt.Sprintf("gave notice: leaves before session %d", eff+1)
	if eff <= p.From {
		p.set(PledgeWithdrawn, by, now, "Withdrawn before your first session.")
	} else {
		p.History = append(p.History, PledgeEvent{At: now, By: by, Status: p.Status, Note: note})
	}
	pool.Taken--
	reshare(pool, pledges, eff)
	return nil
}

// advance moves a pool on when nothing is left to do at its stage: a confirmed pool whose
// sessions are all done is delivered (or failed, if none was delivered); a delivered
// pool whose billing periods are all invoiced is invoiced; an invoiced pool whose
// invoices are all paid is settled. Periods whose sessions were all cancelled are void.
func advance(pool *Pool, pledges []*Pledge, role Role, by string, now time.Time) error {
	for i := range pool.Periods {
		if per := &pool.Periods[i]; per.Status == PeriodOpen && periodDone(pool, *per) && !periodDelivered(pool, *per) {
			per.Status = PeriodVoid
		}
	}
	if pool.Status == StatusConfirmed && allDone(pool) {
		to, reason := StatusDelivered, "Every session is done."
		if !pool.anyDelivered() {
			to, reason, role, by = StatusFailed, "No session could go ahead.", RoleSystem, SystemActor
		}
		if err := pool.move(to, role, by, now, reason); err != nil {
			return err
		}
		for _, p := range pledges {
			switch {
			case p.Status == PledgeConfirmed && deliveredShares(pool, p) > 0:
				p.set(PledgeCompleted, by, now, "")
			case !p.Status.Final():
				p.set(PledgeReleased, by, now, "No session you pledged for went ahead, so nothing is taken.")
			}
		}
		pool.Taken = 0
	}
	if pool.Status == StatusDelivered && periodsIn(pool, PeriodInvoiced, PeriodSettled, PeriodVoid) {
		if err := pool.move(StatusInvoiced, role, by, now, "Every billing period is invoiced."); err != nil {
			return err
		}
	}
	if pool.Status == StatusInvoiced && periodsIn(pool, PeriodSettled, PeriodVoid) {
		if err := pool.move(StatusSettled, role, by, now, "Every invoice is paid."); err != nil {
			return err
		}
	}
	return nil
}

// deliveredShares is what a pledge pays for the sessions delivered so far.
func deliveredShares(pool *Pool, p *Pledge) int64 {
	_, _, spent := targets(pool, p)
	return spent
}

func periodDone(pool *Pool, per Period) bool {
	for j := per.FirstSession; j < per.FirstSession+per.Sessions; j++ {
		if !pool.Sessions[j].Done() {
			return false
		}
	}
	return true
}

func periodDelivered(pool *Pool, per Period) bool {
	for j := per.FirstSession; j < per.FirstSession+per.Sessions; j++ {
		if pool.Sessions[j].Status == SessionDelivered {
			return true
		}
	}
	return false
}

func periodsIn(pool *Pool, statuses ...PeriodStatus) bool {
	for _, per := range pool.Periods {
		ok := false
		for _, s := range statuses {
			ok = ok || per.Status == s
		}
		if !ok {
			return false
		}
	}
	return true
}

// fail ends an open pool that did not reach its minimum in time.
func (w *work) fail(now time.Time, reason string) error {
	if err := w.pool.move(StatusFailed, RoleSystem, SystemActor, now, reason); err != nil {
		return err
	}
	w.releaseAll(SystemActor, now, "The pool did not reach its minimum in time, so nothing is taken.", "The pool did not go ahead.")
	w.op, w.memo = OpFail, "Pool failed: every commitment released."
	w.notify = append(w.notify, "pool:"+w.pool.ID+":failed")
	return nil
}
