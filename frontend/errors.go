package frontend

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/web"
)

// RenderError is the web.HTMLRenderer of the application: the one error handler calls
// it for every failed page request (not for the API), with the problem it would have
// sent as JSON. It shows a friendly page with the right status: "Page not found", a
// refusal with a link to log in when nobody is, or "Sorry, there is a problem" with the
// request id to quote. Only the problem's own text is shown, never an internal error.
func (h *Handler) RenderError(c echo.Context, p web.Problem) error {
	setPageHeaders(c)
	if csrfFrom(c) == "" {
		// Errors raised before the page middleware ran (an unknown address) have no
		// form token; the page offers no form then.
		if ck, err := c.Request().Cookie(csrfCookie); err == nil && validSeed(ck.Value) {
			c.Set(csrfCtxKey, csrfToken(ck.Value, actor(c).SessionID))
		}
	}
	anonymous := actor(c).Anonymous()
	page := &ErrorPage{Status: p.Status, RequestID: p.RequestID}
	switch {
	case p.Status == http.StatusNotFound:
		page.Heading = "Page not found"
		page.Detail = "If you typed the web address, check it is correct. If you pasted it, check you copied all of it. It may also be something that has been taken down or that you are not allowed to see."
	case p.Type == "/problems/"+errCSRF.Code || p.Type == "/problems/"+errCrossSite.Code:
		page.Heading = "Sorry, you need to send the form again"
		page.Detail = p.Detail
	case (p.Status == http.StatusUnauthorized || p.Status == http.StatusForbidden) && anonymous:
		page.Heading = "You need to log in to see this page"
		page.Detail = p.Detail
		next := c.Request().URL.RequestURI()
		if c.Request().Method != http.MethodGet {
			next = "/"
		}
		page.LoginURL = "/login?next=" + url.QueryEscape(next)
	case p.Status == http.StatusForbidden:
		page.Heading = "You cannot do this"
		page.Detail = p.Detail
	case p.Status >= 500:
		page.Heading = "Sorry, there is a problem with the service"
		page.Detail = "Try again later. If it keeps happening, contact us and quote the reference below."
	case p.Status == http.StatusTooManyRequests:
		page.Heading = "Too many attempts"
		page.Detail = p.Detail
	default:
		page.Heading = "There is a problem"
		page.Detail = p.Detail
	}
	page.Title = page.Heading
	return h.render(c, p.Status, page)
}
