package frontend

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/apperr"
)

// "Your commitments" (my pledges, and my budgets with what each has committed, spent and
// left; also for the people I act for) and the approvals queue of ISF providers,
// commissioners and trustees.

func (h *Handler) commitments(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	ctx := c.Request().Context()
	groups, names, err := h.payableBudgets(ctx)
	if err != nil {
		return err
	}
	pledges, err := h.pools.MyPledges(ctx)
	if err != nil {
		return err
	}
	p := &CommitmentsPage{Base: Base{Title: "Your commitments", Section: "commitments", Terms: poolTerms()}}
	for _, pl := range pledges {
		p.Pledges = append(p.Pledges, h.pledgeRow(actor(c).UserID, pl, names))
	}
	for _, g := range groups {
		for _, b := range g.budgets {
			whose := "Yours"
			if g.whose != "" {
				whose = g.whose
			}
			r := BudgetRow{Whose: whose, Label: b.Budget.Label, Form: formName(b.Budget.Form),
				Committed: pounds(b.CommittedPence), Spent: pounds(b.SpentPence), Left: "Not known"}
			if r.Label == "" {
				r.Label = r.Form
			}
			if b.LeftPence != nil {
				r.Left = pounds(*b.LeftPence)
			}
			p.Budgets = append(p.Budgets, r)
		}
	}
	return h.render(c, http.StatusOK, p)
}

func (h *Handler) approvals(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	p, err := h.approvalsPage(c, "", "", "")
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, p)
}

// approvalsPage lists what waits for the caller; failedID's row shows the reason typed
// and the error message.
func (h *Handler) approvalsPage(c echo.Context, failedID, reason, msg string) (*ApprovalsPage, error) {
	waiting, err := h.pools.PendingApprovals(c.Request().Context())
	if err != nil {
		return nil, err
	}
	p := &ApprovalsPage{Base: Base{Title: "Pledges waiting for your approval", Section: "approvals", Terms: poolTerms()}}
	for _, pl := range waiting {
		r := ApprovalRow{ID: pl.ID, Pool: Link{URL: poolURL(pl.PoolID), Label: pl.PoolTitle}, Form: formName(pl.Form),
			Limit: pounds(pl.LimitPence), Needs: upperFirst(needsText(pl.Needs)), Action: "/approvals/" + url.PathEscape(pl.ID), Key: newIdempotencyKey()}
		if n := pl.Until - pl.From; n > 0 {
			r.Sessions = fmt.Sprintf("up to %d sessions", n)
			r.Total = pounds(pl.LimitPence * int64(n))
		}
		if pl.ID == failedID {
			r.Reason, r.Error = reason, msg
			p.Errors = p.Errors.add("reason-"+pl.ID, msg)
		}
		p.Items = append(p.Items, r)
	}
	return p, nil
}

func (h *Handler) decide(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	ctx := c.Request().Context()
	id, key := c.Param("id"), formKey(c)
	reason := strings.TrimSpace(c.FormValue("reason"))
	var err error
	switch c.FormValue("decision") {
	case "approve":
		_, err = h.pools.Approve(ctx, id, key)
	case "decline":
		if reason == "" || len(reason) > 500 {
			msg := "Enter the reason for declining, so the person knows why"
			if reason != "" {
				msg = "The reason must be 500 characters or fewer"
			}
			p, perr := h.approvalsPage(c, id, reason, msg)
			if perr != nil {
				return perr
			}
			if len(p.Errors) == 0 {
				return apperr.NotFoundf("pledge")
			}
			return h.render(c, http.StatusUnprocessableEntity, p)
		}
		_, err = h.pools.Decline(ctx, id, reason, key)
	default:
		return apperr.InvalidFields(apperr.FieldError{Field: "decision", Message: "must be approve or decline"})
	}
	if err != nil {
		return err
	}
	done := "pledge-approved"
	if c.FormValue("decision") == "decline" {
		done = "pledge-declined"
	}
	return c.Redirect(http.StatusSeeOther, withDone("/approvals", done))
}
