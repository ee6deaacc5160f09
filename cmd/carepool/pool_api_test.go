package main

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/pooling"
)

// authzPoolRoles are the columns of the pooling rows of the authorization matrix:
//
//	anon      nobody logged in
//	alice     a budget holder (direct payment, council-managed budget, ISF)
//	bob       her trusted other (fits every form but trust and brokered funds)
//	broker    her broker (fits brokered funds only)
//	ulo       member of the user-led organisation that organises the pools
//	prov      owner of the provider whose offer is pooled (provider@)
//	isf       owner of the ISF provider holding alice's ISF (isf@)
//	comm      commissioner of Leeds City Council, which manages alice's budget
//	stranger  a budget holder with no part in anything here
//	admin     platform administrator
var authzPoolRoles = []string{"anon", "alice", "bob", "broker", "ulo", "prov", "isf", "comm", "stranger", "admin"}

func TestAuthzPooling(t *testing.T) {
	t.Parallel()
	f := newAuthzFixture(t)
	f.poolFixture(t)
	runAuthzMatrix(t, f, authzPoolRows())
}

// poolFixture adds the pooling callers and targets to the matrix fixture: the seeded
// budgets of alice, a budget for bob and the stranger, and the seeded group offer.
func (f *authzFixture) poolFixture(t testing.TB) {
	t.Helper()
	for _, local := range []string{"broker", "isf"} {
		f.roles[local] = f.login(t, local, local+"@"+demoDomain, DemoPassword)
	}
	resp, body := f.client("anon").do(http.MethodPost, "/api/v1/accounts",
		map[string]string{"email": "matrix-stranger@example.org", "password": "a long enough password", "name": "Sam Stranger"})
	authzMustStatus(t, resp, body, http.StatusCreated)
	f.roles["stranger"] = f.login(t, "stranger", "matrix-stranger@example.org", "a long enough password")
	f.emails = append(f.emails, "matrix-stranger@example.org")
	f.vars["alice"] = f.roles["alice"].userID
	f.vars["uloOrg"] = f.orgOf(t, "ulo", account.KindUserLedOrganisation)
	f.vars["isfOrg"] = f.orgOf(t, "isf", account.KindISFProvider)

	budgets, err := f.m.Pools.Budgets(f.as(t, "alice"), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range budgets {
		f.vars["alice_"+string(b.Budget.Form)] = b.Budget.ID
	}
	for _, form := range []string{"direct_payment", "council_managed", "isf"} {
		if f.vars["alice_"+form] == "" {
			t.Fatalf("the seed gives alice no %s budget", form)
		}
	}
	for _, who := range []string{"bob", "stranger"} {
		b, err := f.m.Pools.AddBudget(f.as(t, who), pooling.BudgetInput{Form: marketplace.DirectPayment, ActualPence: 100_000})
		if err != nil {
			t.Fatal(err)
		}
		f.vars[who+"_direct_payment"] = b.ID
	}
	managed, err := f.m.Pools.ManagedPools(f.as(t, "ulo"), 100)
	if err != nil || len(managed) == 0 {
		t.Fatalf("the seed's pool: %v %v", managed, err)
	}
	f.vars["groupOffer"] = managed[0].OfferID
	f.vars["seedPool"] = managed[0].ID
	f.vars["openPool"] = f.newPool(t, pooling.Public, true)
	f.vars["draftPool"] = f.newPool(t, pooling.Public, false)
	f.vars["invitePool"] = f.newPool(t, pooling.InviteOnly, true)
	f.vars["inviteCode"] = f.pool(t, f.vars["invitePool"]).InviteCode
	f.vars["alicePledge"] = f.newPledge(t, "alice", "alice_direct_payment", f.vars["openPool"])
}

// poolInput is a one-session pool on the seeded group offer (£240 for 3 to 8 people),
// organised by the user-led organisation.
func (f *authzFixture) poolInput() pooling.PoolInput {
	day := time.Now().UTC().Truncate(24 * time.Hour)
	return pooling.PoolInput{OfferID: f.vars["groupOffer"], OrganiserOrgID: f.vars["uloOrg"], Title: fmt.Sprintf("Matrix pool %d", f.next()),
		Visibility: pooling.Public, Deadline: day.AddDate(0, 0, 7), Schedule: pooling.Schedule{FirstSession: day.AddDate(0, 0, 14), Sessions: 1}}
}

// newPool proposes a pool as ulo and, when open, opens it.
func (f *authzFixture) newPool(t testing.TB, vis pooling.Visibility, open bool) string {
	t.Helper()
	ctx := f.as(t, "ulo")
	in := f.poolInput()
	in.Visibility = vis
	p, err := f.m.Pools.ProposePool(ctx, in)
	if err == nil && open {
		p, err = f.m.Pools.OpenPool(ctx, p.ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	return p.ID
}

func (f *authzFixture) pool(t testing.TB, id string) pooling.PoolView {
	t.Helper()
	p, err := f.m.Pools.Pool(f.as(t, "admin"), id)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// newPledge pledges £80 a session (the share at three people) as who from a budget.
func (f *authzFixture) newPledge(t testing.TB, who, budget, poolID string) string {
	t.Helper()
	p, err := f.m.Pools.Pledge(f.as(t, who), poolID, pooling.PledgeInput{BudgetID: f.vars[budget], LimitPence: 8_000}, fmt.Sprintf("matrix-%d", f.next()))
	if err != nil {
		t.Fatalf("pledge as %s from %s: %v", who, budget, err)
	}
	return p.ID
}

// confirmedPool opens a pool, fills it to its minimum (alice, bob and the stranger) and
// confirms it; delivered moves its session into the past and records it.
func (f *authzFixture) confirmedPool(t testing.TB, pastSession bool) string {
	t.Helper()
	id := f.confirmablePool(t)
	if _, err := f.m.Pools.ConfirmPool(f.as(t, "ulo"), id, ""); err != nil {
		t.Fatal(err)
	}
	if pastSession {
		// The clock cannot be moved on a running server: move the session back instead.
		_, err := f.m.DB.Collection("pools").UpdateOne(context.Background(), bson.M{"_id": id},
			bson.M{"$set": bson.M{"sessions.0.starts_at": time.Now().UTC().Add(-time.Hour).Truncate(time.Millisecond)}})
		if err != nil {
			t.Fatal(err)
		}
	}
	return id
}

// confirmablePool is an open pool whose approved counted pledges reach its minimum.
func (f *authzFixture) confirmablePool(t testing.TB) string {
	t.Helper()
	id := f.newPool(t, pooling.Public, true)
	for _, who := range []string{"alice", "bob", "stranger"} {
		f.newPledge(t, who, who+"_direct_payment", id)
	}
	return id
}

// authzKey sends a fresh Idempotency-Key.
func authzKey(_ testing.TB, f *authzFixture) []string {
	return []string{"Idempotency-Key", fmt.Sprintf("matrix-key-%d", f.next())}
}

func authzPoolIfMatch(t testing.TB, f *authzFixture) []string {
	return []string{"If-Match", authzETag(f.pool(t, f.vars["fresh"]).Version)}
}

// authzCheckNoHolders: what anyone sees of a pool names no budget holder.
func authzCheckNoHolders(t testing.TB, f *authzFixture, r *authzRole, body []byte) {
	for _, who := range []string{"alice", "bob", "stranger"} {
		if id := f.roles[who].userID; who != r.key && strings.Contains(string(body), id) {
			t.Errorf("%s sees %s's user id: %.300s", r.key, who, body)
		}
	}
}

func authzCheckInviteHidden(t testing.TB, f *authzFixture, r *authzRole, body []byte) {
	authzCheckNoHolders(t, f, r, body)
	if !slices.Contains([]string{"ulo", "prov", "admin"}, r.key) && strings.Contains(string(body), `"invite_code"`) {
		t.Errorf("%s sees the invite code", r.key)
	}
}

// TestPoolAPIIdempotency: the same key and body return the first pledge, a different
// body is 409, no key is 400; statements come as CSV on request.
func TestPoolAPIIdempotency(t *testing.T) {
	t.Parallel()
	f := newAuthzFixture(t)
	f.poolFixture(t)
	pool := f.newPool(t, pooling.Public, true)
	alice := f.client("alice")
	body := map[string]any{"budget_id": f.vars["alice_direct_payment"], "limit_pence": 8_000}
	path := "/api/v1/pools/" + pool + "/pledges"

	resp, got := alice.do(http.MethodPost, path, body)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(got), "Idempotency-Key") {
		t.Errorf("no key = %d %s, want 400 naming the header", resp.StatusCode, got)
	}
	resp, first := alice.do(http.MethodPost, path, body, "Idempotency-Key", "k1")
	authzMustStatus(t, resp, first, http.StatusCreated)
	resp, again := alice.do(http.MethodPost, path, body, "Idempotency-Key", "k1")
	authzMustStatus(t, resp, again, http.StatusCreated)
	if a, b := decode[struct{ ID string }](t, first).ID, decode[struct{ ID string }](t, again).ID; a != b {
		t.Errorf("retry made pledge %s, first was %s", b, a)
	}
	body["limit_pence"] = 9_000
	resp, got = alice.do(http.MethodPost, path, body, "Idempotency-Key", "k1")
	if resp.StatusCode != http.StatusConflict || !strings.Contains(string(got), "idempotency-key-reused") {
		t.Errorf("same key, other body = %d %s, want 409 idempotency-key-reused", resp.StatusCode, got)
	}
	resp, got = alice.do(http.MethodPost, path, body, "Idempotency-Key", "k2")
	if resp.StatusCode != http.StatusConflict || !strings.Contains(string(got), "already-pledged") {
		t.Errorf("second pledge = %d %s, want 409 already-pledged", resp.StatusCode, got)
	}
	rep, err := f.m.Pools.Verify(context.Background())
	if err != nil || !rep.OK() {
		t.Errorf("verify: %v %+v", err, rep.Violations)
	}

	resp, got = alice.do(http.MethodGet, "/api/v1/people/me/statement", nil, "Accept", "text/csv")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") || !strings.Contains(string(got), "pledge") {
		t.Errorf("CSV statement = %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), got)
	}
	resp, got = alice.do(http.MethodGet, "/api/v1/people/me/statement?format=xml", nil)
	authzMustStatus(t, resp, got, http.StatusUnprocessableEntity)
}
