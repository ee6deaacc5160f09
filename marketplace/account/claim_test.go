package account_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/infra/store"
	"github.com/carepool/carepool/infra/store/storetest"
	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
)

// claimWorld is a store with one organisation an import created, and people to claim it.
type claimWorld struct {
	claims   *account.Claims
	accounts *account.Service
	orgID    string
	db       *store.DB
}

func newClaimWorld(t *testing.T) *claimWorld {
	t.Helper()
	ctx := context.Background()
	db := storetest.Open(t)
	at := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	orgID := uuid.NewString()
	err := store.NewMarketplace(db).SaveImport(ctx, marketplace.ImportBatch{Source: "test", CreateOrg: true,
		Org: account.Organisation{ID: orgID, Name: "Bramley Neighbours", Kinds: []account.OrgKind{account.KindCommunityGroup},
			Status: account.StatusActive, CreatedAt: at, UpdatedAt: at, Version: 1},
		Links: []marketplace.ImportLink{{Source: "test", Kind: "organization", SourceID: orgID, LocalID: orgID}}})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := account.NewService(store.NewAccounts(db), account.Config{Password: account.TestPasswordParams})
	if err != nil {
		t.Fatal(err)
	}
	return &claimWorld{claims: account.NewClaims(store.NewAccounts(db), func() time.Time { return at }), accounts: svc, orgID: orgID, db: db}
}

// person signs someone up and returns a context acting as them.
func (w *claimWorld) person(t *testing.T, name string) context.Context {
	t.Helper()
	s, err := w.accounts.SignUp(context.Background(), account.SignUp{Email: strings.ToLower(name) + "@example.org", Password: "a long enough password", Name: name})
	if err != nil {
		t.Fatal(err)
	}
	a, err := w.accounts.ActorForSession(context.Background(), s.Secret)
	if err != nil {
		t.Fatal(err)
	}
	return account.WithActor(context.Background(), a)
}

func (w *claimWorld) admin(t *testing.T) context.Context {
	t.Helper()
	ctx := w.person(t, "Ada")
	if err := w.accounts.SetAdmin(context.Background(), "ada@example.org", true); err != nil {
		t.Fatal(err)
	}
	a := *account.ActorFrom(ctx)
	a.Admin = true
	return account.WithActor(context.Background(), &a)
}

func kindOf(err error) apperr.Kind { return apperr.KindOf(err) }

func TestAnApprovedClaimMakesTheRequesterTheOwner(t *testing.T) {
	t.Parallel()
	w := newClaimWorld(t)
	mo, jo, admin := w.person(t, "Mo"), w.person(t, "Jo"), w.admin(t)
	mine, err := w.claims.Request(mo, w.orgID, account.NewClaim{Message: "  I am the manager of Bramley Neighbours.  "})
	if err != nil {
		t.Fatal(err)
	}
	if mine.Status != account.ClaimPending || mine.OrgName != "Bramley Neighbours" || mine.RequesterName != "Mo" || mine.Message != "I am the manager of Bramley Neighbours." {
		t.Errorf("claim = %+v", mine)
	}
	rival, err := w.claims.Request(jo, w.orgID, account.NewClaim{Message: "I volunteer there on Tuesdays."})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.claims.Approve(mo, mine.ID); kindOf(err) != apperr.Forbidden {
		t.Errorf("the requester approving their own claim = %v, want Forbidden", err)
	}
	pending, err := w.claims.List(admin, account.ClaimPending)
	if err != nil || len(pending) != 2 {
		t.Fatalf("pending: %v, %v", pending, err)
	}
	got, err := w.claims.Approve(admin, mine.ID)
	if err != nil || got.Status != account.ClaimApproved || got.DecidedAt == nil {
		t.Fatalf("approve = %+v, %v", got, err)
	}
	members, err := w.accounts.Members(admin, w.orgID)
	if err != nil || len(members) != 1 || members[0].Name != "Mo" || members[0].Role != account.RoleOwner {
		t.Errorf("members after the approval: %+v, %v", members, err)
	}
	jos, err := w.claims.Mine(jo)
	if err != nil || len(jos) != 1 || jos[0].ID != rival.ID || jos[0].Status != account.ClaimRejected || jos[0].Reason == "" {
		t.Errorf("the rival claim after the approval: %+v, %v", jos, err)
	}
	if _, err := w.claims.Approve(admin, mine.ID); err == nil || !strings.Contains(err.Error(), "already been decided") {
		t.Errorf("approving twice = %v", err)
	}
	if _, err := w.claims.Request(w.person(t, "Late"), w.orgID, account.NewClaim{Message: "I also run it, honestly."}); kindOf(err) != apperr.Conflict {
		t.Errorf("claiming an owned organisation = %v, want Conflict", err)
	}
}

func TestClaimRequestsAreChecked(t *testing.T) {
	t.Parallel()
	w := newClaimWorld(t)
	mo := w.person(t, "Mo")
	tests := []struct {
		name string
		ctx  context.Context
		org  string
		msg  string
		want apperr.Kind
	}{
		{"nobody logged in", context.Background(), w.orgID, "I run Bramley Neighbours.", apperr.Unauthenticated},
		{"no message", mo, w.orgID, "  ", apperr.Invalid},
		{"an organisation that does not exist", mo, uuid.NewString(), "I run Bramley Neighbours.", apperr.NotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, err := w.claims.Request(tt.ctx, tt.org, account.NewClaim{Message: tt.msg}); kindOf(err) != tt.want {
				t.Errorf("Request = %v, want kind %d", err, tt.want)
			}
		})
	}
	if _, err := w.claims.Request(mo, w.orgID, account.NewClaim{Message: "I run Bramley Neighbours."}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.claims.Request(mo, w.orgID, account.NewClaim{Message: "Me again, still running it."}); kindOf(err) != apperr.Conflict {
		t.Errorf("a second pending claim = %v, want Conflict", err)
	}
}

func TestARejectedClaimTellsTheRequesterWhy(t *testing.T) {
	t.Parallel()
	w := newClaimWorld(t)
	mo, admin := w.person(t, "Mo"), w.admin(t)
	c, err := w.claims.Request(mo, w.orgID, account.NewClaim{Message: "I run Bramley Neighbours."})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.claims.List(mo, account.ClaimPending); kindOf(err) != apperr.Forbidden {
		t.Errorf("a person listing every claim = %v, want Forbidden", err)
	}
	if _, err := w.claims.List(admin, "maybe"); kindOf(err) != apperr.Invalid {
		t.Errorf("an unknown status = %v, want Invalid", err)
	}
	if _, err := w.claims.Reject(admin, c.ID, "We could not reach you on the number the charity register gives."); err != nil {
		t.Fatal(err)
	}
	mine, err := w.claims.Mine(mo)
	if err != nil {
		t.Fatal(err)
	}
	want := []account.ClaimStatus{account.ClaimRejected}
	var got []account.ClaimStatus
	for _, c := range mine {
		got = append(got, c.Status)
	}
	if diff := cmp.Diff(want, got); diff != "" || mine[0].Reason != "We could not reach you on the number the charity register gives." {
		t.Errorf("my claims (-want +got):\n%s reason %q", diff, mine[0].Reason)
	}
}
