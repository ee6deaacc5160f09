// Package oruktest checks Open Referral UK API responses against the HSDS 3.0 schemas and
// the UK profile, for tests. It embeds copies of the schemas (testdata, with their licence
// and source) so that the tests need nothing outside the repository.
//
// A response is valid when it matches, with formats (uuid, email, uri, date-time)
// asserted:
//   - the schema HSDS 3.0's openapi.json gives the route's 200 response (the compiled,
//     self-contained schemas; for lists, ORUK's page envelope with its items), except
//     /service_at_locations/{id}, whose openapi.json entry names the service schema where
//     the object is a service_at_location (its compiled schema is used);
//   - every field of the envelope, which Carepool always sends;
//   - for each object, the HSDS object schema with the UK profile merged over it: the
//     profile's required fields and added properties. Fields the profile removes (sets to
//     null) stay allowed, because Carepool keeps the HSDS fields its data needs (see
//     ../README.md);
//   - for full=true lists, each item against the full compiled schema too;
//   - for minimal=true lists, each item is exactly {id, modified_date}.
package oruktest

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

//go:embed testdata
var files embed.FS

// hsdsBase is where HSDS 3.0 publishes its schemas; HSDS's openapi.json refers to them by
// these addresses, and the embedded copies are registered under them.
const hsdsBase = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"

// orukBase is where the profile-merged object schemas are registered (an address of ours:
// the ORUK profile publishes overlays, not merged schemas).
const orukBase = "https://carepool.test/oruk-3.0/schema/"

// Routes are the routes a Validator knows, as HSDS's openapi.json writes them.
var Routes = []string{"/", "/services", "/services/{id}", "/service_at_locations", "/service_at_locations/{id}",
	"/organizations", "/organizations/{id}", "/taxonomies", "/taxonomies/{id}", "/taxonomy_terms", "/taxonomy_terms/{id}"}

// objectOf names the HSDS object each route returns (or lists).
var objectOf = map[string]string{
	"/services": "service", "/services/{id}": "service",
	"/service_at_locations": "service_at_location", "/service_at_locations/{id}": "service_at_location",
	"/organizations": "organization", "/organizations/{id}": "organization",
	"/taxonomies": "taxonomy", "/taxonomies/{id}": "taxonomy",
	"/taxonomy_terms": "taxonomy_term", "/taxonomy_terms/{id}": "taxonomy_term",
}

// fullOf names the compiled schema full=true list items must also match.
var fullOf = map[string]string{
	"/services": "compiled/service.json", "/service_at_locations": "compiled/service_at_location.json",
	"/organizations": "compiled/organization.json",
}

const envelopeSchema = `{"type": "object", "required": ["total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"],
 "properties": {"contents": {"type": "array"}, "total_items": {"type": "integer", "minimum": 0}, "total_pages": {"type": "integer", "minimum": 0},
  "page_number": {"type": "integer", "minimum": 1}, "size": {"type": "integer", "minimum": 0}}}`

const rootSchema = `{"type": "object", "required": ["version", "profile", "openapi_url"]}`

const minimalSchema = `{"type": "object", "required": ["id", "modified_date"], "additionalProperties": false,
 "properties": {"id": {"type": "string", "format": "uuid"}, "modified_date": {"type": "string", "format": "date-time"}}}`

// Validator validates responses. It is safe for concurrent use.
type Validator struct {
	route   map[string]*jsonschema.Schema // HSDS openapi.json's response schema
	object  map[string]*jsonschema.Schema // profile-merged object schema, by object name
	full    map[string]*jsonschema.Schema // by compiled file
	envelop *jsonschema.Schema
	root    *jsonschema.Schema
	minimal *jsonschema.Schema
}

var (
	once      sync.Once
	shared    *Validator
	sharedErr error
)

// New returns the validator, compiling the schemas on first use (about a second).
func New() (*Validator, error) {
	once.Do(func() { shared, sharedErr = compile() })
	return shared, sharedErr
}

func compile() (*Validator, error) {
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	add := func(url string, data []byte) error {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			return fmt.Errorf("%s: %w", url, err)
		}
		return c.AddResource(url, doc)
	}
	// HSDS: the object schemas, the compiled ones and the API description.
	err := fs.WalkDir(files, "testdata/hsds-3.0/schema", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel := strings.TrimPrefix(p, "testdata/hsds-3.0/schema/")
		data, err := read(p)
		if err != nil {
			return err
		}
		return add(hsdsBase+strings.TrimSuffix(rel, ".gz"), data)
	})
	if err != nil {
		return nil, err
	}
	// ORUK: each HSDS object schema with the profile merged over it.
	objects := map[string]bool{}
	entries, err := fs.ReadDir(files, "testdata/hsds-3.0/schema")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || name == "openapi.json" {
			continue
		}
		merged, err := profiled(name)
		if err != nil {
			return nil, err
		}
		if err := add(orukBase+name, merged); err != nil {
			return nil, err
		}
		objects[strings.TrimSuffix(name, ".json")] = true
	}
	for name, schema := range map[string]string{"envelope.json": envelopeSchema, "root.json": rootSchema, "minimal.json": minimalSchema} {
		if err := add("https://carepool.test/"+name, []byte(schema)); err != nil {
			return nil, err
		}
	}

	v := &Validator{route: map[string]*jsonschema.Schema{}, object: map[string]*jsonschema.Schema{}, full: map[string]*jsonschema.Schema{}}
	for _, r := range Routes {
		loc := hsdsBase + "openapi.json#/paths/" + strings.ReplaceAll(strings.ReplaceAll(r, "~", "~0"), "/", "~1") +
			"/get/responses/200/content/application~1json/schema"
		if r == "/service_at_locations/{id}" {
			loc = hsdsBase + "compiled/service_at_location.json"
		}
		if v.route[r], err = c.Compile(loc); err != nil {
			return nil, fmt.Errorf("route %s: %w", r, err)
		}
	}
	for name := range objects {
		if v.object[name], err = c.Compile(orukBase + name + ".json"); err != nil {
			return nil, fmt.Errorf("ORUK %s: %w", name, err)
		}
	}
	for _, f := range fullOf {
		if v.full[f], err = c.Compile(hsdsBase + f); err != nil {
			return nil, err
		}
	}
	if v.envelop, err = c.Compile("https://carepool.test/envelope.json"); err != nil {
		return nil, err
	}
	if v.root, err = c.Compile("https://carepool.test/root.json"); err != nil {
		return nil, err
	}
	if v.minimal, err = c.Compile("https://carepool.test/minimal.json"); err != nil {
		return nil, err
	}
	return v, nil
}

// read returns an embedded file, decompressing .gz files and checking them against the
// digests SOURCE lists.
func read(name string) ([]byte, error) {
	data, err := files.ReadFile(name)
	if err != nil || !strings.HasSuffix(name, ".gz") {
		return data, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if data, err = io.ReadAll(zr); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	source, err := files.ReadFile("testdata/hsds-3.0/SOURCE")
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	want := hex.EncodeToString(sum[:]) + "  compiled/" + strings.TrimSuffix(path.Base(name), ".gz")
	if !bytes.Contains(source, []byte(want)) {
		return nil, fmt.Errorf("%s: its SHA-256 is not the one SOURCE lists: the copy is not the original", name)
	}
	return data, nil
}

// profiled returns HSDS's schema of an object with the ORUK profile merged over it as RFC
// 7386 says, except that properties the profile sets to null are kept (see the package
// comment). A profile that is null as a whole (the object is not in the UK profile)
// leaves the HSDS schema as it is.
func profiled(name string) ([]byte, error) {
	base, err := files.ReadFile("testdata/hsds-3.0/schema/" + name)
	if err != nil {
		return nil, err
	}
	patch, err := files.ReadFile("testdata/openreferral-uk/profile/" + name)
	if err != nil {
		return base, nil // no overlay
	}
	var doc, over map[string]any
	if err := json.Unmarshal(base, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := json.Unmarshal(patch, &over); err != nil {
		return nil, fmt.Errorf("profile %s: %w", name, err)
	}
	if over == nil {
		return base, nil
	}
	mergeKeepingNulls(doc, over)
	return json.Marshal(doc)
}

func mergeKeepingNulls(dst, patch map[string]any) {
	for k, pv := range patch {
		switch pv := pv.(type) {
		case nil:
			// removed by the profile; kept here (see profiled)
		case map[string]any:
			if dv, ok := dst[k].(map[string]any); ok {
				mergeKeepingNulls(dv, pv)
			} else {
				dst[k] = pv
			}
		default:
			dst[k] = pv
		}
	}
}

// Validate checks the body of a 200 response of route (one of Routes) and returns every
// way it is not valid, or nil.
func (v *Validator) Validate(route string, body []byte) error {
	if _, ok := v.route[route]; !ok {
		return fmt.Errorf("oruktest: unknown route %q", route)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%s: not JSON: %w", route, err)
	}
	var errs []string
	check := func(what string, s *jsonschema.Schema, inst any) {
		if err := s.Validate(inst); err != nil {
			errs = append(errs, fmt.Sprintf("%s: %v", what, err))
		}
	}
	object := objectOf[route]
	switch {
	case route == "/":
		check("HSDS openapi.json", v.route[route], doc)
		check("API info", v.root, doc)
	case strings.HasSuffix(route, "/{id}"):
		check("HSDS openapi.json", v.route[route], doc)
		check("ORUK "+object, v.object[object], doc)
	default:
		check("ORUK page envelope", v.envelop, doc)
		items, _ := doc.(map[string]any)["contents"].([]any)
		minimal := len(items) > 0 && isMinimal(items[0])
		if minimal {
			for i, it := range items {
				check(fmt.Sprintf("contents[%d] (minimal)", i), v.minimal, it)
			}
			break
		}
		check("HSDS openapi.json", v.route[route], doc)
		for i, it := range items {
			check(fmt.Sprintf("contents[%d]: ORUK %s", i, object), v.object[object], it)
			if f, ok := fullOf[route]; ok && isFull(it) {
				check(fmt.Sprintf("contents[%d]: HSDS %s", i, f), v.full[f], it)
			}
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return nil
}

// isMinimal tells a minimal=true item: id and modified_date only.
func isMinimal(item any) bool {
	m, _ := item.(map[string]any)
	_, ok := m["modified_date"]
	return ok && len(m) == 2
}

// isFull tells an item with nested arrays (full=true).
func isFull(item any) bool {
	m, _ := item.(map[string]any)
	for _, v := range m {
		if _, ok := v.([]any); ok {
			return true
		}
	}
	return false
}
