package frontend

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace/account"
)

// EmailChanger is what the email-change page needs of the account service.
type EmailChanger interface {
	RequestEmailChange(ctx context.Context, in account.EmailChange) error
}

// EmailChangePage asks for a new address and the password.
type EmailChangePage struct {
	Base
	Email string // as typed
	Sent  bool
}

func (*EmailChangePage) templateName() string { return "email-change" }

var emailChangeFields = fieldSpecs{
	"":         {ID: "email"},
	"email":    {ID: "email", Label: "New email address", Required: "Enter your new email address"},
	"password": {ID: "password", Label: "Password", Required: "Enter your password"},
}

func newEmailChangePage() *EmailChangePage {
	return &EmailChangePage{Base: Base{Title: "Change your email address", Section: "account"}}
}

func (h *Handler) registerEmailChange(get, post func(path, name string, fn echo.HandlerFunc)) {
	get("/account/email", "email-change", h.emailChangeForm)
	post("/account/email", "email-change", h.changeEmail)
}

func (h *Handler) emailChanger() (EmailChanger, error) {
	ec, ok := h.accounts.(EmailChanger)
	if !ok {
		return nil, apperr.NotFoundf("page")
	}
	return ec, nil
}

func (h *Handler) emailChangeForm(c echo.Context) error {
	if _, err := h.emailChanger(); err != nil {
		return err
	}
	if done, err := h.loginFirst(c); done {
		return err
	}
	p := newEmailChangePage()
	p.Sent = c.QueryParam("done") == "sent"
	return h.render(c, http.StatusOK, p)
}

func (h *Handler) changeEmail(c echo.Context) error {
	ec, err := h.emailChanger()
	if err != nil {
		return err
	}
	if done, err := h.loginFirst(c); done {
		return err
	}
	p := newEmailChangePage()
	p.Email = c.FormValue("email")
	err = ec.RequestEmailChange(c.Request().Context(), account.EmailChange{Email: p.Email, Password: c.FormValue("password")})
	switch {
	case err == nil:
		return c.Redirect(http.StatusSeeOther, "/account/email?done=sent")
	case rateLimited(c, err):
		p.Errors = FormErrors{{ID: "email", Message: "We have sent several emails already. Wait a few minutes and try again"}}
		return h.render(c, http.StatusTooManyRequests, p)
	}
	fe, ok := formErrors(err, emailChangeFields, nil)
	if !ok {
		return err
	}
	p.Errors = fe
	return h.render(c, http.StatusUnprocessableEntity, p)
}
