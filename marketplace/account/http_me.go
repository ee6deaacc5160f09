package account

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/infra/web"
)

// userJSON is a person's own account: the only place their email is shown.
type userJSON struct {
	ID        string    `json:"id"`
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	Admin     bool      `json:"admin"`
	CreatedAt time.Time `json:"created_at"`
	// EmailVerifiedAt is absent until the person confirmed the address.
	EmailVerifiedAt *time.Time `json:"email_verified_at,omitempty"`
}

func userJSONOf(u User) userJSON {
	return userJSON{ID: u.ID, Email: u.Email, Name: u.Name, Admin: u.Admin, CreatedAt: u.CreatedAt,
		EmailVerifiedAt: timeJSON(u.EmailVerifiedAt)}
}

type membershipJSON struct {
	OrganisationID        string    `json:"organisation_id"`
	OrganisationName      string    `json:"organisation_name"`
	OrganisationKinds     []OrgKind `json:"organisation_kinds"`
	OrganisationSuspended bool      `json:"organisation_suspended"`
	Role                  Role      `json:"role"`
}

type meJSON struct {
	userJSON
	Memberships []membershipJSON `json:"memberships"`
}

func meJSONOf(u User, a *Actor) meJSON {
	me := meJSON{userJSON: userJSONOf(u), Memberships: []membershipJSON{}}
	for _, m := range a.Memberships {
		me.Memberships = append(me.Memberships, membershipJSON{OrganisationID: m.OrgID, OrganisationName: m.OrgName,
			OrganisationKinds: m.OrgKinds, OrganisationSuspended: m.OrgSuspended, Role: m.Role})
	}
	return me
}

func (h *Handler) me(c echo.Context) error {
	ctx := c.Request().Context()
	u, err := h.svc.Me(ctx)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, meJSONOf(u, ActorFrom(ctx)))
}

type updateMeRequest struct {
	Name *string `json:"name"`
}

func (h *Handler) updateMe(c echo.Context) error {
	ctx := c.Request().Context()
	if err := ActorFrom(ctx).RequireUser(); err != nil {
		return err
	}
	var req updateMeRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	u, err := h.svc.UpdateMe(ctx, ProfileUpdate(req))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, meJSONOf(u, ActorFrom(ctx)))
}

type tokenJSON struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	Hint       string     `json:"hint"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	ExpiresAt  *time.Time `json:"expires_at,omitempty"`
}

func tokenJSONOf(t APIToken) tokenJSON {
	return tokenJSON{ID: t.ID, Name: t.Name, Hint: t.Hint, CreatedAt: t.CreatedAt,
		LastUsedAt: timeJSON(t.LastUsedAt), ExpiresAt: timeJSON(t.ExpiresAt)}
}

type createdTokenJSON struct {
	tokenJSON
	Token string `json:"token"`
}

func (h *Handler) listTokens(c echo.Context) error {
	ts, err := h.svc.Tokens(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, listOf(ts, tokenJSONOf))
}

type createTokenRequest struct {
	Name      string  `json:"name"`
	ExpiresAt *string `json:"expires_at"`
}

func (h *Handler) createToken(c echo.Context) error {
	ctx := c.Request().Context()
	if err := ActorFrom(ctx).RequireUser(); err != nil {
		return err
	}
	var req createTokenRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	in := NewToken{Name: req.Name}
	if req.ExpiresAt != nil {
		// Parsed here rather than by encoding/json so that a bad date is a field error.
		t, err := time.Parse(time.RFC3339, *req.ExpiresAt)
		if err != nil {
			var f apperr.Fields
			f.Add("expires_at", "must be a date and time such as 2026-01-31T17:00:00Z")
			return f.Err()
		}
		in.ExpiresAt = &t
	}
	t, err := h.svc.CreateToken(ctx, in)
	if err != nil {
		return err
	}
	return created(c, "tokens/"+t.ID, createdTokenJSON{tokenJSON: tokenJSONOf(t.APIToken), Token: t.Secret})
}

func (h *Handler) revokeToken(c echo.Context) error {
	if err := h.svc.RevokeToken(c.Request().Context(), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
