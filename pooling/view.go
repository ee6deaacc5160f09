package pooling

import (
	"fmt"
	"time"

	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
)

// PoolView is a pool as one caller may see it. Budget holders' identities never appear:
// the public sees counts and amounts. Organisers, the provider and administrators also
// see the invite code, billing periods and the history of who changed what.
type PoolView struct {
	ID             string                   `json:"id"`
	OfferID        string                   `json:"offer_id"`
	ProviderID     string                   `json:"provider_id"`
	OrganiserOrgID string                   `json:"organiser_org_id,omitempty"`
	ProposedBy     string                   `json:"proposed_by"` // "organisation" or "budget_holder"
	Title          string                   `json:"title"`
	Description    string                   `json:"description"`
	Status         Status                   `json:"status"`
	Summary        string                   `json:"summary"` // plain English: where the pool stands
	Visibility     Visibility               `json:"visibility"`
	InviteCode     string                   `json:"invite_code,omitempty"`
	Pricing        Pricing                  `json:"pricing"`
	SessionMinutes int                      `json:"session_minutes,omitempty"`
	BudgetForms    []marketplace.BudgetForm `json:"budget_forms"`
	Schedule       Schedule                 `json:"schedule"`
	Deadline       time.Time                `json:"deadline"`
	GraceUntil     *time.Time               `json:"grace_until,omitempty"`
	Sessions       []Session                `json:"sessions"`
	Periods        []Period                 `json:"periods,omitempty"`
	Taken          int                      `json:"places_taken"`
	PlacesLeft     int                      `json:"places_left"`
	Counted        int                      `json:"counted"`
	SharePence     int64                    `json:"share_pence"`
	Confirmable    int                      `json:"confirmable"`
	Waiting        int                      `json:"waiting_approval"`
	MinimumReached bool                     `json:"minimum_reached"`
	YourRoles      []Role                   `json:"your_roles,omitempty"`
	History        []Transition             `json:"history,omitempty"`
	Version        int64                    `json:"version"`
	CreatedAt      time.Time                `json:"created_at"`
}

// viewOf builds the view of a pool for a caller.
func viewOf(a *account.Actor, p Pool) PoolView {
	v := PoolView{ID: p.ID, OfferID: p.OfferID, ProviderID: p.ProviderID, OrganiserOrgID: p.Organiser.OrgID,
		ProposedBy: "organisation", Title: p.Title, Description: p.Description, Status: p.Status,
		Visibility: p.Visibility, Pricing: p.Pricing, SessionMinutes: p.SessionMinutes, BudgetForms: p.BudgetForms,
		Schedule: p.Schedule, Deadline: p.Deadline, GraceUntil: p.GraceUntil, Taken: p.Taken,
		PlacesLeft: max(p.Pricing.MaxPeople-p.Taken, 0), Counted: p.CountedK, SharePence: p.SharePence,
		Confirmable: p.ConfirmableK, Waiting: p.Waiting, MinimumReached: p.ConfirmableK >= p.Pricing.MinPeople,
		Version: p.Version, CreatedAt: p.CreatedAt}
	if p.Organiser.OrgID == "" {
		v.ProposedBy = "budget_holder"
	}
	v.Sessions = make([]Session, len(p.Sessions))
	for i, s := range p.Sessions {
		v.Sessions[i] = Session{Index: s.Index, StartsAt: s.StartsAt, Status: s.Status, DeliveredAt: s.DeliveredAt, CancelReason: s.CancelReason}
	}
	if roles := rolesIn(a, &p); len(roles) > 0 {
		v.YourRoles, v.InviteCode, v.Periods, v.History = roles, p.InviteCode, p.Periods, p.History
		v.Sessions = p.Sessions
	}
	v.Summary = poolSummary(p)
	return v
}

// poolSummary says in plain English where a pool stands.
func poolSummary(p Pool) string {
	pr := p.Pricing
	switch p.Status {
	case StatusDraft:
		return "Not open yet: the organiser is still preparing this pool."
	case StatusOpen:
		s := fmt.Sprintf("%d of %d places taken. It needs %d people by %s.", p.Taken, pr.MaxPeople, pr.MinPeople,
			p.Deadline.Format("2 January 2006"))
		if p.CountedK > 0 {
			s += fmt.Sprintf(" At %d people each pays %s a session.", p.CountedK, Pounds(p.SharePence))
		} else {
			s += fmt.Sprintf(" The most anyone would pay is %s a session, at %d people.", Pounds(pr.Share(pr.MinPeople)), pr.MinPeople)
		}
		if p.Waiting > 0 {
			s += fmt.Sprintf(" %d pledge(s) are waiting for approval.", p.Waiting)
		}
		if p.GraceUntil != nil {
			s += " The deadline has passed; it is waiting for approvals until " + p.GraceUntil.Format("2 January 2006") + "."
		}
		return s
	case StatusConfirmed:
		return fmt.Sprintf("Going ahead with %d people, each paying %s a session.", p.CountedK, Pounds(p.SharePence))
	case StatusFailed:
		return "This pool did not go ahead. Every pledge was released; nobody pays anything."
	case StatusCancelled:
		return "This pool was cancelled. Every pledge was released; nobody pays anything."
	case StatusDelivered:
		return "Every session is done. Invoices follow."
	case StatusInvoiced:
		return "Every session is done and invoiced."
	case StatusSettled:
		return "Every session is done and paid for."
	}
	return ""
}

// PledgeView is a pledge as its budget holder, their representatives and its approvers
// see it, with what it means in plain English.
type PledgeView struct {
	Pledge
	PoolTitle  string `json:"pool_title"`
	PoolStatus Status `json:"pool_status"`
	Counts     bool   `json:"counts"`
	// CommittedPence is what is still set aside for this pledge (reserved or in the pool).
	CommittedPence int64  `json:"committed_pence"`
	Summary        string `json:"summary"`
}

// pledgeViewOf builds the view of a pledge in its pool.
func pledgeViewOf(p Pledge, pool Pool) PledgeView {
	v := PledgeView{Pledge: p, PoolTitle: pool.Title, PoolStatus: pool.Status, CommittedPence: p.ReservedPence + p.HeldPence}
	v.Counts = p.Status == PledgeConfirmed ||
		(p.seated() && pool.Status == StatusOpen && pool.CountedK > 0 && p.LimitPence >= pool.SharePence)
	v.Summary = pledgeSummary(v, pool)
	return v
}

func pledgeSummary(v PledgeView, pool Pool) string {
	p := v.Pledge
	s := fmt.Sprintf("You offered up to %s a session towards %q.", Pounds(p.LimitPence), pool.Title)
	switch {
	case p.Status == PledgeWaitingApproval:
		s += " It is waiting for approval; it keeps its place meanwhile."
	case p.Status == PledgePledged && v.Counts:
		s += fmt.Sprintf(" It counts now: each person would pay %s a session.", Pounds(pool.SharePence))
	case p.Status == PledgePledged:
		s += " It will count when the price falls to your limit."
	case p.Status == PledgeConfirmed:
		s += " The pool is going ahead and you are in it."
	case p.Status == PledgeCompleted:
		s += " Your sessions are over."
	default:
		s += " It is " + string(p.Status) + ": " + p.Reason
	}
	s += fmt.Sprintf(" Set aside now: %s. Spent so far: %s.", Pounds(v.CommittedPence), Pounds(p.SpentPence))
	return s
}

// Participant is one pledge as a pool's organiser and provider see it. Only the provider
// (who delivers the sessions) and administrators see whose it is, once the pool is
// confirmed; organisers see places, limits and statuses only.
type Participant struct {
	PledgeID   string         `json:"pledge_id"`
	Seq        int64          `json:"seq"`
	Status     PledgeStatus   `json:"status"`
	LimitPence int64          `json:"limit_pence"`
	Counts     bool           `json:"counts"`
	Needs      []ApprovalKind `json:"needs"`
	From       int            `json:"from_session"`
	Until      int            `json:"until_session"`
	HolderID   string         `json:"holder_id,omitempty"`
}
