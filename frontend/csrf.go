package frontend

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/infra/web"
)

// Cross-site request forgery: three locks, any one of which stops a forged form.
//
//  1. The session cookie is SameSite=Lax, so browsers do not send it with a form that
//     another site posts to us.
//  2. account.Authenticate refuses a cookie-authenticated POST that the browser does not
//     mark as same-origin (Sec-Fetch-Site, else Origin); web.CrossSite refuses forms
//     that the browser says another site sent, with or without a session (log in and
//     sign up have none), against login CSRF.
//  3. Every form that changes something carries a token, checked here: a signed
//     double-submit token bound to the session. A random seed lives in its own cookie
//     (HttpOnly, SameSite=Lax); the token in the form is HMAC-SHA256(key: the seed,
//     message: the session's id). Another site can neither read the seed nor learn the
//     session id (it is never sent to the browser), so it cannot make a token even if it
//     could plant a seed cookie; a token stops working when the session ends or changes.
//     Nothing is stored on the server, so any number of server copies can check it.
//
// Forms that only read (search, the budget guide) use GET and carry no token.

const (
	csrfCookie = "carepool_csrf"
	csrfField  = "csrf_token"
	csrfCtxKey = "frontend.csrf"
	seedBytes  = 32
	maxFormLen = 256 << 10 // the offer form is the largest, well under this
)

var (
	errCSRF = apperr.New(apperr.Forbidden, "csrf",
		"This form has expired or was sent from another website. Go back, reload the page and try again.")
	errCrossSite = apperr.New(apperr.Forbidden, "cross-origin-request",
		"This form was sent from another website, so we refused it.")
)

// csrf makes sure every page has a seed cookie and a token for its forms, and checks
// the token of every POST.
func (h *Handler) csrf(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		seed := ""
		if ck, err := req.Cookie(csrfCookie); err == nil && validSeed(ck.Value) {
			seed = ck.Value
		}
		if seed == "" {
			seed = newSeed()
			c.SetCookie(&http.Cookie{Name: csrfCookie, Value: seed, Path: "/", HttpOnly: true,
				Secure: h.secure, SameSite: http.SameSiteLaxMode})
		}
		want := csrfToken(seed, actor(c).SessionID)
		c.Set(csrfCtxKey, want)
		if req.Method == http.MethodGet || req.Method == http.MethodHead {
			return next(c)
		}
		if web.CrossSite(req, h.origin) {
			return errCrossSite
		}
		req.Body = http.MaxBytesReader(c.Response(), req.Body, maxFormLen)
		got := c.FormValue(csrfField)
		if !hmac.Equal([]byte(got), []byte(want)) {
			return errCSRF
		}
		return next(c)
	}
}

// csrfToken is the token for forms of the session sessionID ("" when nobody is logged in).
func csrfToken(seed, sessionID string) string {
	m := hmac.New(sha256.New, []byte(seed))
	m.Write([]byte("carepool-form\x00" + sessionID))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func newSeed() string {
	b := make([]byte, seedBytes)
	_, _ = rand.Read(b) // never fails (crypto/rand panics rather than return an error)
	return base64.RawURLEncoding.EncodeToString(b)
}

func validSeed(s string) bool {
	b, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil && len(b) == seedBytes
}

// csrfFrom returns the form token for the current request.
func csrfFrom(c echo.Context) string {
	s, _ := c.Get(csrfCtxKey).(string)
	return s
}
