package pooling

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/infra/web"
	"github.com/carepool/carepool/marketplace/account"
)

// BudgetRequest is the API's body for recording a budget: BudgetInput, where the holder
// may also be named by their account email (a commissioner recording a council-managed
// budget knows the person's email, not their id).
type BudgetRequest struct {
	BudgetInput
	HolderEmail string `json:"holder_email"`
}

// ISFRequest is the API's body for opening an ISF account: the person is named by their
// account email.
type ISFRequest struct {
	HolderEmail    string `json:"holder_email"`
	Label          string `json:"label"`
	AllocatedPence int64  `json:"allocated_pence"`
	PeriodStart    string `json:"period_start"`
	PeriodEnd      string `json:"period_end"`
}

// AdjustmentInput is the body of an ISF allocation change.
type AdjustmentInput struct {
	DeltaPence int64  `json:"delta_pence"`
	Reason     string `json:"reason"`
}

func (h *Handler) budgets(c echo.Context) error {
	if err := noQuery(c); err != nil {
		return err
	}
	bs, err := h.svc.Budgets(c.Request().Context(), self(c))
	if err != nil {
		return err
	}
	return list(c, bs)
}

func (h *Handler) personStatement(c echo.Context) error {
	st, err := h.svc.PersonStatement(c.Request().Context(), self(c))
	return writeStatement(c, st, err)
}

func (h *Handler) budgetStatement(c echo.Context) error {
	st, err := h.svc.BudgetStatement(c.Request().Context(), c.Param("id"))
	return writeStatement(c, st, err)
}

func (h *Handler) providerStatement(c echo.Context) error {
	st, err := h.svc.ProviderStatement(c.Request().Context(), c.Param("id"))
	return writeStatement(c, st, err)
}

func (h *Handler) addBudget(c echo.Context) error {
	var in BudgetRequest
	if err := web.Bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	if email := strings.TrimSpace(in.HolderEmail); email != "" {
		if in.HolderID != "" {
			return apperr.InvalidFields(apperr.FieldError{Field: "holder_email", Message: "name the holder by holder_id or holder_email, not both"})
		}
		if err := account.ActorFrom(ctx).RequireUser(); err != nil {
			return err
		}
		id, err := h.people.UserIDByEmail(ctx, email)
		switch {
		case apperr.Is(err, apperr.NotFound):
			// The same answer as for someone the caller may not act for: the API does not
			// tell strangers which emails have accounts.
			return apperr.Forbiddenf("You can record budgets for yourself, or for someone you act for.")
		case err != nil:
			return err
		}
		in.HolderID = id
	}
	b, err := h.svc.AddBudget(ctx, in.BudgetInput)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, b)
}

func (h *Handler) isfAccounts(c echo.Context) error {
	if err := noQuery(c); err != nil {
		return err
	}
	as, err := h.svc.ISFAccounts(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return list(c, as)
}

func (h *Handler) openISFAccount(c echo.Context) error {
	var in ISFRequest
	key, err := keyedRequest(c, &in, false)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	a := account.ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return err
	}
	providerID := c.Param("id")
	// Only the provider's members learn whether an email has an account.
	if !a.CanActFor(providerID, account.RoleOwner, account.RoleMember) {
		return apperr.Forbiddenf("Only the ISF provider's members can open its ISF accounts.")
	}
	holderID := ""
	if email := strings.TrimSpace(in.HolderEmail); email != "" {
		holderID, err = h.people.UserIDByEmail(ctx, email)
		if apperr.Is(err, apperr.NotFound) {
			return apperr.InvalidFields(apperr.FieldError{Field: "holder_email", Message: "no Carepool account has this email: ask the person to sign up first"})
		}
		if err != nil {
			return err
		}
	}
	acc, err := h.svc.OpenISFAccount(ctx, providerID, ISFInput{HolderID: holderID, Label: in.Label,
		AllocatedPence: in.AllocatedPence, PeriodStart: in.PeriodStart, PeriodEnd: in.PeriodEnd}, key)
	if err != nil {
		if e, ok := apperr.As(err); ok && e.Kind == apperr.Invalid {
			for i := range e.Fields {
				if e.Fields[i].Field == "holder_id" {
					e.Fields[i].Field = "holder_email"
				}
			}
		}
		return err
	}
	web.SetETag(c, acc.Version)
	return c.JSON(http.StatusCreated, acc)
}

func (h *Handler) adjustISF(c echo.Context) error {
	var in AdjustmentInput
	key, err := keyedRequest(c, &in, false)
	if err != nil {
		return err
	}
	acc, err := h.svc.AdjustISFAllocation(c.Request().Context(), c.Param("id"), in.DeltaPence, in.Reason, key)
	if err != nil {
		return err
	}
	web.SetETag(c, acc.Version)
	return c.JSON(http.StatusOK, acc)
}
