package account_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace/account"
)

func TestDelegationGrantListRevoke(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	holder := f.signUp(t, "holder@example.org", "Holder")
	rep := f.signUp(t, "sister@example.org", "Sister")

	d, err := f.svc.GrantDelegation(f.as(t, holder), account.NewDelegation{RepresentativeEmail: "Sister@example.org", Kind: account.DelegationTrustedOther})
	if err != nil {
		t.Fatal(err)
	}
	want := account.DelegationView{
		Delegation: account.Delegation{ID: d.ID, HolderID: holder.ID, RepresentativeID: rep.ID, Kind: account.DelegationTrustedOther, CreatedAt: f.clock.Now()},
		Holder:     account.Person{ID: holder.ID, Name: "Holder"}, Representative: account.Person{ID: rep.ID, Name: "Sister"},
	}
	if diff := cmp.Diff(want, d); diff != "" {
		t.Errorf("granted (-want +got):\n%s", diff)
	}
	granted, err := f.svc.DelegationsGranted(f.as(t, holder))
	if diff := cmp.Diff([]account.DelegationView{want}, granted); err != nil || diff != "" {
		t.Errorf("DelegationsGranted err = %v (-want +got):\n%s", err, diff)
	}
	toMe, err := f.svc.DelegationsToMe(f.as(t, rep))
	if diff := cmp.Diff([]account.DelegationView{want}, toMe); err != nil || diff != "" {
		t.Errorf("DelegationsToMe err = %v (-want +got):\n%s", err, diff)
	}
	if active, err := f.svc.ActiveDelegation(context.Background(), holder.ID, rep.ID); err != nil || active.ID != d.ID {
		t.Errorf("ActiveDelegation = %+v, %v", active, err)
	}
	_, err = f.svc.GrantDelegation(f.as(t, holder), account.NewDelegation{RepresentativeEmail: rep.Email, Kind: account.DelegationTrustee})
	wantKind(t, err, apperr.Conflict, "delegation-exists")

	if err := f.svc.RevokeDelegation(f.as(t, rep), d.ID); !errors.Is(err, account.ErrDelegationNotFound) {
		t.Errorf("representative revoking: err = %v, want not found (only the holder revokes here)", err)
	}
	if err := f.svc.RevokeDelegation(f.as(t, holder), d.ID); err != nil {
		t.Fatalf("RevokeDelegation: %v", err)
	}
	if _, err := f.svc.ActiveDelegation(context.Background(), holder.ID, rep.ID); !errors.Is(err, account.ErrDelegationNotFound) {
		t.Errorf("ActiveDelegation after revoke: err = %v, want ErrDelegationNotFound", err)
	}
	kept, _ := f.svc.DelegationsGranted(f.as(t, holder))
	if len(kept) != 1 || kept[0].Active() || !kept[0].RevokedAt.Equal(f.clock.Now()) || kept[0].RevokedBy != holder.ID {
		t.Errorf("revoked delegation record = %+v, want it kept with revoked_at and revoked_by", kept)
	}
}

func TestDelegationRules(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	holder := f.signUp(t, "holder@example.org", "Holder")
	broker := f.signUp(t, "broker@example.org", "Broker")
	other := f.signUp(t, "other@example.org", "Other")
	brokerage := f.org(t, broker, "Brokers Ltd", account.KindBrokerage)
	trust := f.org(t, other, "A Trust", account.KindTrust)
	f.addMember(t, other, trust.ID, broker, account.RoleMember)
	ctx := f.as(t, holder)
	tests := []struct {
		name   string
		in     account.NewDelegation
		fields []string
	}{
		{"to oneself", account.NewDelegation{RepresentativeEmail: holder.Email, Kind: account.DelegationTrustee}, []string{"representative_email"}},
		{"to an unknown email", account.NewDelegation{RepresentativeEmail: "nobody@example.org", Kind: account.DelegationTrustee}, []string{"representative_email"}},
		{"of an unknown kind", account.NewDelegation{RepresentativeEmail: broker.Email, Kind: "friend"}, []string{"kind"}},
		{"brokerage for a trustee", account.NewDelegation{RepresentativeEmail: broker.Email, Kind: account.DelegationTrustee, BrokerageID: brokerage.ID}, []string{"brokerage_id"}},
		{"broker not in the brokerage", account.NewDelegation{RepresentativeEmail: other.Email, Kind: account.DelegationBroker, BrokerageID: brokerage.ID}, []string{"brokerage_id"}},
		{"brokerage that is not a brokerage", account.NewDelegation{RepresentativeEmail: broker.Email, Kind: account.DelegationBroker, BrokerageID: trust.ID}, []string{"brokerage_id"}},
		{"brokerage that does not exist", account.NewDelegation{RepresentativeEmail: broker.Email, Kind: account.DelegationBroker, BrokerageID: "missing"}, []string{"brokerage_id"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.svc.GrantDelegation(ctx, tt.in)
			wantKind(t, err, apperr.Invalid, "")
			if diff := cmp.Diff(tt.fields, fieldsOf(err)); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("a broker in the brokerage", func(t *testing.T) {
		d, err := f.svc.GrantDelegation(ctx, account.NewDelegation{RepresentativeEmail: broker.Email, Kind: account.DelegationBroker, BrokerageID: brokerage.ID})
		if err != nil || d.BrokerageID != brokerage.ID {
			t.Errorf("GrantDelegation = %+v, %v", d, err)
		}
	})
	t.Run("anonymous", func(t *testing.T) {
		_, err := f.svc.DelegationsGranted(context.Background())
		wantKind(t, err, apperr.Unauthenticated, "")
	})
}
