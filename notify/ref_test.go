package notify

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseRefNamesTheKindAndSubject(t *testing.T) {
	t.Parallel()
	id := "0b5e6a8e-5d1c-4c86-9c38-1e2f0a7b9c10"
	tests := []struct {
		ref  string
		want Event
	}{
		{"pool:" + id + ":confirmed", Event{Kind: KindPoolConfirmed, Subject: id}},
		{"pool:" + id + ":failed", Event{Kind: KindPoolFailed, Subject: id}},
		{"pool:" + id + ":cancelled", Event{Kind: KindPoolCancelled, Subject: id}},
		{"pool:" + id + ":minimum-reached", Event{Kind: KindMinimumReached, Subject: id}},
		{"pool:" + id + ":approvals-reminder", Event{Kind: KindApprovalsReminder, Subject: id}},
		{"pool:" + id + ":session:3:reminder", Event{Kind: KindSessionReminder, Subject: id, Session: 3}},
		{"pool:" + id + ":session:0:delivered", Event{Kind: KindSessionDelivered, Subject: id}},
		{"pledge:" + id + ":approval-needed", Event{Kind: KindApprovalNeeded, Subject: id}},
		{"pledge:" + id + ":approved", Event{Kind: KindPledgeApproved, Subject: id}},
		{"pledge:" + id + ":declined", Event{Kind: KindPledgeDeclined, Subject: id}},
		{"pledge:" + id + ":joined", Event{Kind: KindMemberJoined, Subject: id}},
		{"pledge:" + id + ":withdrawn", Event{Kind: KindMemberWithdrew, Subject: id}},
		{"pledge:" + id + ":notice-ending", Event{Kind: KindNoticeEnding, Subject: id}},
		{"pledge:" + id + ":charge-failed", Event{Kind: KindChargeFailed, Subject: id}},
		{"invoice:" + id + ":issued", Event{Kind: KindInvoiceIssued, Subject: id}},
		{"invoice:" + id + ":overdue", Event{Kind: KindInvoiceOverdue, Subject: id}},
		{"invoice:" + id + ":paid", Event{Kind: KindInvoicePaid, Subject: id}},
		{"invoice:" + id + ":payment-needs-approval", Event{Kind: KindPaymentNeedsApproval, Subject: id}},
		{"message:" + id, Event{Kind: KindPoolMessage, Subject: id}},
		{"invitation:inv-0123abcd", Event{Kind: KindInvited, Subject: "inv-0123abcd"}},
	}
	for _, tt := range tests {
		got, err := ParseRef(tt.ref)
		if err != nil {
			t.Errorf("%s: %v", tt.ref, err)
			continue
		}
		tt.want.Ref = tt.ref
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.ref, diff)
		}
	}
}

func TestParseRefRefusesWhatIsNotAReference(t *testing.T) {
	t.Parallel()
	for _, ref := range []string{"", "pool", "pool:", "pool:x", "pool:x:exploded", "pledge:x:confirmed", "offer:x:confirmed",
		"pool:x:session:-1:reminder", "pool:x:session:01:reminder", "pool:x:session:1:failed", "pool:x:session:a:reminder",
		"pool:a/b:confirmed", "pool:x:confirmed:extra", "message:x:y", "invoice::issued", "pool:" + strings.Repeat("a", 65) + ":confirmed"} {
		if ev, err := ParseRef(ref); err == nil {
			t.Errorf("%q parsed as %+v", ref, ev)
		}
	}
}

func FuzzParseRef(f *testing.F) {
	for _, s := range []string{"pool:p1:confirmed", "pool:p1:session:2:reminder", "message:m1", "invoice:i:paid", "a:b:c:d:e"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, ref string) {
		ev, err := ParseRef(ref)
		if err != nil {
			return
		}
		// Whatever parses names a known kind and a well-formed subject, and its own ref.
		if _, ok := kindInfo(ev.Kind); !ok || !validID(ev.Subject) || ev.Ref != ref || ev.Session < 0 {
			t.Fatalf("%q parsed as %+v", ref, ev)
		}
	})
}
