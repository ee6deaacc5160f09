package frontend

import (
	"github.com/labstack/echo/v4"
)

// contentSecurityPolicy allows the pages our own stylesheet and images and nothing
// else: no script at all (the pages need none), no inline styles, no frames, and forms
// that post only to us. A page that tried to break out of this would show up as a
// console error in the browser tests.
const contentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; " +
	"base-uri 'none'; frame-ancestors 'none'"

// pageHeaders sets the headers of every page, including error pages.
func (h *Handler) pageHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		setPageHeaders(c)
		return next(c)
	}
}

func setPageHeaders(c echo.Context) {
	hd := c.Response().Header()
	hd.Set("Content-Security-Policy", contentSecurityPolicy)
	hd.Set("Cross-Origin-Opener-Policy", "same-origin")
	hd.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
	// Pages change with who is logged in and may show personal data: never cache them
	// in a shared cache, and never keep a logged-in page at all.
	if actor(c).Anonymous() {
		hd.Set("Cache-Control", "private, no-cache")
	} else {
		hd.Set("Cache-Control", "no-store")
	}
	hd.Set("Vary", "Cookie")
}
