package pooling

import (
	"context"
	"crypto/subtle"
	"fmt"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
)

// canSee reports whether the caller may see a pool: its organisers, provider and
// administrators always; everyone a public pool once it is open; an invite-only pool
// those with its invite code and those with a pledge in it. Drafts are private.
func canSee(a *account.Actor, p *Pool, inviteCode string, pledges []*Pledge) bool {
	switch {
	case canManage(a, p):
		return true
	case p.Status == StatusDraft:
		return false
	case p.Visibility == Public:
		return true
	case inviteCode != "" && subtle.ConstantTimeCompare([]byte(inviteCode), []byte(p.InviteCode)) == 1:
		return true
	}
	for _, pl := range pledges {
		if !a.Anonymous() && (pl.HolderID == a.UserID || pl.PledgedBy == a.UserID) {
			return true
		}
	}
	return false
}

// Pool returns a pool as the caller may see it; NotFound when they may not, so private
// pools cannot be discovered.
func (s *Service) Pool(ctx context.Context, id string) (PoolView, error) {
	a := account.ActorFrom(ctx)
	if !marketplace.ValidID(id) {
		return PoolView{}, ErrPoolNotFound
	}
	p, err := s.store.Pool(ctx, id)
	if err != nil {
		return PoolView{}, wrap(err, "pool %s", id)
	}
	if canSee(a, &p, "", nil) {
		return viewOf(a, p), nil
	}
	if p.Visibility == InviteOnly && !a.Anonymous() && p.Status != StatusDraft {
		w, err := s.loadPledges(ctx, p)
		if err != nil {
			return PoolView{}, err
		}
		if canSee(a, &p, "", w.pledges) {
			return viewOf(a, p), nil
		}
	}
	return PoolView{}, ErrPoolNotFound
}

// PoolByInvite returns the invite-only pool an invite code opens.
func (s *Service) PoolByInvite(ctx context.Context, code string) (PoolView, error) {
	if code == "" || len(code) > 64 {
		return PoolView{}, ErrPoolNotFound
	}
	p, err := s.store.PoolByInvite(ctx, code)
	if err != nil {
		return PoolView{}, wrap(err, "pool by invite")
	}
	if !canSee(account.ActorFrom(ctx), &p, code, nil) {
		return PoolView{}, ErrPoolNotFound
	}
	return viewOf(account.ActorFrom(ctx), p), nil
}

// PoolFilter is what anyone may ask of the list of public pools.
type PoolFilter struct {
	OfferID    string
	ProviderID string
	Status     Status // open (default), confirmed, or any later status
	Limit      int    // default 20, at most 100
}

// PublicPools lists public pools, newest first. Search (with its own index) is the way
// to find pools by words and place; this serves an offer's or a provider's page.
func (s *Service) PublicPools(ctx context.Context, f PoolFilter) ([]PoolView, error) {
	if f.Status == "" {
		f.Status = StatusOpen
	}
	if f.Status == StatusDraft {
		var fe apperr.Fields
		fe.Add("status", "drafts are not public")
		return nil, fe.Err()
	}
	f.Limit = clampLimit(f.Limit)
	pools, err := s.store.Pools(ctx, PoolQuery{Statuses: []Status{f.Status}, Visibility: Public,
		OfferID: f.OfferID, ProviderID: f.ProviderID, Limit: f.Limit})
	if err != nil {
		return nil, fmt.Errorf("public pools: %w", err)
	}
	return views(account.ActorFrom(ctx), pools), nil
}

// ManagedPools lists the pools the caller organises or provides, newest first, drafts
// included.
func (s *Service) ManagedPools(ctx context.Context, limit int) ([]PoolView, error) {
	a := account.ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return nil, err
	}
	var orgs []string
	for _, m := range a.Memberships {
		if !m.OrgSuspended && (m.Role == account.RoleOwner || m.Role == account.RoleMember) {
			orgs = append(orgs, m.OrgID)
		}
	}
	pools, err := s.store.Pools(ctx, PoolQuery{ManagedBy: &Managers{UserID: a.UserID, OrgIDs: orgs}, Limit: clampLimit(limit)})
	if err != nil {
		return nil, fmt.Errorf("managed pools: %w", err)
	}
	return views(a, pools), nil
}

// Participants lists a pool's pledges for its organisers, provider and administrators,
// in counting order. Whose each pledge is shows only to the provider and administrators
// of a confirmed (or later) pool: they deliver and account for the sessions.
func (s *Service) Participants(ctx context.Context, poolID string) ([]Participant, error) {
	a := account.ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return nil, err
	}
	if !marketplace.ValidID(poolID) {
		return nil, ErrPoolNotFound
	}
	w, err := s.load(ctx, poolID)
	if err != nil {
		return nil, wrap(err, "participants of pool %s", poolID)
	}
	if !canManage(a, &w.pool) {
		if canSee(a, &w.pool, "", w.pledges) {
			return nil, apperr.Forbiddenf("Only the pool's organiser and provider can see who has pledged.")
		}
		return nil, ErrPoolNotFound
	}
	named := w.pool.Status != StatusOpen && w.pool.Status != StatusDraft &&
		(a.IsAdmin() || a.CanActFor(w.pool.ProviderID, account.RoleOwner, account.RoleMember))
	countingOrder(w.pledges)
	out := []Participant{}
	for _, p := range w.pledges {
		pv := pledgeViewOf(*p, w.pool)
		pt := Participant{PledgeID: p.ID, Seq: p.Seq, Status: p.Status, LimitPence: p.LimitPence, Counts: pv.Counts,
			Needs: p.Needs, From: p.From, Until: p.Until}
		if named {
			pt.HolderID = p.HolderID
		}
		out = append(out, pt)
	}
	return out, nil
}

func views(a *account.Actor, pools []Pool) []PoolView {
	out := make([]PoolView, len(pools))
	for i, p := range pools {
		out[i] = viewOf(a, p)
	}
	return out
}

func clampLimit(n int) int {
	switch {
	case n <= 0:
		return 20
	case n > 100:
		return 100
	}
	return n
}
