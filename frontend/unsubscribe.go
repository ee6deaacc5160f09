package frontend

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/notify"
)

// The unsubscribe link of an email. Opening it (GET) changes nothing, because mail
// scanners follow links: it shows what would stop and a button. The button, or a mail
// program's one-click unsubscribe (RFC 8058: a POST with List-Unsubscribe=One-Click),
// posts to the same address and stops that kind of email.

func (h *Handler) unsubscribeForm(c echo.Context) error {
	v, err := h.notify.CheckUnsubscribe(c.Request().Context(), c.Param("token"))
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, unsubscribePage(c, v))
}

func (h *Handler) unsubscribe(c echo.Context) error {
	v, err := h.notify.Unsubscribe(c.Request().Context(), c.Param("token"))
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, unsubscribePage(c, v))
}

func unsubscribePage(c echo.Context, v notify.UnsubscribeView) *UnsubscribePage {
	title := "Stop these emails?"
	if v.Done {
		title = "You will not get these emails any more"
	}
	return &UnsubscribePage{Base: Base{Title: title}, Label: v.Label, Account: v.Account, Done: v.Done,
		Action: "/unsubscribe/" + url.PathEscape(c.Param("token"))}
}
