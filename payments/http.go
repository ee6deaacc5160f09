package payments

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/apperr"
)

// maxWebhookBytes bounds a webhook body. Stripe's events are a few kilobytes; a body
// over the limit is refused before it is verified or parsed.
const maxWebhookBytes = 1 << 20

// SignatureHeader is the header carrying a webhook delivery's signature.
const SignatureHeader = "Stripe-Signature"

// HandlerConfig configures the payments API.
type HandlerConfig struct {
	// ReturnURL is where Stripe sends a provider's owner back after onboarding, or when
	// the link has expired (a page that shows the status and offers a new link). "{id}"
	// in it is replaced with the provider's id.
	ReturnURL string
}

// Handler serves the payments JSON API. Handlers are thin: decode, call the service,
// encode; the one error handler in infra/web writes every failure as problem+json.
type Handler struct {
	svc *Service
	cfg HandlerConfig
}

// NewHandler returns the payments API handler.
func NewHandler(svc *Service, cfg HandlerConfig) *Handler { return &Handler{svc: svc, cfg: cfg} }

// Register mounts the payments routes on the /api/v1 group.
func (h *Handler) Register(g *echo.Group) {
	g.POST("/providers/:id/payments/onboarding", h.startOnboarding)
	g.GET("/providers/:id/payments", h.providerStatus)
	g.POST("/webhooks/stripe", h.webhook)
}

func (h *Handler) startOnboarding(c echo.Context) error {
	o, err := h.svc.StartOnboarding(c.Request().Context(), c.Param("id"),
		strings.ReplaceAll(h.cfg.ReturnURL, "{id}", url.PathEscape(c.Param("id"))))
	if err != nil {
		return err
	}
	// The link is single-use and secret to the person: no cache may keep it.
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusCreated, o)
}

func (h *Handler) providerStatus(c echo.Context) error {
	st, err := h.svc.ProviderStatus(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, st)
}

// webhook receives Stripe's events. It needs no session: the signature of the exact
// bytes received is the proof, so the body is read raw and never re-encoded.
func (h *Handler) webhook(c echo.Context) error {
	body, err := io.ReadAll(http.MaxBytesReader(c.Response(), c.Request().Body, maxWebhookBytes))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return apperr.New(apperr.TooLarge, "too-large", "The body is larger than a Stripe event can be.")
	}
	if err != nil {
		return apperr.New(apperr.Invalid, "bad-request", "The body could not be read.")
	}
	if err := h.svc.HandleWebhook(c.Request().Context(), body, c.Request().Header.Get(SignatureHeader)); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]bool{"received": true})
}
