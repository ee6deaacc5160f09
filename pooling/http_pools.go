package pooling

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/web"
)

func (h *Handler) publicPools(c echo.Context) error {
	q := c.QueryParams()
	if err := web.OnlyParams(q, "offer_id", "provider_id", "status", "limit"); err != nil {
		return err
	}
	limit, err := limitQuery(c)
	if err != nil {
		return err
	}
	ps, err := h.svc.PublicPools(c.Request().Context(), PoolFilter{OfferID: q.Get("offer_id"),
		ProviderID: q.Get("provider_id"), Status: Status(q.Get("status")), Limit: limit})
	if err != nil {
		return err
	}
	return list(c, ps)
}

func (h *Handler) managedPools(c echo.Context) error {
	if err := web.OnlyParams(c.QueryParams(), "limit"); err != nil {
		return err
	}
	limit, err := limitQuery(c)
	if err != nil {
		return err
	}
	ps, err := h.svc.ManagedPools(c.Request().Context(), limit)
	if err != nil {
		return err
	}
	return list(c, ps)
}

func (h *Handler) proposePool(c echo.Context) error {
	var in PoolInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	v, err := h.svc.ProposePool(c.Request().Context(), in)
	if err == nil {
		c.Response().Header().Set(echo.HeaderLocation, "/api/v1/pools/"+v.ID)
	}
	return versioned(c, http.StatusCreated, v.Version, v, err)
}

func (h *Handler) getPool(c echo.Context) error {
	if err := noQuery(c); err != nil {
		return err
	}
	v, err := h.svc.Pool(c.Request().Context(), c.Param("id"))
	return versioned(c, http.StatusOK, v.Version, v, err)
}

func (h *Handler) poolByInvite(c echo.Context) error {
	v, err := h.svc.PoolByInvite(c.Request().Context(), c.Param("code"))
	return versioned(c, http.StatusOK, v.Version, v, err)
}

func (h *Handler) replaceDraft(c echo.Context) error {
	version, err := web.IfMatch(c)
	if err != nil {
		return err
	}
	var in PoolInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	if version == 0 {
		version = -1 // pools start at version 1: "v0" is always stale, never "no check"
	}
	v, err := h.svc.ReplaceDraft(c.Request().Context(), c.Param("id"), version, in)
	return versioned(c, http.StatusOK, v.Version, v, err)
}

func (h *Handler) openPool(c echo.Context) error {
	v, err := h.svc.OpenPool(c.Request().Context(), c.Param("id"))
	return versioned(c, http.StatusOK, v.Version, v, err)
}

func (h *Handler) rotateInvite(c echo.Context) error {
	v, err := h.svc.RotateInvite(c.Request().Context(), c.Param("id"))
	return versioned(c, http.StatusOK, v.Version, v, err)
}

func (h *Handler) confirmPool(c echo.Context) error {
	var in struct{}
	key, err := keyedRequest(c, &in, true)
	if err != nil {
		return err
	}
	v, err := h.svc.ConfirmPool(c.Request().Context(), c.Param("id"), key)
	return versioned(c, http.StatusOK, v.Version, v, err)
}

// ReasonInput is the body of cancel and decline.
type ReasonInput struct {
	Reason string `json:"reason"`
}

func (h *Handler) cancelPool(c echo.Context) error {
	var in ReasonInput
	key, err := keyedRequest(c, &in, true)
	if err != nil {
		return err
	}
	v, err := h.svc.CancelPool(c.Request().Context(), c.Param("id"), in.Reason, key)
	return versioned(c, http.StatusOK, v.Version, v, err)
}

func (h *Handler) participants(c echo.Context) error {
	ps, err := h.svc.Participants(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return list(c, ps)
}

func (h *Handler) recordDelivery(c echo.Context) error {
	var in DeliveryInput
	key, err := keyedRequest(c, &in, false)
	if err != nil {
		return err
	}
	v, err := h.svc.RecordDelivery(c.Request().Context(), c.Param("id"), in, key)
	return versioned(c, http.StatusOK, v.Version, v, err)
}

func (h *Handler) poolStatement(c echo.Context) error {
	st, err := h.svc.PoolStatement(c.Request().Context(), c.Param("id"))
	return writeStatement(c, st, err)
}
