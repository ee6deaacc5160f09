package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"
)

// Origin returns the origin (scheme://host[:port], lower case) of the site's public URL,
// or "" if the URL is not an absolute http(s) URL, in which case no Origin header is
// trusted and only Sec-Fetch-Site can vouch for a request (fail closed).
func Origin(baseURL string) string {
	u, err := url.Parse(baseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return strings.ToLower(u.Scheme + "://" + u.Host)
}

// SameOrigin reports whether the browser says the request came from our own pages (or
// from the person typing the address), by Sec-Fetch-Site or else by Origin. A request
// with neither is refused: every browser in use sends one of them. Cookie-authenticated
// changes need this positive proof (CSRF).
func SameOrigin(req *http.Request, origin string) bool {
	switch req.Header.Get("Sec-Fetch-Site") {
	case "same-origin", "none":
		return true
	case "":
		return origin != "" && strings.EqualFold(req.Header.Get(echo.HeaderOrigin), origin)
	default: // cross-site, same-site (a sibling subdomain is not us)
		return false
	}
}

// CrossSite reports whether a browser says the request came from another site. Requests
// that carry no cookie yet (log in, sign up, forms checked by a token) use it instead of
// SameOrigin: clients that are not browsers send neither header and must get through,
// but another site must not post on a visitor's behalf.
func CrossSite(req *http.Request, origin string) bool {
	switch req.Header.Get("Sec-Fetch-Site") {
	case "same-origin", "none":
		return false
	case "":
		o := req.Header.Get(echo.HeaderOrigin)
		return o != "" && !strings.EqualFold(o, origin)
	default:
		return true
	}
}
