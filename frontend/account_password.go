package frontend

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace/account"
)

// PasswordChanger is what the password page needs of the account service.
type PasswordChanger interface {
	ChangePassword(ctx context.Context, in account.PasswordChange) error
}

// PasswordChangePage asks for the current and a new password.
type PasswordChangePage struct{ Base }

func (*PasswordChangePage) templateName() string { return "password-change" }

var passwordChangeFields = fieldSpecs{
	"":                 {ID: "current-password"},
	"current_password": {ID: "current-password", Label: "Current password", Required: "Enter your current password"},
	"new_password":     {ID: "new-password", Label: "New password", Required: "Enter a new password"},
}

func init() {
	notices["password-changed"] = "Your password is changed. Everywhere else you were signed in, you have been signed out."
}

func (h *Handler) registerPasswordChange(get, post func(path, name string, fn echo.HandlerFunc)) {
	get("/account/password", "password-change", h.passwordChangeForm)
	post("/account/password", "password-change", h.changePassword)
}

func (h *Handler) passwordChanger() (PasswordChanger, error) {
	pc, ok := h.accounts.(PasswordChanger)
	if !ok {
		return nil, apperr.NotFoundf("page")
	}
	return pc, nil
}

func newPasswordChangePage() *PasswordChangePage {
	return &PasswordChangePage{Base{Title: "Change your password", Section: "account"}}
}

func (h *Handler) passwordChangeForm(c echo.Context) error {
	if _, err := h.passwordChanger(); err != nil {
		return err
	}
	if done, err := h.loginFirst(c); done {
		return err
	}
	return h.render(c, http.StatusOK, newPasswordChangePage())
}

func (h *Handler) changePassword(c echo.Context) error {
	pc, err := h.passwordChanger()
	if err != nil {
		return err
	}
	if done, err := h.loginFirst(c); done {
		return err
	}
	err = pc.ChangePassword(c.Request().Context(), account.PasswordChange{Current: c.FormValue("current_password"), New: c.FormValue("new_password")})
	if err == nil {
		return c.Redirect(http.StatusSeeOther, withDone("/account", "password-changed"))
	}
	p := newPasswordChangePage()
	if rateLimited(c, err) {
		p.Errors = FormErrors{{ID: "current-password", Message: "Too many wrong passwords. Wait a few minutes and try again"}}
		return h.render(c, http.StatusTooManyRequests, p)
	}
	fe, ok := formErrors(err, passwordChangeFields, nil)
	if !ok {
		return err
	}
	p.Errors = fe
	return h.render(c, http.StatusUnprocessableEntity, p)
}
