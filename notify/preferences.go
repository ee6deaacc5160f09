package notify

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"time"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace/account"
)

// Preferences are one person's choices of channel per kind of notification. A kind not
// in Channels takes its default (see kinds). Owner is a user id, or, for an address
// without an account that unsubscribed from invitations, AddressOwner(email).
type Preferences struct {
	Owner     string
	Channels  map[Kind]Channel
	Version   int64 // 0: never saved
	UpdatedAt time.Time
}

// Channel returns the channel a kind of notification goes by for this person: security
// messages always by email, otherwise the person's choice or the kind's default.
func (p Preferences) Channel(k Kind) Channel {
	info, ok := kindInfo(k)
	if !ok {
		return ChannelOff
	}
	if info.Security {
		return ChannelEmail
	}
	if ch, ok := p.Channels[k]; ok {
		return ch
	}
	return info.Default
}

// PreferencesInput is what a person sends to change their preferences: a channel per
// kind. Kinds left out go back to their default.
type PreferencesInput struct {
	Channels map[Kind]Channel `json:"channels"`
}

// Validate reports every field at fault: unknown kinds or channels, and security
// messages set to anything but email.
func (in PreferencesInput) Validate() error {
	var f apperr.Fields
	kinds := make([]Kind, 0, len(in.Channels))
	for k := range in.Channels {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	for _, k := range kinds {
		ch, field := in.Channels[k], "channels."+string(k)
		info, ok := kindInfo(k)
		switch {
		case !ok:
			f.Add(field, "is not a kind of notification")
		case ch != ChannelEmail && ch != ChannelInbox && ch != ChannelOff:
			f.Add(field, "must be email, inbox or off")
		case info.Security && ch != ChannelEmail:
			f.Add(field, "is a security message: it always comes by email, so it cannot be changed")
		}
	}
	return f.Err()
}

// AddressOwner is the owner of the preferences of an email address without an account:
// a hash, so that the preferences do not keep the address itself.
func AddressOwner(email string) string {
	sum := sha256.Sum256([]byte(account.NormaliseEmail(email)))
	return "address:" + hex.EncodeToString(sum[:16])
}

// PreferenceView is one row of a person's preferences: a kind, in words, and its channel.
type PreferenceView struct {
	Kind        Kind    `json:"kind"`
	Label       string  `json:"label"`       // "A pool you are in is confirmed"
	Who         string  `json:"who"`         // who receives it
	Security    bool    `json:"security"`    // always by email; cannot be changed
	Default     Channel `json:"default"`     // the channel when not chosen
	Channel     Channel `json:"channel"`     // the channel in force
	Unsubscribe bool    `json:"unsubscribe"` // emails carry a one-click unsubscribe link
}

// PreferencesView is a person's preferences, every kind listed.
type PreferencesView struct {
	Items   []PreferenceView `json:"items"`
	Version int64            `json:"version"`
}

func preferencesView(p Preferences) PreferencesView {
	v := PreferencesView{Version: p.Version, Items: make([]PreferenceView, 0, len(kinds))}
	for _, info := range kinds {
		v.Items = append(v.Items, PreferenceView{Kind: info.Kind, Label: info.Label, Who: info.Who,
			Security: info.Security, Default: info.Default, Channel: p.Channel(info.Kind), Unsubscribe: !info.Security})
	}
	return v
}
