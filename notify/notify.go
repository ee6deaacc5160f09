// Package notify tells people what happened: an in-app inbox that holds every
// notification, read or unread, and an email for each one the person's preferences
// allow, with one-click unsubscribe on everything but security messages.
//
// The changes that cause notifications (a pool confirmed, a pledge approved, an invoice
// issued, ...) record an outbox task on topic "notify" in the same transaction as the
// change, naming what happened ("pool:<id>:confirmed"). The Worker claims those tasks,
// reads who must hear about it from the store as it is now, and writes one inbox
// notification per person and queues their emails in the mail outbox, all in one store
// transaction keyed by (person, kind, reference): a retry, or a second server copy
// working on the same task, never creates a notification or an email twice.
//
// Every message says in plain English what happened, what it means for the person and
// what, if anything, to do, with one link back to the site. Messages name no other
// person and carry no health or disability details; words someone typed (a pool
// message, a reason for declining) appear in the inbox only, never in an email.
package notify

import (
	"time"
)

// Kind is one kind of notification.
type Kind string

// The kinds of notification. kinds (kinds.go) says who receives each, whether it is a
// security message and how it is worded.
const (
	KindPoolConfirmed        Kind = "pool-confirmed"
	KindPoolFailed           Kind = "pool-failed"
	KindPoolCancelled        Kind = "pool-cancelled"
	KindMinimumReached       Kind = "minimum-reached"
	KindApprovalsReminder    Kind = "approvals-reminder"
	KindApprovalNeeded       Kind = "approval-needed"
	KindPledgeApproved       Kind = "pledge-approved"
	KindPledgeDeclined       Kind = "pledge-declined"
	KindMemberJoined         Kind = "member-joined"
	KindMemberWithdrew       Kind = "member-withdrew"
	KindNoticeEnding         Kind = "notice-ending"
	KindSessionReminder      Kind = "session-reminder"
	KindSessionDelivered     Kind = "session-delivered"
	KindChargeFailed         Kind = "charge-failed"
	KindPledgeLapsed         Kind = "pledge-lapsed"  // a card pledge's place was released: its payment failed and was not made in time
	KindSharesChanged        Kind = "shares-changed" // someone's place was released and the others' shares were recomputed
	KindInvoiceIssued        Kind = "invoice-issued"
	KindInvoiceOverdue       Kind = "invoice-overdue"
	KindInvoicePaid          Kind = "invoice-paid"
	KindPaymentNeedsApproval Kind = "payment-needs-approval"
	KindInvited              Kind = "invited"
	KindPoolMessage          Kind = "pool-message"
)

// Channel is how a person wants to hear about one kind of notification.
type Channel string

// The channels. Security messages always use ChannelEmail.
const (
	ChannelEmail Channel = "email" // in the inbox and by email
	ChannelInbox Channel = "inbox" // in the inbox only
	ChannelOff   Channel = "off"   // not at all
)

// Notification is one entry of a person's inbox.
type Notification struct {
	ID        string     `json:"id"`
	UserID    string     `json:"-"`
	Kind      Kind       `json:"kind"`
	Ref       string     `json:"ref"`   // what it is about, e.g. "pool:<id>:confirmed"
	Title     string     `json:"title"` // one line
	Body      string     `json:"body"`  // what happened, what it means, what to do
	Link      string     `json:"link"`  // a path on the site
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at"`
}

// Text is one notification's wording for one person: the inbox entry and the email are
// both built from it, so they never say different things.
type Text struct {
	Title    string // the inbox title and the email's subject
	Happened string // what happened
	Means    string // what it means for the person
	Todo     string // what, if anything, to do
	LinkText string // the words of the one link
	Path     string // the one link, a path on the site (BASE_URL is put in front in emails)
	// InboxOnly is text someone typed (a pool message, a reason for declining): shown in
	// the inbox, where only the signed-in person reads it, and never emailed.
	InboxOnly string
}

// Body is the inbox text: the three sentences, then anything for the inbox only.
func (t Text) Body() string {
	body := t.Happened
	for _, s := range []string{t.Means, t.Todo} {
		if s != "" {
			body += " " + s
		}
	}
	if t.InboxOnly != "" {
		body += "\n\n" + t.InboxOnly
	}
	return body
}

// Email is one queued email of a notification, written to the mail outbox in the same
// transaction as the inbox entries.
type Email struct {
	Key    string // unique per message and stable across retries
	Kind   Kind
	UserID string // "" for an invitation to an address without an account
	To     string
	Name   string // the recipient's own name, for the greeting
	Text   Text
	// Unsubscribe is the path of the one-click unsubscribe link ("" for security
	// messages, which cannot be turned off).
	Unsubscribe string
}

// Delivery is everything one task produces, written in one transaction.
type Delivery struct {
	Notifications []Notification
	Emails        []Email
}

// Delivered counts what a Deliver call newly wrote (the rest existed already).
type Delivered struct {
	Notifications int
	Emails        int
}
