package marketplace

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/web"
)

func (h *Handler) listProviders(c echo.Context) error {
	q := c.QueryParams()
	if err := web.OnlyParams(q, "outcode", "cursor", "limit"); err != nil {
		return err
	}
	limit, err := limitParam(q.Get("limit"))
	if err != nil {
		return err
	}
	page, err := h.svc.Providers(c.Request().Context(), ProviderFilter{Outcode: q.Get("outcode"), Cursor: q.Get("cursor"), Limit: limit})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

func (h *Handler) getProvider(c echo.Context) error {
	p, err := h.svc.Provider(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	web.SetETag(c, p.Version)
	return c.JSON(http.StatusOK, p)
}

// updateProvider writes the profile. The first write of a profile sends If-Match "v0",
// the ETag of the empty profile every provider organisation starts with.
func (h *Handler) updateProvider(c echo.Context) error {
	version, err := web.IfMatch(c)
	if err != nil {
		return err
	}
	var in ProviderInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	p, err := h.svc.UpdateProvider(c.Request().Context(), c.Param("id"), version, in)
	if err != nil {
		return err
	}
	web.SetETag(c, p.Version)
	return c.JSON(http.StatusOK, p)
}

func (h *Handler) verifyProvider(c echo.Context) error {
	var in VerificationInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	p, err := h.svc.VerifyProvider(c.Request().Context(), c.Param("id"), in)
	if err != nil {
		return err
	}
	web.SetETag(c, p.Version)
	return c.JSON(http.StatusOK, p)
}
