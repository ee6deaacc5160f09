package privacy_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/carepool/carepool/calendar"
	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/privacy"
)

// delegate lets rep act for holder as a trusted other.
func (e *env) delegate(t testing.TB, holder, rep *person) {
	t.Helper()
	if _, err := e.accounts.GrantDelegation(holder.ctx(t), account.NewDelegation{RepresentativeEmail: rep.email, Kind: account.DelegationTrustedOther}); err != nil {
		t.Fatal(err)
	}
}

func TestExportHoldsThePersonsDataAndNothingOfAnyoneElses(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	alice, bob := e.person(t, "Alice Holder"), e.person(t, "Bob Helper")
	e.delegate(t, alice, bob)
	own := e.pledge(t, alice, e.openPool(t, e.provider, "Art for Alice").ID, alice.budget)
	forAlice := e.pledge(t, bob, e.openPool(t, e.provider, "Art on Fridays").ID, alice.budget) // Bob acts for Alice
	bobs := e.pledge(t, bob, e.openPool(t, e.provider, "Bob's own art").ID, bob.budget)
	if _, err := e.cal.CreateFeed(alice.ctx(t)); err != nil {
		t.Fatal(err)
	}

	x, err := e.svc.Export(alice.ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	pledgeIDs := func(x privacy.Export) []string {
		var ids []string
		for _, p := range x.Pledges {
			ids = append(ids, p.ID)
		}
		slices.Sort(ids)
		return ids
	}
	want := []string{own.ID, forAlice.ID}
	slices.Sort(want)
	if diff := cmp.Diff(want, pledgeIDs(x)); diff != "" {
		t.Errorf("alice's pledges (-want +got):\n%s", diff)
	}
	if x.Account.Email != alice.email || x.Account.Name != alice.name || len(x.APITokens) != 1 || len(x.Sessions) != 1 ||
		len(x.Budgets) != 1 || x.Budgets[0].Budget.ID != alice.budget.ID || len(x.DelegationsGranted) != 1 ||
		x.DelegationsGranted[0].OtherPerson != (privacy.PersonRef{ID: bob.id, Name: bob.name}) || len(x.Emails) == 0 {
		t.Errorf("alice's export is missing her data: %+v", x)
	}
	if st, ok := x.Features["calendar_feed"].(calendar.FeedStatus); !ok || !st.On {
		t.Errorf("calendar feed in the export: %#v", x.Features["calendar_feed"])
	}
	body, err := json.Marshal(x)
	if err != nil {
		t.Fatal(err)
	}
	for _, other := range []string{bob.email, e.provider.email, bobs.ID, bob.budget.ID, "session_hash", "token_hash", alice.apiSecret, alice.session} {
		if strings.Contains(string(body), other) {
			t.Errorf("alice's export holds %q", other)
		}
	}

	// Bob's export has the pledge he made for Alice as something he did, not as his.
	y, err := e.svc.Export(bob.ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{bobs.ID}, pledgeIDs(y)); diff != "" {
		t.Errorf("bob's pledges (-want +got):\n%s", diff)
	}
	if len(y.PledgesForOthers) != 1 || y.PledgesForOthers[0].PledgeID != forAlice.ID || y.PledgesForOthers[0].HolderID != alice.id {
		t.Errorf("bob's pledges for others: %+v", y.PledgesForOthers)
	}
	body, _ = json.Marshal(y)
	for _, other := range []string{alice.email, alice.budget.ID, own.ID} {
		if strings.Contains(string(body), other) {
			t.Errorf("bob's export holds alice's %q", other)
		}
	}
	if _, err := e.svc.Export(context.Background()); !errors.Is(err, apperr.ErrUnauthenticated) {
		t.Errorf("anonymous export: %v", err)
	}
}

// blockedFields returns the fields at fault of a refused deletion.
func blockedFields(t testing.TB, err error) []string {
	t.Helper()
	ae, ok := apperr.As(err)
	if !ok || ae.Kind != apperr.Conflict || ae.Code != "account-deletion-blocked" {
		t.Fatalf("err = %v, want account-deletion-blocked", err)
	}
	var out []string
	for _, f := range ae.Fields {
		if f.Message == "" {
			t.Errorf("%s has no message", f.Field)
		}
		out = append(out, f.Field)
	}
	slices.Sort(out)
	return out
}

func TestDeleteIsRefusedWhileMoneyIsInFlightOrAnOrganisationWouldLoseItsOwner(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	alice := e.person(t, "Alice Holder")
	pool := e.openPool(t, alice, "Art with Alice") // she organises it on her own
	pledge := e.pledge(t, alice, pool.ID, alice.budget)
	org := alice.organisation(t, "Alice's Group")

	err := e.svc.Delete(alice.ctx(t), password)
	want := []string{"organisations." + org.ID, "pledges." + pledge.ID, "pools." + pool.ID}
	if diff := cmp.Diff(want, blockedFields(t, err)); diff != "" {
		t.Errorf("what is in the way (-want +got):\n%s", diff)
	}
	bs, err := e.svc.Blockers(alice.ctx(t))
	if err != nil || len(bs) != 3 {
		t.Errorf("Blockers = %+v, %v", bs, err)
	}
	if _, err := e.accounts.LogIn(context.Background(), account.Credentials{Email: alice.email, Password: password}, "192.0.2.1"); err != nil {
		t.Errorf("a refused deletion still logs in: %v", err)
	}

	// Once she withdraws, cancels her pool and adds another owner, she can go.
	if _, err := e.pools.Withdraw(alice.ctx(t), pledge.ID, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := e.pools.CancelPool(alice.ctx(t), pool.ID, "Not enough interest.", ""); err != nil {
		t.Fatal(err)
	}
	carol := e.person(t, "Carol Coowner")
	if _, err := e.accounts.AddMember(alice.ctx(t), org.ID, account.NewMember{Email: carol.email, Role: account.RoleOwner}); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Delete(alice.ctx(t), password); err != nil {
		t.Fatalf("delete after clearing the way: %v", err)
	}
}

func TestDeleteRefusesAWrongPasswordAndLimitsGuesses(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	alice := e.person(t, "Alice Holder")
	ctx := alice.ctx(t)
	if err := e.svc.Delete(ctx, ""); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("no password: %v", err)
	}
	for i := range account.DefaultLoginAttempts {
		err := e.svc.Delete(ctx, "not my password")
		if ae, ok := apperr.As(err); !ok || ae.Kind != apperr.Invalid || len(ae.Fields) != 1 || ae.Fields[0].Field != "password" {
			t.Fatalf("wrong password %d: %v", i+1, err)
		}
	}
	if err := e.svc.Delete(ctx, password); !apperr.Is(err, apperr.RateLimited) {
		t.Errorf("after %d wrong passwords even the right one: %v, want rate limited", account.DefaultLoginAttempts, err)
	}
	if _, err := e.accounts.Me(ctx); err != nil {
		t.Errorf("the account is gone after wrong passwords: %v", err)
	}
}

func TestDeleteErasesTheAccountAndKeepsTheLedgerWhole(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	alice, bob := e.person(t, "Alice Deleteme"), e.person(t, "Bob Helper")
	e.delegate(t, alice, bob)
	e.delegate(t, bob, alice)
	pledge := e.pledge(t, alice, e.openPool(t, e.provider, "Art on Fridays").ID, alice.budget)
	if _, err := e.pools.Withdraw(alice.ctx(t), pledge.ID, ""); err != nil {
		t.Fatal(err)
	}
	feed, err := e.cal.CreateFeed(alice.ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	ctx := alice.ctx(t)
	if err := e.svc.Delete(ctx, password); err != nil {
		t.Fatal(err)
	}

	bg := context.Background()
	if _, err := e.accounts.LogIn(bg, account.Credentials{Email: alice.email, Password: password}, "192.0.2.1"); !errors.Is(err, account.ErrInvalidCredentials) {
		t.Errorf("log in after deletion: %v", err)
	}
	if _, err := e.accounts.ActorForSession(bg, alice.session); err == nil {
		t.Error("the session still works")
	}
	if _, err := e.accounts.ActorForToken(bg, alice.apiSecret); err == nil {
		t.Error("the API token still works")
	}
	secret := strings.TrimSuffix(feed.URL[strings.LastIndex(feed.URL, "/")+1:], ".ics")
	if _, err := e.cal.PersonalFeed(bg, secret); !errors.Is(err, calendar.ErrFeedNotFound) {
		t.Errorf("the calendar feed still works: %v", err)
	}
	for _, s := range []string{alice.email, alice.name} {
		if found := e.storeHolds(t, s); len(found) > 0 {
			t.Errorf("the store still holds %q:\n%s", s, strings.Join(found, "\n"))
		}
	}
	reps, err := e.accounts.DelegationsToMe(bob.ctx(t))
	if err != nil || len(reps) != 1 || reps[0].Active() {
		t.Errorf("bob still acts for the deleted account: %+v %v", reps, err)
	}
	if _, err := e.accounts.SignUp(bg, account.SignUp{Email: alice.email, Password: password, Name: "Alice Again"}); err != nil {
		t.Errorf("the address cannot open a new account: %v", err)
	}
	// The withdrawn pledge and its ledger entries stay, under her id: Verify (at cleanup)
	// checks every balance still balances.
	if n := len(e.storeHolds(t, alice.id)); n == 0 {
		t.Error("nothing refers to the deleted account's id: the financial records were lost")
	}
}
