package payments

import (
	_ "embed"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/web"
	"github.com/carepool/carepool/marketplace/account"
)

// CardsOpenAPI documents the card routes; the server merges it into /api/v1/openapi.json.
//
//go:embed openapi_cards.json
var CardsOpenAPI []byte

// CardHandler serves the card routes of the JSON API.
type CardHandler struct{ cards *Cards }

// NewCardHandler returns the card routes' handler; cards may be nil when card payments
// are not set up, and then every route says so.
func NewCardHandler(cards *Cards) *CardHandler { return &CardHandler{cards: cards} }

// Register mounts the card routes on the /api/v1 group.
func (h *CardHandler) Register(g *echo.Group) {
	g.POST("/pledges/:id/card-setup", h.cardSetup)
}

func (h *CardHandler) cardSetup(c echo.Context) error {
	if err := web.OnlyParams(c.QueryParams()); err != nil {
		return err
	}
	if err := account.ActorFrom(c.Request().Context()).RequireUser(); err != nil {
		return err
	}
	if h.cards == nil {
		return ErrNotConfigured
	}
	setup, err := h.cards.StartCardSetup(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	// The client secret is for this browser only: no cache may keep it.
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusCreated, setup)
}
