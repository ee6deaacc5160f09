package notify

import (
	"fmt"
	"strconv"
	"strings"
)

// Event is what an outbox reference names: a kind of notification and what it is about.
type Event struct {
	Kind    Kind
	Ref     string // as recorded, for the notifications' keys
	Subject string // the id of the pool, pledge, invoice, message or invitation
	Session int    // for session events: the session's index
}

// refKinds maps "<subject kind>:<event>" to a Kind.
var refKinds = map[string]Kind{
	"pool:confirmed":                 KindPoolConfirmed,
	"pool:failed":                    KindPoolFailed,
	"pool:cancelled":                 KindPoolCancelled,
	"pool:minimum-reached":           KindMinimumReached,
	"pool:approvals-reminder":        KindApprovalsReminder,
	"session:reminder":               KindSessionReminder,
	"session:delivered":              KindSessionDelivered,
	"pledge:approval-needed":         KindApprovalNeeded,
	"pledge:approved":                KindPledgeApproved,
	"pledge:declined":                KindPledgeDeclined,
	"pledge:joined":                  KindMemberJoined,
	"pledge:withdrawn":               KindMemberWithdrew,
	"pledge:notice-ending":           KindNoticeEnding,
	"pledge:charge-failed":           KindChargeFailed,
	"pledge:lapsed":                  KindPledgeLapsed,
	"pool:shares-changed":            KindSharesChanged,
	"invoice:issued":                 KindInvoiceIssued,
	"invoice:overdue":                KindInvoiceOverdue,
	"invoice:paid":                   KindInvoicePaid,
	"invoice:payment-needs-approval": KindPaymentNeedsApproval,
}

// maxIDLength bounds the ids inside a reference (ours are UUIDs).
const maxIDLength = 64

// ParseRef reads an outbox reference:
//
//	pool:<id>:confirmed | failed | cancelled | minimum-reached | approvals-reminder
//	pool:<id>:session:<j>:reminder | delivered
//	pool:<id>:shares-changed
//	pledge:<id>:approval-needed | approved | declined | joined | withdrawn | notice-ending | charge-failed | lapsed
//	invoice:<id>:issued | overdue | paid | payment-needs-approval
//	message:<id>
//	invitation:<id>
func ParseRef(ref string) (Event, error) {
	parts := strings.Split(ref, ":")
	bad := func() (Event, error) { return Event{}, fmt.Errorf("notify: malformed reference %q", ref) }
	if len(parts) < 2 || !validID(parts[1]) {
		return bad()
	}
	ev := Event{Ref: ref, Subject: parts[1]}
	switch {
	case len(parts) == 2 && parts[0] == "message":
		ev.Kind = KindPoolMessage
	case len(parts) == 2 && parts[0] == "invitation":
		ev.Kind = KindInvited
	case len(parts) == 3:
		ev.Kind = refKinds[parts[0]+":"+parts[2]]
	case len(parts) == 5 && parts[0] == "pool" && parts[2] == "session":
		j, err := strconv.Atoi(parts[3])
		if err != nil || j < 0 || j > 10_000 || strconv.Itoa(j) != parts[3] {
			return bad()
		}
		ev.Kind, ev.Session = refKinds["session:"+parts[4]], j
	}
	if ev.Kind == "" {
		return bad()
	}
	return ev, nil
}

// validID accepts the ids Carepool makes: letters, digits and hyphens.
func validID(s string) bool {
	if s == "" || len(s) > maxIDLength {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// SessionRef is the reference of a session event ("reminder" or "delivered").
func SessionRef(poolID string, session int, event string) string {
	return "pool:" + poolID + ":session:" + strconv.Itoa(session) + ":" + event
}
