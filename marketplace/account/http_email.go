package account

import (
	"errors"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/web"
)

// registerEmail mounts the routes of address verification, password reset and the
// administrators' list of emails that could not be sent.
func (h *Handler) registerEmail(g *echo.Group) {
	g.POST("/account/verify-email", h.verifyEmail, noStore)
	g.POST("/me/verification-email", h.resendVerification, noStore)
	g.POST("/me/email", h.requestEmailChange, noStore)
	g.POST("/me/password", h.changePassword, noStore)
	g.POST("/password-resets", h.requestPasswordReset, noStore)
	g.POST("/password-resets/confirm", h.confirmPasswordReset, noStore)
	g.GET("/admin/mail-failures", h.listMailFailures, noStore)
}

// retryAfter sets Retry-After when err is a rate-limit error.
func retryAfter(c echo.Context, err error) error {
	var wait *RetryAfter
	if errors.As(err, &wait) {
		c.Response().Header().Set(echo.HeaderRetryAfter, strconv.Itoa(int(math.Ceil(wait.Wait.Seconds()))))
	}
	return err
}

type tokenRequest struct {
	Token string `json:"token"`
}

type verifiedJSON struct {
	EmailVerifiedAt *time.Time `json:"email_verified_at"`
}

func (h *Handler) verifyEmail(c echo.Context) error {
	if web.CrossSite(c.Request(), h.origin) {
		return errCrossOrigin
	}
	var req tokenRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	u, err := h.svc.VerifyEmail(c.Request().Context(), req.Token)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, verifiedJSON{EmailVerifiedAt: timeJSON(u.EmailVerifiedAt)})
}

func (h *Handler) resendVerification(c echo.Context) error {
	if err := h.svc.ResendVerification(c.Request().Context()); err != nil {
		return retryAfter(c, err)
	}
	return c.NoContent(http.StatusAccepted)
}

type passwordResetRequest struct {
	Email string `json:"email"`
}

func (h *Handler) requestPasswordReset(c echo.Context) error {
	if web.CrossSite(c.Request(), h.origin) {
		return errCrossOrigin
	}
	var req passwordResetRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	if err := h.svc.RequestPasswordReset(c.Request().Context(), PasswordResetRequest(req), c.RealIP()); err != nil {
		return retryAfter(c, err)
	}
	return c.NoContent(http.StatusAccepted)
}

type passwordResetConfirmRequest struct {
	Token    string `json:"token"`
	Password string `json:"password"`
}

func (h *Handler) confirmPasswordReset(c echo.Context) error {
	if web.CrossSite(c.Request(), h.origin) {
		return errCrossOrigin
	}
	var req passwordResetConfirmRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	if err := h.svc.ConfirmPasswordReset(c.Request().Context(), PasswordResetConfirm(req), c.RealIP()); err != nil {
		return retryAfter(c, err)
	}
	// The person is signed out everywhere, this browser included.
	h.clearSessionCookie(c)
	return c.NoContent(http.StatusNoContent)
}

type failedMailJSON struct {
	Key       string    `json:"key"`
	Kind      string    `json:"kind"`
	UserID    string    `json:"user_id"`
	Attempts  int       `json:"attempts"`
	LastError string    `json:"last_error"`
	CreatedAt time.Time `json:"created_at"`
	FailedAt  time.Time `json:"failed_at"`
}

func (h *Handler) listMailFailures(c echo.Context) error {
	fs, err := h.svc.MailFailures(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, listOf(fs, func(f FailedMail) failedMailJSON { return failedMailJSON(f) }))
}

func (h *Handler) requestEmailChange(c echo.Context) error {
	var in EmailChange
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	if err := h.svc.RequestEmailChange(c.Request().Context(), in); err != nil {
		return retryAfter(c, err)
	}
	return c.NoContent(http.StatusAccepted)
}

func (h *Handler) changePassword(c echo.Context) error {
	var in PasswordChange
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	if err := h.svc.ChangePassword(c.Request().Context(), in); err != nil {
		return retryAfter(c, err)
	}
	return c.NoContent(http.StatusNoContent)
}
