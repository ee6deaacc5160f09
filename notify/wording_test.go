package notify

import (
	"strings"
	"testing"
	"time"

	"github.com/carepool/carepool/pooling"
)

// sensitiveFacts are the facts of an event with personal and health details planted
// where people type them: none may reach a notification except, for the words someone
// typed for it, the inbox-only part.
func sensitiveFacts(status pooling.Status) Facts {
	first := time.Date(2026, 12, 18, 10, 0, 0, 0, time.UTC)
	grace := time.Date(2026, 12, 21, 0, 0, 0, 0, time.UTC)
	pool := pooling.Pool{ID: "pool-1", Title: "Friday art and lunch", Description: "For people living with dementia, run by Tom Baker.",
		Status: status, Visibility: pooling.InviteOnly, InviteCode: "INVITECODE", Taken: 5, CountedK: 4,
		Pricing: pooling.Pricing{MinPeople: 3, MaxPeople: 8}, Deadline: first.AddDate(0, 0, -7), GraceUntil: &grace,
		Sessions:  []pooling.Session{{Index: 0, StartsAt: first, Status: pooling.SessionScheduled}, {Index: 1, StartsAt: first.AddDate(0, 0, 7), Status: pooling.SessionScheduled}},
		History:   []pooling.Transition{{To: status, Reason: "Tom Baker is in hospital"}},
		Organiser: pooling.Organiser{UserID: "organiser-user-id"}}
	pledge := pooling.Pledge{ID: "pledge-1", PoolID: "pool-1", HolderID: "holder-user-id", PledgedBy: "rep-user-id", LimitPence: 8_000,
		Reason: "Mrs Jones's epilepsy care plan does not allow it", Until: 1, Shares: []int64{6_000, 6_000}}
	return Facts{Pool: pool, Pledge: pledge, Session: 1, InvoiceID: "inv-1",
		Invoice: InvoiceFacts{Number: "INV-0042", PayerKind: PayerOrganisation, PayerID: "council-id", TotalPence: 48_000, AmountDuePence: 24_000, PendingPaymentPence: 24_000,
			DueDate: first, RecordedBy: "clerk-user-id"},
		Message: PoolMessage{ID: "m1", PoolID: "pool-1", AuthorID: "organiser-user-id", Body: "Mr Patel, bring your inhaler."}}
}

// forbidden are the planted details: names, health words and people's ids.
var forbidden = []string{"Tom", "Baker", "Jones", "Patel", "dementia", "epilepsy", "inhaler", "hospital",
	"holder-user-id", "rep-user-id", "organiser-user-id", "clerk-user-id", "council-id"}

func TestEveryWordingSaysWhatHappenedMeansAndToDoWithoutPersonalDetails(t *testing.T) {
	t.Parallel()
	roles := []Role{RoleMember, RoleHolder, RoleRepresentative, RoleOrganiser, RoleProvider, RoleApprover, RolePayer, RoleInvitee}
	for _, k := range Kinds() {
		status := pooling.StatusConfirmed
		switch k {
		case KindPoolFailed:
			status = pooling.StatusFailed
		case KindPoolCancelled:
			status = pooling.StatusCancelled
		case KindMinimumReached, KindApprovalsReminder:
			status = pooling.StatusOpen
		}
		f := sensitiveFacts(status)
		for _, role := range roles {
			for _, variant := range []Recipient{{Role: role}, {Role: role, Released: true}, {Role: role, Waiting: true}, {Role: role, UserID: "holder-user-id"}} {
				pl := f.Pledge
				variant.Pledge = &pl
				text := Word(k, f, variant)
				name := string(k) + "/" + string(role)
				for field, s := range map[string]string{"title": text.Title, "happened": text.Happened, "means": text.Means,
					"todo": text.Todo, "link text": text.LinkText} {
					if strings.TrimSpace(s) == "" {
						t.Errorf("%s: no %s", name, field)
					}
					if strings.ContainsAny(s, "\r\n") || strings.Contains(s, "%!") || strings.Contains(s, "{{") {
						t.Errorf("%s: %s is not one clean line: %q", name, field, s)
					}
					for _, bad := range forbidden {
						if strings.Contains(s, bad) {
							t.Errorf("%s: %s shows %q: %q", name, field, bad, s)
						}
					}
				}
				if !strings.HasPrefix(text.Path, "/") || strings.Contains(text.Path, "://") {
					t.Errorf("%s: link %q is not a path on the site", name, text.Path)
				}
				if text.InboxOnly != "" && k != KindPoolMessage && k != KindPledgeDeclined && k != KindPoolCancelled {
					t.Errorf("%s: inbox-only text for a kind nobody types words for: %q", name, text.InboxOnly)
				}
			}
		}
	}
}

func TestWordingDependsOnWhoReads(t *testing.T) {
	t.Parallel()
	f := sensitiveFacts(pooling.StatusConfirmed)
	pl := f.Pledge
	tests := []struct {
		name string
		kind Kind
		r    Recipient
		want string // in Happened
	}{
		{"member in", KindPoolConfirmed, Recipient{Role: RoleMember, Pledge: &pl}, "your pledge has a place"},
		{"holder in", KindPoolConfirmed, Recipient{Role: RoleHolder, Pledge: &pl}, "the pledge made for you has a place"},
		{"representative in", KindPoolConfirmed, Recipient{Role: RoleRepresentative, Pledge: &pl}, "the pledge you made for someone you act for has a place"},
		{"member not counted", KindPoolConfirmed, Recipient{Role: RoleMember, Pledge: &pl, Released: true}, "so it was not counted"},
		{"member waiting", KindPoolConfirmed, Recipient{Role: RoleMember, Pledge: &pl, Waiting: true}, "still waiting for approval"},
		{"organiser", KindPoolConfirmed, Recipient{Role: RoleOrganiser}, "The pool you organise"},
		{"provider", KindPoolConfirmed, Recipient{Role: RoleProvider}, "on your offer"},
		{"approver", KindApprovalNeeded, Recipient{Role: RoleApprover, UserID: "commissioner"}, "from a budget you approve spending from"},
		{"holder as second approver", KindApprovalNeeded, Recipient{Role: RoleApprover, UserID: "holder-user-id"}, "Someone acting for you pledged"},
	}
	for _, tt := range tests {
		if got := Word(tt.kind, f, tt.r).Happened; !strings.Contains(got, tt.want) {
			t.Errorf("%s: %q lacks %q", tt.name, got, tt.want)
		}
	}
	if got := Word(KindPoolConfirmed, f, Recipient{Role: RoleMember, Pledge: &pl}).Means; !strings.Contains(got, "£60") {
		t.Errorf("a member is not told their share: %q", got)
	}
	if got := Word(KindSessionReminder, f, Recipient{Role: RoleMember}).Happened; !strings.Contains(got, "Friday 25 December 2026 at 10am") {
		t.Errorf("the reminder does not say when, in UK time: %q", got)
	}
	begun := sensitiveFacts(pooling.StatusConfirmed)
	for i := range begun.Pool.Sessions {
		begun.Pool.Sessions[i].Status = pooling.SessionDelivered
	}
	if got := Word(KindPoolConfirmed, begun, Recipient{Role: RoleOrganiser}).Means; got != "4 people have a place." {
		t.Errorf("a pool whose sessions have begun announces a first session: %q", got)
	}
	if got := Word(KindInvited, f, Recipient{Role: RoleInvitee}).Path; got != "/invites/INVITECODE" {
		t.Errorf("an invitation to an invite-only pool links to %q", got)
	}
}

func TestTypedWordsStayInTheInbox(t *testing.T) {
	t.Parallel()
	tests := []struct {
		kind   Kind
		status pooling.Status
		want   string
	}{
		{KindPoolMessage, pooling.StatusOpen, "Mr Patel, bring your inhaler."},
		{KindPledgeDeclined, pooling.StatusOpen, "The reason given: Mrs Jones's epilepsy care plan does not allow it"},
		{KindPoolCancelled, pooling.StatusCancelled, "The reason given: Tom Baker is in hospital"},
	}
	for _, tt := range tests {
		text := Word(tt.kind, sensitiveFacts(tt.status), Recipient{Role: RoleMember})
		if text.InboxOnly != tt.want || !strings.HasSuffix(text.Body(), "\n\n"+tt.want) {
			t.Errorf("%s: inbox-only %q, body %q", tt.kind, text.InboxOnly, text.Body())
		}
	}
}
