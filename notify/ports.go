package notify

import (
	"context"
	"time"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/pooling"
)

// Errors the Store returns (possibly wrapped).
var (
	ErrNotificationNotFound = apperr.NotFoundf("notification")
	ErrMessageNotFound      = apperr.NotFoundf("message")
	ErrInvitationNotFound   = apperr.NotFoundf("invitation")
)

// Store keeps notifications, preferences, pool messages and invitations. infra/store
// implements it on the MongoDB API (notify*.go).
type Store interface {
	// Deliver writes the notifications and queues the emails (in the mail outbox, with a
	// send task each) in one transaction. A notification or email whose key exists
	// already is left as it is, so delivering the same thing twice, even at once from two
	// server copies, writes it once.
	Deliver(ctx context.Context, d Delivery) (Delivered, error)
	// Notifications returns a person's notifications, newest first, starting after the
	// cursor (the zero Cursor: from the newest), at most limit.
	Notifications(ctx context.Context, userID string, after Cursor, limit int) ([]Notification, error)
	// UnreadCount counts a person's unread notifications.
	UnreadCount(ctx context.Context, userID string) (int64, error)
	// MarkRead marks one of a person's notifications read (again is fine):
	// ErrNotificationNotFound, also when it is someone else's.
	MarkRead(ctx context.Context, userID, id string, at time.Time) error
	// MarkAllRead marks every unread notification of a person read and counts them.
	MarkAllRead(ctx context.Context, userID string, at time.Time) (int64, error)
	// PurgeNotifications deletes notifications created before a time, so the inbox
	// collection stays bounded.
	PurgeNotifications(ctx context.Context, before time.Time) (int64, error)

	// Preferences returns the saved preferences of owners (a user id, or an address
	// owner from AddressOwner) that have any, keyed by owner.
	Preferences(ctx context.Context, owners []string) (map[string]Preferences, error)
	// SavePreferences replaces an owner's preferences if their stored version is still
	// expectVersion (0: none saved yet) and returns them with the next version:
	// apperr.ErrVersionMismatch.
	SavePreferences(ctx context.Context, p Preferences, expectVersion int64) (Preferences, error)
	// SetChannel sets one kind's channel of an owner, whatever the version (one-click
	// unsubscribe), and bumps the version.
	SetChannel(ctx context.Context, owner string, kind Kind, ch Channel, at time.Time) error

	// CreateMessage stores a pool message and its "message:<id>" task in one transaction.
	CreateMessage(ctx context.Context, m PoolMessage) error
	// Message returns a pool message: ErrMessageNotFound.
	Message(ctx context.Context, id string) (PoolMessage, error)
	// Messages returns a pool's messages, newest first, at most limit.
	Messages(ctx context.Context, poolID string, limit int) ([]PoolMessage, error)

	// CreateInvitations stores the invitations not already made (same id) with an
	// "invitation:<id>" task each, in one transaction, and counts the new ones.
	CreateInvitations(ctx context.Context, invs []Invitation) (int, error)
	// Invitation returns an invitation: ErrInvitationNotFound.
	Invitation(ctx context.Context, id string) (Invitation, error)
	// InvitationsSince counts the invitations a person made since a time.
	InvitationsSince(ctx context.Context, by string, since time.Time) (int64, error)

	// EnqueueOnce records a "notify" task for ref unless one was ever recorded for it,
	// in one transaction, and reports whether it did (the reminder job's memory).
	EnqueueOnce(ctx context.Context, ref string, at time.Time) (bool, error)
	// PoolsWithSessionsBetween returns the confirmed pools with a scheduled session
	// starting in [from, to).
	PoolsWithSessionsBetween(ctx context.Context, from, to time.Time) ([]pooling.Pool, error)
	// Secret returns the named random secret, made on first use and shared by every
	// server copy through the store.
	Secret(ctx context.Context, name string) ([]byte, error)
	// Failures lists the "notify" tasks that failed at least minAttempts times and are
	// still being retried, most attempts first, at most limit.
	Failures(ctx context.Context, minAttempts, limit int) ([]Failure, error)

	// PersonalData returns a person's notifications, saved preferences and the pool
	// messages they wrote.
	PersonalData(ctx context.Context, userID string) (PersonalData, error)
	// ErasePersonalData deletes a person's notifications and preferences and replaces
	// the words of the pool messages they wrote with removed, through ctx (the caller's
	// transaction); running it again changes nothing more.
	ErasePersonalData(ctx context.Context, userID, removed string) error
}

// Cursor is a position in a person's inbox: the last notification of the page before.
type Cursor struct {
	CreatedAt time.Time
	ID        string
}

// Task is one "notify" outbox task.
type Task struct {
	ID       string
	Ref      string
	Attempts int // failed attempts so far
}

// Outbox is the queue of "notify" tasks (the store's outbox, adapted by infra/store).
type Outbox interface {
	// Claim leases up to n due tasks, oldest first; a task whose lease ran out is due again.
	Claim(ctx context.Context, n int, lease time.Duration) ([]Task, error)
	// Done removes a task whose delivery committed.
	Done(ctx context.Context, t Task) error
	// Retry releases a failed task to be claimed again after backoff, recording the cause.
	Retry(ctx context.Context, t Task, cause error, backoff time.Duration) error
}

// Pools reads pools, pledges and budgets as stored, for the platform (no caller is
// checked: the worker decides who hears what). *store.Pooling implements it.
type Pools interface {
	// Pool returns a pool: pooling.ErrPoolNotFound.
	Pool(ctx context.Context, id string) (pooling.Pool, error)
	// PoolPledges returns every pledge of a pool, in arrival order.
	PoolPledges(ctx context.Context, poolID string) ([]pooling.Pledge, error)
	// Pledge returns a pledge: pooling.ErrPledgeNotFound.
	Pledge(ctx context.Context, id string) (pooling.Pledge, error)
	// Budget returns a budget record: pooling.ErrBudgetNotFound.
	Budget(ctx context.Context, id string) (pooling.Budget, error)
}

// People reads accounts, organisation members and delegations. *store.Accounts
// implements it.
type People interface {
	// UsersByID returns the users that exist among ids, keyed by id.
	UsersByID(ctx context.Context, ids []string) (map[string]account.User, error)
	// UserByEmail returns the user with a normalised email: account.ErrUserNotFound.
	UserByEmail(ctx context.Context, email string) (account.User, error)
	// Members returns an organisation's members.
	Members(ctx context.Context, orgID string) ([]account.Member, error)
	// DelegationsByHolder returns the delegations a holder granted, revoked ones included.
	DelegationsByHolder(ctx context.Context, holderID string) ([]account.Delegation, error)
}

// PoolAccess is how the API checks what a caller may do with a pool: *pooling.Service,
// whose Pool answers NotFound to those who may not see it and lists the caller's roles.
type PoolAccess interface {
	Pool(ctx context.Context, id string) (pooling.PoolView, error)
}

// Invoices reads what an invoice notification needs (infra/store's NotifyInvoices, from
// pooling's invoices). Without it, invoice tasks wait in the outbox, shown as failures.
type Invoices interface {
	// InvoiceFacts returns an invoice's facts, or a NotFound error.
	InvoiceFacts(ctx context.Context, invoiceID string) (InvoiceFacts, error)
}

// PayerKind says who pays an invoice.
type PayerKind string

// The payers of an invoice.
const (
	PayerOrganisation PayerKind = "organisation" // an ISF provider, a council, a trust, a brokerage
	PayerUser         PayerKind = "user"         // the budget holder (or their representative) pays
)

// InvoiceFacts is what a notification says about an invoice, and who hears about it.
type InvoiceFacts struct {
	Number         string
	PoolID         string // the pool it bills, if any
	ProviderOrgID  string
	PayerKind      PayerKind
	PayerID        string // an organisation id or a user id
	TotalPence     int64  // the invoice's total
	AmountDuePence int64  // what is still to pay
	DueDate        time.Time
	// RecordedBy is who recorded a payment waiting for approval (they do not approve
	// it), and PendingPaymentPence its amount.
	RecordedBy          string
	PendingPaymentPence int64
}
