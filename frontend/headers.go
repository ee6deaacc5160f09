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

// cardPageContentSecurityPolicy is the card page's: the strict policy, plus what
// Stripe.js needs to show its card form (its script and frames, and its API for the
// frame's requests), as Stripe documents. Only the card page gets it, and only while it
// shows the form; our own script on it is a file under /static/ ('self').
const cardPageContentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; " +
	"base-uri 'none'; frame-ancestors 'none'; " +
	"script-src 'self' https://js.stripe.com https://*.js.stripe.com; " +
	"frame-src https://js.stripe.com https://*.js.stripe.com https://hooks.stripe.com; " +
	"connect-src https://api.stripe.com"

// providerCardsContentSecurityPolicy is the provider's card payments page's: the strict
// policy, except that its one form may lead to Stripe's hosted onboarding (browsers
// apply form-action to the redirect after a form, too).
const providerCardsContentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self'; " +
	"form-action 'self' https://connect.stripe.com; base-uri 'none'; frame-ancestors 'none'"

func setCardPageCSP(c echo.Context) {
	c.Response().Header().Set("Content-Security-Policy", cardPageContentSecurityPolicy)
}

func setProviderCardsCSP(c echo.Context) {
	c.Response().Header().Set("Content-Security-Policy", providerCardsContentSecurityPolicy)
}
