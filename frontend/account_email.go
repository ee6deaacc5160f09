package frontend

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace/account"
)

// The pages the account emails link to: confirm an email address, ask for a password
// reset link, and set a new password with it. Links in emails are only ever shown by a
// GET, which changes nothing (mail scanners follow links): the change needs a press of
// the page's button, a POST carrying the token from the link in a hidden field.

// EmailAccounts is what these pages need of the account service on top of Accounts.
// *account.Service has it; a Handler whose Accounts lacks it answers 404 on these pages.
type EmailAccounts interface {
	VerifyEmail(ctx context.Context, token string) (account.User, error)
	RequestPasswordReset(ctx context.Context, in account.PasswordResetRequest, ip string) error
	ConfirmPasswordReset(ctx context.Context, in account.PasswordResetConfirm, ip string) error
}

// EmailLink is the state of a page opened from a link in an email: the token it carries,
// whether the change it asks for is done, and whether the link is wrong, used or expired.
type EmailLink struct {
	Token   string
	Done    bool
	Invalid bool
}

// VerifyEmailPage asks the person to confirm their address with one button.
type VerifyEmailPage struct {
	Base
	EmailLink
}

func (*VerifyEmailPage) templateName() string { return "verify-email" }

// ForgottenPasswordPage asks for the address to send a reset link to.
type ForgottenPasswordPage struct {
	Base
	Email string
	Sent  bool // the request went through (whether or not there is such an account)
}

func (*ForgottenPasswordPage) templateName() string { return "forgotten-password" }

// ResetPasswordPage asks for a new password with the token from a reset email.
type ResetPasswordPage struct {
	Base
	EmailLink
}

func (*ResetPasswordPage) templateName() string { return "reset-password" }

var forgottenPasswordFields = fieldSpecs{
	"":      {ID: "email"},
	"email": {ID: "email", Label: "Email address", Required: "Enter your email address"},
}

var resetPasswordFields = fieldSpecs{
	"":         {ID: "password"},
	"password": {ID: "password", Label: "Password", Required: "Enter a new password"},
}

func (h *Handler) registerAccountEmail(get, post func(path, name string, fn echo.HandlerFunc)) {
	get("/account/verify-email", "verify-email", h.verifyEmailForm)
	post("/account/verify-email", "verify-email", h.verifyEmail)
	get("/account/forgotten-password", "forgotten-password", h.forgottenPasswordForm)
	post("/account/forgotten-password", "forgotten-password", h.forgottenPassword)
	get("/account/reset-password", "reset-password", h.resetPasswordForm)
	post("/account/reset-password", "reset-password", h.resetPassword)
	get("/account/delegations", "delegations", h.delegations)
}

func (h *Handler) emailAccounts() (EmailAccounts, error) {
	ea, ok := h.accounts.(EmailAccounts)
	if !ok {
		return nil, apperr.NotFoundf("page")
	}
	return ea, nil
}

func newVerifyEmailPage() *VerifyEmailPage {
	return &VerifyEmailPage{Base: Base{Title: "Confirm your email address", Section: "account"}}
}

func (h *Handler) verifyEmailForm(c echo.Context) error {
	if _, err := h.emailAccounts(); err != nil {
		return err
	}
	p := newVerifyEmailPage()
	return h.render(c, readEmailLink(c, &p.Base, &p.EmailLink, "verified", "Your email address is confirmed"), p)
}

// readEmailLink fills a link page's state from its query: ?done=<done> after the change
// (shown with doneTitle), the token otherwise; it returns the status to answer with.
func readEmailLink(c echo.Context, base *Base, link *EmailLink, done, doneTitle string) int {
	switch {
	case c.QueryParam("done") == done:
		base.Title, link.Done = doneTitle, true
	case c.QueryParam("token") == "":
		base.Title, link.Invalid = "This link is not complete", true
		return http.StatusBadRequest
	default:
		link.Token = c.QueryParam("token")
	}
	return http.StatusOK
}

func (h *Handler) verifyEmail(c echo.Context) error {
	ea, err := h.emailAccounts()
	if err != nil {
		return err
	}
	_, err = ea.VerifyEmail(c.Request().Context(), c.FormValue("token"))
	if errors.Is(err, account.ErrEmailTokenInvalid) {
		p := newVerifyEmailPage()
		p.Title, p.Invalid = "This link has expired or has been used already", true
		return h.render(c, http.StatusUnprocessableEntity, p)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/account/verify-email?done=verified")
}

func newForgottenPasswordPage() *ForgottenPasswordPage {
	return &ForgottenPasswordPage{Base: Base{Title: "Reset your password", Section: "login"}}
}

func (h *Handler) forgottenPasswordForm(c echo.Context) error {
	if _, err := h.emailAccounts(); err != nil {
		return err
	}
	p := newForgottenPasswordPage()
	if c.QueryParam("done") == "sent" {
		p.Title, p.Sent = "Check your email", true
	}
	return h.render(c, http.StatusOK, p)
}

func (h *Handler) forgottenPassword(c echo.Context) error {
	ea, err := h.emailAccounts()
	if err != nil {
		return err
	}
	p := newForgottenPasswordPage()
	p.Email = c.FormValue("email")
	err = ea.RequestPasswordReset(c.Request().Context(), account.PasswordResetRequest{Email: p.Email}, c.RealIP())
	if err == nil {
		// The same answer whether or not there is an account for the address.
		return c.Redirect(http.StatusSeeOther, "/account/forgotten-password?done=sent")
	}
	if rateLimited(c, err) {
		p.Errors = FormErrors{{ID: "email", Message: "We have sent several emails already. Wait a few minutes and try again"}}
		return h.render(c, http.StatusTooManyRequests, p)
	}
	fe, ok := formErrors(err, forgottenPasswordFields, nil)
	if !ok {
		return err
	}
	p.Errors = fe
	return h.render(c, http.StatusUnprocessableEntity, p)
}

func newResetPasswordPage() *ResetPasswordPage {
	return &ResetPasswordPage{Base: Base{Title: "Choose a new password", Section: "login"}}
}

func (h *Handler) resetPasswordForm(c echo.Context) error {
	if _, err := h.emailAccounts(); err != nil {
		return err
	}
	p := newResetPasswordPage()
	return h.render(c, readEmailLink(c, &p.Base, &p.EmailLink, "changed", "Your password has been changed"), p)
}

func (h *Handler) resetPassword(c echo.Context) error {
	ea, err := h.emailAccounts()
	if err != nil {
		return err
	}
	p := newResetPasswordPage()
	p.Token = c.FormValue("token")
	if p.Token != "" && c.FormValue("password") == "" {
		p.Errors = FormErrors{{ID: "password", Message: resetPasswordFields["password"].Required}}
		return h.render(c, http.StatusUnprocessableEntity, p)
	}
	err = ea.ConfirmPasswordReset(c.Request().Context(),
		account.PasswordResetConfirm{Token: p.Token, Password: c.FormValue("password")}, c.RealIP())
	invalid := errors.Is(err, account.ErrEmailTokenInvalid)
	if e, ok := apperr.As(err); ok && e.Kind == apperr.Invalid {
		for _, f := range e.Fields {
			invalid = invalid || f.Field == "token"
		}
	}
	switch {
	case err == nil:
		// Every session has ended, this browser's too: forget its cookie.
		c.SetCookie(&http.Cookie{Name: h.cookieName, Value: "", Path: "/", MaxAge: -1,
			HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteLaxMode})
		return c.Redirect(http.StatusSeeOther, "/account/reset-password?done=changed")
	case invalid:
		p.Title, p.Invalid, p.Token = "This link has expired or has been used already", true, ""
		return h.render(c, http.StatusUnprocessableEntity, p)
	case rateLimited(c, err):
		p.Errors = FormErrors{{ID: "password", Message: "There have been too many tries from your connection. Wait a few minutes and try again"}}
		return h.render(c, http.StatusTooManyRequests, p)
	}
	fe, ok := formErrors(err, resetPasswordFields, nil)
	if !ok {
		return err
	}
	p.Errors = fe
	return h.render(c, http.StatusUnprocessableEntity, p)
}

// rateLimited reports whether err is a rate-limit error, and sets Retry-After if so.
func rateLimited(c echo.Context, err error) bool {
	if !apperr.Is(err, apperr.RateLimited) {
		return false
	}
	var wait *account.RetryAfter
	if errors.As(err, &wait) {
		c.Response().Header().Set(echo.HeaderRetryAfter, strconv.Itoa(int(math.Ceil(wait.Wait.Seconds()))))
	}
	return true
}
