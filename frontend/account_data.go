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
	"github.com/carepool/carepool/privacy"
)

// PersonalData is what the "your data" pages need: what stands in the way of deleting
// an account, and the deletion itself. *privacy.Service implements it.
type PersonalData interface {
	Blockers(ctx context.Context) ([]privacy.Blocker, error)
	Delete(ctx context.Context, password string) error
}

var _ PersonalData = (*privacy.Service)(nil)

// AccountDataPage explains what Carepool keeps, offers the download, and deletes the
// account (or lists what must happen first).
type AccountDataPage struct {
	Base
	Blockers []BlockerRow
	Confirm  []Option // the "I understand" checkbox
}

func (*AccountDataPage) templateName() string { return "account-data" }

// BlockerRow is one thing to do before the account can be deleted.
type BlockerRow struct {
	Message string
	Link    Link // where to do it
}

// AccountDeletedPage says the account is gone, and what was kept.
type AccountDeletedPage struct {
	Base
}

func (*AccountDeletedPage) templateName() string { return "account-deleted" }

// ExportPath is where the data download is: the API's route, which a logged-in browser
// can follow with its session cookie.
const ExportPath = "/api/v1/me/export"

func (h *Handler) registerAccountData(get, post func(path, name string, fn echo.HandlerFunc)) {
	if h.calendar != nil {
		post("/account/calendar-feed", "calendar-feed", h.createCalendarFeed)
		post("/account/calendar-feed/off", "calendar-feed-off", h.disableCalendarFeed)
	}
	if h.privacy != nil {
		get("/account/data", "account-data", h.accountDataPage)
		post("/account/data/delete", "account-delete", h.deleteAccount)
		get("/account/deleted", "account-deleted", h.accountDeletedPage)
	}
}

func newAccountDataPage(confirmed bool) *AccountDataPage {
	return &AccountDataPage{Base: Base{Title: "Your data", Section: "account", Terms: terms("pool", "trusted-other", "safeguarding")},
		Confirm: []Option{{Value: "yes", Label: "I understand that deleting my account cannot be undone", Checked: confirmed}}}
}

func (h *Handler) accountDataPage(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	p := newAccountDataPage(false)
	if err := h.fillBlockers(c.Request().Context(), p); err != nil {
		return err
	}
	return h.render(c, http.StatusOK, p)
}

func (h *Handler) fillBlockers(ctx context.Context, p *AccountDataPage) error {
	bs, err := h.privacy.Blockers(ctx)
	if err != nil {
		return err
	}
	p.Blockers = nil
	for _, b := range bs {
		row := BlockerRow{Message: b.Message}
		switch b.Kind {
		case "pledge":
			row.Link = Link{URL: pledgeURL(b.ID), Label: "See this pledge"}
		case "pool":
			row.Link = Link{URL: poolURL(b.ID), Label: "See this pool"}
		default:
			row.Link = Link{URL: "/account", Label: "See your organisations"}
		}
		p.Blockers = append(p.Blockers, row)
	}
	return nil
}

func (h *Handler) deleteAccount(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	ctx := c.Request().Context()
	p := newAccountDataPage(c.FormValue("confirm") == "yes")
	password := c.FormValue("password")
	if c.FormValue("confirm") != "yes" {
		p.Errors = append(p.Errors, FieldError{ID: "confirm", Message: "Tick the box to confirm that you want to delete your account"})
	}
	if password == "" {
		p.Errors = append(p.Errors, FieldError{ID: "password", Message: "Enter your password"})
	}
	if p.Errors != nil {
		return h.renderDataPage(c, http.StatusUnprocessableEntity, p)
	}
	err := h.privacy.Delete(ctx, password)
	var wait *account.RetryAfter
	switch {
	case err == nil:
	case apperr.Is(err, apperr.Invalid):
		p.Errors = FormErrors{{ID: "password", Message: "The password is not right"}}
		return h.renderDataPage(c, http.StatusUnprocessableEntity, p)
	case apperr.Is(err, apperr.RateLimited) && errors.As(err, &wait):
		c.Response().Header().Set(echo.HeaderRetryAfter, strconv.Itoa(int(math.Ceil(wait.Wait.Seconds()))))
		p.Errors = FormErrors{{ID: "password", Message: "You have entered a wrong password too many times. Wait a few minutes and try again"}}
		return h.renderDataPage(c, http.StatusTooManyRequests, p)
	case apperr.Is(err, apperr.Conflict):
		// Something must happen first (perhaps only since the page was shown).
		p.Errors = FormErrors{{ID: "blockers", Message: "You cannot delete your account yet: see what needs to happen first"}}
		return h.renderDataPage(c, http.StatusConflict, p)
	default:
		return err
	}
	c.SetCookie(&http.Cookie{Name: h.cookieName, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteLaxMode})
	return c.Redirect(http.StatusSeeOther, "/account/deleted")
}

// renderDataPage shows the page again with the form's errors and the current blockers.
func (h *Handler) renderDataPage(c echo.Context, status int, p *AccountDataPage) error {
	if err := h.fillBlockers(c.Request().Context(), p); err != nil {
		return err
	}
	return h.render(c, status, p)
}

func (h *Handler) accountDeletedPage(c echo.Context) error {
	return h.render(c, http.StatusOK, &AccountDeletedPage{Base: Base{Title: "Your account has been deleted"}})
}
