package frontend

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/carepool/carepool/infra/store"
	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/pooling"
)

// newPoolTestApp is newTestApp with the pooling service, so the pool pages are mounted.
func newPoolTestApp(t testing.TB) (*testApp, *pooling.Service) {
	t.Helper()
	a := newTestServices(t)
	pools := pooling.NewService(store.NewPooling(a.db), a.market, store.NewDirectory(a.db), a.accounts, pooling.Config{Instance: "test"})
	a.serve(Config{Accounts: a.accounts, Market: a.market, Pools: pools, Logger: slog.New(slog.NewTextHandler(logSink(), nil))})
	return a, pools
}

// poolWorld is a provider with a published group offer, a public and an invite-only
// open pool on it, a budget holder with a direct payment and an individual service fund
// held by an ISF provider, and a pledge from the ISF waiting for that provider's approval.
type poolWorld struct {
	a                       *testApp
	pools                   *pooling.Service
	offer                   marketplace.Offer
	public, private         pooling.PoolView
	ownerEmail, holderEmail string
	isfEmail, strangerEmail string
	holder                  context.Context
	direct                  pooling.Budget
	waiting                 pooling.PledgeView
}

func newPoolWorld(t *testing.T) *poolWorld {
	t.Helper()
	a, pools := newPoolTestApp(t)
	w := &poolWorld{a: a, pools: pools}
	orgID, ownerEmail, owner := a.provider("Headingley Arts Group")
	w.ownerEmail = ownerEmail
	in := sampleOffer("Friday art and lunch")
	in.BudgetForms = append(in.BudgetForms, marketplace.ISF)
	w.offer = a.offer(owner, orgID, in, true)
	day := time.Now().UTC().Truncate(24 * time.Hour)
	open := func(title string, vis pooling.Visibility) pooling.PoolView {
		v, err := pools.ProposePool(owner, pooling.PoolInput{OfferID: w.offer.ID, OrganiserOrgID: orgID, Title: title,
			Description: "A weekly art group.", Visibility: vis, Deadline: day.AddDate(0, 0, 21),
			Schedule: pooling.Schedule{FirstSession: day.AddDate(0, 0, 28).Add(10 * time.Hour), EveryDays: 7, Sessions: 8, NoticeDays: 14}})
		if err == nil {
			v, err = pools.OpenPool(owner, v.ID)
		}
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	w.public = open("Friday art for Headingley", pooling.Public)
	w.private = open("Friday art for the Forum", pooling.InviteOnly)

	var secret string
	w.holderEmail, secret = a.user("Alice Holder")
	w.holder = a.as(secret)
	var err error
	if w.direct, err = pools.AddBudget(w.holder, pooling.BudgetInput{Form: marketplace.DirectPayment, Label: "Direct payment", ActualPence: 300_000}); err != nil {
		t.Fatal(err)
	}
	var isfSecret string
	w.isfEmail, isfSecret = a.user("Ian Isf")
	isfOrg, err := a.accounts.CreateOrganisation(a.as(isfSecret), account.NewOrganisation{Name: "Leeds Support", Kinds: []account.OrgKind{account.KindISFProvider}})
	if err != nil {
		t.Fatal(err)
	}
	holderID := account.ActorFrom(w.holder).UserID
	isf, err := pools.OpenISFAccount(a.as(isfSecret), isfOrg.ID, pooling.ISFInput{HolderID: holderID, Label: "Alice's ISF", AllocatedPence: 200_000}, "isf-1")
	if err != nil {
		t.Fatal(err)
	}
	w.private, err = pools.Pool(owner, w.private.ID) // with its invite code
	if err != nil {
		t.Fatal(err)
	}
	if w.waiting, err = pools.Pledge(w.holder, w.private.ID, pooling.PledgeInput{BudgetID: isf.ID, LimitPence: 12_000, InviteCode: w.private.InviteCode}, "p-1"); err != nil {
		t.Fatal(err)
	}
	if w.waiting.Status != pooling.PledgeWaitingApproval {
		t.Fatalf("ISF pledge is %s, want waiting for approval", w.waiting.Status)
	}
	w.strangerEmail, _ = a.user("Stella Stranger")
	return w
}

func TestPoolPageAuthorization(t *testing.T) {
	t.Parallel()
	w := newPoolWorld(t)
	a := w.a
	callers := map[string]*browser{"anon": a.browser(), "stranger": a.browser(), "holder": a.browser(), "owner": a.browser(), "isf": a.browser()}
	callers["stranger"].logIn(w.strangerEmail)
	callers["holder"].logIn(w.holderEmail)
	callers["owner"].logIn(w.ownerEmail)
	callers["isf"].logIn(w.isfEmail)
	order := []string{"anon", "stranger", "holder", "owner", "isf"}
	pub, priv, pledge := w.public.ID, w.private.ID, w.waiting.ID

	// want: one status per caller, in order; 303 is the redirect to log in (or, for the
	// approver's decision, back to the queue).
	rows := []struct {
		method, path string
		form         url.Values
		want         string
	}{
		{"GET", "/pools/" + pub, nil, "200 200 200 200 200"},
		{"GET", "/pools/" + priv, nil, "404 404 200 200 404"}, // the holder has a pledge in it, the owner organises it
		{"GET", "/pools/no-such-pool", nil, "404 404 404 404 404"},
		{"GET", "/invites/" + w.private.InviteCode, nil, "200 200 200 200 200"},
		{"GET", "/invites/wrong-code", nil, "404 404 404 404 404"},
		{"GET", "/offers/" + w.offer.ID + "/pools", nil, "200 200 200 200 200"},
		{"GET", "/pools/" + pub + "/join", nil, "303 200 200 200 200"},
		{"GET", "/pools/" + priv + "/join", nil, "303 404 200 200 404"},
		{"GET", "/pools/" + priv + "/join?invite=" + w.private.InviteCode, nil, "303 200 200 200 200"},
		{"GET", "/commitments", nil, "303 200 200 200 200"},
		{"GET", "/approvals", nil, "303 200 200 200 200"},
		{"GET", "/pledges/" + pledge, nil, "303 404 200 404 200"}, // the ISF provider approves it
		// The organiser sees the pool but may not pledge from someone else's budget.
		{"POST", "/pools/" + priv + "/join", url.Values{"budget": {w.direct.ID}, "limit": {"100"}}, "401 404 422 422 404"},
		{"POST", "/pledges/" + pledge + "/withdraw", url.Values{}, "401 404 303 404 403"},
	}
	for _, row := range rows {
		wants := strings.Fields(row.want)
		for i, who := range order {
			b := callers[who]
			resp, body, ok := callPage(t, b, who, row.method, row.path, row.form, wants[i])
			if !ok {
				continue
			}
			switch resp.StatusCode {
			case http.StatusNotFound:
				mustContain(t, body, "Page not found")
				if strings.Contains(body, w.private.Title) {
					t.Errorf("%s %s as %s shows the invite-only pool's title", row.method, row.path, who)
				}
			}
		}
	}
}

func TestApprovalQueue(t *testing.T) {
	t.Parallel()
	w := newPoolWorld(t)
	a := w.a
	holder, stranger, isf := a.browser(), a.browser(), a.browser()
	holder.logIn(w.holderEmail)
	stranger.logIn(w.strangerEmail)
	isf.logIn(w.isfEmail)

	_, body := stranger.get("/approvals")
	mustContain(t, body, "Nothing is waiting for your approval")
	resp, _ := stranger.post("/approvals/"+w.waiting.ID, url.Values{"decision": {"approve"}, "key": {"k"}})
	if resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusForbidden {
		t.Errorf("a stranger approving = %d, want 403 or 404", resp.StatusCode)
	}
	_, body = holder.get("/approvals")
	mustContain(t, body, "Nothing is waiting for your approval")

	_, body = isf.get("/approvals")
	mustContain(t, body, w.private.Title, "£120, up to 8 sessions", "£960")
	resp, body = isf.post("/approvals/"+w.waiting.ID, url.Values{"decision": {"decline"}, "key": {"k1"}})
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	mustContain(t, body, "Error: Pledges waiting", `href="#reason-`+w.waiting.ID+`"`, "Enter the reason for declining")
	resp, body = isf.post("/approvals/"+w.waiting.ID, url.Values{"decision": {"approve"}, "key": {"k2"}})
	mustStatus(t, resp, body, http.StatusSeeOther)
	_, body = isf.get(resp.Header.Get("Location"))
	mustContain(t, body, "You approved the pledge", "Nothing is waiting for your approval")

	_, body = holder.get("/pledges/" + w.waiting.ID)
	if strings.Contains(body, "Waits for approval") {
		t.Errorf("the pledge still waits for approval after it was approved")
	}
}

var keyInPage = regexp.MustCompile(`name="key" value="([^"]+)"`)

func TestJoinPool(t *testing.T) {
	t.Parallel()
	w := newPoolWorld(t)
	b := w.a.browser()
	b.logIn(w.holderEmail)

	_, body := b.get("/offers/" + w.offer.ID)
	mustContain(t, body, `href="/offers/`+w.offer.ID+`/pools"`)
	_, body = b.get("/offers/" + w.offer.ID + "/pools")
	mustContain(t, body, w.public.Title)

	_, body = b.get("/pools/" + w.public.ID)
	mustContain(t, body, "0 of 8 places taken", `<progress id="progress" max="8" value="0">`, "Join this pool", "21 days left", "£120", "£60")
	resp, body := b.get("/pools/" + w.public.ID + "/join")
	mustStatus(t, resp, body, http.StatusOK)
	mustContain(t, body, "Your budget: Direct payment", "pay the provider by bank transfer", "A request to your ISF provider")
	m := keyInPage.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("the join form has no idempotency key")
	}
	key := m[1]

	for _, tt := range []struct{ limit, want string }{
		{"", "Enter the most you will pay for each session, in pounds"},
		{"12.345", "Enter the most you will pay as an amount in pounds"},
		{"20", "Enter at least £60: that is the least anyone pays, when the pool is full"},
	} {
		resp, body = b.post("/pools/"+w.public.ID+"/join", url.Values{"budget": {w.direct.ID}, "limit": {tt.limit}, "key": {key}})
		mustStatus(t, resp, body, http.StatusUnprocessableEntity)
		mustContain(t, body, "Error: Join", tt.want, `href="#limit"`, `value="`+tt.limit+`"`)
	}
	resp, body = b.post("/pools/"+w.public.ID+"/join", url.Values{"limit": {"80"}, "key": {key}})
	mustStatus(t, resp, body, http.StatusUnprocessableEntity)
	mustContain(t, body, "Choose which budget pays", `href="#budget"`)

	form := url.Values{"budget": {w.direct.ID}, "limit": {"£80.50"}, "key": {key}}
	resp, body = b.post("/pools/"+w.public.ID+"/join", form)
	mustStatus(t, resp, body, http.StatusSeeOther)
	first := resp.Header.Get("Location")
	// The same form sent again is the same pledge, not a second one.
	resp, body = b.post("/pools/"+w.public.ID+"/join", form)
	mustStatus(t, resp, body, http.StatusSeeOther)
	if again := resp.Header.Get("Location"); again != first {
		t.Errorf("sending the form twice: %s then %s", first, again)
	}
	_, body = b.get(first)
	mustContain(t, body, "You offered to pay up to £80.50 for each session", "direct payment", "Waits for the price to fall to your limit")
	pledges, err := w.pools.MyPledges(w.holder)
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, p := range pledges {
		if p.PoolID == w.public.ID {
			found = true
			if p.LimitPence != 8050 {
				t.Errorf("limit = %d pence, want 8050", p.LimitPence)
			}
		}
	}
	if !found {
		t.Fatal("no pledge in the public pool")
	}

	_, body = b.get("/commitments")
	mustContain(t, body, w.public.Title, "Waits for the price to fall to your limit", "Waits for approval", "Alice&#39;s ISF (Yours)", "Direct payment")
	_, body = b.get("/pools/" + w.public.ID)
	mustContain(t, body, "You are in this pool", "Leave this pool", "1 of 8 places taken")
	m = regexp.MustCompile(`action="(/pledges/[^"]+/withdraw)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no withdraw form on the pool page")
	}
	k := keyInPage.FindStringSubmatch(body)
	resp, body = b.post(m[1], url.Values{"key": {k[1]}, "back": {"/pools/" + w.public.ID}})
	mustStatus(t, resp, body, http.StatusSeeOther)
	_, body = b.get(resp.Header.Get("Location"))
	mustContain(t, body, "You have left the pool", "0 of 8 places taken", "Join this pool")
}

// logSink is where the in-process pool pages log: nowhere, unless POOL_TEST_LOG is set.
func logSink() io.Writer {
	if os.Getenv("POOL_TEST_LOG") != "" {
		return os.Stderr
	}
	return io.Discard
}
