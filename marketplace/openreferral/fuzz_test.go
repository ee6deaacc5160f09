package openreferral_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/openreferral"
)

// discard is an import store that has nothing and keeps nothing, so the fuzzer can run
// the whole mapping and import logic without a database.
type discard struct{}

func (discard) ImportLinks(context.Context, string) (map[string]marketplace.ImportLink, error) {
	return nil, nil
}
func (discard) OffersByID(context.Context, []string) (map[string]marketplace.Offer, error) {
	return nil, nil
}
func (discard) OrganisationsExist(context.Context, []string) (map[string]bool, error) {
	return nil, nil
}
func (discard) UnclaimedProviders(context.Context) (map[string]*marketplace.Provider, error) {
	return nil, nil
}
func (discard) SaveImport(context.Context, marketplace.ImportBatch) error { return nil }

var _ marketplace.ImportStore = discard{}

// FuzzDecodeFeed feeds the decoder (and the import behind it) arbitrary documents: it must
// never panic, must account for every record it finds (decoded, or with a problem), and
// what it decodes must encode and decode again to the same services.
func FuzzDecodeFeed(f *testing.F) {
	valid, err := json.Marshal(feedService(good1, orgA, "Bramley lunch club"))
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{
		"[" + string(valid) + "]",
		`{"total_items": 1, "total_pages": 1, "page_number": 1, "size": 1, "first_page": true, "last_page": true, "empty": false, "contents": [` + string(valid) + `]}`,
		string(valid),
		`[]`, `{}`, `null`, ``, `[null]`, `[1, "two", [3]]`, `{"contents": null}`, `{"contents": {"id": 1}}`,
		`{"total_pages": "many", "contents": [{"id": "x", "name": 5}]}`,
		`[{"id": "x", "cost_options": [{"amount": "12.505"}], "schedules": [{"freq": "WEEKLY", "byday": "MO,XX", "opens_at": "25:00"}]}]`,
		`[{"id": "x", "name": "n", "status": "active", "organization": {"id": "o", "name": "N"}, "service_at_locations": [{"location": {"location_type": "physical", "latitude": 53.8, "longitude": -1.5}}]}]`,
		"\xef\xbb\xbf[{\"id\": \"\\u0000\", \"name\": \"\\ud800\"}]",
		`[{"amount": 1e999}]`, `[{"cost_options": [{"amount": 1e999}]}]`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		feed, err := openreferral.DecodeFeed(data)
		if err != nil {
			return
		}
		services := []*openreferral.Service{}
		for i, r := range feed.Records {
			if r.Index != i || (r.Service == nil) == (r.Problem == nil) {
				t.Fatalf("record %d: index %d, service %v, problem %v", i, r.Index, r.Service != nil, r.Problem)
			}
			if r.Service != nil {
				services = append(services, r.Service)
			}
		}
		again, err := json.Marshal(services)
		if err != nil {
			t.Fatalf("a decoded service does not encode: %v", err)
		}
		back, err := openreferral.DecodeFeed(again)
		if err != nil {
			t.Fatalf("re-encoded services do not decode: %v\n%s", err, again)
		}
		got := []*openreferral.Service{}
		for _, r := range back.Records {
			got = append(got, r.Service)
		}
		if diff := cmp.Diff(services, got, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("decode, encode, decode changed the services (-first +second):\n%s", diff)
		}
		// The whole import must cope with whatever was decoded.
		if _, err := (&openreferral.Importer{Store: discard{}}).Import(context.Background(), "fuzz", feed); err != nil {
			t.Fatalf("import: %v", err)
		}
	})
}
