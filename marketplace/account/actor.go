package account

import (
	"context"
	"slices"

	"github.com/carepool/carepool/infra/apperr"
)

// AuthMethod says how a request proved who made it.
type AuthMethod string

// The ways to authenticate. The zero value means nobody is logged in.
const (
	AuthNone    AuthMethod = ""
	AuthSession AuthMethod = "session" // a browser session cookie
	AuthToken   AuthMethod = "token"   // an Authorization: Bearer API token
)

// Membership is one of the caller's roles, with what other features need to know about
// the organisation to decide what the role allows.
type Membership struct {
	OrgID        string
	OrgName      string
	OrgKinds     []OrgKind
	OrgSuspended bool
	Role         Role
}

// Actor is whoever is making a request: every service method reads it from the context
// to decide what the caller may do. Memberships are loaded fresh for every request, so a
// removed member or a suspension takes effect at once.
type Actor struct {
	UserID      string
	Name        string
	Admin       bool
	Memberships []Membership
	Method      AuthMethod
	SessionID   string // set when Method is AuthSession
	TokenID     string // set when Method is AuthToken
}

type actorKey struct{}

// WithActor returns a context carrying a.
func WithActor(ctx context.Context, a *Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor in ctx, or an anonymous actor: never nil, so callers can
// ask it questions without checking.
func ActorFrom(ctx context.Context) *Actor {
	if a, ok := ctx.Value(actorKey{}).(*Actor); ok && a != nil {
		return a
	}
	return &Actor{}
}

// Anonymous reports whether nobody is logged in.
func (a *Actor) Anonymous() bool { return a.UserID == "" }

// RequireUser returns apperr.ErrUnauthenticated unless someone is logged in.
func (a *Actor) RequireUser() error {
	if a.Anonymous() {
		return apperr.ErrUnauthenticated
	}
	return nil
}

// IsAdmin reports whether the caller is a platform administrator.
func (a *Actor) IsAdmin() bool { return !a.Anonymous() && a.Admin }

// Membership returns the caller's membership of orgID, if any.
func (a *Actor) Membership(orgID string) (Membership, bool) {
	for _, m := range a.Memberships {
		if m.OrgID == orgID {
			return m, true
		}
	}
	return Membership{}, false
}

// MemberOf reports whether the caller belongs to orgID in any role.
func (a *Actor) MemberOf(orgID string) bool {
	_, ok := a.Membership(orgID)
	return ok
}

// HasRole reports whether the caller holds one of roles in orgID, whatever the
// organisation's status. Use CanActFor where a suspended organisation must not act.
func (a *Actor) HasRole(orgID string, roles ...Role) bool {
	m, ok := a.Membership(orgID)
	return ok && slices.Contains(roles, m.Role)
}

// CanActFor reports whether the caller holds one of roles in orgID and the organisation is
// not suspended: the check for anything an organisation does on the platform (publishing,
// pledging, approving).
func (a *Actor) CanActFor(orgID string, roles ...Role) bool {
	m, ok := a.Membership(orgID)
	return ok && !m.OrgSuspended && slices.Contains(roles, m.Role)
}

// OrgsOfKind returns the ids of the caller's organisations of kind k in which the caller
// holds one of roles (any role when none are given).
func (a *Actor) OrgsOfKind(k OrgKind, roles ...Role) []string {
	var ids []string
	for _, m := range a.Memberships {
		if slices.Contains(m.OrgKinds, k) && (len(roles) == 0 || slices.Contains(roles, m.Role)) {
			ids = append(ids, m.OrgID)
		}
	}
	return ids
}

// OrgsOfRole returns the ids of the caller's organisations in which they hold role.
func (a *Actor) OrgsOfRole(role Role) []string {
	var ids []string
	for _, m := range a.Memberships {
		if m.Role == role {
			ids = append(ids, m.OrgID)
		}
	}
	return ids
}
