package main

import (
	"context"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/carepool/carepool/infra/mail/mailtest"
	"github.com/carepool/carepool/infra/store"
	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/notify"
	"github.com/carepool/carepool/pooling"
)

// notifyScenario is the seeded server sending email to a real SMTP server (mailpit),
// with the matrix's callers (alice, bob, ulo, prov, comm, isf, admin, a stranger, ...)
// logged in with API tokens, and carl, who is in the demo pool.
type notifyScenario struct {
	*authzFixture
	mp  *mailtest.Mailpit
	out *store.NotifyOutbox
}

func newNotifyScenario(t *testing.T) *notifyScenario {
	t.Helper()
	mp := mailtest.Start(t)
	m, srv, _ := mustOpenMail(t, mp.SMTPURL)
	mustSeed(t, m)
	f := &authzFixture{t: t, m: m, base: srv.URL, roles: map[string]*authzRole{"anon": {key: "anon"}}, vars: map[string]string{}}
	for key, local := range authzEmails {
		f.roles[key] = f.login(t, key, local+"@"+demoDomain, DemoPassword)
	}
	f.roles["carl"] = f.login(t, "carl", "carl@"+demoDomain, DemoPassword)
	f.poolFixture(t)
	s := &notifyScenario{authzFixture: f, mp: mp, out: m.DB.NewNotifyOutbox("scenario")}
	for _, key := range []string{"dora", "nobody"} {
		s.newPerson(t, key)
	}
	s.verify(t, "stranger")
	for _, who := range []string{"carl", "dora"} {
		bs, err := m.Pools.Budgets(f.as(t, who), "")
		if err != nil || len(bs) == 0 {
			t.Fatalf("%s's budgets: %v %v", who, bs, err)
		}
		f.vars[who+"_direct_payment"] = bs[0].Budget.ID
	}
	return s
}

// newPerson signs up someone with a proved address and a direct payment.
func (s *notifyScenario) newPerson(t *testing.T, key string) {
	t.Helper()
	email := key + "@example.org"
	resp, body := s.client("anon").do(http.MethodPost, "/api/v1/accounts", map[string]string{"email": email, "password": "a long enough password", "name": strings.ToUpper(key[:1]) + key[1:] + " Person"})
	authzMustStatus(t, resp, body, http.StatusCreated)
	s.roles[key] = s.login(t, key, email, "a long enough password")
	s.verify(t, key)
	if _, err := s.m.Pools.AddBudget(s.as(t, key), pooling.BudgetInput{Form: marketplace.DirectPayment, ActualPence: 100_000}); err != nil {
		t.Fatal(err)
	}
}

func (s *notifyScenario) verify(t *testing.T, key string) {
	t.Helper()
	if err := store.NewAccounts(s.m.DB).MarkEmailVerified(context.Background(), s.roles[key].userID, time.Now()); err != nil {
		t.Fatal(err)
	}
}

// pool proposes and opens a pool as ulo, with its first of two weekly sessions at first.
func (s *notifyScenario) pool(t *testing.T, deadline, first time.Time) string {
	t.Helper()
	in := s.poolInput()
	in.Deadline, in.Schedule = deadline, pooling.Schedule{FirstSession: first, EveryDays: 7, Sessions: 2}
	ctx := s.as(t, "ulo")
	p, err := s.m.Pools.ProposePool(ctx, in)
	if err == nil {
		p, err = s.m.Pools.OpenPool(ctx, p.ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	return p.ID
}

// pledge pledges £80 a session through the API as who, from a budget var.
func (s *notifyScenario) pledge(t *testing.T, who, budget, poolID string) string {
	t.Helper()
	resp, body := s.client(who).do(http.MethodPost, "/api/v1/pools/"+poolID+"/pledges",
		pooling.PledgeInput{BudgetID: s.vars[budget], LimitPence: 8_000}, authzKey(t, s.authzFixture)...)
	authzMustStatus(t, resp, body, http.StatusCreated)
	// The worker runs every 2 seconds in a server: deliver now, before anything else
	// changes (an approval decided before its "approval needed" went is not sent).
	s.deliver(t)
	return decode[struct{ ID string }](t, body).ID
}

// act posts to an API route as who, with an Idempotency-Key.
func (s *notifyScenario) act(t *testing.T, who, path string, body any, want int) {
	t.Helper()
	resp, got := s.client(who).do(http.MethodPost, path, body, authzKey(t, s.authzFixture)...)
	authzMustStatus(t, resp, got, want)
	s.deliver(t)
}

// deliver runs the notify worker and the mail worker until both outboxes are empty.
func (s *notifyScenario) deliver(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	for range 50 {
		if _, err := s.m.Notify.Drain(ctx, s.out); err != nil {
			t.Fatal(err)
		}
		if _, err := s.m.mail.run(ctx); err != nil {
			t.Fatal(err)
		}
		n, err := s.out.Pending(ctx)
		if err != nil {
			t.Fatal(err)
		}
		mails, err := s.m.mail.queue.Pending(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n+mails == 0 {
			return
		}
	}
	t.Fatal("the outboxes did not empty")
}

// inbox reads a person's whole inbox through the API.
func (s *notifyScenario) inbox(t *testing.T, who string) []notify.Notification {
	t.Helper()
	var all []notify.Notification
	cursor := ""
	for {
		resp, body := s.client(who).do(http.MethodGet, "/api/v1/me/notifications?limit=100&cursor="+cursor, nil)
		authzMustStatus(t, resp, body, http.StatusOK)
		p := decode[notify.InboxPage](t, body)
		all = append(all, p.Items...)
		if cursor = p.NextCursor; cursor == "" {
			return all
		}
	}
}

// notifyEmails returns the notification emails mailpit received (not the account
// emails), by recipient.
func (s *notifyScenario) notifyEmails(t *testing.T) map[string][]mailtest.Message {
	t.Helper()
	out := map[string][]mailtest.Message{}
	for _, m := range s.mp.Messages(t) {
		if strings.HasPrefix(m.MessageID, "notify-") {
			for _, to := range m.Recipients() {
				out[to] = append(out[to], m)
			}
		}
	}
	return out
}

func TestEveryNotificationFromItsRealTrigger(t *testing.T) {
	t.Parallel()
	s := newNotifyScenario(t)
	ctx := context.Background()
	day := time.Now().UTC().Truncate(24 * time.Hour)
	first := time.Now().UTC().Add(14*24*time.Hour + 6*time.Hour).Truncate(time.Minute)
	refs := map[string][]string{} // what should reach whom

	// Pool A: three join, the minimum is reached, the organisers invite two people and
	// send a message, then confirm it; a reminder comes the day before the first session.
	poolA := s.pool(t, day.AddDate(0, 0, 7), first)
	var joins []string
	for _, who := range []string{"alice", "bob", "carl"} {
		joins = append(joins, s.pledge(t, who, who+"_direct_payment", poolA))
	}
	for _, id := range joins {
		refs["pledge:"+id+":joined"] = []string{"ulo"}
	}
	refs["pool:"+poolA+":minimum-reached"] = []string{"alice", "bob", "carl", "ulo"}
	s.act(t, "ulo", "/api/v1/pools/"+poolA+"/invitations", notify.InvitationInput{Emails: []string{"newcomer@example.org", s.roles["stranger"].email}}, http.StatusAccepted)
	resp, body := s.client("ulo").do(http.MethodPost, "/api/v1/pools/"+poolA+"/messages", notify.MessageInput{Body: "Bring an apron, everyone."})
	authzMustStatus(t, resp, body, http.StatusCreated)
	refs["message:"+decode[notify.PoolMessage](t, body).ID] = []string{"alice", "bob", "carl"}
	s.deliver(t)
	s.act(t, "ulo", "/api/v1/pools/"+poolA+"/confirm", nil, http.StatusOK)
	refs["pool:"+poolA+":confirmed"] = []string{"alice", "bob", "carl", "ulo", "prov"}
	if rep, err := s.m.Notify.Remind(ctx, time.Now().Add(13*24*time.Hour)); err != nil || rep.Sessions != 1 {
		t.Fatalf("remind = %+v, %v", rep, err)
	}
	refs[notify.SessionRef(poolA, 0, "reminder")] = []string{"alice", "bob", "carl"}

	// Pool B: a council-managed pledge waits for the commissioner, who approves it; then
	// alice withdraws. Pool C: an ISF pledge, which the ISF provider declines.
	poolB, poolC := s.pool(t, day.AddDate(0, 0, 7), first), s.pool(t, day.AddDate(0, 0, 7), first)
	byCouncil := s.pledge(t, "alice", "alice_council_managed", poolB)
	s.act(t, "comm", "/api/v1/pledges/"+byCouncil+"/approve", nil, http.StatusOK)
	s.act(t, "alice", "/api/v1/pledges/"+byCouncil+"/withdraw", nil, http.StatusOK)
	byISF := s.pledge(t, "alice", "alice_isf", poolC)
	s.act(t, "isf", "/api/v1/pledges/"+byISF+"/decline", map[string]string{"reason": "Not enough left this month"}, http.StatusOK)
	refs["pledge:"+byCouncil+":joined"], refs["pledge:"+byISF+":joined"] = []string{"ulo"}, []string{"ulo"}
	refs["pledge:"+byCouncil+":approval-needed"] = []string{"comm"}
	refs["pledge:"+byCouncil+":approved"] = []string{"alice"}
	refs["pledge:"+byCouncil+":withdrawn"] = []string{"ulo"}
	refs["pledge:"+byISF+":approval-needed"] = []string{"isf"}
	refs["pledge:"+byISF+":declined"] = []string{"alice"}

	// Pool D fails at its deadline; pool E is cancelled; pool F reaches its deadline
	// with a pledge still waiting for the council, whose commissioner is reminded.
	poolD := s.pool(t, day.AddDate(0, 0, 3), first)
	refs["pledge:"+s.pledge(t, "alice", "alice_direct_payment", poolD)+":joined"] = []string{"ulo"}
	poolE := s.pool(t, day.AddDate(0, 0, 7), first)
	refs["pledge:"+s.pledge(t, "carl", "carl_direct_payment", poolE)+":joined"] = []string{"ulo"}
	s.act(t, "ulo", "/api/v1/pools/"+poolE+"/cancel", map[string]string{"reason": "The hall is closed"}, http.StatusOK)
	poolF := s.pool(t, day.AddDate(0, 0, 4), first)
	for _, p := range [][2]string{{"carl", "carl_direct_payment"}, {"bob", "bob_direct_payment"}, {"alice", "alice_council_managed"}} {
		refs["pledge:"+s.pledge(t, p[0], p[1], poolF)+":joined"] = []string{"ulo"}
	}
	for _, at := range []time.Time{day.AddDate(0, 0, 3).Add(time.Hour), day.AddDate(0, 0, 4).Add(time.Hour)} {
		if _, err := s.m.Pools.ProcessDeadlines(ctx, at); err != nil {
			t.Fatal(err)
		}
	}
	refs["pool:"+poolD+":failed"] = []string{"alice", "ulo", "prov"}
	refs["pool:"+poolE+":cancelled"] = []string{"carl", "ulo", "prov"}
	refs["pool:"+poolF+":approvals-reminder"] = []string{"comm"}

	// An invoice the council pays (issued when the session is recorded): the council's
	// people hear of it (its commissioner, and the administrator, who owns every
	// council in the demo data).
	s.vars["council"] = s.orgOf(t, "comm", account.KindCouncil)
	invoice := s.councilInvoice(t)
	refs["invoice:"+invoice+":issued"] = []string{"comm", "admin"}
	resp, body = s.client("comm").do(http.MethodGet, "/api/v1/invoices/"+invoice, nil)
	authzMustStatus(t, resp, body, http.StatusOK)
	owing := decode[struct {
		OwingPence int64 `json:"owing_pence"`
	}](t, body).OwingPence
	s.act(t, "comm", "/api/v1/invoices/"+invoice+"/payments",
		pooling.PaymentInput{AmountPence: owing, Method: pooling.PayRemittance, Reference: "REM-NOTIFY"}, http.StatusOK)
	refs["invoice:"+invoice+":paid"] = []string{"prov"}

	// Pool G is dora's alone: nobody above hears of it, and she hears of nothing above.
	poolG := s.pool(t, day.AddDate(0, 0, 7), first)
	s.pledge(t, "dora", "dora_direct_payment", poolG)
	s.deliver(t)

	people := []string{"alice", "bob", "broker", "carl", "ulo", "prov", "isf", "comm", "admin", "stranger", "dora", "nobody"}
	got := map[string]map[string]bool{} // ref → who got it
	for _, who := range people {
		for _, n := range s.inbox(t, who) {
			if got[n.Ref] == nil {
				got[n.Ref] = map[string]bool{}
			}
			if got[n.Ref][who] {
				t.Errorf("%s has %s twice", who, n.Ref)
			}
			got[n.Ref][who] = true
			if n.Title == "" || n.Body == "" || !strings.HasPrefix(n.Link, "/") {
				t.Errorf("%s's notification %s is incomplete: %+v", who, n.Ref, n)
			}
			if strings.Contains(n.Ref, poolG) || who == "dora" || who == "nobody" {
				t.Errorf("%s got %s", who, n.Ref)
			}
		}
	}
	for ref, want := range refs {
		var have []string
		for _, who := range people {
			if got[ref][who] {
				have = append(have, who)
			}
		}
		sort.Strings(want)
		sort.Strings(have)
		if diff := cmp.Diff(want, have); diff != "" {
			t.Errorf("%s reached (-want +got):\n%s", ref, diff)
		}
	}
	invited := slices.ContainsFunc(s.inbox(t, "stranger"), func(n notify.Notification) bool { return n.Kind == notify.KindInvited })
	if !invited {
		t.Errorf("the invited stranger's inbox: %+v", s.inbox(t, "stranger"))
	}
	s.checkEmails(t, refs, poolA)
	s.checkOneClickUnsubscribe(t, poolA, first)
}

// checkEmails checks what reached mailpit: one email per notification (every address
// here is proved), plus the invitation to an address without an account; one-click
// unsubscribe headers on all of them; no other person's name in any; and nothing sent
// twice when a task is delivered again.
func (s *notifyScenario) checkEmails(t *testing.T, refs map[string][]string, poolA string) {
	t.Helper()
	want := map[string]int{"newcomer@example.org": 1}
	for _, who := range []string{"alice", "bob", "carl", "ulo", "prov", "isf", "comm", "admin", "stranger"} {
		for _, n := range s.inbox(t, who) { // by default, most kinds also come by email
			if (notify.Preferences{}).Channel(n.Kind) == notify.ChannelEmail {
				want[s.roles[who].email]++
			}
		}
	}
	emails := s.notifyEmails(t)
	for addr, n := range want {
		if len(emails[addr]) != n {
			t.Errorf("%s: %d notification emails, want %d (one per notification that comes by email)", addr, len(emails[addr]), n)
		}
	}
	for _, addr := range []string{"dora@example.org", "nobody@example.org"} {
		if len(emails[addr]) != 0 {
			t.Errorf("%s got %d notification emails", addr, len(emails[addr]))
		}
	}
	for addr, ms := range emails {
		for _, m := range ms {
			if !strings.HasPrefix(first(m.Headers["List-Unsubscribe"]), "<https://carepool.test/unsubscribe/") ||
				first(m.Headers["List-Unsubscribe-Post"]) != "List-Unsubscribe=One-Click" {
				t.Errorf("%s: %q lacks one-click unsubscribe headers: %v", addr, m.Subject, m.Headers)
			}
			if m.Text == "" || m.HTML == "" {
				t.Errorf("%s: %q lacks a text or HTML part", addr, m.Subject)
			}
			for key, r := range s.roles {
				if r.name != "" && r.email != addr && strings.Contains(m.Text, r.name) {
					t.Errorf("the email %q to %s names %s", m.Subject, addr, key)
				}
			}
		}
	}
	invitation := emails["newcomer@example.org"]
	if len(invitation) == 1 && !strings.Contains(invitation[0].Text, "https://carepool.test/pools/"+poolA) {
		t.Errorf("the invitation does not link to the pool:\n%s", invitation[0].Text)
	}
	// Delivering a task again (a retry, a second server copy) writes and sends nothing.
	before := len(s.mp.Messages(t))
	if d, err := s.m.Notify.Deliver(context.Background(), "pool:"+poolA+":confirmed"); err != nil || d != (notify.Delivered{}) {
		t.Errorf("delivering again: %+v, %v", d, err)
	}
	s.deliver(t)
	if after := len(s.mp.Messages(t)); after != before {
		t.Errorf("delivering again sent %d more emails", after-before)
	}
}

// checkOneClickUnsubscribe posts the List-Unsubscribe link of alice's "confirmed" email
// as a mail program does; the next pool to confirm reaches her inbox but not her email,
// while bob's still comes. A security message still comes, without an unsubscribe link.
func (s *notifyScenario) checkOneClickUnsubscribe(t *testing.T, poolA string, firstSession time.Time) {
	t.Helper()
	var link string
	for _, m := range s.notifyEmails(t)[s.roles["alice"].email] {
		if strings.Contains(m.Subject, "is going ahead") {
			link = strings.Trim(first(m.Headers["List-Unsubscribe"]), "<>")
		}
	}
	req, err := http.NewRequest(http.MethodPost, strings.Replace(link, "https://carepool.test", s.base, 1), strings.NewReader("List-Unsubscribe=One-Click"))
	if err != nil || link == "" {
		t.Fatalf("alice's unsubscribe link %q: %v", link, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("one-click unsubscribe: %d", resp.StatusCode)
	}
	before := s.notifyEmails(t)
	poolH := s.pool(t, time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 7), firstSession)
	var alicePledge string
	for _, who := range []string{"alice", "bob", "carl"} {
		id := s.pledge(t, who, who+"_direct_payment", poolH)
		if who == "alice" {
			alicePledge = id
		}
	}
	s.act(t, "ulo", "/api/v1/pools/"+poolH+"/confirm", nil, http.StatusOK)
	if err := store.NewPooling(s.m.DB).Enqueue(context.Background(), store.NotifyTopic, "pledge:"+alicePledge+":charge-failed"); err != nil {
		t.Fatal(err)
	}
	s.deliver(t)
	after := s.notifyEmails(t)
	fresh := func(who string) []mailtest.Message {
		return after[s.roles[who].email][len(before[s.roles[who].email]):]
	}
	var subjects []string
	for _, m := range fresh("alice") {
		subjects = append(subjects, m.Subject)
		security := strings.HasPrefix(m.Subject, "A card payment for")
		if security == (len(m.Headers["List-Unsubscribe"]) > 0) {
			t.Errorf("%q: security %v, unsubscribe headers %v", m.Subject, security, m.Headers["List-Unsubscribe"])
		}
	}
	card := slices.ContainsFunc(subjects, func(s string) bool { return strings.HasPrefix(s, "A card payment for") })
	confirmation := slices.ContainsFunc(subjects, func(s string) bool { return strings.Contains(s, "is going ahead") })
	if !card || confirmation {
		t.Errorf("alice's emails after unsubscribing from confirmations: %q", subjects)
	}
	confirmed := slices.ContainsFunc(s.inbox(t, "alice"), func(n notify.Notification) bool { return n.Ref == "pool:"+poolH+":confirmed" })
	if !confirmed {
		t.Error("alice's inbox lacks the confirmation she unsubscribed from by email")
	}
	if !slices.ContainsFunc(fresh("bob"), func(m mailtest.Message) bool { return strings.Contains(m.Subject, "is going ahead") }) {
		t.Error("bob's confirmation email stopped too")
	}
}

func first(xs []string) string {
	if len(xs) == 0 {
		return ""
	}
	return xs[0]
}
