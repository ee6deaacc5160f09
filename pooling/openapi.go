package pooling

import _ "embed"

// OpenAPI is the OpenAPI 3.1 fragment documenting the pooling routes (pools, pledges,
// approvals, delivery, budgets, ISF accounts, statements, and the Idempotency-Key
// header); the server merges it into /api/v1/openapi.json.
//
//go:embed openapi.json
var OpenAPI []byte
