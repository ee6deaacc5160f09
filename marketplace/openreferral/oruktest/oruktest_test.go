package oruktest_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/carepool/carepool/marketplace/openreferral/oruktest"
)

func mustValidator(t *testing.T) *oruktest.Validator {
	t.Helper()
	v, err := oruktest.New()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestTheValidatorAcceptsTheProfilesOwnExamples(t *testing.T) {
	t.Parallel()
	v := mustValidator(t)
	for route, file := range map[string]string{
		"/services": "service_list.json", "/services/{id}": "service_full.json",
		"/organizations": "organization_list.json", "/organizations/{id}": "organization_full.json",
		"/service_at_locations": "service_at_location_list.json", "/service_at_locations/{id}": "service_at_location_full.json",
		"/taxonomies": "taxonomy_list.json", "/taxonomies/{id}": "taxonomy.json",
		"/taxonomy_terms": "taxonomy_term_list.json", "/taxonomy_terms/{id}": "taxonomy_term.json",
	} {
		t.Run(strings.ReplaceAll(route, "/", "_"), func(t *testing.T) {
			t.Parallel()
			body, err := os.ReadFile(filepath.Join("testdata/openreferral-uk/examples", file))
			if err != nil {
				t.Fatal(err)
			}
			if err := v.Validate(route, body); err != nil {
				t.Errorf("%s: %v", file, err)
			}
		})
	}
}

func TestTheValidatorRefusesWhatTheStandardsRefuse(t *testing.T) {
	t.Parallel()
	v := mustValidator(t)
	const (
		id  = "ac148810-d857-441c-9679-408f346de14b"
		org = `{"id": "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610", "name": "Org", "description": "An organisation."}`
	)
	page := func(contents string) string {
		return `{"total_items": 1, "total_pages": 1, "page_number": 1, "size": 1, "first_page": true, "last_page": true, "empty": false, "contents": [` + contents + `]}`
	}
	tests := []struct {
		name, route, body, want string
	}{
		{"a service without a name", "/services/{id}", `{"id": "` + id + `", "status": "active"}`, "name"},
		{"a service id that is not a UUID", "/services/{id}", `{"id": "42", "name": "x", "status": "active"}`, "uuid"},
		{"a status HSDS does not know", "/services/{id}", `{"id": "` + id + `", "name": "x", "status": "open"}`, "status"},
		{"a location without its type", "/services/{id}", `{"id": "` + id + `", "name": "x", "status": "active", "service_at_locations": [{"id": "` + id + `", "location": {"id": "` + id + `"}}]}`, "location_type"},
		{"a phone without a number", "/organizations/{id}", `{"id": "` + id + `", "name": "x", "description": "y", "phones": [{"id": "` + id + `"}]}`, "number"},
		{"an email that is not one", "/services/{id}", `{"id": "` + id + `", "name": "x", "status": "active", "email": "not an email"}`, "email"},
		{"a last_modified that is not a date-time", "/services/{id}", `{"id": "` + id + `", "name": "x", "status": "active", "last_modified": "yesterday"}`, "date-time"},
		{"an organization without a description", "/services", page(`{"id": "` + id + `", "name": "x", "status": "active", "organization": {"id": "` + id + `", "name": "y"}}`), "description"},
		{"a page without its envelope", "/services", `{"contents": []}`, "total_items"},
		{"a minimal item with more than id and modified_date", "/services", page(`{"id": "` + id + `", "modified_date": "2026-01-01T00:00:00Z", "name": 3}`), "name"},
		{"a term without a description", "/taxonomy_terms/{id}", `{"id": "` + id + `", "name": "x"}`, "description"},
		{"an API root without its profile", "/", `{"version": "HSDS-UK-3.0", "openapi_url": "https://example.org/openapi.json"}`, "profile"},
		{"a full organization nested in a list item with a bad service", "/organizations", page(strings.TrimSuffix(org, "}") + `, "services": [{"id": "` + id + `", "status": "active"}]}`), "name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := v.Validate(tt.route, []byte(tt.body))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate(%s) = %v, want an error naming %q", tt.route, err, tt.want)
			}
		})
	}
}
