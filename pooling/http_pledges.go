package pooling

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"
)

// pledge takes a pledge towards a pool, from the caller's own budget or, as a
// representative, from the budget of someone they act for (budget_id says which).
func (h *Handler) pledge(c echo.Context) error {
	var in PledgeInput
	key, err := keyedRequest(c, &in, false)
	if err != nil {
		return err
	}
	v, err := h.svc.Pledge(c.Request().Context(), c.Param("id"), in, key)
	if err == nil {
		c.Response().Header().Set(echo.HeaderLocation, "/api/v1/pledges/"+v.ID)
	}
	return versioned(c, http.StatusCreated, v.Version, v, err)
}

func (h *Handler) getPledge(c echo.Context) error {
	v, err := h.svc.MyPledge(c.Request().Context(), c.Param("id"))
	return versioned(c, http.StatusOK, v.Version, v, err)
}

func (h *Handler) myPledges(c echo.Context) error {
	if err := noQuery(c); err != nil {
		return err
	}
	ps, err := h.svc.MyPledges(c.Request().Context())
	if err != nil {
		return err
	}
	return list(c, ps)
}

func (h *Handler) pendingApprovals(c echo.Context) error {
	if err := noQuery(c); err != nil {
		return err
	}
	ps, err := h.svc.PendingApprovals(c.Request().Context())
	if err != nil {
		return err
	}
	return list(c, ps)
}

func (h *Handler) withdraw(c echo.Context) error { return keyedPledgeAction(c, h.svc.Withdraw) }

func (h *Handler) approve(c echo.Context) error { return keyedPledgeAction(c, h.svc.Approve) }

// keyedPledgeAction serves a money-moving change of a pledge that takes no body (an empty
// JSON object is allowed): it requires an Idempotency-Key and answers with the pledge.
func keyedPledgeAction(c echo.Context, act func(ctx context.Context, id, key string) (PledgeView, error)) error {
	var in struct{}
	key, err := keyedRequest(c, &in, true)
	if err != nil {
		return err
	}
	v, err := act(c.Request().Context(), c.Param("id"), key)
	return versioned(c, http.StatusOK, v.Version, v, err)
}

func (h *Handler) decline(c echo.Context) error {
	var in ReasonInput
	key, err := keyedRequest(c, &in, true)
	if err != nil {
		return err
	}
	v, err := h.svc.Decline(c.Request().Context(), c.Param("id"), in.Reason, key)
	return versioned(c, http.StatusOK, v.Version, v, err)
}
