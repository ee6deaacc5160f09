package marketplace_test

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/web"
	mk "github.com/carepool/carepool/marketplace"
)

// marketplaceFragment reads the fragment the package embeds.
func marketplaceFragment(t *testing.T) []byte {
	t.Helper()
	raw, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// registeredOperations lists "METHOD /path" for every route the handler mounts.
func registeredOperations(t *testing.T) []string {
	t.Helper()
	e := echo.New()
	mk.NewHandler(nil).Register(e.Group("/api/v1"))
	var ops []string
	for _, r := range e.Routes() {
		ops = append(ops, r.Method+" "+r.Path)
	}
	slices.Sort(ops)
	return ops
}

func TestOpenAPIDocumentsEveryRouteAndNoOther(t *testing.T) {
	t.Parallel()
	documented, err := web.Operations(marketplaceFragment(t))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(registeredOperations(t), documented); diff != "" {
		t.Errorf("routes (-registered +documented):\n%s", diff)
	}
}

// openAPIDoc is the marketplace fragment merged into the base document, as served.
func openAPIDoc(t *testing.T) map[string]any {
	t.Helper()
	merged, err := web.OpenAPI(marketplaceFragment(t))
	if err != nil {
		t.Fatalf("merge the marketplace fragment into the base document: %v", err)
	}
	var doc map[string]any
	if err := json.Unmarshal(merged, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// Every operation that needs a user says so, and every operation answers its errors
// with the shared problem schemas.
func TestOpenAPIOperationsDescribeSecurityAndProblems(t *testing.T) {
	t.Parallel()
	var frag struct {
		Paths map[string]map[string]struct {
			Security  []map[string]any `json:"security"`
			Responses map[string]struct {
				Content map[string]struct {
					Schema map[string]any `json:"schema"`
				} `json:"content"`
			} `json:"responses"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(marketplaceFragment(t), &frag); err != nil {
		t.Fatal(err)
	}
	for path, item := range frag.Paths {
		for method, op := range item {
			name := strings.ToUpper(method) + " " + path
			needsUser := method != "get"
			anonymousAllowed := len(op.Security) == 0 || slices.ContainsFunc(op.Security, func(s map[string]any) bool { return len(s) == 0 })
			if needsUser == anonymousAllowed {
				t.Errorf("%s: security %v, want a user required: %v", name, op.Security, needsUser)
			}
			if _, ok := op.Responses["401"]; ok != needsUser {
				t.Errorf("%s: documents 401: %v, want %v", name, ok, needsUser)
			}
			for status, r := range op.Responses {
				if status[0] != '4' {
					continue
				}
				schema := r.Content[web.ProblemContentType].Schema["$ref"]
				if schema != "#/components/schemas/Problem" && schema != "#/components/schemas/ValidationProblem" {
					t.Errorf("%s %s: problem schema %v", name, status, schema)
				}
			}
		}
	}
}

// The schemas list exactly the JSON fields the Go types have; on responses, a field is
// required exactly when it is always sent (no omitempty). Inputs refuse other fields.
func TestOpenAPISchemasMatchTheJSONOfTheGoTypes(t *testing.T) {
	t.Parallel()
	var frag struct {
		Components struct {
			Schemas map[string]struct {
				Properties           map[string]any `json:"properties"`
				Required             []string       `json:"required"`
				AdditionalProperties *bool          `json:"additionalProperties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(marketplaceFragment(t), &frag); err != nil {
		t.Fatal(err)
	}
	types := []struct {
		schema string
		value  any
		input  bool
	}{
		{"Offer", mk.Offer{}, false},
		{"Where", mk.Where{}, false},
		{"VenueAddress", mk.Address{}, true},
		{"Schedule", mk.Schedule{}, true},
		{"WeeklySlot", mk.WeeklySlot{}, true},
		{"DatedSession", mk.DatedSession{}, true},
		{"Price", mk.Price{}, true},
		{"GroupPricing", mk.GroupPricing{}, true},
		{"OfferInput", mk.OfferInput{}, true},
		{"WhereInput", mk.WhereInput{}, true},
		{"Provider", mk.Provider{}, false},
		{"Contact", mk.Contact{}, true},
		{"Verification", mk.Verification{}, false},
		{"ProviderInput", mk.ProviderInput{}, true},
		{"VerificationInput", mk.VerificationInput{}, true},
		{"Term", mk.Term{}, false},
		{"OfferPage", mk.Page[mk.Offer]{}, false},
		{"ProviderPage", mk.Page[mk.Provider]{}, false},
	}
	for _, tt := range types {
		s, ok := frag.Components.Schemas[tt.schema]
		if !ok {
			t.Errorf("no schema %s", tt.schema)
			continue
		}
		all, always := jsonFields(reflect.TypeOf(tt.value))
		var props []string
		for p := range s.Properties {
			props = append(props, p)
		}
		slices.Sort(props)
		if diff := cmp.Diff(all, props); diff != "" {
			t.Errorf("%s: properties (-Go +schema):\n%s", tt.schema, diff)
		}
		required := slices.Sorted(slices.Values(s.Required))
		for _, r := range required {
			if !slices.Contains(all, r) {
				t.Errorf("%s: requires %q, which is not a field", tt.schema, r)
			}
		}
		if tt.input {
			if s.AdditionalProperties == nil || *s.AdditionalProperties {
				t.Errorf("%s: an input schema must say additionalProperties: false (unknown fields are refused)", tt.schema)
			}
			continue
		}
		if diff := cmp.Diff(always, required); diff != "" {
			t.Errorf("%s: required (-always sent +schema):\n%s", tt.schema, diff)
		}
	}
}

// jsonFields returns the JSON names of a struct's fields, and those sent always.
func jsonFields(t reflect.Type) (all, always []string) {
	for f := range t.Fields() {
		tag := f.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		all = append(all, name)
		if !strings.Contains(opts, "omitempty") {
			always = append(always, name)
		}
	}
	slices.Sort(all)
	slices.Sort(always)
	return all, always
}

func TestOpenAPIEnumsMatchTheVocabularies(t *testing.T) {
	t.Parallel()
	var frag struct {
		Components struct {
			Schemas map[string]struct {
				Enum []string `json:"enum"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(marketplaceFragment(t), &frag); err != nil {
		t.Fatal(err)
	}
	slugs := func(terms []mk.Term) []string {
		var out []string
		for _, term := range terms {
			out = append(out, term.Slug)
		}
		return out
	}
	vocabularies := map[string][]string{
		"Kind": slugs(mk.Kinds), "BudgetForm": slugs(mk.BudgetForms), "Category": slugs(mk.Categories),
		"AccessibilityFeature": slugs(mk.AccessibilityFeatures), "Language": slugs(mk.Languages),
		"OfferStatus": {string(mk.StatusDraft), string(mk.StatusPublished), string(mk.StatusPaused), string(mk.StatusArchived)},
	}
	for name, want := range vocabularies {
		if diff := cmp.Diff(want, frag.Components.Schemas[name].Enum); diff != "" {
			t.Errorf("%s enum (-Go +schema):\n%s", name, diff)
		}
	}
}
