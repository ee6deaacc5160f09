package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/carepool/carepool/marketplace/account"
)

func TestDelegationOnlyOneActivePerPairAndRevokedStaysOnRecord(t *testing.T) {
	t.Parallel()
	s, _ := openAccountsForTest(t)
	ctx := context.Background()
	d := account.Delegation{ID: "d1", HolderID: "h", RepresentativeID: "r", Kind: account.DelegationTrustedOther, CreatedAt: accountsT0}
	if err := s.CreateDelegation(ctx, d); err != nil {
		t.Fatal(err)
	}
	second := d
	second.ID, second.Kind = "d2", account.DelegationBroker
	if err := s.CreateDelegation(ctx, second); !errors.Is(err, account.ErrDelegationExists) {
		t.Errorf("second active delegation for the pair: err = %v, want ErrDelegationExists", err)
	}
	active, err := s.ActiveDelegation(ctx, "h", "r")
	if diff := cmp.Diff(d, active); err != nil || diff != "" {
		t.Errorf("ActiveDelegation err = %v, (-want +got):\n%s", err, diff)
	}

	at := accountsT0.Add(time.Hour)
	revoked, err := s.RevokeDelegation(ctx, "d1", "h", at)
	if err != nil || revoked.Active() || !revoked.RevokedAt.Equal(at) || revoked.RevokedBy != "h" {
		t.Fatalf("RevokeDelegation = %+v, %v", revoked, err)
	}
	again, err := s.RevokeDelegation(ctx, "d1", "someone-else", at.Add(time.Hour))
	if err != nil || !again.RevokedAt.Equal(at) || again.RevokedBy != "h" {
		t.Errorf("revoking twice changed the record: %+v, %v", again, err)
	}
	if _, err := s.ActiveDelegation(ctx, "h", "r"); !errors.Is(err, account.ErrDelegationNotFound) {
		t.Errorf("ActiveDelegation after revoke: err = %v, want ErrDelegationNotFound", err)
	}
	// The pair may be delegated afresh once the old one is revoked.
	if err := s.CreateDelegation(ctx, second); err != nil {
		t.Errorf("new delegation after revoke: %v", err)
	}
	all, err := s.DelegationsByHolder(ctx, "h")
	if err != nil || len(all) != 2 {
		t.Errorf("DelegationsByHolder = %d, %v; want 2 (revoked kept)", len(all), err)
	}
	toR, err := s.DelegationsByRepresentative(ctx, "r")
	if err != nil || len(toR) != 2 {
		t.Errorf("DelegationsByRepresentative = %d, %v; want 2", len(toR), err)
	}
	if _, err := s.RevokeDelegation(ctx, "missing", "h", at); !errors.Is(err, account.ErrDelegationNotFound) {
		t.Errorf("revoking a missing delegation: err = %v", err)
	}
}
