package frontend

import (
	"context"
	"html/template"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/calendar"
)

// CalendarFeeds is what the account page needs to manage a person's calendar feed.
// *calendar.Service implements it.
type CalendarFeeds interface {
	FeedStatus(ctx context.Context) (calendar.FeedStatus, error)
	CreateFeed(ctx context.Context) (calendar.CreatedFeed, error)
	DisableFeed(ctx context.Context) error
}

var _ CalendarFeeds = (*calendar.Service)(nil)

// CalendarFeedView is the calendar feed section of the account page.
type CalendarFeedView struct {
	On    bool
	Since string // when the current address was made: "5 March 2026"
}

// CalendarFeedPage shows a new calendar feed address, once.
type CalendarFeedPage struct {
	Base
	URL       string
	WebcalURL template.URL // the same address for calendar apps that open webcal: links
	Replaced  bool         // an older address stopped working
}

func (*CalendarFeedPage) templateName() string { return "calendar-feed" }

func init() {
	notices["calendar-feed-off"] = "Your calendar feed is off. Its address no longer works; you can remove it from your calendar app."
}

// calendarFeedView is the account page's calendar section: nil when the site has no
// calendar feeds.
func (h *Handler) calendarFeedView(ctx context.Context) (*CalendarFeedView, error) {
	if h.calendar == nil {
		return nil, nil
	}
	st, err := h.calendar.FeedStatus(ctx)
	if err != nil {
		return nil, err
	}
	v := &CalendarFeedView{On: st.On}
	if st.CreatedAt != nil {
		v.Since = shortDate(*st.CreatedAt)
	}
	return v, nil
}

// createCalendarFeed makes a new address and shows it at once rather than redirecting:
// it is a secret we do not keep, so it cannot be read back on a later page.
func (h *Handler) createCalendarFeed(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	ctx := c.Request().Context()
	before, err := h.calendar.FeedStatus(ctx)
	if err != nil {
		return err
	}
	f, err := h.calendar.CreateFeed(ctx)
	if err != nil {
		return err
	}
	p := &CalendarFeedPage{Base: Base{Title: "Your calendar address", Section: "account", Terms: terms("pool")},
		URL: f.URL, Replaced: before.On, WebcalURL: template.URL(webcal(f.URL))}
	c.Response().Header().Set("Cache-Control", "no-store")
	return h.render(c, http.StatusOK, p)
}

// webcal is a feed address with the webcal: scheme, which asks the computer's calendar
// app to subscribe to it.
func webcal(u string) string {
	if rest, ok := strings.CutPrefix(u, "https://"); ok {
		return "webcal://" + rest
	}
	return "webcal://" + strings.TrimPrefix(u, "http://")
}

func (h *Handler) disableCalendarFeed(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	if err := h.calendar.DisableFeed(c.Request().Context()); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/account?done=calendar-feed-off#calendar-feed")
}
