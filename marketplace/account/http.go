package account

import (
	"net/http"
	"net/url"
	"time"

	"github.com/carepool/carepool/infra/web"
	"github.com/labstack/echo/v4"
)

// DefaultCookieName names the session cookie unless HandlerConfig says otherwise.
const DefaultCookieName = "carepool_session"

// HandlerConfig configures the HTTP side of accounts.
type HandlerConfig struct {
	// BaseURL is the public URL of the site, such as https://carepool.example. Its origin
	// is the only one trusted to send cookie-authenticated changes (CSRF protection). If
	// it cannot be parsed, only Sec-Fetch-Site can vouch for a request (fail closed).
	BaseURL string
	// SecureCookie sets the session cookie's Secure flag. Set it for every site served
	// over https; leave it off only for plain http on a loopback address in development.
	SecureCookie bool
	// CookieName names the session cookie (default DefaultCookieName).
	CookieName string
}

// Handler serves the account routes of the JSON API and authenticates every request.
type Handler struct {
	svc        *Service
	cookieName string
	secure     bool
	origin     string // scheme://host[:port] of BaseURL, lower-case; empty if unusable
}

// NewHandler returns the handler for svc.
func NewHandler(svc *Service, cfg HandlerConfig) *Handler {
	h := &Handler{svc: svc, cookieName: cfg.CookieName, secure: cfg.SecureCookie}
	if h.cookieName == "" {
		h.cookieName = DefaultCookieName
	}
	h.origin = web.Origin(cfg.BaseURL)
	return h
}

// Register mounts the account routes on g, which the application mounts at /api/v1.
// Every response may carry personal data or a secret, so none may be cached.
func (h *Handler) Register(g *echo.Group) {
	g.POST("/accounts", h.signUp, noStore)
	g.POST("/sessions", h.logIn, noStore)
	g.DELETE("/sessions/current", h.logOut, noStore)
	g.GET("/me", h.me, noStore)
	g.PATCH("/me", h.updateMe, noStore)
	g.GET("/me/tokens", h.listTokens, noStore)
	g.POST("/me/tokens", h.createToken, noStore)
	g.DELETE("/me/tokens/:id", h.revokeToken, noStore)
	g.POST("/organisations", h.createOrganisation, noStore)
	g.GET("/organisations/:id", h.getOrganisation, noStore)
	g.PATCH("/organisations/:id", h.updateOrganisation, noStore)
	g.GET("/organisations/:id/members", h.listMembers, noStore)
	g.POST("/organisations/:id/members", h.addMember, noStore)
	g.DELETE("/organisations/:id/members/:user_id", h.removeMember, noStore)
	g.GET("/me/delegations", h.listDelegationsGranted, noStore)
	g.POST("/me/delegations", h.grantDelegation, noStore)
	g.DELETE("/me/delegations/:id", h.revokeDelegation, noStore)
	g.GET("/me/representing", h.listRepresenting, noStore)
	g.POST("/admin/organisations/:id/suspend", h.suspendOrganisation, noStore)
	g.POST("/admin/organisations/:id/reinstate", h.reinstateOrganisation, noStore)
	h.registerEmail(g)
}

func noStore(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "no-store")
		return next(c)
	}
}

// created answers 201 with a Location relative to the request's own path (ref "me"
// from /api/v1/accounts is /api/v1/me), so the handler need not know where it is mounted.
func created(c echo.Context, ref string, body any) error {
	loc := c.Request().URL.ResolveReference(&url.URL{Path: ref})
	c.Response().Header().Set(echo.HeaderLocation, loc.Path)
	return c.JSON(http.StatusCreated, body)
}

// list is the envelope of every collection response, so fields can be added later.
type list[T any] struct {
	Items []T `json:"items"`
}

func listOf[T, S any](items []S, convert func(S) T) list[T] {
	out := list[T]{Items: make([]T, len(items))}
	for i, it := range items {
		out.Items[i] = convert(it)
	}
	return out
}

// timeJSON formats optional times; nil stays absent from the JSON.
func timeJSON(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
