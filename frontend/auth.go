package frontend

import (
	"errors"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace/account"
)

var signUpFields = fieldSpecs{
	"":         {ID: "name"},
	"name":     {ID: "name", Label: "Your name", Required: "Enter your name"},
	"email":    {ID: "email", Label: "Email address", Required: "Enter your email address"},
	"password": {ID: "password", Label: "Password", Required: "Enter a password"},
}

var logInFields = fieldSpecs{
	"":         {ID: "email"},
	"email":    {ID: "email", Label: "Email address", Required: "Enter your email address"},
	"password": {ID: "password", Label: "Password", Required: "Enter your password"},
}

func (h *Handler) signUpForm(c echo.Context) error {
	if !actor(c).Anonymous() {
		return c.Redirect(http.StatusSeeOther, "/account")
	}
	return h.render(c, http.StatusOK, &SignUpPage{Base: Base{Title: "Create an account", Section: "signup"}, Next: safeNext(c.QueryParam("next"), "")})
}

func (h *Handler) signUp(c echo.Context) error {
	p := &SignUpPage{Base: Base{Title: "Create an account", Section: "signup"},
		Name: c.FormValue("name"), Email: c.FormValue("email"), Next: safeNext(c.FormValue("next"), "")}
	s, err := h.accounts.SignUp(c.Request().Context(), account.SignUp{Name: p.Name, Email: p.Email, Password: c.FormValue("password")})
	if errors.Is(err, account.ErrEmailTaken) {
		p.Errors = FormErrors{{ID: "email", Message: "There is already an account with this email address. Log in instead, or use another address"}}
		return h.render(c, http.StatusUnprocessableEntity, p)
	}
	if fe, ok := formErrors(err, signUpFields, nil); ok {
		p.Errors = fe
		return h.render(c, http.StatusUnprocessableEntity, p)
	}
	if err != nil {
		return err
	}
	h.startSession(c, s)
	return c.Redirect(http.StatusSeeOther, withDone(safeNext(p.Next, "/account"), "signed-up"))
}

func (h *Handler) logInForm(c echo.Context) error {
	return h.render(c, http.StatusOK, &LogInPage{Base: Base{Title: "Log in", Section: "login"}, Next: safeNext(c.QueryParam("next"), "")})
}

func (h *Handler) logIn(c echo.Context) error {
	p := &LogInPage{Base: Base{Title: "Log in", Section: "login"}, Email: c.FormValue("email"), Next: safeNext(c.FormValue("next"), "")}
	s, err := h.accounts.LogIn(c.Request().Context(), account.Credentials{Email: p.Email, Password: c.FormValue("password")}, c.RealIP())
	status := http.StatusUnprocessableEntity
	var wait *account.RetryAfter
	switch {
	case err == nil:
	case errors.Is(err, account.ErrInvalidCredentials):
		p.Errors = FormErrors{{ID: "email", Message: "The email address or password is not right"}}
	case apperr.Is(err, apperr.RateLimited) && errors.As(err, &wait):
		c.Response().Header().Set(echo.HeaderRetryAfter, strconv.Itoa(int(math.Ceil(wait.Wait.Seconds()))))
		p.Errors = FormErrors{{ID: "email", Message: "You have tried to log in too many times. Wait a few minutes and try again"}}
		status = http.StatusTooManyRequests
	default:
		fe, ok := formErrors(err, logInFields, nil)
		if !ok {
			return err
		}
		p.Errors = fe
	}
	if p.Errors != nil {
		return h.render(c, status, p)
	}
	h.startSession(c, s)
	return c.Redirect(http.StatusSeeOther, safeNext(p.Next, "/account"))
}

// startSession sets the session cookie exactly as the API's log-in does, ending the
// session of any cookie the browser already had (so an old session cannot linger).
func (h *Handler) startSession(c echo.Context, s account.StartedSession) {
	if ck, err := c.Request().Cookie(h.cookieName); err == nil && ck.Value != "" {
		if err := h.accounts.LogOut(c.Request().Context(), ck.Value); err != nil {
			h.logger.WarnContext(c.Request().Context(), "could not end the previous session", "error", err)
		}
	}
	c.SetCookie(&http.Cookie{Name: h.cookieName, Value: s.Secret, Path: "/", Expires: s.CookieExpires,
		HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteLaxMode})
}

func (h *Handler) logOut(c echo.Context) error {
	if ck, err := c.Request().Cookie(h.cookieName); err == nil && ck.Value != "" {
		if err := h.accounts.LogOut(c.Request().Context(), ck.Value); err != nil {
			return err
		}
	}
	c.SetCookie(&http.Cookie{Name: h.cookieName, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteLaxMode})
	return c.Redirect(http.StatusSeeOther, "/?done=logged-out")
}

// loginFirst sends a person who is not logged in to the log-in page, to come back here
// afterwards. It reports whether it did; a POST gets a 401 page instead, since its form
// cannot be replayed after logging in.
func (h *Handler) loginFirst(c echo.Context) (bool, error) {
	if !actor(c).Anonymous() {
		return false, nil
	}
	if c.Request().Method != http.MethodGet {
		return true, apperr.ErrUnauthenticated
	}
	return true, c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(c.Request().URL.RequestURI()))
}

// safeNext returns next if it is a path on this site, and otherwise def: the log-in
// form must not become a way to send people to another website (an open redirect).
func safeNext(next, def string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return def
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return def
	}
	return next
}

// notices are the messages a page shows after a post/redirect/get, named by the
// "done" query parameter of the redirect. Only these fixed messages can be shown, so a
// link cannot put words of its own on our pages.
var notices = map[string]string{
	"signed-up":            "Your account has been created and you are logged in.",
	"logged-out":           "You have logged out.",
	"organisation-created": "Your organisation has been registered. You can now add offers.",
	"offer-created":        "Your offer has been saved as a draft. Publish it when it is ready.",
	"offer-saved":          "Your changes have been saved.",
	"offer-published":      "Your offer has been published. People can now find it.",
	"offer-paused":         "Your offer has been paused. People cannot find it until you publish it again.",
	"offer-archived":       "Your offer has been archived.",
}

// withDone adds a notice to a redirect target.
func withDone(target, done string) string {
	sep := "?"
	if strings.Contains(target, "?") {
		sep = "&"
	}
	return target + sep + "done=" + url.QueryEscape(done)
}
