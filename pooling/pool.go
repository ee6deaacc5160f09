// Package pooling turns many small personal budgets into one viable purchase: pools on
// group offers, pledges from every form of budget, approvals, confirmation at the
// deadline, delivery per session, and the double-entry ledger that records every pound
// committed, held, spent and released. README.md in this directory explains the money
// model; DOMAIN.md ("How a pool counts, reserves and confirms") is the rule book.
package pooling

import (
	"time"

	"github.com/carepool/carepool/marketplace"
)

// Status is where a pool is in its life.
type Status string

// The statuses of a pool. Failed, cancelled and settled are final.
const (
	StatusDraft     Status = "draft"     // being written by its organiser; nobody else sees it
	StatusOpen      Status = "open"      // taking pledges until the deadline (and any grace period)
	StatusConfirmed Status = "confirmed" // going ahead: sessions are being delivered
	StatusFailed    Status = "failed"    // did not reach its minimum; everything released
	StatusCancelled Status = "cancelled" // called off before delivery; everything released
	StatusDelivered Status = "delivered" // every session delivered (or cancelled)
	StatusInvoiced  Status = "invoiced"  // every billing period invoiced
	StatusSettled   Status = "settled"   // every invoice paid; the pool holds nothing
)

// Final reports whether nothing more can happen to a pool in this status.
func (s Status) Final() bool {
	return s == StatusFailed || s == StatusCancelled || s == StatusSettled
}

// Visibility says who can find a pool.
type Visibility string

// The visibilities of a pool.
const (
	Public     Visibility = "public"      // listed and searchable
	InviteOnly Visibility = "invite_only" // reached with its invite code or link only
)

// SessionStatus is where one session of a pool is.
type SessionStatus string

// The statuses of a session.
const (
	SessionScheduled SessionStatus = "scheduled"
	SessionDelivered SessionStatus = "delivered"
	SessionCancelled SessionStatus = "cancelled"
)

// Session is one occurrence of a pool's activity. Its shares live on the pledges
// (Pledge.Shares[Index]) because they can differ per session after people join or leave.
type Session struct {
	Index        int           `json:"index" bson:"index"`
	StartsAt     time.Time     `json:"starts_at" bson:"starts_at"`
	Status       SessionStatus `json:"status" bson:"status"`
	DeliveredAt  *time.Time    `json:"delivered_at,omitempty" bson:"delivered_at,omitempty"`
	DeliveredBy  string        `json:"delivered_by,omitempty" bson:"delivered_by,omitempty"`
	Attended     []string      `json:"attended,omitempty" bson:"attended,omitempty"` // pledge ids
	CancelReason string        `json:"cancel_reason,omitempty" bson:"cancel_reason,omitempty"`
}

// Done reports whether the session needs nothing more: delivered or cancelled.
func (s Session) Done() bool { return s.Status != SessionScheduled }

// PeriodStatus is where one billing period of a pool is.
type PeriodStatus string

// The statuses of a billing period. A period whose sessions were all cancelled has
// nothing to bill and becomes void when it is done.
const (
	PeriodOpen     PeriodStatus = "open"
	PeriodInvoiced PeriodStatus = "invoiced"
	PeriodSettled  PeriodStatus = "settled"
	PeriodVoid     PeriodStatus = "void"
)

// Period is a run of sessions billed together (for example four weekly sessions).
type Period struct {
	Index        int          `json:"index" bson:"index"`
	FirstSession int          `json:"first_session" bson:"first_session"`
	Sessions     int          `json:"sessions" bson:"sessions"`
	Status       PeriodStatus `json:"status" bson:"status"`
	// Invoices are the period's invoices, one per payer, issued when its sessions were
	// all done; the period is settled when none of them is owed anything.
	Invoices   []string   `json:"invoice_ids,omitempty" bson:"invoices,omitempty"`
	InvoicedAt *time.Time `json:"invoiced_at,omitempty" bson:"invoiced_at,omitempty"`
	SettledAt  *time.Time `json:"settled_at,omitempty" bson:"settled_at,omitempty"`
}

// Organiser is whoever proposed a pool: an organisation (a user-led organisation or the
// offer's provider), whose members all organise it, or a budget holder on their own.
type Organiser struct {
	OrgID  string `json:"org_id,omitempty" bson:"org_id,omitempty"`
	UserID string `json:"-" bson:"user_id"` // who proposed it; private, like every person's identity
}

// Transition records one change of a pool's status: who, in which capacity, when, why.
type Transition struct {
	From   Status    `json:"from" bson:"from"`
	To     Status    `json:"to" bson:"to"`
	By     string    `json:"by" bson:"by"` // a user id, or SystemActor
	Role   Role      `json:"role" bson:"role"`
	At     time.Time `json:"at" bson:"at"`
	Reason string    `json:"reason,omitempty" bson:"reason,omitempty"`
}

// Pool is a group purchase being organised on one offer. Prices, people and schedule are
// copied from the offer when the pool is proposed, so later edits of the offer never
// change what people pledged for.
type Pool struct {
	ID             string                   `json:"id" bson:"_id"`
	OfferID        string                   `json:"offer_id" bson:"offer_id"`
	ProviderID     string                   `json:"provider_id" bson:"provider_id"`
	OfferKind      marketplace.Kind         `json:"offer_kind" bson:"offer_kind"`
	Title          string                   `json:"title" bson:"title"`
	Description    string                   `json:"description" bson:"description"`
	Organiser      Organiser                `json:"organiser" bson:"organiser"`
	Visibility     Visibility               `json:"visibility" bson:"visibility"`
	InviteCode     string                   `json:"invite_code,omitempty" bson:"invite_code,omitempty"`
	Pricing        Pricing                  `json:"pricing" bson:"pricing"`
	SessionMinutes int                      `json:"session_minutes,omitempty" bson:"session_minutes,omitempty"`
	BudgetForms    []marketplace.BudgetForm `json:"budget_forms" bson:"budget_forms"`
	Schedule       Schedule                 `json:"schedule" bson:"schedule"`
	Deadline       time.Time                `json:"deadline" bson:"deadline"`
	GraceDays      int                      `json:"grace_working_days" bson:"grace_working_days"`
	GraceUntil     *time.Time               `json:"grace_until,omitempty" bson:"grace_until,omitempty"`
	// DueAt is when the deadline job must next look at an open pool (its deadline, then
	// the end of its grace period); unset otherwise.
	DueAt    *time.Time   `json:"-" bson:"due_at,omitempty"`
	Sessions []Session    `json:"sessions" bson:"sessions"`
	Periods  []Period     `json:"periods" bson:"periods"`
	Status   Status       `json:"status" bson:"status"`
	History  []Transition `json:"history" bson:"history"`
	// Taken counts the pledges holding a place. It only grows through the store's
	// conditional TakeSeat, so it can never pass Pricing.MaxPeople.
	Taken   int   `json:"taken" bson:"taken"`
	NextSeq int64 `json:"-" bson:"next_seq"` // arrival numbers handed out by TakeSeat
	// The tally of an open pool, kept current by every change (see tally).
	CountedK     int       `json:"counted" bson:"counted"`
	SharePence   int64     `json:"share_pence" bson:"share_pence"`
	ConfirmableK int       `json:"confirmable" bson:"confirmable"`
	Waiting      int       `json:"waiting_approval" bson:"waiting_approval"`
	Version      int64     `json:"version" bson:"version"`
	CreatedAt    time.Time `json:"created_at" bson:"created_at"`
	UpdatedAt    time.Time `json:"updated_at" bson:"updated_at"`
}

// Schedule says when a pool's sessions happen: one date, or every so many days for a
// number of sessions, billed in periods of PeriodSessions.
type Schedule struct {
	FirstSession   time.Time `json:"first_session" bson:"first_session"`
	EveryDays      int       `json:"every_days" bson:"every_days"` // 0 for a single date
	Sessions       int       `json:"sessions" bson:"sessions"`
	PeriodSessions int       `json:"period_sessions" bson:"period_sessions"`
	// NoticeDays is how much notice someone must give to leave a confirmed recurring pool;
	// they keep paying for sessions inside the notice period.
	NoticeDays int `json:"notice_days" bson:"notice_days"`
}

// Recurring reports whether the schedule has more than one session.
func (s Schedule) Recurring() bool { return s.Sessions > 1 }

// layout lays out the sessions and billing periods of a schedule.
//
// Days are added on UK clocks, so a weekly 10:00 session stays at 10:00 when the clocks
// change (in UTC it moves by an hour).
func (s Schedule) layout() ([]Session, []Period) {
	sessions := make([]Session, s.Sessions)
	first := s.FirstSession.In(london)
	for i := range sessions {
		sessions[i] = Session{Index: i, StartsAt: first.AddDate(0, 0, i*s.EveryDays).UTC(), Status: SessionScheduled}
	}
	var periods []Period
	for first := 0; first < s.Sessions; first += s.PeriodSessions {
		periods = append(periods, Period{Index: len(periods), FirstSession: first,
			Sessions: min(s.PeriodSessions, s.Sessions-first), Status: PeriodOpen})
	}
	return sessions, periods
}

// firstSessionAfter returns the first scheduled session starting after t, or -1.
func (p *Pool) firstSessionAfter(t time.Time) int {
	for _, s := range p.Sessions {
		if s.Status == SessionScheduled && s.StartsAt.After(t) {
			return s.Index
		}
	}
	return -1
}

// anyDelivered reports whether any session has been delivered.
func (p *Pool) anyDelivered() bool {
	for _, s := range p.Sessions {
		if s.Status == SessionDelivered {
			return true
		}
	}
	return false
}

// takingPledges reports whether the pool accepts pledges: while open, and while
// confirmed for the places that remain.
func (p *Pool) takingPledges() bool { return p.Status == StatusOpen || p.Status == StatusConfirmed }
