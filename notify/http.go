package notify

import (
	"errors"
	"math"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/infra/web"
	"github.com/carepool/carepool/marketplace/account"
)

// Handler serves the notifications JSON API. Handlers are thin: decode, call the
// service, encode; the one error handler in infra/web writes failures as problem+json.
type Handler struct{ svc *Service }

// NewHandler returns the notifications API handler.
func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

// Register mounts the routes on the /api/v1 group.
func (h *Handler) Register(g *echo.Group) {
	g.GET("/me/notifications", h.inbox)
	g.POST("/me/notifications/read-all", h.markAllRead)
	g.POST("/me/notifications/:id/read", h.markRead)
	g.GET("/me/notification-preferences", h.preferences)
	g.PUT("/me/notification-preferences", h.setPreferences)
	g.POST("/pools/:id/invitations", h.invite)
	g.GET("/pools/:id/messages", h.messages)
	g.POST("/pools/:id/messages", h.postMessage)
	g.GET("/admin/notify-failures", h.failures)
}

type items[T any] struct {
	Items []T `json:"items"`
}

func list[T any](c echo.Context, xs []T) error {
	if xs == nil {
		xs = []T{}
	}
	return c.JSON(http.StatusOK, items[T]{Items: xs})
}

func noQuery(c echo.Context) error { return web.OnlyParams(c.QueryParams()) }

func (h *Handler) inbox(c echo.Context) error {
	q := c.QueryParams()
	if err := web.OnlyParams(q, "cursor", "limit"); err != nil {
		return err
	}
	limit := 0
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > MaxInboxLimit {
			return apperr.InvalidFields(apperr.FieldError{Field: "limit", Message: "must be a whole number from 1 to 100"})
		}
		limit = n
	}
	p, err := h.svc.Inbox(c.Request().Context(), q.Get("cursor"), limit)
	if err != nil {
		return err
	}
	if p.Items == nil {
		p.Items = []Notification{}
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(http.StatusOK, p)
}

func (h *Handler) markRead(c echo.Context) error {
	if err := noQuery(c); err != nil {
		return err
	}
	if err := h.svc.MarkRead(c.Request().Context(), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

type markedJSON struct {
	Marked int64 `json:"marked"`
}

func (h *Handler) markAllRead(c echo.Context) error {
	if err := noQuery(c); err != nil {
		return err
	}
	n, err := h.svc.MarkAllRead(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, markedJSON{Marked: n})
}

func (h *Handler) preferences(c echo.Context) error {
	if err := noQuery(c); err != nil {
		return err
	}
	v, err := h.svc.Preferences(c.Request().Context())
	if err != nil {
		return err
	}
	web.SetETag(c, v.Version)
	return c.JSON(http.StatusOK, v)
}

func (h *Handler) setPreferences(c echo.Context) error {
	if err := account.ActorFrom(c.Request().Context()).RequireUser(); err != nil {
		return err // who comes before what they sent
	}
	version, err := web.IfMatch(c)
	if err != nil {
		return err
	}
	var in PreferencesInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	v, err := h.svc.SetPreferences(c.Request().Context(), version, in)
	if err != nil {
		return err
	}
	web.SetETag(c, v.Version)
	return c.JSON(http.StatusOK, v)
}

func (h *Handler) invite(c echo.Context) error {
	if err := account.ActorFrom(c.Request().Context()).RequireUser(); err != nil {
		return err
	}
	var in InvitationInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	res, err := h.svc.Invite(c.Request().Context(), c.Param("id"), in)
	if err != nil {
		var wait *account.RetryAfter
		if errors.As(err, &wait) {
			c.Response().Header().Set(echo.HeaderRetryAfter, strconv.Itoa(int(math.Ceil(wait.Wait.Seconds()))))
		}
		return err
	}
	return c.JSON(http.StatusAccepted, res)
}

func (h *Handler) messages(c echo.Context) error {
	if err := noQuery(c); err != nil {
		return err
	}
	ms, err := h.svc.PoolMessages(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return list(c, ms)
}

func (h *Handler) postMessage(c echo.Context) error {
	if err := account.ActorFrom(c.Request().Context()).RequireUser(); err != nil {
		return err
	}
	var in MessageInput
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	m, err := h.svc.PostMessage(c.Request().Context(), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, m)
}

func (h *Handler) failures(c echo.Context) error {
	if err := noQuery(c); err != nil {
		return err
	}
	fs, err := h.svc.Failures(c.Request().Context())
	if err != nil {
		return err
	}
	return list(c, fs)
}
