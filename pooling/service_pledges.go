package pooling

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
)

// MaxLimitPence bounds a pledge's limit per session (£20,000, the largest group price).
const MaxLimitPence = 2_000_000

// PledgeInput is what someone gives to pledge towards a pool.
type PledgeInput struct {
	BudgetID   string `json:"budget_id"`   // which budget pays; its form decides the route
	LimitPence int64  `json:"limit_pence"` // the most its payer will pay per session
	InviteCode string `json:"invite_code"` // for an invite-only pool
	PayBy      PayBy  `json:"pay_by"`      // "invoice" (the default) or "card" (direct and indirect payments, trust funds)
}

// Validate reports every field at fault.
func (in PledgeInput) Validate() error {
	var f apperr.Fields
	if !marketplace.ValidID(in.BudgetID) {
		f.Add("budget_id", "choose which budget pays")
	}
	if in.LimitPence <= 0 || in.LimitPence > MaxLimitPence {
		f.Add("limit_pence", "must be between 1 and %d pence a session", MaxLimitPence)
	}
	return f.Err()
}

// Pledge records the caller's pledge from a budget they may act for (their own, or a
// budget holder's through a recorded delegation that fits its form) towards an open or
// confirmed pool, reserving its limit for every session it may pay for. It needs a place
// (ErrPoolFull otherwise) and a limit at or above the lowest possible share. A pledge
// that needs approvals waits for them, keeping its place; one that does not counts at
// once, and may confirm a pool it fills. key is the Idempotency-Key.
func (s *Service) Pledge(ctx context.Context, poolID string, in PledgeInput, key string) (PledgeView, error) {
	a := account.ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return PledgeView{}, err
	}
	in.InviteCode = strings.TrimSpace(in.InviteCode)
	if err := in.Validate(); err != nil {
		return PledgeView{}, err
	}
	if !marketplace.ValidID(poolID) {
		return PledgeView{}, ErrPoolNotFound
	}
	b, err := s.budgetToPledge(ctx, a, in.BudgetID)
	if err != nil {
		return PledgeView{}, err
	}
	route, err := s.route(b.Form)
	if err != nil {
		return PledgeView{}, err
	}
	req := struct {
		PoolID string
		In     PledgeInput
	}{poolID, in}
	ref, err := s.once(ctx, key, string(OpPledge), req, func(ctx context.Context) (string, error) {
		return s.pledgeTx(ctx, a, poolID, in, b, route)
	})
	if err != nil {
		return PledgeView{}, wrap(err, "pledge to pool %s", poolID)
	}
	return s.MyPledge(ctx, strings.TrimPrefix(ref, "pledge:"))
}

// pledgeTx is the transaction of Pledge. The place is taken first, by the store's
// conditional counter, so that of any number of concurrent pledges only as many as
// there are places get further.
func (s *Service) pledgeTx(ctx context.Context, a *account.Actor, poolID string, in PledgeInput, b Budget, route FundingRoute) (string, error) {
	pool, err := s.store.Pool(ctx, poolID)
	if err != nil {
		return "", err
	}
	if !canSee(a, &pool, in.InviteCode, nil) && !s.hasPledged(ctx, a, pool) {
		return "", ErrPoolNotFound
	}
	if !pool.takingPledges() || pool.firstSessionAfter(s.now()) < 0 {
		return "", ErrPoolNotTaking
	}
	if !slices.Contains(pool.BudgetForms, b.Form) {
		var f apperr.Fields
		f.Add("budget_id", "this offer does not accept a %s", strings.ToLower(marketplace.Label(marketplace.BudgetForms, string(b.Form))))
		return "", f.Err()
	}
	if err := s.checkCard(ctx, in, b, pool.ProviderID); err != nil {
		return "", err
	}
	if low := pool.Pricing.LowestShare(); in.LimitPence < low {
		var f apperr.Fields
		f.Add("limit_pence", "the least this can cost is %s a session, when all %d places are taken; your limit of %s is below that",
			Pounds(low), pool.Pricing.MaxPeople, Pounds(in.LimitPence))
		return "", f.Err()
	}
	if pool, err = s.store.TakeSeat(ctx, poolID, pool.Pricing.MaxPeople); err != nil {
		return "", err
	}
	w, err := s.loadPledges(ctx, pool)
	if err != nil {
		return "", err
	}
	for _, p := range w.pledges {
		if p.Active && p.HolderID == b.HolderID {
			return "", ErrAlreadyPledged
		}
	}
	now := s.now()
	p := &Pledge{ID: s.cfg.NewID(), PoolID: pool.ID, ProviderID: pool.ProviderID, BudgetID: b.ID, Source: b.Source(),
		Form: b.Form, HolderID: b.HolderID, PledgedBy: a.UserID, LimitPence: in.LimitPence, Seq: pool.NextSeq,
		Active: true, From: 0, Until: len(pool.Sessions), Approvals: []Approval{}}
	if pool.Status == StatusConfirmed {
		if p.From = joinFrom(&w.pool, w.pledges, now); p.From < 0 {
			return "", ErrPoolFull
		}
		if share := joinShare(&w.pool, w.pledges, p.From); in.LimitPence < share {
			var f apperr.Fields
			f.Add("limit_pence", "each person in this pool pays up to %s a session; your limit of %s is below that",
				Pounds(share), Pounds(in.LimitPence))
			return "", f.Err()
		}
	}
	sessions := 0
	for j := p.From; j < p.Until; j++ {
		if pool.Sessions[j].Status == SessionScheduled {
			sessions++
		}
	}
	p.Needs = route.Approvals(ApprovalRequest{Budget: b, PledgedBy: a.UserID,
		CommitmentPence: in.LimitPence * int64(sessions), SecondApprovalOverPence: s.cfg.SecondApprovalOverPence})
	if in.PayBy == PayByCard {
		p.PayBy, p.Needs = PayByCard, append(p.Needs, ApprovalCard)
	}
	p.PendingWith = pendingWith(p.Needs, b)
	status := PledgePledged
	if len(p.Needs) > 0 {
		status = PledgeWaitingApproval
		w.notify = append(w.notify, "pledge:"+p.ID+":approval-needed")
	}
	p.set(status, a.UserID, now, "pledged")
	w.add(p)
	w.notify = append(w.notify, "pledge:"+p.ID+":joined")
	w.op, w.by, w.onBehalf = OpPledge, a.UserID, b.HolderID
	w.memo = fmt.Sprintf("Pledge of up to %s a session: the limit is reserved for %d session(s).", Pounds(p.LimitPence), sessions)
	if err := s.afterApproval(w, p, a.UserID, now, true); err != nil {
		return "", err
	}
	if w.pool.Status == StatusOpen && w.read.ConfirmableK < w.pool.Pricing.MinPeople && w.pool.ConfirmableK >= w.pool.Pricing.MinPeople {
		w.notify = append(w.notify, "pool:"+w.pool.ID+":minimum-reached")
	}
	return "pledge:" + p.ID, w.commit(ctx)
}

// afterApproval does what a pledge that needs no more approvals does to its pool: in an
// open pool it counts (and a pool full of approved pledges confirms, as does one in its
// grace period that reaches its minimum); in a confirmed pool it joins, or is released
// if it no longer fits.
func (s *Service) afterApproval(w *work, p *Pledge, by string, now time.Time, fresh bool) error {
	if p.Status != PledgePledged {
		return nil
	}
	switch w.pool.Status {
	case StatusOpen:
		tally(&w.pool, w.pledges)
		reason := ""
		switch {
		case full(&w.pool):
			reason = "every place is taken by an approved pledge"
		case w.pool.GraceUntil != nil && w.pool.ConfirmableK >= w.pool.Pricing.MinPeople:
			reason = "approvals reached the minimum during the grace period"
		default:
			return nil
		}
		err := confirm(&w.pool, w.pledges, RoleSystem, SystemActor, now, reason)
		if errors.Is(err, errNoSessionLeft) { // its grace period outlasted its sessions
			return w.fail(now, "No session was left to run.")
		}
		w.notify = append(w.notify, "pool:"+w.pool.ID+":confirmed")
		w.memo += " The pool is confirmed: counted shares move into the pool."
		return err
	case StatusConfirmed:
		err := join(&w.pool, w.pledges, p, by, now)
		e, ok := apperr.As(err)
		if err == nil || fresh || !ok || e.Kind != apperr.Conflict {
			return err // a new pledge that does not fit is refused outright
		}
		// An approval that came too late: the place or the price went meanwhile.
		p.set(PledgeReleased, by, now, "It was approved, but "+strings.ToLower(e.Message[:1])+e.Message[1:])
		w.pool.Taken--
	}
	return nil
}

// budgetToPledge returns a budget the caller may pledge from; NotFound otherwise, so
// that other people's budgets cannot be discovered.
func (s *Service) budgetToPledge(ctx context.Context, a *account.Actor, id string) (Budget, error) {
	b, err := s.store.Budget(ctx, id)
	if err != nil {
		return Budget{}, wrap(err, "budget %s", id)
	}
	ok, err := s.actsFor(ctx, a, b)
	if err != nil {
		return Budget{}, err
	}
	if !ok {
		return Budget{}, ErrBudgetNotFound
	}
	return b, nil
}

// hasPledged reports whether the caller already has a pledge in the pool (so they can
// see an invite-only pool without its code).
func (s *Service) hasPledged(ctx context.Context, a *account.Actor, pool Pool) bool {
	if pool.Visibility == Public {
		return false
	}
	ps, err := s.store.PoolPledges(ctx, pool.ID)
	if err != nil {
		return false
	}
	for _, p := range ps {
		if p.HolderID == a.UserID || p.PledgedBy == a.UserID {
			return true
		}
	}
	return false
}

// pendingWith names who can give the missing approvals, for the approvers' lists.
func pendingWith(needs []ApprovalKind, b Budget) []string {
	out := []string{}
	add := func(m string) {
		if !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	for _, k := range needs {
		switch k {
		case ApprovalISFProvider, ApprovalCommissioner:
			add("org:" + b.HolderOrgID)
		case ApprovalSecondTrustee:
			add("org:" + b.HolderOrgID)
			add("holder:" + b.HolderID)
		case ApprovalSecondApprover:
			add("holder:" + b.HolderID)
		}
	}
	return out
}
