package notify

import (
	"encoding/json"
	"os"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/carepool/carepool/infra/apperr"
)

func TestPreferencesChooseTheChannel(t *testing.T) {
	t.Parallel()
	p := Preferences{Channels: map[Kind]Channel{
		KindPoolConfirmed: ChannelOff,
		KindMemberJoined:  ChannelEmail,
		KindChargeFailed:  ChannelOff, // stored somehow: a security message still goes
	}}
	tests := []struct {
		kind Kind
		want Channel
	}{
		{KindPoolConfirmed, ChannelOff},          // the person's choice
		{KindMemberJoined, ChannelEmail},         // the person's choice over an inbox default
		{KindSessionDelivered, ChannelInbox},     // the default
		{KindPoolFailed, ChannelEmail},           // the default
		{KindChargeFailed, ChannelEmail},         // security: always email
		{KindPaymentNeedsApproval, ChannelEmail}, // security: always email
		{Kind("no-such-kind"), ChannelOff},       // unknown: never sent
	}
	for _, tt := range tests {
		if got := p.Channel(tt.kind); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.kind, got, tt.want)
		}
	}
}

func TestPreferencesInputNamesEveryFieldAtFault(t *testing.T) {
	t.Parallel()
	in := PreferencesInput{Channels: map[Kind]Channel{
		KindPoolConfirmed: ChannelInbox,   // fine
		KindChargeFailed:  ChannelInbox,   // security
		Kind("nonsense"):  ChannelEmail,   // unknown kind
		KindInvited:       Channel("sms"), // unknown channel
	}}
	e, ok := apperr.As(in.Validate())
	if !ok {
		t.Fatal("no validation error")
	}
	var fields []string
	for _, f := range e.Fields {
		fields = append(fields, f.Field)
	}
	want := []string{"channels.charge-failed", "channels.invited", "channels.nonsense"}
	if diff := cmp.Diff(want, fields); diff != "" {
		t.Errorf("fields at fault (-want +got):\n%s", diff)
	}
	if err := (PreferencesInput{Channels: map[Kind]Channel{KindChargeFailed: ChannelEmail, KindInvited: ChannelOff}}).Validate(); err != nil {
		t.Errorf("valid input refused: %v", err)
	}
}

func TestPreferencesViewListsEveryKindOnce(t *testing.T) {
	t.Parallel()
	v := preferencesView(Preferences{Channels: map[Kind]Channel{KindInvited: ChannelOff}})
	var got []Kind
	for _, item := range v.Items {
		got = append(got, item.Kind)
		if item.Security == item.Unsubscribe {
			t.Errorf("%s: security %v but unsubscribe %v", item.Kind, item.Security, item.Unsubscribe)
		}
		if item.Label == "" || item.Who == "" {
			t.Errorf("%s has no label or no audience", item.Kind)
		}
	}
	if diff := cmp.Diff(Kinds(), got); diff != "" {
		t.Errorf("kinds (-want +got):\n%s", diff)
	}
	if v.Items[slices.Index(got, KindInvited)].Channel != ChannelOff {
		t.Error("the person's choice is not shown")
	}
}

func TestOpenAPIListsEveryKind(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Components struct {
			Schemas struct {
				NotificationKind struct {
					Enum []Kind `json:"enum"`
				}
			}
		}
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	got := doc.Components.Schemas.NotificationKind.Enum
	want := Kinds()
	slices.Sort(got)
	slices.Sort(want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("NotificationKind enum (-kinds +openapi):\n%s", diff)
	}
}

func TestAddressOwnerIgnoresCaseAndSpaces(t *testing.T) {
	t.Parallel()
	if AddressOwner(" Ann@Example.org ") != AddressOwner("ann@example.org") {
		t.Error("one mailbox, two owners")
	}
	if AddressOwner("ann@example.org") == AddressOwner("bob@example.org") {
		t.Error("two mailboxes, one owner")
	}
}
