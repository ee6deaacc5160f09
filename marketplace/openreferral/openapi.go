package openreferral

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
)

// OpenAPI is the OpenAPI 3.1 fragment documenting the Open Referral UK routes and the
// claim routes; the server merges it into /api/v1/openapi.json. The ORUK responses refer
// to the HSDS 3.0 schemas by their published addresses, as HSDS's own openapi.json does.
//
//go:embed openapi.json
var OpenAPI []byte

// standaloneOpenAPI is the Open Referral UK routes alone, as a whole OpenAPI document
// served at Prefix/openapi.json with the server's address: ORUK tools (the validator,
// code generators) read the document the root's openapi_url names, and should see this
// API rather than all of Carepool's.
func standaloneOpenAPI(base string) []byte {
	var frag struct {
		Paths      map[string]map[string]map[string]any `json:"paths"`
		Components map[string]any                       `json:"components"`
	}
	if err := json.Unmarshal(OpenAPI, &frag); err != nil {
		// The fragment is embedded and tested: failing to read it is a build defect.
		panic(fmt.Sprintf("openreferral: embedded OpenAPI fragment: %v", err))
	}
	paths := map[string]any{}
	for p, item := range frag.Paths {
		rest, ok := strings.CutPrefix(p, Prefix)
		if !ok || rest == "" {
			continue // the claim routes, and the root without its slash
		}
		for _, op := range item {
			delete(op, "security") // no credentials are needed; the schemes are Carepool's
		}
		paths[rest] = item
	}
	doc := map[string]any{
		"openapi":           "3.1.0",
		"jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
		"info": map[string]any{
			"title":       "Carepool: Open Referral UK API",
			"version":     "3.0",
			"summary":     "Carepool's marketplace of adult social care as an Open Referral UK (HSDS-UK-3.0) feed.",
			"description": "Read-only and open: no credentials needed. Every Carepool offer is an HSDS service of its provider's organization. Errors are RFC 9457 problems.",
			"license":     map[string]any{"name": "Creative Commons Attribution Share-Alike 4.0 (the HSDS and ORUK specifications)", "url": "https://creativecommons.org/licenses/by-sa/4.0/"},
		},
		"servers":    []any{map[string]any{"url": base + Prefix}},
		"paths":      paths,
		"components": map[string]any{"parameters": frag.Components["parameters"], "schemas": frag.Components["schemas"]},
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		panic(fmt.Sprintf("openreferral: OpenAPI document: %v", err))
	}
	return b
}
