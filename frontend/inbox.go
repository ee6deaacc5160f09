package frontend

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/notify"
)

// inboxPageSize is how many notifications the inbox page shows at once.
const inboxPageSize = 20

func (h *Handler) inbox(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	page, err := h.notify.Inbox(c.Request().Context(), c.QueryParam("from"), inboxPageSize)
	if err != nil {
		return err
	}
	p := &InboxPage{Base: Base{Title: "Your notifications", Section: "inbox"}, Unread: page.Unread}
	for _, n := range page.Items {
		p.Items = append(p.Items, inboxItem(n))
	}
	if page.NextCursor != "" {
		p.NextURL = "/inbox?from=" + url.QueryEscape(page.NextCursor)
	}
	return h.render(c, http.StatusOK, p)
}

func inboxItem(n notify.Notification) InboxItem {
	it := InboxItem{ID: n.ID, Title: n.Title, Link: n.Link, When: shortDateTime(n), Unread: n.ReadAt == nil,
		ReadAction: "/inbox/" + url.PathEscape(n.ID) + "/read"}
	for _, para := range strings.Split(n.Body, "\n\n") {
		if para = strings.TrimSpace(para); para != "" {
			it.Lines = append(it.Lines, para)
		}
	}
	// Links are paths on this site; anything else is not shown as a link.
	if !strings.HasPrefix(it.Link, "/") || strings.HasPrefix(it.Link, "//") {
		it.Link = ""
	}
	return it
}

// shortDateTime is "5 December 2026 at 10:30am", in UK time.
func shortDateTime(n notify.Notification) string {
	return shortDate(n.CreatedAt) + " at " + n.CreatedAt.In(ukTime).Format("3:04pm")
}

func (h *Handler) inboxRead(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	if err := h.notify.MarkRead(c.Request().Context(), c.Param("id")); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/inbox")
}

func (h *Handler) inboxReadAll(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	if _, err := h.notify.MarkAllRead(c.Request().Context()); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, withDone("/inbox", "notifications-read"))
}
