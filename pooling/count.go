package pooling

import (
	"time"

	"github.com/carepool/carepool/infra/apperr"
)

// This file is the pure core of a pool's life: counting pledges, confirming, sharing the
// price per session, and working out what each pledge should hold. The service applies
// these to documents read inside a transaction, then posts the difference to the ledger
// (reconcile), so the ledger always follows the state.

// tally recomputes the pool's public count. For an open pool: the counted pledges among
// all that hold a place (provisional ones keep theirs), and how many approved pledges
// could confirm now. For a confirmed pool: the people and share of its next session.
func tally(pool *Pool, pledges []*Pledge) {
	pool.Waiting = 0
	var seated, approved []*Pledge
	for _, p := range pledges {
		if p.Status == PledgeWaitingApproval {
			pool.Waiting++
		}
		if p.seated() {
			seated = append(seated, p)
			if p.Status == PledgePledged {
				approved = append(approved, p)
			}
		}
	}
	if pool.Status != StatusOpen && pool.Status != StatusDraft {
		pool.CountedK, pool.SharePence = 0, 0
		if j := pool.firstSessionAfter(time.Time{}); j >= 0 {
			for _, p := range pledges {
				if p.participates(j) {
					pool.CountedK++
					pool.SharePence = max(pool.SharePence, p.Shares[j])
				}
			}
		}
		pool.ConfirmableK = pool.CountedK
		return
	}
	countingOrder(seated)
	countingOrder(approved)
	pool.CountedK, pool.SharePence = Counted(pool.Pricing, limitsOf(seated))
	pool.ConfirmableK, _ = Counted(pool.Pricing, limitsOf(approved))
}

// full reports whether an open pool is full of approved, counted pledges, which
// confirms it at once (DOMAIN.md).
func full(pool *Pool) bool {
	return pool.Status == StatusOpen && pool.ConfirmableK == pool.Pricing.MaxPeople
}

// errTooFewApproved is returned when a pool cannot confirm yet.
var errTooFewApproved = apperr.Conflictf("pool-below-minimum",
	"This pool cannot be confirmed yet: it needs enough approved pledges, within their limits, to reach its minimum.")

// confirm makes an open pool confirmed: the counted approved pledges take part from the
// first session that has not started, each paying its part of that session's price;
// approved pledges that are not counted are released; pledges still waiting for
// approval keep their place and may join when approved. Sessions that started before
// confirmation are cancelled. It returns errTooFewApproved when the approved pledges do
// not reach the minimum, and errNoSessionLeft when no session is left to run.
func confirm(pool *Pool, pledges []*Pledge, role Role, by string, now time.Time, reason string) error {
	var approved []*Pledge
	for _, p := range pledges {
		if p.Status == PledgePledged {
			approved = append(approved, p)
		}
	}
	countingOrder(approved)
	k, _ := Counted(pool.Pricing, limitsOf(approved))
	if k < pool.Pricing.MinPeople {
		return errTooFewApproved
	}
	if err := checkTransition(pool.Status, StatusConfirmed, []Role{role}); err != nil {
		return err
	}
	for j := range pool.Sessions {
		if s := &pool.Sessions[j]; s.Status == SessionScheduled && !s.StartsAt.After(now) {
			s.Status, s.CancelReason = SessionCancelled, "It started before the pool was confirmed."
		}
	}
	from := pool.firstSessionAfter(now)
	if from < 0 {
		return errNoSessionLeft
	}
	if err := pool.move(StatusConfirmed, role, by, now, reason); err != nil {
		return err
	}
	for i, p := range approved {
		if i < k {
			p.From, p.Until, p.Shares = from, len(pool.Sessions), make([]int64, len(pool.Sessions))
			p.set(PledgeConfirmed, by, now, "")
			continue
		}
		p.set(PledgeReleased, by, now, "The share did not fall to your limit before the pool was confirmed, so nothing is taken.")
		pool.Taken--
	}
	for _, p := range pledges {
		if p.Status == PledgeWaitingApproval {
			p.From = max(p.From, from)
		}
	}
	reshare(pool, pledges, from)
	tally(pool, pledges)
	return nil
}

var errNoSessionLeft = apperr.Conflictf("pool-no-sessions", "No session of this pool is left to run.")

// reshare works out every scheduled session from session from onwards: who takes part,
// and their parts of its price, largest parts to the highest limits. A session that can
// no longer go ahead within everyone's limits, or with the minimum number of people, is
// cancelled: shares may rise when someone leaves, never above anyone's limit.
func reshare(pool *Pool, pledges []*Pledge, from int) (cancelled []int) {
	for j := max(from, 0); j < len(pool.Sessions); j++ {
		s := &pool.Sessions[j]
		if s.Status != SessionScheduled {
			continue
		}
		var in []*Pledge
		for _, p := range pledges {
			if p.participates(j) {
				in = append(in, p)
			} else if j < len(p.Shares) {
				p.Shares[j] = 0
			}
		}
		countingOrder(in)
		parts := pool.Pricing.Parts(len(in))
		if len(in) < pool.Pricing.MinPeople || len(in) == 0 || in[len(in)-1].LimitPence < parts[0] {
			s.Status, s.CancelReason = SessionCancelled, "Too few people were left to run it within everyone's limits."
			for _, p := range in {
				p.Shares[j] = 0
			}
			cancelled = append(cancelled, j)
			continue
		}
		for i, p := range in {
			p.Shares[j] = parts[i]
		}
	}
	return cancelled
}

// participants counts who takes part in session j.
func participants(pledges []*Pledge, j int) int {
	n := 0
	for _, p := range pledges {
		if p.participates(j) {
			n++
		}
	}
	return n
}

// joinFrom is the first session a newcomer to a confirmed pool can take part in: the
// first that has not started and after which every scheduled session has a free place
// (someone leaving frees their place only once their notice runs out). -1 if none.
func joinFrom(pool *Pool, pledges []*Pledge, now time.Time) int {
	first := pool.firstSessionAfter(now)
	if first < 0 {
		return -1
	}
	from := -1
	for j := len(pool.Sessions) - 1; j >= first; j-- {
		if pool.Sessions[j].Status != SessionScheduled {
			continue
		}
		if participants(pledges, j) >= pool.Pricing.MaxPeople {
			break
		}
		from = j
	}
	return from
}

// joinShare is the highest share a newcomer would pay in any session from from onwards.
func joinShare(pool *Pool, pledges []*Pledge, from int) int64 {
	var share int64
	for j := from; j < len(pool.Sessions); j++ {
		if pool.Sessions[j].Status == SessionScheduled {
			share = max(share, pool.Pricing.Share(participants(pledges, j)+1))
		}
	}
	return share
}

// targets is what a pledge should have in each ledger position, given the pool's state:
// reserved (the rest of its limit for sessions to come), held (its shares of sessions to
// come, in the pool's holding) and spent (its shares of delivered sessions).
func targets(pool *Pool, p *Pledge) (reserved, held, spent int64) {
	live := p.Status == PledgeWaitingApproval || p.Status == PledgePledged || p.Status == PledgeConfirmed
	for j := max(p.From, 0); j < min(p.Until, len(pool.Sessions)); j++ {
		var share int64
		if j < len(p.Shares) {
			share = p.Shares[j]
		}
		switch pool.Sessions[j].Status {
		case SessionScheduled:
			if !live {
				continue
			}
			if p.Status == PledgeConfirmed {
				held += share
				reserved += p.LimitPence - share
			} else {
				reserved += p.LimitPence
			}
		case SessionDelivered:
			spent += share
		}
	}
	return reserved, held, spent - p.CreditedPence
}

// allDone reports whether every session is delivered or cancelled.
func allDone(pool *Pool) bool {
	for _, s := range pool.Sessions {
		if !s.Done() {
			return false
		}
	}
	return true
}
