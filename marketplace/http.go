package marketplace

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/infra/web"
)

// Handler serves the marketplace's JSON API. Handlers are thin: decode, call the
// service, encode; the one error handler in infra/web writes every failure.
type Handler struct{ svc *Service }

// NewHandler returns the marketplace API handler.
func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

// Register mounts the marketplace routes on the /api/v1 group.
func (h *Handler) Register(g *echo.Group) {
	g.GET("/vocabulary", h.vocabulary)
	g.GET("/offers", h.listOffers)
	g.GET("/offers/:id", h.getOffer)
	g.PUT("/offers/:id", h.replaceOffer)
	g.POST("/offers/:id/publish", h.setStatus(StatusPublished))
	g.POST("/offers/:id/pause", h.setStatus(StatusPaused))
	g.POST("/offers/:id/archive", h.setStatus(StatusArchived))
	g.GET("/providers", h.listProviders)
	g.GET("/providers/:id", h.getProvider)
	g.PUT("/providers/:id", h.updateProvider)
	g.GET("/providers/:id/offers", h.listProviderOffers)
	g.POST("/providers/:id/offers", h.createOffer)
	g.POST("/admin/providers/:id/verification", h.verifyProvider)
}

func (h *Handler) vocabulary(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string][]Term{
		"kinds": Kinds, "budget_forms": BudgetForms, "categories": Categories,
		"accessibility": AccessibilityFeatures, "languages": Languages,
	})
}

func (h *Handler) listOffers(c echo.Context) error {
	f, err := offerFilter(c)
	if err != nil {
		return err
	}
	page, err := h.svc.Offers(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

func (h *Handler) listProviderOffers(c echo.Context) error {
	f, err := offerFilter(c)
	if err != nil {
		return err
	}
	if _, err := h.svc.Provider(c.Request().Context(), c.Param("id")); err != nil {
		return err
	}
	f.ProviderID = c.Param("id")
	page, err := h.svc.Offers(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

// offerFilter reads the list query parameters, refusing unknown ones so that a typo
// ("catgory=") is reported instead of silently ignored.
func offerFilter(c echo.Context) (OfferFilter, error) {
	q := c.QueryParams()
	if err := web.OnlyParams(q, "kind", "category", "outcode", "budget_form", "provider_id", "status", "cursor", "limit"); err != nil {
		return OfferFilter{}, err
	}
	limit, err := limitParam(q.Get("limit"))
	if err != nil {
		return OfferFilter{}, err
	}
	return OfferFilter{
		Kind: Kind(q.Get("kind")), Category: q.Get("category"), Outcode: q.Get("outcode"),
		BudgetForm: BudgetForm(q.Get("budget_form")), ProviderID: q.Get("provider_id"),
		Status: Status(q.Get("status")), Cursor: q.Get("cursor"), Limit: limit,
	}, nil
}

func limitParam(s string) (int, error) {
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > MaxLimit {
		return 0, apperr.InvalidFields(apperr.FieldError{Field: "limit", Message: "must be a whole number from 1 to 100"})
	}
	return n, nil
}

func (h *Handler) getOffer(c echo.Context) error {
	o, err := h.svc.Offer(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	web.SetETag(c, o.Version)
	return c.JSON(http.StatusOK, o)
}

func (h *Handler) createOffer(c echo.Context) error {
	var in OfferInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	o, err := h.svc.CreateOffer(c.Request().Context(), c.Param("id"), in)
	if err != nil {
		return err
	}
	web.SetETag(c, o.Version)
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/offers/"+o.ID)
	return c.JSON(http.StatusCreated, o)
}

func (h *Handler) replaceOffer(c echo.Context) error {
	version, err := web.IfMatch(c)
	if err != nil {
		return err
	}
	var in OfferInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	o, err := h.svc.ReplaceOffer(c.Request().Context(), c.Param("id"), version, in)
	if err != nil {
		return err
	}
	web.SetETag(c, o.Version)
	return c.JSON(http.StatusOK, o)
}

func (h *Handler) setStatus(to Status) echo.HandlerFunc {
	return func(c echo.Context) error {
		var version int64
		if c.Request().Header.Get("If-Match") != "" {
			v, err := web.IfMatch(c)
			if err != nil {
				return err
			}
			// Offers start at version 1, so "v0" is always stale; passing 0 on would
			// mean "no check" to the service.
			version = v
			if v == 0 {
				version = -1
			}
		}
		o, err := h.svc.SetOfferStatus(c.Request().Context(), c.Param("id"), to, version)
		if err != nil {
			return err
		}
		web.SetETag(c, o.Version)
		return c.JSON(http.StatusOK, o)
	}
}
