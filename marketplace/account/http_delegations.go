package account

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/web"
)

type personJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type delegationJSON struct {
	ID             string         `json:"id"`
	Kind           DelegationKind `json:"kind"`
	Holder         personJSON     `json:"holder"`
	Representative personJSON     `json:"representative"`
	BrokerageID    string         `json:"brokerage_id,omitempty"`
	Active         bool           `json:"active"`
	CreatedAt      time.Time      `json:"created_at"`
	RevokedAt      *time.Time     `json:"revoked_at,omitempty"`
}

func delegationJSONOf(d DelegationView) delegationJSON {
	return delegationJSON{ID: d.ID, Kind: d.Kind, BrokerageID: d.BrokerageID, Active: d.Active(), CreatedAt: d.CreatedAt,
		RevokedAt:      timeJSON(d.RevokedAt),
		Holder:         personJSON{ID: d.Holder.ID, Name: d.Holder.Name},
		Representative: personJSON{ID: d.Representative.ID, Name: d.Representative.Name}}
}

func (h *Handler) listDelegationsGranted(c echo.Context) error {
	ds, err := h.svc.DelegationsGranted(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, listOf(ds, delegationJSONOf))
}

func (h *Handler) listRepresenting(c echo.Context) error {
	ds, err := h.svc.DelegationsToMe(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, listOf(ds, delegationJSONOf))
}

type grantDelegationRequest struct {
	RepresentativeEmail string         `json:"representative_email"`
	Kind                DelegationKind `json:"kind"`
	BrokerageID         string         `json:"brokerage_id"`
}

func (h *Handler) grantDelegation(c echo.Context) error {
	ctx := c.Request().Context()
	if err := ActorFrom(ctx).RequireUser(); err != nil {
		return err
	}
	var req grantDelegationRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	d, err := h.svc.GrantDelegation(ctx, NewDelegation(req))
	if err != nil {
		return err
	}
	return created(c, "delegations/"+d.ID, delegationJSONOf(d))
}

func (h *Handler) revokeDelegation(c echo.Context) error {
	if err := h.svc.RevokeDelegation(c.Request().Context(), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
