package payments_test

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/web"
	"github.com/carepool/carepool/payments"
)

func TestOpenAPIDocumentsEveryRouteAndNoOther(t *testing.T) {
	t.Parallel()
	e := echo.New()
	payments.NewHandler(nil, payments.HandlerConfig{}).Register(e.Group("/api/v1"))
	var registered []string
	for _, r := range e.Routes() {
		registered = append(registered, r.Method+" "+r.Path)
	}
	slices.Sort(registered)
	documented, err := web.Operations(payments.OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(registered, documented); diff != "" {
		t.Errorf("routes (-registered +documented):\n%s", diff)
	}
	merged, err := web.OpenAPI(payments.OpenAPI)
	if err != nil {
		t.Fatalf("merge into the base document: %v", err)
	}
	if bad, err := web.UnresolvedRefs(merged); err != nil || len(bad) > 0 {
		t.Errorf("unresolved references: %v %v", bad, err)
	}
}
