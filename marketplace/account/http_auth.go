package account

import (
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/infra/web"
)

var (
	errCrossOrigin = apperr.New(apperr.Forbidden, "cross-origin-request",
		"This request came from another website, so we refused it. If you sent it yourself, use an API token.")
	errBadAuthorization = apperr.New(apperr.Unauthenticated, "invalid-authorization",
		"Send an API token as Authorization: Bearer <token>.")
)

// Authenticate is the middleware that works out who is calling: an Authorization: Bearer
// API token, else the session cookie. It puts the Actor in the request context (anonymous
// when nobody is logged in) and leaves it to each route to decide who may pass.
//
// A bearer token that is unknown, revoked or expired is refused with 401 at once: a
// script must not quietly carry on as anonymous. A stale cookie is simply cleared.
//
// Cookie-authenticated changes (POST, PUT, PATCH, DELETE) must come from our own origin,
// shown by Sec-Fetch-Site or Origin, because browsers attach cookies to requests that
// other sites make (CSRF). Bearer requests are exempt: browsers never add that header.
func (h *Handler) Authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		actor := &Actor{}
		if auth := req.Header.Get(echo.HeaderAuthorization); auth != "" {
			scheme, token, ok := strings.Cut(auth, " ")
			if !ok || !strings.EqualFold(scheme, "Bearer") {
				c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="carepool"`)
				return errBadAuthorization
			}
			a, err := h.svc.ActorForToken(req.Context(), strings.TrimSpace(token))
			if err != nil {
				if apperr.Is(err, apperr.Unauthenticated) {
					c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="carepool", error="invalid_token"`)
				}
				return err
			}
			actor = a
		} else if ck, err := req.Cookie(h.cookieName); err == nil && ck.Value != "" {
			a, err := h.svc.ActorForSession(req.Context(), ck.Value)
			switch {
			case errors.Is(err, ErrSessionNotFound):
				h.clearSessionCookie(c)
			case err != nil:
				return err
			default:
				actor = a
			}
		}
		if actor.Method == AuthSession && unsafeMethod(req.Method) && !web.SameOrigin(req, h.origin) {
			return errCrossOrigin
		}
		c.SetRequest(req.WithContext(WithActor(req.Context(), actor)))
		return next(c)
	}
}

func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions && m != http.MethodTrace
}

func (h *Handler) setSessionCookie(c echo.Context, s StartedSession) {
	c.SetCookie(&http.Cookie{Name: h.cookieName, Value: s.Secret, Path: "/", Expires: s.CookieExpires,
		HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteLaxMode})
}

func (h *Handler) clearSessionCookie(c echo.Context) {
	c.SetCookie(&http.Cookie{Name: h.cookieName, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteLaxMode})
}

type signUpRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	Name     string `json:"name"`
}

// DecodeSignUp decodes and validates a sign-up request body, exactly as POST /accounts
// does (exported for the fuzz test and for the HTML sign-up form).
func DecodeSignUp(body []byte) (SignUp, error) {
	var req signUpRequest
	if err := web.DecodeJSON(body, &req); err != nil {
		return SignUp{}, err
	}
	in := SignUp(req)
	in.Normalise()
	return in, in.Validate()
}

type sessionJSON struct {
	ExpiresAt time.Time `json:"expires_at"`
	User      userJSON  `json:"user"`
}

func (h *Handler) signUp(c echo.Context) error {
	if web.CrossSite(c.Request(), h.origin) {
		return errCrossOrigin
	}
	var req signUpRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	s, err := h.svc.SignUp(c.Request().Context(), SignUp(req))
	if err != nil {
		return err
	}
	h.setSessionCookie(c, s)
	return created(c, "me", sessionJSON{ExpiresAt: s.ExpiresAt, User: userJSONOf(s.User)})
}

type logInRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

func (h *Handler) logIn(c echo.Context) error {
	if web.CrossSite(c.Request(), h.origin) {
		return errCrossOrigin
	}
	var req logInRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	s, err := h.svc.LogIn(c.Request().Context(), Credentials(req), c.RealIP())
	var wait *RetryAfter
	if errors.As(err, &wait) {
		c.Response().Header().Set(echo.HeaderRetryAfter, strconv.Itoa(int(math.Ceil(wait.Wait.Seconds()))))
	}
	if err != nil {
		return err
	}
	// A session begun from a cookie that was already set replaces it.
	if ck, err := c.Request().Cookie(h.cookieName); err == nil {
		_ = h.svc.LogOut(c.Request().Context(), ck.Value)
	}
	h.setSessionCookie(c, s)
	return created(c, "sessions/current", sessionJSON{ExpiresAt: s.ExpiresAt, User: userJSONOf(s.User)})
}

func (h *Handler) logOut(c echo.Context) error {
	if ck, err := c.Request().Cookie(h.cookieName); err == nil {
		if err := h.svc.LogOut(c.Request().Context(), ck.Value); err != nil {
			return err
		}
	}
	h.clearSessionCookie(c)
	return c.NoContent(http.StatusNoContent)
}
