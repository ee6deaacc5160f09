package notify

import _ "embed"

// OpenAPI is the OpenAPI 3.1 fragment documenting the notification routes (inbox,
// preferences, invitations, pool messages, failures); the server merges it into
// /api/v1/openapi.json.
//
//go:embed openapi.json
var OpenAPI []byte
