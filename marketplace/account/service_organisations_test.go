package account_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace/account"
)

func TestCreateOrganisationMakesTheCreatorItsOwner(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ada := f.signUp(t, "ada@example.org", "Ada")
	o := f.org(t, ada, "Friday Art Club", account.KindCommunityGroup, account.KindSmallProvider)
	if o.Version != 1 || o.Status != account.StatusActive {
		t.Errorf("new organisation = %+v, want version 1, active", o)
	}
	a := account.ActorFrom(f.as(t, ada))
	want := []account.Membership{{OrgID: o.ID, OrgName: "Friday Art Club", OrgKinds: o.Kinds, Role: account.RoleOwner}}
	if diff := cmp.Diff(want, a.Memberships); diff != "" {
		t.Errorf("memberships (-want +got):\n%s", diff)
	}
	if !a.HasRole(o.ID, account.RoleOwner) || !a.CanActFor(o.ID, account.RoleOwner) {
		t.Errorf("actor is not owner of the new organisation")
	}
}

func TestCreateOrganisationRules(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ada := f.signUp(t, "ada@example.org", "Ada")
	officer := f.signUp(t, "officer@leeds.gov.example", "Officer")
	admin := f.admin(t, "admin@carepool.example")
	tests := []struct {
		name     string
		as       account.User
		in       account.NewOrganisation
		wantKind apperr.Kind
		fields   []string
	}{
		{"council by a non-admin", ada, account.NewOrganisation{Name: "Leeds", Kinds: []account.OrgKind{account.KindCouncil}}, apperr.Forbidden, nil},
		{"another owner named by a non-admin", ada, account.NewOrganisation{Name: "X", Kinds: []account.OrgKind{account.KindTrust}, OwnerEmail: officer.Email}, apperr.Forbidden, nil},
		{"no kinds", ada, account.NewOrganisation{Name: "X"}, apperr.Invalid, []string{"kinds"}},
		{"unknown kind", ada, account.NewOrganisation{Name: "X", Kinds: []account.OrgKind{"charity"}}, apperr.Invalid, []string{"kinds[0]"}},
		{"kind twice", ada, account.NewOrganisation{Name: "X", Kinds: []account.OrgKind{account.KindSoleTraderPA, account.KindSoleTraderPA}}, apperr.Invalid, []string{"kinds[1]"}},
		{"trust combined with a provider kind", ada, account.NewOrganisation{Name: "X", Kinds: []account.OrgKind{account.KindSmallProvider, account.KindTrust}}, apperr.Invalid, []string{"kinds[1]"}},
		{"no name", ada, account.NewOrganisation{Kinds: []account.OrgKind{account.KindTrust}}, apperr.Invalid, []string{"name"}},
		{"admin naming an unknown owner", admin, account.NewOrganisation{Name: "Leeds", Kinds: []account.OrgKind{account.KindCouncil}, OwnerEmail: "nobody@example.org"}, apperr.Invalid, []string{"owner_email"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.svc.CreateOrganisation(f.as(t, tt.as), tt.in)
			wantKind(t, err, tt.wantKind, "")
			if diff := cmp.Diff(tt.fields, fieldsOf(err)); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("anonymous", func(t *testing.T) {
		_, err := f.svc.CreateOrganisation(context.Background(), account.NewOrganisation{Name: "X", Kinds: []account.OrgKind{account.KindTrust}})
		wantKind(t, err, apperr.Unauthenticated, "")
	})
	t.Run("admin creates a council owned by its officer", func(t *testing.T) {
		o, err := f.svc.CreateOrganisation(f.as(t, admin), account.NewOrganisation{Name: "Leeds City Council", Kinds: []account.OrgKind{account.KindCouncil}, OwnerEmail: "OFFICER@leeds.gov.example"})
		if err != nil {
			t.Fatal(err)
		}
		if !account.ActorFrom(f.as(t, officer)).HasRole(o.ID, account.RoleOwner) {
			t.Error("the named officer is not the council's owner")
		}
		if account.ActorFrom(f.as(t, admin)).MemberOf(o.ID) {
			t.Error("the admin became a member of the council")
		}
	})
}

func TestOrganisationIsPublicInPartAndHiddenWhenSuspended(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ada := f.signUp(t, "ada@example.org", "Ada")
	bob := f.signUp(t, "bob@example.org", "Bob")
	admin := f.admin(t, "admin@carepool.example")
	o := f.org(t, ada, "Art Club", account.KindCommunityGroup)

	_, full, err := f.svc.Organisation(context.Background(), o.ID)
	if err != nil || full {
		t.Errorf("anonymous: full = %v, err = %v; want the public view", full, err)
	}
	if _, full, _ := f.svc.Organisation(f.as(t, ada), o.ID); !full {
		t.Error("owner does not get the full view")
	}
	if _, err := f.svc.SuspendOrganisation(f.as(t, admin), o.ID, account.Suspension{Reason: "Safeguarding report under review"}); err != nil {
		t.Fatal(err)
	}
	for name, ctx := range map[string]context.Context{"anonymous": context.Background(), "outsider": f.as(t, bob)} {
		if _, _, err := f.svc.Organisation(ctx, o.ID); !errors.Is(err, account.ErrOrganisationNotFound) {
			t.Errorf("%s reading a suspended organisation: err = %v, want not found", name, err)
		}
	}
	if _, full, err := f.svc.Organisation(f.as(t, ada), o.ID); err != nil || !full {
		t.Errorf("owner reading own suspended organisation: %v", err)
	}
}

func TestUpdateOrganisationNeedsOwnerAndCurrentVersion(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ada := f.signUp(t, "ada@example.org", "Ada")
	bob := f.signUp(t, "bob@example.org", "Bob")
	o := f.org(t, ada, "Art Club", account.KindCommunityGroup)
	f.addMember(t, ada, o.ID, bob, account.RoleMember)
	name := "Friday Art Club"
	upd := account.OrganisationUpdate{Name: &name, Kinds: []account.OrgKind{account.KindCommunityGroup, account.KindSoleTraderPA}}

	_, err := f.svc.UpdateOrganisation(f.as(t, bob), o.ID, 1, upd)
	wantKind(t, err, apperr.Forbidden, "")
	got, err := f.svc.UpdateOrganisation(f.as(t, ada), o.ID, 1, upd)
	if err != nil {
		t.Fatal(err)
	}
	want := o
	want.Name, want.Kinds, want.Version = name, upd.Kinds, 2
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(account.Organisation{}, "UpdatedAt")); diff != "" {
		t.Errorf("updated (-want +got):\n%s", diff)
	}
	_, err = f.svc.UpdateOrganisation(f.as(t, ada), o.ID, 1, upd)
	wantKind(t, err, apperr.PreconditionFailed, "version-mismatch")

	council := []account.OrgKind{account.KindCouncil}
	_, err = f.svc.UpdateOrganisation(f.as(t, ada), o.ID, 2, account.OrganisationUpdate{Kinds: council})
	wantKind(t, err, apperr.Invalid, "")
}

func TestSuspendAndReinstateAreForAdminsOnly(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ada := f.signUp(t, "ada@example.org", "Ada")
	admin := f.admin(t, "admin@carepool.example")
	o := f.org(t, ada, "Art Club", account.KindCommunityGroup)
	why := account.Suspension{Reason: "Insurance lapsed"}

	_, err := f.svc.SuspendOrganisation(f.as(t, ada), o.ID, why)
	wantKind(t, err, apperr.Forbidden, "")
	_, err = f.svc.SuspendOrganisation(context.Background(), o.ID, why)
	wantKind(t, err, apperr.Unauthenticated, "")
	_, err = f.svc.SuspendOrganisation(f.as(t, admin), o.ID, account.Suspension{})
	wantKind(t, err, apperr.Invalid, "")

	got, err := f.svc.SuspendOrganisation(f.as(t, admin), o.ID, why)
	if err != nil {
		t.Fatal(err)
	}
	wantChange := &account.StatusChange{Status: account.StatusSuspended, Reason: "Insurance lapsed", By: admin.ID, At: f.clock.Now()}
	if diff := cmp.Diff(wantChange, got.LastChange); got.Status != account.StatusSuspended || diff != "" {
		t.Errorf("after suspend: status %s, last change (-want +got):\n%s", got.Status, diff)
	}
	m, _ := account.ActorFrom(f.as(t, ada)).Membership(o.ID)
	if !m.OrgSuspended || account.ActorFrom(f.as(t, ada)).CanActFor(o.ID, account.RoleOwner) {
		t.Error("the owner of a suspended organisation can still act for it")
	}
	_, err = f.svc.SuspendOrganisation(f.as(t, admin), o.ID, why)
	wantKind(t, err, apperr.Conflict, "already-suspended")
	name := "New name"
	_, err = f.svc.UpdateOrganisation(f.as(t, ada), o.ID, got.Version, account.OrganisationUpdate{Name: &name})
	wantKind(t, err, apperr.Conflict, "organisation-suspended")

	back, err := f.svc.ReinstateOrganisation(f.as(t, admin), o.ID, account.Suspension{})
	if err != nil || back.Status != account.StatusActive || back.Version != got.Version+1 {
		t.Errorf("reinstate = %+v, %v", back, err)
	}
	_, err = f.svc.ReinstateOrganisation(f.as(t, admin), o.ID, account.Suspension{})
	wantKind(t, err, apperr.Conflict, "not-suspended")
	_, err = f.svc.ReinstateOrganisation(f.as(t, admin), "missing", account.Suspension{})
	wantKind(t, err, apperr.NotFound, "")
}
