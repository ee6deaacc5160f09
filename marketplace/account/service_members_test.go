package account_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace/account"
)

func TestMembersAddListAndRemove(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ada := f.signUp(t, "ada@example.org", "Ada")
	bob := f.signUp(t, "bob@example.org", "Bob")
	o := f.org(t, ada, "Art Club", account.KindCommunityGroup)
	f.clock.Advance(time.Minute) // members are listed in the order they joined

	added, err := f.svc.AddMember(f.as(t, ada), o.ID, account.NewMember{Email: "BOB@example.org"})
	if err != nil {
		t.Fatal(err)
	}
	if added.Role != account.RoleMember || added.Name != "Bob" {
		t.Errorf("added = %+v, want Bob as member (the default role)", added)
	}
	_, err = f.svc.AddMember(f.as(t, ada), o.ID, account.NewMember{Email: bob.Email})
	wantKind(t, err, apperr.Conflict, "already-member")

	got, err := f.svc.Members(f.as(t, bob), o.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []account.MemberView{
		{UserID: ada.ID, Name: "Ada", Role: account.RoleOwner, AddedAt: o.CreatedAt},
		{UserID: bob.ID, Name: "Bob", Role: account.RoleMember, AddedAt: added.AddedAt},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("members (-want +got):\n%s", diff)
	}
	if err := f.svc.RemoveMember(f.as(t, ada), o.ID, bob.ID); err != nil {
		t.Fatalf("owner removing a member: %v", err)
	}
	if account.ActorFrom(f.as(t, bob)).MemberOf(o.ID) {
		t.Error("removed member still belongs")
	}
}

func TestMembersRules(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ada := f.signUp(t, "ada@example.org", "Ada")
	bob := f.signUp(t, "bob@example.org", "Bob")
	cat := f.signUp(t, "cat@example.org", "Cat")
	admin := f.admin(t, "admin@carepool.example")
	o := f.org(t, ada, "Art Club", account.KindCommunityGroup)
	f.addMember(t, ada, o.ID, bob, account.RoleMember)

	t.Run("outsiders cannot see the member list", func(t *testing.T) {
		_, err := f.svc.Members(f.as(t, cat), o.ID)
		wantKind(t, err, apperr.Forbidden, "")
		_, err = f.svc.Members(context.Background(), o.ID)
		wantKind(t, err, apperr.Unauthenticated, "")
	})
	t.Run("admins can see the member list", func(t *testing.T) {
		if ms, err := f.svc.Members(f.as(t, admin), o.ID); err != nil || len(ms) != 2 {
			t.Errorf("admin Members = %d, %v", len(ms), err)
		}
	})
	t.Run("members cannot add members", func(t *testing.T) {
		_, err := f.svc.AddMember(f.as(t, bob), o.ID, account.NewMember{Email: cat.Email})
		wantKind(t, err, apperr.Forbidden, "")
	})
	t.Run("commissioner is a council role only", func(t *testing.T) {
		_, err := f.svc.AddMember(f.as(t, ada), o.ID, account.NewMember{Email: cat.Email, Role: account.RoleCommissioner})
		wantKind(t, err, apperr.Invalid, "")
		if diff := cmp.Diff([]string{"role"}, fieldsOf(err)); diff != "" {
			t.Errorf("fields (-want +got):\n%s", diff)
		}
	})
	t.Run("an unknown email is a field error", func(t *testing.T) {
		_, err := f.svc.AddMember(f.as(t, ada), o.ID, account.NewMember{Email: "nobody@example.org"})
		if diff := cmp.Diff([]string{"email"}, fieldsOf(err)); diff != "" {
			t.Errorf("fields (-want +got):\n%s", diff)
		}
	})
	t.Run("members cannot remove others but may leave", func(t *testing.T) {
		err := f.svc.RemoveMember(f.as(t, bob), o.ID, ada.ID)
		wantKind(t, err, apperr.Forbidden, "")
		f.addMember(t, ada, o.ID, cat, account.RoleMember)
		if err := f.svc.RemoveMember(f.as(t, cat), o.ID, cat.ID); err != nil {
			t.Errorf("member leaving: %v", err)
		}
	})
	t.Run("the last owner cannot be removed, even by themselves", func(t *testing.T) {
		err := f.svc.RemoveMember(f.as(t, ada), o.ID, ada.ID)
		if !errors.Is(err, account.ErrLastOwner) {
			t.Errorf("last owner leaving: err = %v, want ErrLastOwner", err)
		}
		err = f.svc.RemoveMember(f.as(t, admin), o.ID, ada.ID)
		wantKind(t, err, apperr.Conflict, "last-owner")
	})
	t.Run("with a second owner the first may leave", func(t *testing.T) {
		f.addMember(t, ada, o.ID, cat, account.RoleOwner)
		if err := f.svc.RemoveMember(f.as(t, ada), o.ID, ada.ID); err != nil {
			t.Errorf("owner leaving with another owner present: %v", err)
		}
		err := f.svc.RemoveMember(f.as(t, cat), o.ID, cat.ID)
		wantKind(t, err, apperr.Conflict, "last-owner")
	})
	t.Run("removing a non-member is not found", func(t *testing.T) {
		err := f.svc.RemoveMember(f.as(t, cat), o.ID, ada.ID)
		wantKind(t, err, apperr.NotFound, "")
	})
}

func TestCouncilsHaveCommissioners(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	officer := f.signUp(t, "officer@leeds.gov.example", "Officer")
	com := f.signUp(t, "com@leeds.gov.example", "Commissioner")
	admin := f.admin(t, "admin@carepool.example")
	council, err := f.svc.CreateOrganisation(f.as(t, admin), account.NewOrganisation{Name: "Leeds", Kinds: []account.OrgKind{account.KindCouncil}, OwnerEmail: officer.Email})
	if err != nil {
		t.Fatal(err)
	}
	f.addMember(t, officer, council.ID, com, account.RoleCommissioner)
	a := account.ActorFrom(f.as(t, com))
	if !a.CanActFor(council.ID, account.RoleCommissioner) || a.HasRole(council.ID, account.RoleOwner) {
		t.Errorf("commissioner memberships = %+v", a.Memberships)
	}
	if diff := cmp.Diff([]string{council.ID}, a.OrgsOfKind(account.KindCouncil, account.RoleCommissioner)); diff != "" {
		t.Errorf("OrgsOfKind (-want +got):\n%s", diff)
	}
}
