package openreferral_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/carepool/carepool/infra/store"
	"github.com/carepool/carepool/infra/store/storetest"
	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/marketplace/openreferral"
)

func mustDB(t *testing.T) *store.DB {
	t.Helper()
	db := storetest.Open(t)
	return db
}

// feedService is one valid service of another directory, as a JSON object to edit.
func feedService(id, orgID, name string) map[string]any {
	return map[string]any{
		"id": id, "name": name, "status": "active", "last_modified": "2026-10-01T09:00:00.000Z",
		"description": "A friendly lunch club with a hot meal, a quiz and time to chat, every week.",
		"organization": map[string]any{"id": orgID, "name": "Bramley Neighbours", "description": "A small charity run by and for people in Bramley, Leeds.",
			"email": "hello@bramley.example.org", "phones": []any{map[string]any{"id": "0b0c0d0e-0000-4000-8000-000000000001", "number": "0113 496 0001"}}},
		"attributes":   []any{map[string]any{"id": "0b0c0d0e-0000-4000-8000-000000000002", "taxonomy_term": map[string]any{"id": "0b0c0d0e-0000-4000-8000-000000000003", "name": "Lunch club", "description": "Lunch club", "taxonomy": "esdServiceTypes"}}},
		"cost_options": []any{map[string]any{"id": "0b0c0d0e-0000-4000-8000-000000000004", "amount": 6.5, "amount_description": "per person"}},
		"schedules":    []any{map[string]any{"id": "0b0c0d0e-0000-4000-8000-000000000005", "freq": "WEEKLY", "byday": "WE", "opens_at": "12:00:00", "closes_at": "14:00:00"}},
		"languages":    []any{map[string]any{"id": "0b0c0d0e-0000-4000-8000-000000000006", "name": "English", "code": "en"}},
		"service_at_locations": []any{map[string]any{"id": "0b0c0d0e-0000-4000-8000-000000000007", "location": map[string]any{
			"id": "0b0c0d0e-0000-4000-8000-000000000008", "location_type": "physical", "name": "Bramley Community Centre",
			"accessibility": []any{map[string]any{"id": "0b0c0d0e-0000-4000-8000-000000000009", "description": "Wheelchair access to all rooms"}},
			"addresses": []any{map[string]any{"id": "0b0c0d0e-0000-4000-8000-00000000000a", "address_1": "1 Town Street", "city": "Leeds",
				"state_province": "West Yorkshire", "postal_code": "LS13 3AB", "country": "GB", "address_type": "physical"}},
		}}},
	}
}

func decodeFeed(t *testing.T, services ...any) openreferral.Feed {
	t.Helper()
	b, err := json.Marshal(services)
	if err != nil {
		t.Fatal(err)
	}
	feed, err := openreferral.DecodeFeed(b)
	if err != nil {
		t.Fatal(err)
	}
	return feed
}

const (
	orgA  = "a0000000-0000-4000-8000-000000000001"
	orgB  = "b0000000-0000-4000-8000-000000000001"
	good1 = "10000000-0000-4000-8000-000000000001"
	good2 = "10000000-0000-4000-8000-000000000002"
)

func TestAnImportReportsEveryBadRecordByFieldAndImportsTheRest(t *testing.T) {
	t.Parallel()
	edit := func(id string, change func(s map[string]any)) map[string]any {
		s := feedService(id, orgB, "Record "+id[len(id)-2:])
		change(s)
		return s
	}
	location := func(s map[string]any) map[string]any {
		return s["service_at_locations"].([]any)[0].(map[string]any)["location"].(map[string]any)
	}
	tests := []struct {
		name    string
		service map[string]any
		outcome string
		want    []openreferral.Problem
	}{
		{"no name", edit("20000000-0000-4000-8000-000000000001", func(s map[string]any) { delete(s, "name") }), openreferral.Rejected,
			[]openreferral.Problem{{Field: "name", Message: "is required"}}},
		{"a price with a fraction of a penny", edit("20000000-0000-4000-8000-000000000002", func(s map[string]any) {
			s["cost_options"] = []any{map[string]any{"id": "x", "amount": 6.505}}
		}), openreferral.Rejected, []openreferral.Problem{{Field: "cost_options[0].amount", Message: "has a fraction of a penny"}}},
		{"free", edit("20000000-0000-4000-8000-000000000003", func(s map[string]any) { delete(s, "cost_options") }), openreferral.Rejected,
			[]openreferral.Problem{{Field: "cost_options", Message: "no price: Carepool lists paid offers only (the amount is in pounds, such as 12.50)"}}},
		{"a postcode nobody knows", edit("20000000-0000-4000-8000-000000000004", func(s map[string]any) {
			location(s)["addresses"].([]any)[0].(map[string]any)["postal_code"] = "ZZ9 9ZZ"
		}), openreferral.Rejected, []openreferral.Problem{{Field: "service_at_locations[0].location.addresses[0].postal_code", Message: "we do not know the area of this postcode; check the first half (such as LS6)"}}},
		{"a field of the wrong type", edit("20000000-0000-4000-8000-000000000005", func(s map[string]any) { s["languages"] = "English" }), openreferral.Rejected,
			[]openreferral.Problem{{Field: "languages", Message: "must be an array, not string"}}},
		{"no organization", edit("20000000-0000-4000-8000-000000000006", func(s map[string]any) { delete(s, "organization") }), openreferral.Rejected,
			[]openreferral.Problem{{Field: "organization", Message: "is missing: each service needs its organization nested (ask the feed for full=true)"}}},
		{"the same id twice", feedService(good1, orgA, "Copy"), openreferral.Rejected,
			[]openreferral.Problem{{Field: "id", Message: "is the id of record 0 too: each service must have its own"}}},
		{"closed", edit("20000000-0000-4000-8000-000000000007", func(s map[string]any) { s["status"] = "defunct" }), openreferral.Skipped,
			[]openreferral.Problem{{Field: "status", Message: `is "defunct": only active services are imported`}}},
		{"valid, with what was assumed noted", edit("20000000-0000-4000-8000-000000000008", func(s map[string]any) {}), openreferral.Created, nil},
	}
	services := []any{feedService(good1, orgA, "Bramley lunch club")}
	for _, tt := range tests {
		services = append(services, tt.service)
	}
	im := openreferral.Importer{Store: store.NewMarketplace(mustDB(t))}
	rep, err := im.Import(context.Background(), "test", decodeFeed(t, services...))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Records[0].Outcome != openreferral.Created {
		t.Fatalf("the first record: %+v", rep.Records[0])
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := rep.Records[i+1]
			if got.Index != i+1 || got.ID != tt.service["id"] || got.Outcome != tt.outcome {
				t.Errorf("record %d: index %d, id %q, outcome %s; want %s", i+1, got.Index, got.ID, got.Outcome, tt.outcome)
			}
			if diff := cmp.Diff(tt.want, got.Problems); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
	notes := rep.Records[len(tests)].Notes
	for _, want := range []openreferral.Problem{
		{Field: "attributes", Message: "no Carepool category: cooking-and-food, social-club guessed from the terms and the name"},
		{Field: "attributes", Message: "no forms of personal budget given: direct payments assumed (any provider can be paid from one)"},
		{Field: "organization.attributes", Message: "no Carepool kind of provider: small_provider assumed from its service"},
	} {
		if !containsProblem(notes, want) {
			t.Errorf("the notes do not say %v: %v", want, notes)
		}
	}
	var report strings.Builder
	if err := rep.Write(&report); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"services: 2 created, 1 skipped, 7 rejected", `service 2 (id "20000000-0000-4000-8000-000000000002", "Record 02"): rejected`,
		"✗ cost_options[0].amount: has a fraction of a penny"} {
		if !strings.Contains(report.String(), want) {
			t.Errorf("the report does not say %q:\n%s", want, report.String())
		}
	}
}

func containsProblem(ps []openreferral.Problem, p openreferral.Problem) bool {
	for _, q := range ps {
		if q == p {
			return true
		}
	}
	return false
}

// asAdmin and asUser are contexts acting as an administrator and as a person.
func asAdmin() context.Context {
	return account.WithActor(context.Background(), &account.Actor{UserID: "00000000-0000-4000-8000-0000000000ad", Admin: true})
}

func TestImportingAgainUpdatesWithoutDuplicatingAndLeavesClaimedOrganisationsAlone(t *testing.T) {
	t.Parallel()
	db := mustDB(t)
	mk := store.NewMarketplace(db)
	im := openreferral.Importer{Store: mk, Now: func() time.Time { return time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC) }}
	first, second := feedService(good1, orgA, "Bramley lunch club"), feedService(good2, orgA, "Bramley quiz night")
	ctx := context.Background()
	outcomes := func(rep openreferral.Report) []string {
		var out []string
		for _, r := range rep.Records {
			out = append(out, r.Outcome)
		}
		return out
	}
	run := func(want []string, services ...any) openreferral.Report {
		t.Helper()
		rep, err := im.Import(ctx, "bramley", decodeFeed(t, services...))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, outcomes(rep)); diff != "" {
			t.Fatalf("outcomes (-want +got):\n%s", diff)
		}
		return rep
	}
	run([]string{openreferral.Created, openreferral.Created}, first, second)
	run([]string{openreferral.Unchanged, openreferral.Unchanged}, first, second)
	second["description"] = "A quiz night with a light supper: teams of four, prizes for everyone who takes part."
	run([]string{openreferral.Unchanged, openreferral.Updated}, first, second)

	drafts, err := mk.OffersWithStatus(ctx, marketplace.StatusDraft)
	if err != nil || len(drafts) != 2 {
		t.Fatalf("drafts after three imports: %d, %v", len(drafts), err)
	}
	for _, o := range drafts {
		if o.ID == good2 && (o.Description != second["description"] || o.Version != 2) {
			t.Errorf("the updated offer: version %d, %q", o.Version, o.Description)
		}
	}
	unclaimed, err := mk.UnclaimedProviders(ctx)
	if err != nil || len(unclaimed) != 1 || unclaimed[orgA] == nil || unclaimed[orgA].Contact.Phone != "0113 496 0001" {
		t.Fatalf("unclaimed providers: %+v, %v", unclaimed, err)
	}

	// A person from the provider claims it; once approved, the import leaves it alone.
	accounts := store.NewAccounts(db)
	svc, err := account.NewService(accounts, account.Config{Password: account.TestPasswordParams})
	if err != nil {
		t.Fatal(err)
	}
	s, err := svc.SignUp(ctx, account.SignUp{Email: "manager@bramley.example.org", Password: "a long enough password", Name: "Mo Manager"})
	if err != nil {
		t.Fatal(err)
	}
	claims := account.NewClaims(accounts, nil)
	c, err := claims.Request(account.WithActor(ctx, &account.Actor{UserID: s.User.ID, Name: "Mo Manager"}), orgA, account.NewClaim{Message: "I run Bramley Neighbours."})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := claims.Approve(asAdmin(), c.ID); err != nil {
		t.Fatal(err)
	}
	second["description"] = "Changed again in the other directory, after the provider claimed it here."
	rep := run([]string{openreferral.Skipped, openreferral.Skipped}, first, second)
	if rep.Organisations[openreferral.Skipped] != 1 {
		t.Errorf("organisations: %v", rep.Organisations)
	}
	if p, err := mk.Provider(ctx, orgA); err != nil || p.Description != "A small charity run by and for people in Bramley, Leeds." {
		t.Errorf("the staged profile did not go live with the claim: %+v, %v", p, err)
	}
}

func TestAFeedsIDsAreKeptUnlessSomethingHereHasThem(t *testing.T) {
	t.Parallel()
	mk := store.NewMarketplace(mustDB(t))
	ctx := context.Background()
	if _, err := (&openreferral.Importer{Store: mk}).Import(ctx, "first", decodeFeed(t, feedService(good1, orgA, "Bramley lunch club"))); err != nil {
		t.Fatal(err)
	}
	// Another source with the same ids must not take over what the first made.
	rep, err := (&openreferral.Importer{Store: mk}).Import(ctx, "second", decodeFeed(t, feedService(good1, orgA, "Bramley lunch club"), feedService("not-a-uuid", orgA, "Bramley quiz night")))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rep.Records {
		if r.Outcome != openreferral.Created || r.LocalID == good1 || r.LocalID == r.ID || len(r.LocalID) != 36 {
			t.Errorf("record %d (%s): %s as %s", r.Index, r.ID, r.Outcome, r.LocalID)
		}
	}
	offers, err := mk.OffersWithStatus(ctx, marketplace.StatusDraft)
	if err != nil || len(offers) != 3 {
		t.Errorf("%d offers, want 3: %v", len(offers), err)
	}
}
