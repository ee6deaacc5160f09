package openreferral

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/web"
	"github.com/carepool/carepool/marketplace/account"
)

// The claim routes: a person from a provider asks to own the organisation an import
// created; an administrator approves or rejects the request. They live here because only
// imports create organisations to claim; the rules are account.Claims'.

func (h *Handler) registerClaims(g *echo.Group) {
	g.POST("/organisations/:id/claims", h.requestClaim, noStore)
	g.GET("/me/claims", h.myClaims, noStore)
	g.GET("/admin/claims", h.listClaims, noStore)
	g.POST("/admin/claims/:id/approve", h.approveClaim, noStore)
	g.POST("/admin/claims/:id/reject", h.rejectClaim, noStore)
}

func noStore(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "no-store")
		return next(c)
	}
}

type namedJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// claimJSON is a claim as its requester and administrators see it: names, never emails.
type claimJSON struct {
	ID           string     `json:"id"`
	Organisation namedJSON  `json:"organisation"`
	Requester    namedJSON  `json:"requester"`
	Message      string     `json:"message"`
	Status       string     `json:"status"`
	CreatedAt    time.Time  `json:"created_at"`
	DecidedAt    *time.Time `json:"decided_at,omitempty"`
	Reason       string     `json:"reason,omitempty"`
}

func claimJSONOf(v account.ClaimView) claimJSON {
	return claimJSON{ID: v.ID, Organisation: namedJSON{v.OrgID, v.OrgName}, Requester: namedJSON{v.UserID, v.RequesterName},
		Message: v.Message, Status: string(v.Status), CreatedAt: v.CreatedAt, DecidedAt: v.DecidedAt, Reason: v.Reason}
}

type claimList struct {
	Items []claimJSON `json:"items"`
}

func claimListOf(vs []account.ClaimView) claimList {
	l := claimList{Items: make([]claimJSON, len(vs))}
	for i, v := range vs {
		l.Items[i] = claimJSONOf(v)
	}
	return l
}

func (h *Handler) requestClaim(c echo.Context) error {
	ctx := c.Request().Context()
	if err := account.ActorFrom(ctx).RequireUser(); err != nil {
		return err
	}
	var req struct {
		Message string `json:"message"`
	}
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	v, err := h.claims.Request(ctx, c.Param("id"), account.NewClaim{Message: req.Message})
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/me/claims")
	return c.JSON(http.StatusCreated, claimJSONOf(v))
}

func (h *Handler) myClaims(c echo.Context) error {
	vs, err := h.claims.Mine(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, claimListOf(vs))
}

func (h *Handler) listClaims(c echo.Context) error {
	ctx := c.Request().Context()
	if err := account.ActorFrom(ctx).RequireUser(); err != nil {
		return err
	}
	if err := web.OnlyParams(c.QueryParams(), "status"); err != nil {
		return err
	}
	status := account.ClaimStatus(c.QueryParam("status"))
	if status == "" {
		status = account.ClaimPending
	}
	vs, err := h.claims.List(ctx, status)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, claimListOf(vs))
}

func (h *Handler) approveClaim(c echo.Context) error {
	v, err := h.claims.Approve(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, claimJSONOf(v))
}

func (h *Handler) rejectClaim(c echo.Context) error {
	ctx := c.Request().Context()
	if err := account.ActorFrom(ctx).RequireUser(); err != nil {
		return err
	}
	var req struct {
		Reason string `json:"reason"`
	}
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	v, err := h.claims.Reject(ctx, c.Param("id"), req.Reason)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, claimJSONOf(v))
}
