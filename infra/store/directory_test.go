package store

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace/account"
)

// mustCreateOrganisation stores an organisation the way the account service does.
func mustCreateOrganisation(t *testing.T, db *DB, name string, kinds ...account.OrgKind) account.Organisation {
	t.Helper()
	now := time.Now().UTC().Truncate(time.Millisecond)
	o := account.Organisation{ID: uuid.NewString(), Name: name, Kinds: kinds, Status: account.StatusActive,
		CreatedBy: "u-" + name, CreatedAt: now, UpdatedAt: now, Version: 1}
	owner := account.Member{ID: uuid.NewString(), OrgID: o.ID, UserID: "u-" + name, Role: account.RoleOwner, AddedBy: "u-" + name, AddedAt: now}
	if err := NewAccounts(db).CreateOrganisation(context.Background(), o, owner); err != nil {
		t.Fatalf("create organisation %s: %v", name, err)
	}
	return o
}

func mustSuspend(t *testing.T, db *DB, o account.Organisation) account.Organisation {
	t.Helper()
	at := time.Now().UTC().Truncate(time.Millisecond)
	o.Status, o.UpdatedAt = account.StatusSuspended, at
	o.LastChange = &account.StatusChange{Status: account.StatusSuspended, Reason: "safeguarding concern", By: "admin", At: at}
	o, err := NewAccounts(db).UpdateOrganisation(context.Background(), o)
	if err != nil {
		t.Fatalf("suspend %s: %v", o.Name, err)
	}
	return o
}

func TestDirectoryOrganisationReadsWhatTheAccountStoreWrote(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenMarketDB(t)
	dir := NewDirectory(db)
	art := mustCreateOrganisation(t, db, "Headingley Art Group", account.KindCommunityGroup, account.KindSoleTraderPA)
	council := mustCreateOrganisation(t, db, "Leeds City Council", account.KindCouncil)
	suspended := mustSuspend(t, db, mustCreateOrganisation(t, db, "Closed Care Ltd", account.KindSmallProvider))

	for _, want := range []account.Organisation{art, council, suspended} {
		got, err := dir.Organisation(ctx, want.ID)
		if err != nil {
			t.Fatalf("Organisation(%s): %v", want.Name, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Organisation(%s) (-want +got):\n%s", want.Name, diff)
		}
	}
	if !suspended.Suspended() || suspended.Version != 2 {
		t.Errorf("suspended organisation: status %s version %d, want suspended at version 2", suspended.Status, suspended.Version)
	}
}

func TestDirectoryOrganisationOfAnUnknownIDIsNotFound(t *testing.T) {
	t.Parallel()
	db := mustOpenMarketDB(t)
	mustCreateOrganisation(t, db, "Headingley Art Group", account.KindCommunityGroup)
	for _, id := range []string{uuid.NewString(), "", "not-an-id"} {
		_, err := NewDirectory(db).Organisation(context.Background(), id)
		if !apperr.Is(err, apperr.NotFound) {
			t.Errorf("Organisation(%q) error = %v, want NotFound", id, err)
		}
	}
}

func TestDirectorySuspendedOrganisationIDsListsOnlySuspendedOnes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenMarketDB(t)
	dir := NewDirectory(db)

	got, err := dir.SuspendedOrganisationIDs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got == nil || len(got) != 0 {
		t.Errorf("SuspendedOrganisationIDs() of an empty store = %#v, want an empty list", got)
	}

	a := mustCreateOrganisation(t, db, "A", account.KindSmallProvider)
	b := mustCreateOrganisation(t, db, "B", account.KindTrust)
	mustCreateOrganisation(t, db, "C", account.KindSmallProvider)
	mustSuspend(t, db, a)
	b = mustSuspend(t, db, b)
	want := []string{a.ID, b.ID}
	if want[0] > want[1] {
		want[0], want[1] = want[1], want[0]
	}
	got, err = dir.SuspendedOrganisationIDs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("SuspendedOrganisationIDs() (-want +got):\n%s", diff)
	}

	// Reinstating takes an organisation off the list.
	b.Status, b.LastChange = account.StatusActive, nil
	if _, err := NewAccounts(db).UpdateOrganisation(ctx, b); err != nil {
		t.Fatal(err)
	}
	got, err = dir.SuspendedOrganisationIDs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{a.ID}, got); diff != "" {
		t.Errorf("after reinstating B (-want +got):\n%s", diff)
	}
}
