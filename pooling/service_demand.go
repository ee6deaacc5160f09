package pooling

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
)

// Where people are pooling: the commissioner's view of demand. A pool forming is
// people asking for something together; a pool that failed for lack of people is demand
// that was not met. The report counts pools and places only, never people's
// identities or their pledges' amounts, so it can be shown to every commissioner.

// DemandWindow is how far back the report looks for pools that failed.
const DemandWindow = 90 * 24 * time.Hour

// DemandReport is where people are pooling now, and where pools failed lately, counted
// by area and by category; and the open pools whose pledges wait for a commissioner.
type DemandReport struct {
	At          time.Time   `json:"at"`
	FailedSince time.Time   `json:"failed_since"`
	Totals      DemandRow   `json:"totals"`
	ByArea      []DemandRow `json:"by_area"`     // most places taken first
	ByCategory  []DemandRow `json:"by_category"` // a pool counts in each of its offer's categories
	// Waiting lists open pools with pledges waiting for a commissioner: for a
	// commissioner, their own councils' approvals; for an administrator, every council's.
	Waiting []WaitingPool `json:"waiting"`
}

// DemandRow counts pools in one area or category (or in all, as the totals).
type DemandRow struct {
	Key   string `json:"key"`   // an outward code ("LS6"), "online", a category slug; "" when not known
	Label string `json:"label"` // "LS6 (Leeds)", "Online", "Arts and crafts", "Not known"
	// Open pools taking pledges, the places taken in them, and how many more people they
	// need between them to reach their minimums.
	OpenPools   int `json:"open_pools"`
	PlacesTaken int `json:"places_taken"`
	PeopleShort int `json:"people_short"`
	// Pools that failed in the window because too few people joined by the deadline,
	// how many people had joined them, and how many they needed in all.
	FailedPools  int `json:"failed_pools"`
	FailedJoined int `json:"failed_joined"`
	FailedNeeded int `json:"failed_needed"`
}

// WaitingPool is an open pool whose pledges wait for a commissioner's approval. An
// invite-only pool is not named: its title is for the people invited.
type WaitingPool struct {
	PoolID      string    `json:"pool_id,omitempty"` // public pools only
	Title       string    `json:"title"`
	Area        string    `json:"area"`
	Deadline    time.Time `json:"deadline"`
	Waiting     int       `json:"waiting"` // pledges waiting for a commissioner (of the caller's councils)
	Taken       int       `json:"places_taken"`
	Confirmable int       `json:"confirmable"` // approved pledges that count now
	MinPeople   int       `json:"min_people"`
	// ReachesMinimum says the approvals would take the pool to its minimum.
	ReachesMinimum bool `json:"reaches_minimum"`
}

// Demand reports where people are pooling, for commissioners of a council and for
// administrators (Forbidden for everyone else). It reads every open pool and every
// failed one, and the pledges of the open pools that wait for approval.
func (s *Service) Demand(ctx context.Context) (DemandReport, error) {
	a := account.ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return DemandReport{}, err
	}
	councils := commissionerOf(a)
	if len(councils) == 0 && !a.IsAdmin() {
		return DemandReport{}, apperr.Forbiddenf("Only commissioners of a council can see where people are pooling.")
	}
	now := s.now()
	rep := DemandReport{At: now, FailedSince: now.Add(-DemandWindow), Totals: DemandRow{Label: "All areas"}}
	open, err := s.store.Pools(ctx, PoolQuery{Statuses: []Status{StatusOpen}})
	if err != nil {
		return DemandReport{}, fmt.Errorf("demand: %w", err)
	}
	failed, err := s.store.Pools(ctx, PoolQuery{Statuses: []Status{StatusFailed}})
	if err != nil {
		return DemandReport{}, fmt.Errorf("demand: %w", err)
	}
	failed = slices.DeleteFunc(failed, func(p Pool) bool { return !failedForLackOfPeople(p, rep.FailedSince) })
	counts, err := s.demandPledges(ctx, a, councils, open, failed)
	if err != nil {
		return DemandReport{}, err
	}
	places := placeFinder{s: s, ctx: ctx, offers: map[string]offerPlace{}}
	areas, cats := demandTally{}, demandTally{}
	for _, p := range open {
		where, err := places.of(p.OfferID)
		if err != nil {
			return DemandReport{}, err
		}
		add := func(r *DemandRow) {
			r.OpenPools++
			r.PlacesTaken += p.Taken
			r.PeopleShort += max(p.Pricing.MinPeople-p.Taken, 0)
		}
		add(&rep.Totals)
		add(areas.row(where.areaKey, where.area))
		for _, c := range where.categories {
			add(cats.row(c, marketplace.Label(marketplace.Categories, c)))
		}
		if n := counts[p.ID]; n > 0 {
			rep.Waiting = append(rep.Waiting, waitingPool(p, n, where.area))
		}
	}
	for _, p := range failed {
		where, err := places.of(p.OfferID)
		if err != nil {
			return DemandReport{}, err
		}
		joined := counts[p.ID]
		add := func(r *DemandRow) {
			r.FailedPools++
			r.FailedJoined += joined
			r.FailedNeeded += p.Pricing.MinPeople
		}
		add(&rep.Totals)
		add(areas.row(where.areaKey, where.area))
		for _, c := range where.categories {
			add(cats.row(c, marketplace.Label(marketplace.Categories, c)))
		}
	}
	rep.ByArea, rep.ByCategory = areas.sorted(), cats.sorted()
	slices.SortStableFunc(rep.Waiting, func(x, y WaitingPool) int { return x.Deadline.Compare(y.Deadline) })
	return rep, nil
}

// commissionerOf returns the councils the caller is an active commissioner of.
func commissionerOf(a *account.Actor) []string {
	var out []string
	for _, m := range a.Memberships {
		if slices.Contains(m.OrgKinds, account.KindCouncil) && a.CanActFor(m.OrgID, account.RoleCommissioner) {
			out = append(out, m.OrgID)
		}
	}
	return out
}

// failedForLackOfPeople reports whether a failed pool failed at its deadline (open →
// failed: too few people), at or after since. A confirmed pool whose sessions all fell
// through also ends failed, but people did join it.
func failedForLackOfPeople(p Pool, since time.Time) bool {
	for i := len(p.History) - 1; i >= 0; i-- {
		if t := p.History[i]; t.To == StatusFailed {
			return t.From == StatusOpen && !t.At.Before(since)
		}
	}
	return false
}

// demandPledgesOneByOne is how many pools' pledges Demand reads pool by pool; beyond
// it, one pass over every pledge is cheaper on the embedded store, where each find scans
// the whole collection (BenchmarkDemand, 1,000 open and 1,000 failed pools: 1.3 s one
// by one, 0.1 s in one pass).
const demandPledgesOneByOne = 20

// demandPledges counts, by pool, the people who still held a place when a failed pool
// failed (failing releases their pledges; those who left earlier withdrew), and the
// pledges of an open pool that wait for a commissioner: of one of the caller's
// councils, or of any council for an administrator.
func (s *Service) demandPledges(ctx context.Context, a *account.Actor, councils []string, open, failed []Pool) (map[string]int, error) {
	counts := map[string]int{}
	failedIDs, waitingIDs := map[string]bool{}, map[string]bool{}
	for _, p := range failed {
		failedIDs[p.ID] = true
	}
	for _, p := range open {
		if p.Waiting > 0 {
			waitingIDs[p.ID] = true
		}
	}
	count := func(pl Pledge) error {
		switch {
		case failedIDs[pl.PoolID] && pl.Status == PledgeReleased:
			counts[pl.PoolID]++
		case waitingIDs[pl.PoolID] && pl.Status == PledgeWaitingApproval && slices.Contains(pl.Needs, ApprovalCommissioner) &&
			(a.IsAdmin() || slices.ContainsFunc(councils, func(id string) bool { return slices.Contains(pl.PendingWith, "org:"+id) })):
			counts[pl.PoolID]++
		}
		return nil
	}
	if len(failedIDs)+len(waitingIDs) > demandPledgesOneByOne {
		if err := s.store.EachPledge(ctx, count); err != nil {
			return nil, fmt.Errorf("demand: pledges: %w", err)
		}
		return counts, nil
	}
	for _, ids := range []map[string]bool{failedIDs, waitingIDs} {
		for id := range ids {
			pledges, err := s.store.PoolPledges(ctx, id)
			if err != nil {
				return nil, fmt.Errorf("demand: pledges of pool %s: %w", id, err)
			}
			for _, pl := range pledges {
				_ = count(pl)
			}
		}
	}
	return counts, nil
}

// waitingPool describes an open pool with n pledges waiting for a commissioner.
func waitingPool(p Pool, n int, area string) WaitingPool {
	w := WaitingPool{Title: "A pool for invited people only", Area: area, Deadline: p.Deadline, Waiting: n, Taken: p.Taken,
		Confirmable: p.ConfirmableK, MinPeople: p.Pricing.MinPeople}
	if p.Visibility == Public {
		w.PoolID, w.Title = p.ID, p.Title
	}
	w.ReachesMinimum = w.Confirmable < w.MinPeople && w.Confirmable+w.Waiting >= w.MinPeople
	return w
}

// offerPlace is where an offer is and what it is about, for the report.
type offerPlace struct {
	areaKey, area string
	categories    []string
}

// placeFinder reads each offer once. An offer the caller may no longer see (archived,
// or its provider suspended) is counted under "Not known".
type placeFinder struct {
	s      *Service
	ctx    context.Context
	offers map[string]offerPlace
}

func (f placeFinder) of(offerID string) (offerPlace, error) {
	if p, ok := f.offers[offerID]; ok {
		return p, nil
	}
	o, err := f.s.offers.Offer(f.ctx, offerID)
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return offerPlace{}, fmt.Errorf("demand: offer %s: %w", offerID, err)
	}
	p := offerPlace{area: "Not known"}
	if err == nil {
		p.areaKey, p.area = areaOf(o.Where)
		p.categories = o.Categories
	}
	f.offers[offerID] = p
	return p, nil
}

// areaOf names where an offer happens by its outward code district, with the town
// where there is a venue: "LS6 (Leeds)".
func areaOf(w marketplace.Where) (key, label string) {
	switch {
	case w.Mode == marketplace.Online:
		return "online", "Online"
	case w.Outcode == "":
		return "", "Not known"
	case w.Address != nil && strings.TrimSpace(w.Address.Town) != "":
		return w.Outcode, w.Outcode + " (" + strings.TrimSpace(w.Address.Town) + ")"
	}
	return w.Outcode, w.Outcode
}

// demandTally collects rows by key.
type demandTally map[string]*DemandRow

func (t demandTally) row(key, label string) *DemandRow {
	r, ok := t[key]
	if !ok {
		r = &DemandRow{Key: key, Label: label}
		t[key] = r
	}
	return r
}

// sorted returns the rows with the most places taken first, then the most failed pools,
// then by label; "Not known" comes last.
func (t demandTally) sorted() []DemandRow {
	out := make([]DemandRow, 0, len(t))
	for _, r := range t {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(x, y DemandRow) int {
		if (x.Key == "") != (y.Key == "") {
			if x.Key == "" {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(y.PlacesTaken, x.PlacesTaken), cmp.Compare(y.FailedPools, x.FailedPools),
			cmp.Compare(y.OpenPools, x.OpenPools), strings.Compare(x.Label, y.Label))
	})
	return out
}
