package pooling

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/infra/web"
	"github.com/carepool/carepool/marketplace/account"
)

// People finds the accounts the API names by email (an ISF provider names the person
// whose fund it opens by their account email, not by an id it cannot know).
type People interface {
	// UserIDByEmail returns the id of the account with this email, or a NotFound error.
	UserIDByEmail(ctx context.Context, email string) (string, error)
}

// Handler serves the pooling JSON API. Handlers are thin: decode, call the service,
// encode; the one error handler in infra/web writes every failure as problem+json.
type Handler struct {
	svc    *Service
	people People
}

// NewHandler returns the pooling API handler.
func NewHandler(svc *Service, people People) *Handler { return &Handler{svc: svc, people: people} }

// Register mounts the pooling routes on the /api/v1 group. Routes that move money
// require an Idempotency-Key header (see requireKey).
func (h *Handler) Register(g *echo.Group) {
	g.GET("/pools", h.publicPools)
	g.POST("/pools", h.proposePool)
	g.GET("/pools/:id", h.getPool)
	g.PUT("/pools/:id", h.replaceDraft)
	g.POST("/pools/:id/open", h.openPool)
	g.POST("/pools/:id/invite-code", h.rotateInvite)
	g.POST("/pools/:id/confirm", h.confirmPool)
	g.POST("/pools/:id/cancel", h.cancelPool)
	g.GET("/pools/:id/participants", h.participants)
	g.POST("/pools/:id/pledges", h.pledge)
	g.POST("/pools/:id/deliveries", h.recordDelivery)
	g.GET("/pools/:id/statement", h.poolStatement)
	g.GET("/invites/:code", h.poolByInvite)
	g.GET("/me/pools", h.managedPools)
	g.GET("/me/pledges", h.myPledges)
	g.GET("/me/approvals", h.pendingApprovals)
	g.GET("/pledges/:id", h.getPledge)
	g.POST("/pledges/:id/withdraw", h.withdraw)
	g.POST("/pledges/:id/approve", h.approve)
	g.POST("/pledges/:id/decline", h.decline)
	g.GET("/people/:id/budgets", h.budgets)
	g.GET("/people/:id/statement", h.personStatement)
	g.POST("/budgets", h.addBudget)
	g.GET("/budgets/:id/statement", h.budgetStatement)
	g.GET("/providers/:id/isf-accounts", h.isfAccounts)
	g.POST("/providers/:id/isf-accounts", h.openISFAccount)
	g.POST("/isf-accounts/:id/adjustments", h.adjustISF)
	g.GET("/isf-accounts/:id/statement", h.budgetStatement)
	g.GET("/providers/:id/statement", h.providerStatement)
	h.registerInvoices(g)
}

// items is the envelope of every list the API returns.
type items[T any] struct {
	Items []T `json:"items"`
}

func list[T any](c echo.Context, xs []T) error {
	if xs == nil {
		xs = []T{}
	}
	return c.JSON(http.StatusOK, items[T]{Items: xs})
}

// requireKey reads the Idempotency-Key header that every money-moving route requires,
// after checking that someone is logged in (who comes before what they sent).
// keyedRequest reads what every money-moving call starts with: a logged-in caller, its
// Idempotency-Key header, and the JSON body decoded into in. With optional set an empty
// body is allowed: some actions (confirm, withdraw) take none, but a client may send {}.
func keyedRequest(c echo.Context, in any, optional bool) (string, error) {
	key, err := requireKey(c)
	if err != nil {
		return "", err
	}
	if optional && c.Request().ContentLength == 0 {
		return key, nil
	}
	return key, web.Bind(c, in)
}

func requireKey(c echo.Context) (string, error) {
	if err := account.ActorFrom(c.Request().Context()).RequireUser(); err != nil {
		return "", err
	}
	return web.IdempotencyKey(c, true)
}

// noQuery refuses query parameters on routes that take none.
func noQuery(c echo.Context) error { return web.OnlyParams(c.QueryParams()) }

// self reads a person id from the path: "me" is the caller.
func self(c echo.Context) string {
	if id := c.Param("id"); id != "me" {
		return id
	}
	return ""
}

func limitQuery(c echo.Context) (int, error) {
	s := c.QueryParam("limit")
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 100 {
		return 0, apperr.InvalidFields(apperr.FieldError{Field: "limit", Message: "must be a whole number from 1 to 100"})
	}
	return n, nil
}

// writeStatement answers JSON, or CSV when the client asks for it (Accept: text/csv or
// ?format=csv).
func writeStatement(c echo.Context, st Statement, err error) error {
	if err != nil {
		return err
	}
	if err := web.OnlyParams(c.QueryParams(), "format"); err != nil {
		return err
	}
	format := c.QueryParam("format")
	switch format {
	case "", "json", "csv":
	default:
		return apperr.InvalidFields(apperr.FieldError{Field: "format", Message: "must be json or csv"})
	}
	if format == "csv" || (format == "" && strings.Contains(c.Request().Header.Get(echo.HeaderAccept), "text/csv")) {
		res := c.Response()
		res.Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
		name := strings.NewReplacer(":", "-", "/", "-").Replace(st.Subject)
		res.Header().Set(echo.HeaderContentDisposition, `attachment; filename="statement-`+name+`.csv"`)
		res.WriteHeader(http.StatusOK)
		return WriteCSV(res, st)
	}
	return c.JSON(http.StatusOK, st)
}

// versioned writes a pool or pledge with its version as the ETag, or returns err: the
// service's result and error pass straight through, so handlers stay one line.
func versioned(c echo.Context, status int, version int64, v any, err error) error {
	if err != nil {
		return err
	}
	web.SetETag(c, version)
	return c.JSON(status, v)
}
