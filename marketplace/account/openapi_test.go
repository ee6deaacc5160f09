package account_test

import (
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/web"
	"github.com/carepool/carepool/marketplace/account"
)

func TestOpenAPIDocumentsEveryRouteAndNoOther(t *testing.T) {
	t.Parallel()
	e := echo.New()
	account.NewHandler(nil, account.HandlerConfig{}).Register(e.Group("/api/v1"))
	var registered []string
	for _, r := range e.Routes() {
		registered = append(registered, r.Method+" "+r.Path)
	}
	slices.Sort(registered)
	documented, err := web.Operations(account.OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	if len(registered) != 27 {
		t.Errorf("Register mounted %d routes, want 27", len(registered))
	}
	if diff := cmp.Diff(registered, documented); diff != "" {
		t.Errorf("routes (-registered +documented):\n%s", diff)
	}
}

// mergedOpenAPI is the fragment merged into the base document, as the server serves it.
func mergedOpenAPI(t *testing.T) map[string]any {
	t.Helper()
	merged, err := web.OpenAPI(account.OpenAPI)
	if err != nil {
		t.Fatalf("merge the account fragment into the base document: %v", err)
	}
	var doc map[string]any
	if err := json.Unmarshal(merged, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// Every operation states its security, a success, its problems (through the shared
// Problem and ValidationProblem responses) and 500; validation failures use
// ValidationProblem and nothing else does.
func TestOpenAPIOperationsDescribeSecurityAndProblems(t *testing.T) {
	t.Parallel()
	var frag struct {
		Paths map[string]map[string]struct {
			Security  *[]map[string]any `json:"security"`
			Responses map[string]struct {
				Ref string `json:"$ref"`
			} `json:"responses"`
		} `json:"paths"`
		Components struct {
			SecuritySchemes map[string]any `json:"securitySchemes"`
		} `json:"components"`
	}
	if err := json.Unmarshal(account.OpenAPI, &frag); err != nil {
		t.Fatal(err)
	}
	if frag.Components.SecuritySchemes["bearerAuth"] == nil || frag.Components.SecuritySchemes["cookieAuth"] == nil {
		t.Error("components.securitySchemes lacks bearerAuth or cookieAuth")
	}
	for path, item := range frag.Paths {
		for method, op := range item {
			name := strings.ToUpper(method) + " " + path
			if op.Security == nil {
				t.Errorf("%s: no security stated", name)
			}
			var success bool
			for status, r := range op.Responses {
				switch {
				case status[0] == '2':
					success = true
				case status == "422" && r.Ref != "#/components/responses/ValidationProblem":
					t.Errorf("%s 422: %q, want the ValidationProblem response", name, r.Ref)
				case status != "422" && r.Ref != "#/components/responses/Problem":
					t.Errorf("%s %s: %q, want the Problem response", name, status, r.Ref)
				}
			}
			if !success || op.Responses["500"].Ref == "" {
				t.Errorf("%s: documents a success %v and 500 %v", name, success, op.Responses["500"].Ref != "")
			}
		}
	}
}

// The request schemas list exactly the JSON fields the handlers decode, and refuse others.
func TestOpenAPIRequestSchemasMatchWhatTheHandlersDecode(t *testing.T) {
	t.Parallel()
	var frag struct {
		Components struct {
			Schemas map[string]struct {
				Properties           map[string]any `json:"properties"`
				AdditionalProperties *bool          `json:"additionalProperties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(account.OpenAPI, &frag); err != nil {
		t.Fatal(err)
	}
	for schema, value := range account.RequestTypes() {
		s, ok := frag.Components.Schemas[schema]
		if !ok {
			t.Errorf("no schema %s", schema)
			continue
		}
		var want []string
		for f := range reflect.TypeOf(value).Fields() {
			want = append(want, strings.Split(f.Tag.Get("json"), ",")[0])
		}
		slices.Sort(want)
		if diff := cmp.Diff(want, slices.Sorted(maps.Keys(s.Properties))); diff != "" {
			t.Errorf("%s properties (-decoded +documented):\n%s", schema, diff)
		}
		if s.AdditionalProperties == nil || *s.AdditionalProperties {
			t.Errorf("%s: must say additionalProperties: false (unknown fields are refused)", schema)
		}
	}
}

// The response schemas list exactly the fields the handlers encode, and require exactly
// those always sent (no omitempty).
func TestOpenAPIResponseSchemasMatchWhatTheHandlersEncode(t *testing.T) {
	t.Parallel()
	var frag struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]any `json:"properties"`
				Required   []string       `json:"required"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(account.OpenAPI, &frag); err != nil {
		t.Fatal(err)
	}
	for schema, value := range account.ResponseTypes() {
		s, ok := frag.Components.Schemas[schema]
		if !ok {
			t.Errorf("no schema %s", schema)
			continue
		}
		var all, always []string
		for f := range reflect.TypeOf(value).Fields() {
			name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
			all = append(all, name)
			if !strings.Contains(opts, "omitempty") {
				always = append(always, name)
			}
		}
		slices.Sort(all)
		slices.Sort(always)
		if diff := cmp.Diff(all, slices.Sorted(maps.Keys(s.Properties))); diff != "" {
			t.Errorf("%s properties (-encoded +documented):\n%s", schema, diff)
		}
		if diff := cmp.Diff(always, slices.Sorted(slices.Values(s.Required))); diff != "" {
			t.Errorf("%s required (-always sent +documented):\n%s", schema, diff)
		}
	}
}
