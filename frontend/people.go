package frontend

import (
	"context"
)

// People finds people by their account email and names them, for the pages where an
// organisation acts for the people it serves: an ISF provider names the person whose
// fund it opens by their email (it cannot know account ids), and lists the funds it
// holds by the names of their holders. Only pages that have already checked the caller
// may see those people call it.
//
// Config.Accounts may implement it. Without it the ISF page cannot open funds and lists
// them without names.
type People interface {
	// UserIDByEmail returns the id of the account with this email, or a NotFound error.
	UserIDByEmail(ctx context.Context, email string) (string, error)
	// UserNames returns the names of the accounts among ids that exist, by id.
	UserNames(ctx context.Context, ids []string) (map[string]string, error)
}

// people returns the People lookups, or nil when the accounts do not offer them.
func (h *Handler) people() People {
	p, _ := h.accounts.(People)
	return p
}
