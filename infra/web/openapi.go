package web

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

//go:embed openapi_base.json
var openAPIBase []byte

// OpenAPI builds the API's OpenAPI 3.1 document from the base document (operations
// routes and shared components) and one hand-written fragment per feature, each with
// "paths" and "components". Two fragments defining the same path or component is an
// error, so features cannot silently overwrite each other.
func OpenAPI(fragments ...[]byte) ([]byte, error) {
	var doc map[string]any
	if err := json.Unmarshal(openAPIBase, &doc); err != nil {
		return nil, fmt.Errorf("base document: %w", err)
	}
	for i, raw := range fragments {
		var frag map[string]any
		if err := json.Unmarshal(raw, &frag); err != nil {
			return nil, fmt.Errorf("fragment %d: %w", i, err)
		}
		if err := mergeSection(doc, frag, "paths"); err != nil {
			return nil, fmt.Errorf("fragment %d: %w", i, err)
		}
		fc, _ := frag["components"].(map[string]any)
		dc := doc["components"].(map[string]any)
		for _, section := range slices.Sorted(maps.Keys(fc)) {
			if err := mergeSection(dc, fc, section); err != nil {
				return nil, fmt.Errorf("fragment %d: components: %w", i, err)
			}
		}
	}
	return json.MarshalIndent(doc, "", "  ")
}

func mergeSection(dst, src map[string]any, section string) error {
	from, _ := src[section].(map[string]any)
	if len(from) == 0 {
		return nil
	}
	to, _ := dst[section].(map[string]any)
	if to == nil {
		to = map[string]any{}
		dst[section] = to
	}
	for k, v := range from {
		if existing, dup := to[k]; dup {
			// Shared components may be repeated verbatim by a fragment for readability.
			a, _ := json.Marshal(existing)
			b, _ := json.Marshal(v)
			if string(a) != string(b) {
				return fmt.Errorf("%s %q is defined twice, differently", section, k)
			}
		}
		to[k] = v
	}
	return nil
}

// Operations lists the "METHOD /path" pairs a document defines, with echo-style
// parameters (/offers/:id), so a test can compare them with the registered routes.
func Operations(doc []byte) ([]string, error) {
	var d struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		return nil, err
	}
	var ops []string
	for path, item := range d.Paths {
		for method := range item {
			switch method {
			case "get", "put", "post", "delete", "patch", "head", "options":
				ops = append(ops, strings.ToUpper(method)+" "+EchoPath(path))
			}
		}
	}
	slices.Sort(ops)
	return ops, nil
}

// EchoPath turns an OpenAPI path template (/offers/{id}) into echo's form (/offers/:id).
func EchoPath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
			parts[i] = ":" + s[1:len(s)-1]
		}
	}
	return strings.Join(parts, "/")
}

// UnresolvedRefs lists every local "$ref" ("#/...") in a document that points at nothing
// in it, so a test of the merged document catches a fragment relying on a component
// nobody defines. References to external documents (the HSDS schemas) are not followed.
func UnresolvedRefs(doc []byte) ([]string, error) {
	var root map[string]any
	if err := json.Unmarshal(doc, &root); err != nil {
		return nil, err
	}
	var bad []string
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok && strings.HasPrefix(ref, "#/") && lookupRef(root, ref) == nil {
				bad = append(bad, path+": "+ref)
			}
			for k, child := range v {
				walk(path+"/"+k, child)
			}
		case []any:
			for _, child := range v {
				walk(path+"[]", child)
			}
		}
	}
	walk("#", root)
	slices.Sort(bad)
	return bad, nil
}

func lookupRef(doc map[string]any, ref string) any {
	var v any = doc
	for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[part]
	}
	return v
}
