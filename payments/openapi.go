package payments

import _ "embed"

// OpenAPI is the OpenAPI 3.1 fragment documenting the payments routes (provider
// onboarding, card payments status and the Stripe webhook); the server merges it into
// /api/v1/openapi.json.
//
//go:embed openapi.json
var OpenAPI []byte
