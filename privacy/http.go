package privacy

import (
	_ "embed"
	"errors"
	"math"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/web"
	"github.com/carepool/carepool/marketplace/account"
)

// OpenAPI is the OpenAPI 3.1 fragment documenting the routes Register mounts; the
// server merges it into /api/v1/openapi.json.
//
//go:embed openapi.json
var OpenAPI []byte

// HandlerConfig configures the HTTP side.
type HandlerConfig struct {
	// CookieName is the session cookie's name (default account.DefaultCookieName): a
	// deletion clears it.
	CookieName string
	// SecureCookie must match the session cookie's Secure flag.
	SecureCookie bool
}

// Handler serves /api/v1/me/export and /api/v1/me/deletion.
type Handler struct {
	svc *Service
	cfg HandlerConfig
}

// NewHandler returns the privacy handler.
func NewHandler(svc *Service, cfg HandlerConfig) *Handler {
	if cfg.CookieName == "" {
		cfg.CookieName = account.DefaultCookieName
	}
	return &Handler{svc: svc, cfg: cfg}
}

// Register mounts the routes on g, the /api/v1 group. Every answer is personal: none may
// be cached.
func (h *Handler) Register(g *echo.Group) {
	g.GET("/me/export", h.export, noStore)
	g.GET("/me/deletion", h.deletionCheck, noStore)
	g.POST("/me/deletion", h.deleteAccount, noStore)
}

func noStore(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "no-store")
		return next(c)
	}
}

func (h *Handler) export(c echo.Context) error {
	if err := web.OnlyParams(c.QueryParams()); err != nil {
		return err
	}
	x, err := h.svc.Export(c.Request().Context())
	if err != nil {
		return err
	}
	c.Response().Header().Set("Content-Disposition",
		`attachment; filename="carepool-your-data-`+x.GeneratedAt.Format("2006-01-02")+`.json"`)
	return c.JSONPretty(http.StatusOK, x, "  ")
}

// DeletionCheck says whether the caller's account can be deleted now, and if not, why.
type DeletionCheck struct {
	CanDelete bool      `json:"can_delete"`
	Blockers  []Blocker `json:"blockers"`
}

func (h *Handler) deletionCheck(c echo.Context) error {
	bs, err := h.svc.Blockers(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, DeletionCheck{CanDelete: len(bs) == 0, Blockers: bs})
}

// DeletionRequest is the body of POST /me/deletion.
type DeletionRequest struct {
	Password string `json:"password"`
}

func (h *Handler) deleteAccount(c echo.Context) error {
	var in DeletionRequest
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	if err := h.svc.Delete(c.Request().Context(), in.Password); err != nil {
		var wait *account.RetryAfter
		if errors.As(err, &wait) {
			c.Response().Header().Set(echo.HeaderRetryAfter, strconv.Itoa(int(math.Ceil(wait.Wait.Seconds()))))
		}
		return err
	}
	// The session is gone from the store already; the browser forgets it too.
	c.SetCookie(&http.Cookie{Name: h.cfg.CookieName, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: h.cfg.SecureCookie, SameSite: http.SameSiteLaxMode})
	return c.NoContent(http.StatusNoContent)
}
