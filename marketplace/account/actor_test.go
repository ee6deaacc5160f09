package account

import (
	"context"
	"testing"

	"github.com/carepool/carepool/infra/apperr"
)

func TestActorFromAContextWithoutOneIsAnonymous(t *testing.T) {
	t.Parallel()
	a := ActorFrom(context.Background())
	if a == nil || !a.Anonymous() || a.IsAdmin() || a.MemberOf("any") {
		t.Fatalf("ActorFrom(empty) = %+v, want a non-nil anonymous actor", a)
	}
	if err := a.RequireUser(); err != apperr.ErrUnauthenticated {
		t.Errorf("RequireUser = %v, want ErrUnauthenticated", err)
	}
	if got := ActorFrom(WithActor(context.Background(), nil)); got == nil || !got.Anonymous() {
		t.Errorf("ActorFrom(WithActor(nil)) = %+v, want anonymous", got)
	}
}

func TestActorRoleQuestions(t *testing.T) {
	t.Parallel()
	a := &Actor{UserID: "u1", Memberships: []Membership{
		{OrgID: "art", OrgKinds: []OrgKind{KindCommunityGroup, KindSoleTraderPA}, Role: RoleOwner},
		{OrgID: "leeds", OrgKinds: []OrgKind{KindCouncil}, Role: RoleCommissioner},
		{OrgID: "gone", OrgKinds: []OrgKind{KindTrust}, Role: RoleMember, OrgSuspended: true},
	}}
	got := ActorFrom(WithActor(context.Background(), a))
	tests := []struct {
		name string
		got  bool
		want bool
	}{
		{"logged in", got.RequireUser() == nil, true},
		{"admin flag absent", got.IsAdmin(), false},
		{"member of art", got.MemberOf("art"), true},
		{"member of elsewhere", got.MemberOf("elsewhere"), false},
		{"owner of art", got.HasRole("art", RoleOwner), true},
		{"owner of leeds", got.HasRole("leeds", RoleOwner), false},
		{"commissioner or owner of leeds", got.HasRole("leeds", RoleOwner, RoleCommissioner), true},
		{"member of suspended org", got.HasRole("gone", RoleMember), true},
		{"can act for suspended org", got.CanActFor("gone", RoleMember), false},
		{"can act for art as owner", got.CanActFor("art", RoleOwner), true},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	if ids := got.OrgsOfKind(KindSoleTraderPA); len(ids) != 1 || ids[0] != "art" {
		t.Errorf("OrgsOfKind(sole_trader_pa) = %v", ids)
	}
	if ids := got.OrgsOfRole(RoleOwner); len(ids) != 1 || ids[0] != "art" {
		t.Errorf("OrgsOfRole(owner) = %v", ids)
	}
	if (&Actor{Admin: true}).IsAdmin() {
		t.Error("an anonymous actor with the admin flag counts as admin")
	}
}
