package pooling

import (
	"cmp"
	"slices"
	"time"

	"github.com/carepool/carepool/marketplace"
)

// PledgeStatus is where a pledge is in its life.
type PledgeStatus string

// The statuses of a pledge. Withdrawn, declined, released and completed are final.
const (
	PledgeWaitingApproval PledgeStatus = "waiting_approval" // provisional: holds its place, cannot confirm yet
	PledgePledged         PledgeStatus = "pledged"          // approved (or needing no approval); counts while the share is within its limit
	PledgeConfirmed       PledgeStatus = "confirmed"        // taking part in a confirmed pool
	PledgeCompleted       PledgeStatus = "completed"        // its sessions are over
	PledgeWithdrawn       PledgeStatus = "withdrawn"        // its payer left
	PledgeDeclined        PledgeStatus = "declined"         // an approver said no
	PledgeReleased        PledgeStatus = "released"         // the pool failed, was cancelled, or confirmed without it
)

// Final reports whether nothing more can happen to a pledge in this status.
func (s PledgeStatus) Final() bool {
	return s == PledgeCompleted || s == PledgeWithdrawn || s == PledgeDeclined || s == PledgeReleased
}

// ApprovalKind is a kind of approval a pledge may need before it counts.
type ApprovalKind string

// The approvals. Which a pledge needs is decided by its budget's FundingRoute.
const (
	ApprovalISFProvider    ApprovalKind = "isf_provider"    // the provider holding the ISF accepts the pledge
	ApprovalCommissioner   ApprovalKind = "commissioner"    // a commissioner of the council approves, like a purchase order
	ApprovalSecondTrustee  ApprovalKind = "second_trustee"  // another trustee, or the budget holder, agrees a trust fund pledge
	ApprovalSecondApprover ApprovalKind = "second_approver" // the budget holder or another representative agrees a large pledge
)

// Approval records one approval given.
type Approval struct {
	Kind ApprovalKind `json:"kind" bson:"kind"`
	By   string       `json:"by" bson:"by"`
	At   time.Time    `json:"at" bson:"at"`
}

// PledgeEvent records one change of a pledge: who, when, what it became and why.
type PledgeEvent struct {
	At     time.Time    `json:"at" bson:"at"`
	By     string       `json:"by" bson:"by"`
	Status PledgeStatus `json:"status" bson:"status"`
	Note   string       `json:"note,omitempty" bson:"note,omitempty"`
}

// Pledge is one budget's promise to pay up to a limit per session towards a pool.
//
// Shares holds, per session of the pool, what this pledge pays for it (0 where it takes
// no part); it is set at confirmation and changes only for sessions not yet delivered,
// when people join or leave. Reserved, Held and Spent are the pledge's ledger balances
// (see README.md), kept on the document so that Verify can compare them with the entries.
type Pledge struct {
	ID         string                 `json:"id" bson:"_id"`
	PoolID     string                 `json:"pool_id" bson:"pool_id"`
	ProviderID string                 `json:"provider_id" bson:"provider_id"`
	BudgetID   string                 `json:"budget_id" bson:"budget_id"`
	Source     string                 `json:"-" bson:"source"` // ledger source: "budget:<id>" or "isf:<id>"
	Form       marketplace.BudgetForm `json:"form" bson:"form"`
	HolderID   string                 `json:"holder_id" bson:"holder_id"`
	PledgedBy  string                 `json:"pledged_by" bson:"pledged_by"`
	LimitPence int64                  `json:"limit_pence" bson:"limit_pence"` // the most its payer will pay per session
	PayBy      PayBy                  `json:"pay_by" bson:"pay_by,omitempty"` // "card", or by invoice ("" in old records)
	Seq        int64                  `json:"seq" bson:"seq"`                 // arrival order in the pool
	Status     PledgeStatus           `json:"status" bson:"status"`
	Needs      []ApprovalKind         `json:"needs" bson:"needs"` // approvals still missing
	Approvals  []Approval             `json:"approvals" bson:"approvals"`
	// PendingWith names who can give the missing approvals ("org:<id>", "holder:<id>"),
	// so approvers can list what waits for them.
	PendingWith []string `json:"-" bson:"pending_with"`
	// Active is true while the pledge holds a place; a unique index allows one active
	// pledge per person per pool.
	Active        bool    `json:"-" bson:"active"`
	From          int     `json:"from_session" bson:"from_session"`   // first session it takes part in
	Until         int     `json:"until_session" bson:"until_session"` // first session it no longer takes part in
	Shares        []int64 `json:"shares" bson:"shares"`
	ReservedPence int64   `json:"reserved_pence" bson:"reserved_pence"`
	HeldPence     int64   `json:"held_pence" bson:"held_pence"`
	SpentPence    int64   `json:"spent_pence" bson:"spent_pence"`
	// CreditedPence is what credit notes gave back for sessions already delivered; it is
	// no longer spent.
	CreditedPence int64         `json:"credited_pence,omitempty" bson:"credited_pence,omitempty"`
	Reason        string        `json:"reason,omitempty" bson:"reason,omitempty"` // why it was released or declined
	History       []PledgeEvent `json:"history" bson:"history"`
	CreatedAt     time.Time     `json:"created_at" bson:"created_at"`
	UpdatedAt     time.Time     `json:"updated_at" bson:"updated_at"`
	Version       int64         `json:"version" bson:"version"`
}

// seated reports whether the pledge waits in an open pool's count (approved or not).
func (p *Pledge) seated() bool {
	return p.Status == PledgeWaitingApproval || p.Status == PledgePledged
}

// participates reports whether a confirmed-pool pledge pays for session j.
func (p *Pledge) participates(j int) bool {
	return (p.Status == PledgeConfirmed || p.Status == PledgeCompleted) && p.From <= j && j < p.Until
}

// set records a change of status with who made it and why.
func (p *Pledge) set(to PledgeStatus, by string, at time.Time, note string) {
	p.Status = to
	p.History = append(p.History, PledgeEvent{At: at, By: by, Status: to, Note: note})
	if to.Final() {
		p.Active = false
		p.Needs, p.PendingWith = []ApprovalKind{}, []string{}
		if to != PledgeCompleted {
			p.Reason = note
		}
	}
}

// countingOrder sorts pledges as DOMAIN.md counts them: highest limit first, then
// earliest arrival.
func countingOrder(ps []*Pledge) {
	slices.SortStableFunc(ps, func(a, b *Pledge) int {
		if a.LimitPence != b.LimitPence {
			if a.LimitPence > b.LimitPence {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.Seq, b.Seq)
	})
}

func limitsOf(ps []*Pledge) []int64 {
	limits := make([]int64, len(ps))
	for i, p := range ps {
		limits[i] = p.LimitPence
	}
	return limits
}
