package account

import _ "embed"

// OpenAPI is the OpenAPI 3.1 fragment documenting the routes Register mounts ("paths"
// under /api/v1 and this feature's "components"); the server merges it into
// /api/v1/openapi.json with web.OpenAPI. The shared Problem and ValidationProblem
// components come from the base document. A test fails when a route is missing from it
// or it documents one that is not served.
//
//go:embed openapi.json
var OpenAPI []byte
