package frontend

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/notify"
)

// The pages of notifications: the inbox, email settings, a pool's messages and the
// unsubscribe page an email's link opens.

// Notifications is what these pages need of the notify service. Errors are apperr errors.
type Notifications interface {
	Inbox(ctx context.Context, cursor string, limit int) (notify.InboxPage, error)
	MarkRead(ctx context.Context, id string) error
	MarkAllRead(ctx context.Context) (int64, error)
	Preferences(ctx context.Context) (notify.PreferencesView, error)
	SetPreferences(ctx context.Context, version int64, in notify.PreferencesInput) (notify.PreferencesView, error)
	PostMessage(ctx context.Context, poolID string, in notify.MessageInput) (notify.PoolMessage, error)
	PoolMessages(ctx context.Context, poolID string) ([]notify.PoolMessage, error)
	Invite(ctx context.Context, poolID string, in notify.InvitationInput) (notify.InvitationResult, error)
	CheckUnsubscribe(ctx context.Context, token string) (notify.UnsubscribeView, error)
	Unsubscribe(ctx context.Context, token string) (notify.UnsubscribeView, error)
}

var _ Notifications = (*notify.Service)(nil)

// registerNotify mounts the notification pages; without a notify service there are none.
func (h *Handler) registerNotify(e *echo.Echo, get, post func(path, name string, fn echo.HandlerFunc)) {
	if h.notify == nil {
		return
	}
	get("/inbox", "inbox", h.inbox)
	post("/inbox/read-all", "inbox-read-all", h.inboxReadAll)
	post("/inbox/:id/read", "inbox-read", h.inboxRead)
	get("/account/notifications", "notification-preferences", h.notificationPreferences)
	post("/account/notifications", "notification-preferences", h.saveNotificationPreferences)
	get("/unsubscribe/:token", "unsubscribe", h.unsubscribeForm)
	// One-click unsubscribe (RFC 8058): mail programs post here with no cookie and no
	// form token, so this route skips the CSRF check. The signed token in the path is
	// the whole authority, and all it can do is stop one kind of email.
	e.Add(http.MethodPost, "/unsubscribe/:token", h.unsubscribe, h.pageHeaders).Name = routeNamePrefix + "unsubscribe"
	if h.pools != nil {
		get("/pools/:id/messages", "pool-messages", h.poolMessages)
		post("/pools/:id/messages", "pool-messages", h.postPoolMessage)
		post("/pools/:id/invitations", "pool-invitations", h.postInvitations)
	}
}

func init() {
	notices["notifications-read"] = "Your notifications are marked as read."
	notices["preferences-saved"] = "Your email settings have been saved."
	notices["message-sent"] = "Your message has been sent to everyone in the pool."
}

// InboxPage is a person's notifications, newest first.
type InboxPage struct {
	Base
	Items   []InboxItem
	Unread  int64
	NextURL string // the next (older) page, "" on the last
}

func (*InboxPage) templateName() string { return "inbox" }

// InboxItem is one notification.
type InboxItem struct {
	ID         string
	Title      string
	Lines      []string // paragraphs
	Link       string
	When       string
	Unread     bool
	ReadAction string
}

// PreferencesPage is the email settings form: a channel per kind of notification.
type PreferencesPage struct {
	Base
	Version  int64
	Kinds    []PreferenceRow
	Security []PreferenceRow // always by email
}

func (*PreferencesPage) templateName() string { return "notification-preferences" }

// PreferenceRow is one kind of notification on the settings form.
type PreferenceRow struct {
	ID      string // the radios' id and name
	Legend  string // "Tell me when a pool is confirmed and going ahead"
	Who     string
	Options []Option
}

// PoolMessagesPage is a pool's messages from its organisers, with the form to send one
// for the organisers.
type PoolMessagesPage struct {
	Base
	Pool      Link
	Organiser bool
	Action    string
	Body      string // as typed, after an error
	Emails    string // the invitation form's addresses as typed, after an error
	Messages  []MessageView
}

func (*PoolMessagesPage) templateName() string { return "pool-messages" }

// MessageView is one message.
type MessageView struct {
	When  string
	Lines []string
}

// UnsubscribePage asks to confirm stopping one kind of email, then says it is done.
type UnsubscribePage struct {
	Base
	Label   string
	Account bool // an account keeps the notifications in its inbox
	Action  string
	Done    bool
}

func (*UnsubscribePage) templateName() string { return "unsubscribe" }
