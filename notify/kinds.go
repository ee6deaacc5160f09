package notify

import (
	"github.com/carepool/carepool/pooling"
)

// Role is why a person receives a notification; the wording depends on it.
type Role string

// The roles of a recipient.
const (
	RoleMember         Role = "member"         // a budget holder with their own pledge in the pool
	RoleHolder         Role = "holder"         // a budget holder whose pledge someone acting for them made
	RoleRepresentative Role = "representative" // made a pledge for someone they act for
	RoleOrganiser      Role = "organiser"      // organises the pool
	RoleProvider       Role = "provider"       // a member of the provider of the pool or invoice
	RoleApprover       Role = "approver"       // must approve a pledge or a payment
	RolePayer          Role = "payer"          // pays an invoice or a card charge
	RoleInvitee        Role = "invitee"        // invited to join a pool
)

// Recipient is one person who hears about an event, and why.
type Recipient struct {
	UserID string // "" for an address without an account (invitations)
	Email  string // that address
	Role   Role
	// Pledge is the pledge that makes them a member, for pool events.
	Pledge *pooling.Pledge
	// Released is set when the event released their pledge (not counted at confirmation).
	Released bool
	// Waiting is set when their pledge still waits for approval as the pool confirms.
	Waiting bool
}

// Facts is what the wording of an event may use, read from the store when the task runs.
type Facts struct {
	kind       Kind // the event's kind, for wordings shared by several kinds
	Pool       pooling.Pool
	Pledge     pooling.Pledge
	Session    int
	InvoiceID  string
	Invoice    InvoiceFacts
	Message    PoolMessage
	Invitation Invitation
}

// kindSpec is one row of the table of kinds.
type kindSpec struct {
	Kind  Kind
	Label string // for the preferences page, completing "Tell me when ..."
	Who   string // who receives it, in plain English
	// Security messages always come by email and carry no unsubscribe link: they warn of
	// money moved or about to be lost, where silence could hide a mistake or misuse.
	Security bool
	Default  Channel
	word     func(f Facts, r Recipient) Text
}

// kinds is the table of every kind of notification, in the order the preferences page
// lists them.
var kinds = []kindSpec{
	{KindPoolConfirmed, "a pool is confirmed and going ahead", "Everyone with a pledge in the pool, its organisers and its provider", false, ChannelEmail, wordPoolConfirmed},
	{KindPoolFailed, "a pool did not reach enough people and closed", "Everyone with a pledge in the pool, its organisers and its provider", false, ChannelEmail, wordPoolEnded},
	{KindPoolCancelled, "a pool is called off", "Everyone with a pledge in the pool, its organisers and its provider", false, ChannelEmail, wordPoolEnded},
	{KindMinimumReached, "a pool has enough people to go ahead", "Its organisers and everyone with a pledge in it", false, ChannelEmail, wordMinimumReached},
	{KindSessionReminder, "a session is coming up (the day before)", "Everyone taking part in the session", false, ChannelEmail, wordSessionReminder},
	{KindSessionDelivered, "a session is recorded as delivered", "Everyone who took part in the session", false, ChannelInbox, wordSessionDelivered},
	{KindApprovalNeeded, "a pledge waits for my approval", "The people who can approve it: the ISF provider, the council's commissioners, the other trustees, or the budget holder", false, ChannelEmail, wordApprovalNeeded},
	{KindApprovalsReminder, "a pool waits for approvals after its deadline", "The people who can approve its waiting pledges", false, ChannelEmail, wordApprovalsReminder},
	{KindPledgeApproved, "a pledge I made, or that was made for me, is approved", "Whoever made the pledge and the budget holder", false, ChannelEmail, wordPledgeApproved},
	{KindPledgeDeclined, "a pledge I made, or that was made for me, is declined", "Whoever made the pledge and the budget holder", false, ChannelEmail, wordPledgeDeclined},
	{KindMemberJoined, "someone joins a pool I organise", "The pool's organisers", false, ChannelInbox, wordMemberJoined},
	{KindMemberWithdrew, "someone leaves a pool I organise", "The pool's organisers", false, ChannelEmail, wordMemberWithdrew},
	{KindNoticeEnding, "my notice to leave a pool is ending", "Whoever gave notice and the budget holder", false, ChannelEmail, wordNoticeEnding},
	{KindPoolMessage, "the organisers of my pool send a message", "Everyone with a pledge in the pool", false, ChannelEmail, wordPoolMessage},
	{KindInvited, "I am invited to join a pool", "The people the organisers invite", false, ChannelEmail, wordInvited},
	{KindInvoiceIssued, "an invoice is issued to me or my organisation", "Whoever pays the invoice", false, ChannelEmail, wordInvoice},
	{KindInvoiceOverdue, "an invoice I pay is overdue", "Whoever pays the invoice", false, ChannelEmail, wordInvoice},
	{KindInvoicePaid, "an invoice my organisation issued is paid", "The provider's members", false, ChannelEmail, wordInvoice},
	{KindChargeFailed, "a card payment for my pledge failed", "Whoever pays the pledge", true, ChannelEmail, wordChargeFailed},
	{KindPledgeLapsed, "my place was released because a card payment was not made", "Whoever made the pledge and the budget holder", true, ChannelEmail, wordPledgeLapsed},
	{KindSharesChanged, "someone's place in my pool was released and the shares changed", "Everyone still in the pool and its organisers", false, ChannelEmail, wordSharesChanged},
	{KindPaymentNeedsApproval, "a payment someone else recorded needs my approval", "The paying organisation's other members", true, ChannelEmail, wordInvoice},
}

// kindInfo returns the row of a kind.
func kindInfo(k Kind) (kindSpec, bool) {
	for _, s := range kinds {
		if s.Kind == k {
			return s, true
		}
	}
	return kindSpec{}, false
}

// Kinds lists every kind of notification, in the preferences page's order.
func Kinds() []Kind {
	out := make([]Kind, len(kinds))
	for i, s := range kinds {
		out[i] = s.Kind
	}
	return out
}

// Word returns the wording of a kind of notification for one recipient.
func Word(k Kind, f Facts, r Recipient) Text {
	info, ok := kindInfo(k)
	if !ok {
		return Text{}
	}
	f.kind = k
	return info.word(f, r)
}
