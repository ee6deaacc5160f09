package store

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/carepool/carepool/marketplace/account"
)

func mustCreateOrgForTest(tb testing.TB, s *Accounts, id, ownerID string, kinds ...account.OrgKind) account.Organisation {
	tb.Helper()
	o := account.Organisation{ID: id, Name: "Org " + id, Kinds: kinds, Status: account.StatusActive, CreatedBy: ownerID,
		CreatedAt: accountsT0, UpdatedAt: accountsT0, Version: 1}
	owner := account.Member{ID: id + "-" + ownerID, OrgID: id, UserID: ownerID, Role: account.RoleOwner, AddedBy: ownerID, AddedAt: accountsT0}
	if err := s.CreateOrganisation(context.Background(), o, owner); err != nil {
		tb.Fatalf("create organisation: %v", err)
	}
	return o
}

func TestOrganisationCreateStoresOrgAndOwnerTogether(t *testing.T) {
	t.Parallel()
	s, _ := openAccountsForTest(t)
	ctx := context.Background()
	want := mustCreateOrgForTest(t, s, "o1", "u1", account.KindCommunityGroup, account.KindSoleTraderPA)
	got, err := s.OrganisationByID(ctx, "o1")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("organisation (-want +got):\n%s", diff)
	}
	ms, err := s.MembershipsOf(ctx, "u1")
	if err != nil {
		t.Fatal(err)
	}
	wantMs := []account.Membership{{OrgID: "o1", OrgName: "Org o1", OrgKinds: want.Kinds, Role: account.RoleOwner}}
	if diff := cmp.Diff(wantMs, ms); diff != "" {
		t.Errorf("memberships (-want +got):\n%s", diff)
	}

	// A failed second insert of the same id rolls back its owner membership too.
	dup := account.Member{ID: "other", OrgID: "o1", UserID: "u2", Role: account.RoleOwner, AddedAt: accountsT0}
	if err := s.CreateOrganisation(ctx, want, dup); err == nil {
		t.Fatal("creating an organisation with an existing id succeeded")
	}
	if ms, _ := s.MembershipsOf(ctx, "u2"); len(ms) != 0 {
		t.Errorf("u2 memberships after a failed create = %+v, want none", ms)
	}
}

func TestOrganisationUpdateIsACompareAndSwapOnVersion(t *testing.T) {
	t.Parallel()
	s, _ := openAccountsForTest(t)
	ctx := context.Background()
	o := mustCreateOrgForTest(t, s, "o1", "u1", account.KindTrust)
	o.Name = "Renamed"
	got, err := s.UpdateOrganisation(ctx, o)
	if err != nil || got.Version != 2 || got.Name != "Renamed" {
		t.Fatalf("UpdateOrganisation = %+v, %v; want version 2", got, err)
	}
	if _, err := s.UpdateOrganisation(ctx, o); !errors.Is(err, account.ErrVersionMismatch) {
		t.Errorf("update at a stale version: err = %v, want ErrVersionMismatch", err)
	}
	o.ID = "missing"
	if _, err := s.UpdateOrganisation(ctx, o); !errors.Is(err, account.ErrOrganisationNotFound) {
		t.Errorf("update of a missing organisation: err = %v, want ErrOrganisationNotFound", err)
	}
}

func TestOrganisationMembersAreUniqueAndTheLastOwnerStays(t *testing.T) {
	t.Parallel()
	s, _ := openAccountsForTest(t)
	ctx := context.Background()
	mustCreateOrgForTest(t, s, "o1", "u1", account.KindBrokerage)
	add := func(user string, role account.Role) error {
		return s.AddMember(ctx, account.Member{ID: "m-" + user, OrgID: "o1", UserID: user, Role: role, AddedAt: accountsT0})
	}
	if err := add("u2", account.RoleMember); err != nil {
		t.Fatal(err)
	}
	if err := add("u2", account.RoleOwner); !errors.Is(err, account.ErrAlreadyMember) {
		t.Errorf("adding u2 twice: err = %v, want ErrAlreadyMember", err)
	}
	if err := s.AddMember(ctx, account.Member{ID: "x", OrgID: "nope", UserID: "u2", Role: account.RoleMember}); !errors.Is(err, account.ErrOrganisationNotFound) {
		t.Errorf("adding to a missing organisation: err = %v, want ErrOrganisationNotFound", err)
	}
	if _, err := s.RemoveMember(ctx, "o1", "u1"); !errors.Is(err, account.ErrLastOwner) {
		t.Errorf("removing the only owner: err = %v, want ErrLastOwner", err)
	}
	if _, err := s.RemoveMember(ctx, "o1", "u9"); !errors.Is(err, account.ErrMemberNotFound) {
		t.Errorf("removing a non-member: err = %v, want ErrMemberNotFound", err)
	}
	if _, err := s.RemoveMember(ctx, "o1", "u2"); err != nil {
		t.Errorf("removing a member: %v", err)
	}
	ms, err := s.Members(ctx, "o1")
	if err != nil || len(ms) != 1 || ms[0].UserID != "u1" {
		t.Errorf("members = %+v, %v; want only the owner u1", ms, err)
	}
}

func TestOrganisationOwnersRemovingEachOtherAtOnceLeaveOne(t *testing.T) {
	t.Parallel()
	s, _ := openAccountsForTest(t)
	ctx := context.Background()
	mustCreateOrgForTest(t, s, "o1", "u0", account.KindTrust)
	for _, u := range []string{"u1", "u2", "u3"} {
		if err := s.AddMember(ctx, account.Member{ID: "m-" + u, OrgID: "o1", UserID: u, Role: account.RoleOwner, AddedAt: accountsT0}); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	for _, u := range []string{"u0", "u1", "u2", "u3"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = s.RemoveMember(ctx, "o1", u)
		}()
	}
	wg.Wait()
	ms, err := s.Members(ctx, "o1")
	if err != nil || len(ms) != 1 || ms[0].Role != account.RoleOwner {
		t.Errorf("members after every owner tried to leave = %+v, %v; want exactly one owner", ms, err)
	}
}
