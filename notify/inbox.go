package notify

import (
	"context"
	"encoding/base64"
	"fmt"
	"maps"
	"strconv"
	"strings"
	"time"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace/account"
)

// Inbox page sizes.
const (
	DefaultInboxLimit = 20
	MaxInboxLimit     = 100
)

// InboxPage is one page of a person's inbox, newest first.
type InboxPage struct {
	Items      []Notification `json:"items"`
	Unread     int64          `json:"unread"`                // unread notifications in the whole inbox
	NextCursor string         `json:"next_cursor,omitempty"` // the next (older) page; absent on the last
}

var errBadCursor = apperr.InvalidFields(apperr.FieldError{Field: "cursor", Message: "is not a cursor we gave"})

func encodeCursor(n Notification) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(n.CreatedAt.UnixMilli(), 10) + ":" + n.ID))
}

func decodeCursor(s string) (Cursor, error) {
	if s == "" {
		return Cursor{}, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(raw) > 200 {
		return Cursor{}, errBadCursor
	}
	ms, id, ok := strings.Cut(string(raw), ":")
	n, err := strconv.ParseInt(ms, 10, 64)
	if !ok || err != nil || id == "" {
		return Cursor{}, errBadCursor
	}
	return Cursor{CreatedAt: time.UnixMilli(n).UTC(), ID: id}, nil
}

// Inbox returns a page of the caller's notifications, newest first, after cursor ("" for
// the first page); limit 0 means the default.
func (s *Service) Inbox(ctx context.Context, cursor string, limit int) (InboxPage, error) {
	a := account.ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return InboxPage{}, err
	}
	switch {
	case limit == 0:
		limit = DefaultInboxLimit
	case limit < 1 || limit > MaxInboxLimit:
		return InboxPage{}, apperr.InvalidFields(apperr.FieldError{Field: "limit", Message: fmt.Sprintf("must be a whole number from 1 to %d", MaxInboxLimit)})
	}
	after, err := decodeCursor(cursor)
	if err != nil {
		return InboxPage{}, err
	}
	// One more than asked, to know whether there is a next page.
	ns, err := s.store.Notifications(ctx, a.UserID, after, limit+1)
	if err != nil {
		return InboxPage{}, fmt.Errorf("inbox: %w", err)
	}
	p := InboxPage{Items: ns}
	if len(ns) > limit {
		p.Items = ns[:limit]
		p.NextCursor = encodeCursor(ns[limit-1])
	}
	if p.Unread, err = s.store.UnreadCount(ctx, a.UserID); err != nil {
		return InboxPage{}, fmt.Errorf("inbox: %w", err)
	}
	return p, nil
}

// UnreadCount counts the caller's unread notifications (0 for nobody logged in).
func (s *Service) UnreadCount(ctx context.Context) (int64, error) {
	a := account.ActorFrom(ctx)
	if a.Anonymous() {
		return 0, nil
	}
	return s.store.UnreadCount(ctx, a.UserID)
}

// MarkRead marks one of the caller's notifications read: NotFound for anyone else's.
func (s *Service) MarkRead(ctx context.Context, id string) error {
	a := account.ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return err
	}
	if id == "" || len(id) > 100 {
		return ErrNotificationNotFound
	}
	return s.store.MarkRead(ctx, a.UserID, id, s.now())
}

// MarkAllRead marks every notification of the caller read and counts those that were not.
func (s *Service) MarkAllRead(ctx context.Context) (int64, error) {
	a := account.ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return 0, err
	}
	return s.store.MarkAllRead(ctx, a.UserID, s.now())
}

// Preferences returns the caller's preferences, every kind listed.
func (s *Service) Preferences(ctx context.Context) (PreferencesView, error) {
	a := account.ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return PreferencesView{}, err
	}
	ps, err := s.store.Preferences(ctx, []string{a.UserID})
	if err != nil {
		return PreferencesView{}, fmt.Errorf("preferences: %w", err)
	}
	p := ps[a.UserID]
	p.Owner = a.UserID
	return preferencesView(p), nil
}

// SetPreferences replaces the caller's preferences if they are still at version (the
// ETag last read; 0 before the first save). Kinds left out go back to their default.
func (s *Service) SetPreferences(ctx context.Context, version int64, in PreferencesInput) (PreferencesView, error) {
	a := account.ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return PreferencesView{}, err
	}
	if err := in.Validate(); err != nil {
		return PreferencesView{}, err
	}
	p := Preferences{Owner: a.UserID, Channels: maps.Clone(in.Channels), UpdatedAt: s.now()}
	if p.Channels == nil {
		p.Channels = map[Kind]Channel{}
	}
	saved, err := s.store.SavePreferences(ctx, p, version)
	if err != nil {
		return PreferencesView{}, err
	}
	return preferencesView(saved), nil
}

// Failure is a "notify" task that keeps failing: what administrators see.
type Failure struct {
	TaskID    string    `json:"task_id"`
	Ref       string    `json:"ref"`
	Attempts  int       `json:"attempts"`
	LastError string    `json:"last_error"`
	CreatedAt time.Time `json:"created_at"`
	NextTryAt time.Time `json:"next_try_at"`
}

// Failures lists the tasks that failed at least three times and are still being retried
// (administrators only).
func (s *Service) Failures(ctx context.Context) ([]Failure, error) {
	a := account.ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return nil, err
	}
	if !a.IsAdmin() {
		return nil, apperr.Forbiddenf("Only platform administrators can see failed notifications.")
	}
	fs, err := s.store.Failures(ctx, failureThreshold, maxFailuresShown)
	if err != nil {
		return nil, fmt.Errorf("notify failures: %w", err)
	}
	return fs, nil
}
