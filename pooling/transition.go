package pooling

import (
	"slices"
	"strings"
	"time"

	"github.com/carepool/carepool/infra/apperr"
)

// Role is the capacity in which someone changes a pool.
type Role string

// The roles that may change a pool's status.
const (
	RoleOrganiser Role = "organiser" // whoever proposed it, and the members of their organisation
	RoleProvider  Role = "provider"  // the members of the offer's provider
	RoleAdmin     Role = "admin"     // a platform administrator (safeguarding)
	RoleSystem    Role = "system"    // Carepool itself: the deadline job, a full pool, the last session
)

// SystemActor is the By of a change Carepool made by itself.
const SystemActor = "system"

type statusPair struct{ from, to Status }

// transitions is the whole lifecycle of a pool: each allowed change of status and the one
// set of roles that may make it. Anything else is refused. The "" row is proposing.
var transitions = map[statusPair][]Role{
	{"", StatusDraft}:                  {RoleOrganiser},
	{StatusDraft, StatusOpen}:          {RoleOrganiser},
	{StatusOpen, StatusConfirmed}:      {RoleOrganiser, RoleSystem}, // early once the minimum is approved; or at the deadline, or when full
	{StatusOpen, StatusFailed}:         {RoleSystem},                // the deadline (and grace) passed below the minimum
	{StatusConfirmed, StatusFailed}:    {RoleSystem},                // every session fell through before any was delivered
	{StatusDraft, StatusCancelled}:     {RoleOrganiser, RoleProvider, RoleAdmin},
	{StatusOpen, StatusCancelled}:      {RoleOrganiser, RoleProvider, RoleAdmin},
	{StatusConfirmed, StatusCancelled}: {RoleOrganiser, RoleProvider, RoleAdmin}, // before any session is delivered
	{StatusConfirmed, StatusDelivered}: {RoleProvider, RoleSystem},               // the last session delivered, or the rest fell through
	{StatusDelivered, StatusInvoiced}:  {RoleProvider, RoleSystem},               // the last period invoiced (or nothing left to bill)
	{StatusInvoiced, StatusSettled}:    {RoleProvider, RoleSystem},               // the last invoice paid
}

// statusWords says each status in plain English, for error messages.
var statusWords = map[Status]string{
	StatusDraft: "a draft", StatusOpen: "open", StatusConfirmed: "confirmed", StatusFailed: "failed",
	StatusCancelled: "cancelled", StatusDelivered: "delivered", StatusInvoiced: "invoiced", StatusSettled: "settled",
}

var roleWords = map[Role]string{
	RoleOrganiser: "its organiser", RoleProvider: "its provider", RoleAdmin: "an administrator", RoleSystem: "Carepool",
}

// checkTransition says whether someone holding roles may move a pool from one status to
// another: Conflict if the lifecycle has no such step, Forbidden if the roles do not fit.
func checkTransition(from, to Status, roles []Role) error {
	allowed, ok := transitions[statusPair{from, to}]
	if !ok {
		return apperr.Conflictf("pool-status", "A pool that is %s cannot become %s.", statusWords[from], statusWords[to])
	}
	for _, r := range roles {
		if slices.Contains(allowed, r) {
			return nil
		}
	}
	var who []string
	for _, r := range allowed {
		if r != RoleSystem {
			who = append(who, roleWords[r])
		}
	}
	if len(who) == 0 {
		return apperr.Forbiddenf("Carepool does this by itself; nobody can do it by hand.")
	}
	return apperr.Forbiddenf("Only %s can make this pool %s.", strings.Join(who, " or "), statusWords[to])
}

// move changes the pool's status if role may, and records who did it, when and why.
func (p *Pool) move(to Status, role Role, by string, at time.Time, reason string) error {
	if err := checkTransition(p.Status, to, []Role{role}); err != nil {
		return err
	}
	p.History = append(p.History, Transition{From: p.Status, To: to, By: by, Role: role, At: at, Reason: reason})
	p.Status = to
	if to != StatusOpen {
		p.DueAt = nil
	}
	return nil
}

// roleFor picks, of the roles someone holds, the one the transition allows.
func roleFor(from, to Status, roles []Role) (Role, error) {
	if err := checkTransition(from, to, roles); err != nil {
		return "", err
	}
	allowed := transitions[statusPair{from, to}]
	for _, r := range roles {
		if slices.Contains(allowed, r) {
			return r, nil
		}
	}
	return "", apperr.Forbiddenf("You cannot do this.") // unreachable: checkTransition found one
}
