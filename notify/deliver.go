package notify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// deliveryKey names one person's notification of one event: the inbox entry's id and
// the email's key are made from it, so a retry or a second server copy finds them made.
func deliveryKey(owner string, k Kind, ref string) string {
	sum := sha256.Sum256([]byte(owner + "\x00" + string(k) + "\x00" + ref))
	return hex.EncodeToString(sum[:16])
}

// build turns the recipients of an event into inbox entries and emails, as each one's
// preferences allow. Email goes only to an address its owner has confirmed (an address
// nobody proved is not known to be the person's, and pool news would tell a stranger who
// is in which pool); an invitation goes to the address the organiser gave.
func (s *Service) build(ctx context.Context, ev Event, f Facts, rs []Recipient) (Delivery, error) {
	var d Delivery
	if len(rs) == 0 {
		return d, nil
	}
	var ids, owners []string
	for _, r := range rs {
		if r.UserID != "" {
			ids = append(ids, r.UserID)
			owners = append(owners, r.UserID)
		} else {
			owners = append(owners, AddressOwner(r.Email))
		}
	}
	users, err := s.people.UsersByID(ctx, ids)
	if err != nil {
		return d, fmt.Errorf("read recipients: %w", err)
	}
	prefs, err := s.store.Preferences(ctx, owners)
	if err != nil {
		return d, fmt.Errorf("read preferences: %w", err)
	}
	info, _ := kindInfo(ev.Kind)
	now := s.now()
	for i, r := range rs {
		owner := owners[i]
		ch := prefs[owner].Channel(ev.Kind)
		if ch == ChannelOff {
			continue
		}
		text := Word(ev.Kind, f, r)
		key := deliveryKey(owner, ev.Kind, ev.Ref)
		to, name := r.Email, ""
		if r.UserID != "" {
			u, ok := users[r.UserID]
			if !ok {
				continue // the account is gone
			}
			d.Notifications = append(d.Notifications, Notification{ID: "n-" + key, UserID: u.ID, Kind: ev.Kind, Ref: ev.Ref,
				Title: text.Title, Body: text.Body(), Link: text.Path, CreatedAt: now})
			if ch != ChannelEmail || u.EmailVerifiedAt == nil || u.Email == "" {
				continue
			}
			to, name = u.Email, u.Name
		}
		e := Email{Key: "notify-" + key, Kind: ev.Kind, UserID: r.UserID, To: to, Name: name, Text: text}
		e.Text.InboxOnly = "" // never emailed
		if !info.Security {
			tok, err := s.tokens.token(ctx, owner, ev.Kind)
			if err != nil {
				return d, err
			}
			e.Unsubscribe = "/unsubscribe/" + tok
		}
		d.Emails = append(d.Emails, e)
	}
	return d, nil
}
