package store

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.mongodb.org/mongo-driver/bson"

	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
)

func mustORUKDB(tb testing.TB) *DB {
	tb.Helper()
	db, err := OpenMemory(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = db.Close(context.Background()) })
	return db
}

var orukEpoch = time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)

// importedBatch is a new unclaimed organisation with a staged profile and n draft offers.
func importedBatch(t *testing.T, n int) marketplace.ImportBatch {
	t.Helper()
	orgID := uuid.NewString()
	profile := marketplace.ImportedProfile(orgID, marketplace.ProviderInput{Description: "A community group in Leeds run by local people.",
		Contact: marketplace.Contact{Email: "hello@group.example.org"}, Languages: []string{"en"}}, orukEpoch)
	b := marketplace.ImportBatch{Source: "test", CreateOrg: true, Profile: &profile,
		Org: account.Organisation{ID: orgID, Name: "Leeds Friends Club", Kinds: []account.OrgKind{account.KindCommunityGroup},
			Status: account.StatusActive, CreatedBy: "import", CreatedAt: orukEpoch, UpdatedAt: orukEpoch, Version: 1},
		Links: []marketplace.ImportLink{{Source: "test", Kind: "organization", SourceID: orgID, LocalID: orgID, Hash: "h"}}}
	in := marketplace.OfferInput{Kind: marketplace.KindCommunityActivity, Title: "Friday art and lunch",
		Description: "A relaxed weekly art group with a shared lunch.", Categories: []string{"arts-and-crafts"},
		Where: marketplace.WhereInput{Mode: marketplace.Online}, Price: marketplace.Price{Unit: marketplace.PerSession, AmountPence: 500},
		BudgetForms: []marketplace.BudgetForm{marketplace.DirectPayment}, Languages: []string{"en"}}
	for range n {
		o := marketplace.ImportedOffer(uuid.NewString(), orgID, in, orukEpoch, orukEpoch)
		b.Offers = append(b.Offers, o)
		b.Links = append(b.Links, marketplace.ImportLink{Source: "test", Kind: "service", SourceID: o.ID, LocalID: o.ID, Hash: "h"})
	}
	return b
}

func count(t *testing.T, db *DB, coll string, filter bson.M) int64 {
	t.Helper()
	n, err := db.Collection(coll).CountDocuments(context.Background(), filter)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSaveImportWritesAnOrganisationWithItsOffersOrNothing(t *testing.T) {
	t.Parallel()
	db := mustORUKDB(t)
	m := NewMarketplace(db)
	ctx := context.Background()
	taken := importedBatch(t, 1)
	if err := m.SaveImport(ctx, taken); err != nil {
		t.Fatal(err)
	}

	// The second offer's id is taken: the whole batch must fail and leave nothing.
	b := importedBatch(t, 2)
	b.Offers[1].ID = taken.Offers[0].ID
	if err := m.SaveImport(ctx, b); err == nil {
		t.Fatal("a batch with a taken offer id was saved")
	}
	for coll, filter := range map[string]bson.M{
		collOrganisations: {"_id": b.Org.ID}, collUnclaimed: {"_id": b.Org.ID}, offersCollection: {"_id": b.Offers[0].ID},
		collImportLinks: {"local_id": b.Org.ID}, outboxCollection: {"ref": "offer:" + b.Offers[0].ID},
	} {
		if n := count(t, db, coll, filter); n != 0 {
			t.Errorf("%s holds %d documents of the failed batch", coll, n)
		}
	}

	// What an import writes: an organisation with no owner, its staged profile, drafts.
	good := importedBatch(t, 2)
	if err := m.SaveImport(ctx, good); err != nil {
		t.Fatal(err)
	}
	var org organisationDoc
	if err := db.Collection(collOrganisations).FindOne(ctx, bson.M{"_id": good.Org.ID}).Decode(&org); err != nil || org.OwnerCount != 0 {
		t.Errorf("organisation: %+v, %v", org, err)
	}
	unclaimed, err := m.UnclaimedProviders(ctx)
	if err != nil || len(unclaimed) != 2 || unclaimed[good.Org.ID] == nil || unclaimed[good.Org.ID].Description != good.Profile.Description {
		t.Errorf("unclaimed: %v, %v", unclaimed, err)
	}
	if n := count(t, db, providersCollection, bson.M{"_id": good.Org.ID}); n != 0 {
		t.Error("an unclaimed organisation's profile is live before any claim")
	}
	drafts, err := m.OffersWithStatus(ctx, marketplace.StatusDraft)
	if err != nil || len(drafts) != 3 {
		t.Errorf("%d drafts, %v", len(drafts), err)
	}
	links, err := m.ImportLinks(ctx, "test")
	if err != nil || len(links) != 5 {
		t.Errorf("%d links, %v", len(links), err)
	}
}

func TestAnImportCannotChangeAnOrganisationSomeoneHasClaimed(t *testing.T) {
	t.Parallel()
	db := mustORUKDB(t)
	m, a := NewMarketplace(db), NewAccounts(db)
	ctx := context.Background()
	b := importedBatch(t, 1)
	if err := m.SaveImport(ctx, b); err != nil {
		t.Fatal(err)
	}
	user := mustUser(t, a, "claimant@example.org")
	claim := account.Claim{ID: uuid.NewString(), OrgID: b.Org.ID, UserID: user, Message: "I run it", Status: account.ClaimPending, CreatedAt: orukEpoch}
	if err := a.CreateClaim(ctx, claim); err != nil {
		t.Fatal(err)
	}
	if _, err := a.ApproveClaim(ctx, claim.ID, "admin", orukEpoch); err != nil {
		t.Fatal(err)
	}
	update := b
	update.CreateOrg, update.UpdateOrg, update.Org.Name = false, true, "Renamed by the feed"
	update.Offers[0].Version = 2
	if err := m.SaveImport(ctx, update); !errors.Is(err, marketplace.ErrImportConflict) {
		t.Errorf("SaveImport after the claim = %v, want ErrImportConflict", err)
	}
	if p, err := m.Provider(ctx, b.Org.ID); err != nil || p.Version != 1 {
		t.Errorf("the staged profile did not go live: %+v, %v", p, err)
	}
}

func mustUser(t *testing.T, a *Accounts, email string) string {
	t.Helper()
	u := account.User{ID: uuid.NewString(), Email: email, Name: "Claimant", PasswordHash: "x", CreatedAt: orukEpoch, UpdatedAt: orukEpoch}
	if err := a.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u.ID
}

func TestOfTwoApprovalsRacingForOneOrganisationExactlyOneMakesAnOwner(t *testing.T) {
	t.Parallel()
	db := mustORUKDB(t)
	m, a := NewMarketplace(db), NewAccounts(db)
	ctx := context.Background()
	b := importedBatch(t, 0)
	if err := m.SaveImport(ctx, b); err != nil {
		t.Fatal(err)
	}
	var claims []string
	for i := range 4 {
		c := account.Claim{ID: uuid.NewString(), OrgID: b.Org.ID, UserID: mustUser(t, a, uuid.NewString()+"@example.org"),
			Message: "I run it", Status: account.ClaimPending, CreatedAt: orukEpoch.Add(time.Duration(i) * time.Second)}
		if err := a.CreateClaim(ctx, c); err != nil {
			t.Fatal(err)
		}
		claims = append(claims, c.ID)
	}
	var wg sync.WaitGroup
	errs := make([]error, len(claims))
	for i, id := range claims {
		wg.Go(func() { _, errs[i] = a.ApproveClaim(ctx, id, "admin", orukEpoch) })
	}
	wg.Wait()
	approved := 0
	for _, err := range errs {
		switch {
		case err == nil:
			approved++
		case !errors.Is(err, account.ErrClaimDecided) && !errors.Is(err, account.ErrNotClaimable):
			t.Errorf("a losing approval failed with %v", err)
		}
	}
	if approved != 1 || count(t, db, collMemberships, bson.M{"org_id": b.Org.ID, "role": "owner"}) != 1 {
		t.Fatalf("%d approvals succeeded; owners: %d", approved, count(t, db, collMemberships, bson.M{"org_id": b.Org.ID}))
	}
	pending, err := a.ClaimsByStatus(ctx, account.ClaimPending)
	if err != nil || len(pending) != 0 {
		t.Errorf("claims still pending after one was approved: %v, %v", pending, err)
	}
}

func TestAPersonHasOnePendingClaimPerOrganisation(t *testing.T) {
	t.Parallel()
	db := mustORUKDB(t)
	m, a := NewMarketplace(db), NewAccounts(db)
	ctx := context.Background()
	b := importedBatch(t, 0)
	if err := m.SaveImport(ctx, b); err != nil {
		t.Fatal(err)
	}
	user := mustUser(t, a, "claimant@example.org")
	claim := func() account.Claim {
		return account.Claim{ID: uuid.NewString(), OrgID: b.Org.ID, UserID: user, Message: "I run it", Status: account.ClaimPending, CreatedAt: orukEpoch}
	}
	first := claim()
	if err := a.CreateClaim(ctx, first); err != nil {
		t.Fatal(err)
	}
	if err := a.CreateClaim(ctx, claim()); !errors.Is(err, account.ErrClaimPending) {
		t.Errorf("a second pending claim = %v, want ErrClaimPending", err)
	}
	if _, err := a.RejectClaim(ctx, first.ID, "admin", "We could not reach you.", orukEpoch); err != nil {
		t.Fatal(err)
	}
	if _, err := a.RejectClaim(ctx, first.ID, "admin", "", orukEpoch); !errors.Is(err, account.ErrClaimDecided) {
		t.Errorf("rejecting twice = %v, want ErrClaimDecided", err)
	}
	if err := a.CreateClaim(ctx, claim()); err != nil {
		t.Errorf("a new claim after a rejection = %v", err)
	}
	other := uuid.NewString() // an organisation no import made
	if err := a.CreateClaim(ctx, account.Claim{ID: uuid.NewString(), OrgID: other, UserID: user, Status: account.ClaimPending}); !errors.Is(err, account.ErrNotClaimable) {
		t.Errorf("claiming an organisation that is not unclaimed = %v, want ErrNotClaimable", err)
	}
}
