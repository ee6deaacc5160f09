package calendar

import (
	_ "embed"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/web"
)

// OpenAPI is the OpenAPI 3.1 fragment documenting the calendar routes; the server merges
// it into /api/v1/openapi.json.
//
//go:embed openapi.json
var OpenAPI []byte

// ContentType is the media type of the feeds.
const ContentType = "text/calendar; charset=utf-8"

// Handler serves the feeds and the routes that manage a personal feed.
type Handler struct {
	svc *Service
}

// NewHandler returns the calendar handler.
func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

// Register mounts the API routes on g, the /api/v1 group.
func (h *Handler) Register(g *echo.Group) {
	g.GET("/pools/:id/calendar.ics", h.poolFeed)
	g.GET("/me/calendar-feed", h.feedStatus, noStore)
	g.POST("/me/calendar-feed", h.createFeed, noStore)
	g.DELETE("/me/calendar-feed", h.disableFeed, noStore)
}

// RegisterFeeds mounts the personal feeds at /calendar/{secret}.ics on e. The address is
// the credential, so it is outside /api/v1 and needs no log-in; the access log records
// the route pattern only, never the secret.
func (h *Handler) RegisterFeeds(e *echo.Echo) {
	e.GET("/calendar/:file", h.personalFeed)
}

func noStore(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "no-store")
		return next(c)
	}
}

func (h *Handler) poolFeed(c echo.Context) error {
	if err := web.OnlyParams(c.QueryParams()); err != nil {
		return err
	}
	r, err := h.svc.PoolFeed(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	// A pool may be invite-only and read with a session cookie: no shared caches.
	c.Response().Header().Set("Cache-Control", "private, max-age=300")
	c.Response().Header().Set("Content-Disposition", `attachment; filename="carepool-pool.ics"`)
	return serveFeed(c, r)
}

func (h *Handler) personalFeed(c echo.Context) error {
	secret, ok := strings.CutSuffix(c.Param("file"), ".ics")
	if !ok {
		return ErrFeedNotFound
	}
	r, err := h.svc.PersonalFeed(c.Request().Context(), secret)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "private, no-cache")
	// The address is a secret: never send it on as a referrer.
	c.Response().Header().Set("Referrer-Policy", "no-referrer")
	return serveFeed(c, r)
}

// serveFeed writes a feed with its validators, or 304 when the client's copy is current
// (calendar apps poll feeds; most polls then cost no body).
func serveFeed(c echo.Context, r Rendered) error {
	hdr := c.Response().Header()
	hdr.Set("ETag", r.ETag)
	hdr.Set("Last-Modified", r.LastModified.Format(http.TimeFormat))
	if notModified(c.Request(), r) {
		return c.NoContent(http.StatusNotModified)
	}
	return c.Blob(http.StatusOK, ContentType, r.Body)
}

// notModified applies If-None-Match, or If-Modified-Since when there is no
// If-None-Match (RFC 9110 section 13.2.2).
func notModified(req *http.Request, r Rendered) bool {
	if inm := req.Header.Get("If-None-Match"); inm != "" {
		for _, tag := range strings.Split(inm, ",") {
			tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
			if tag == r.ETag || tag == "*" {
				return true
			}
		}
		return false
	}
	if ims, err := http.ParseTime(req.Header.Get("If-Modified-Since")); err == nil {
		return !r.LastModified.After(ims.Truncate(time.Second))
	}
	return false
}

func (h *Handler) feedStatus(c echo.Context) error {
	st, err := h.svc.FeedStatus(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, st)
}

func (h *Handler) createFeed(c echo.Context) error {
	f, err := h.svc.CreateFeed(c.Request().Context())
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, c.Request().URL.Path)
	return c.JSON(http.StatusCreated, f)
}

func (h *Handler) disableFeed(c echo.Context) error {
	if err := h.svc.DisableFeed(c.Request().Context()); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
