package frontend

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/pooling"
)

// Changing a fund's allocation (a new period, a reassessment), and a fund's statement.

// isfAccountOf returns the fund of the request from the provider's own list, so that a
// fund of another provider is "Page not found" here whatever its id.
func (h *Handler) isfAccountOf(c echo.Context) (account.Membership, ISFHolding, ISFRow, pooling.ISFAccount, error) {
	m, isf, err := h.isfProvider(c)
	if err != nil {
		return m, nil, ISFRow{}, pooling.ISFAccount{}, err
	}
	ctx := c.Request().Context()
	accounts, err := isf.ISFAccounts(ctx, m.OrgID)
	if err != nil {
		return m, nil, ISFRow{}, pooling.ISFAccount{}, err
	}
	i := slices.IndexFunc(accounts, func(a pooling.ISFAccount) bool { return a.ID == c.Param("acc") })
	if i < 0 {
		return m, nil, ISFRow{}, pooling.ISFAccount{}, apperr.NotFoundf("ISF account")
	}
	rows, err := h.isfRows(ctx, m.OrgID, accounts[i:i+1])
	if err != nil {
		return m, nil, ISFRow{}, pooling.ISFAccount{}, err
	}
	return m, isf, rows[0], accounts[i], nil
}

var adjustDirections = []Option{
	{Value: "increase", Label: "Add to the allocation"},
	{Value: "decrease", Label: "Take off the allocation", Hint: "You can only take off what is left to commit: money committed to pools or spent stays."},
}

func adjustPage(m account.Membership, row ISFRow, form ISFAdjustForm, errs FormErrors) *ISFAdjustPage {
	return &ISFAdjustPage{Base: Base{Title: "Change the allocation", Section: "dashboard", Errors: errs, Terms: isfTerms()},
		Provider: m.OrgName, Account: row, Action: row.AdjustURL, Back: isfBase(m.OrgID),
		Directions: checkedOptions(adjustDirections, form.Direction), Form: form}
}

func (h *Handler) adjustISFForm(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	m, _, row, _, err := h.isfAccountOf(c)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, adjustPage(m, row, ISFAdjustForm{Key: newIdempotencyKey()}, nil))
}

func (h *Handler) adjustISF(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	m, isf, row, acc, err := h.isfAccountOf(c)
	if err != nil {
		return err
	}
	form := ISFAdjustForm{Direction: c.FormValue("direction"), Amount: strings.TrimSpace(c.FormValue("amount")),
		Reason: strings.TrimSpace(c.FormValue("reason")), Key: formKey(c)}
	var errs FormErrors
	if form.Direction != "increase" && form.Direction != "decrease" {
		errs = errs.add("direction", "Choose whether to add to the allocation or take off it")
	}
	pence, msg := fundPence(form.Amount, "amount")
	if msg != "" {
		errs = errs.add("amount", msg)
	}
	switch {
	case form.Reason == "":
		errs = errs.add("reason", "Enter the reason for the change, for the fund’s statement")
	case utf8.RuneCountInString(form.Reason) > 200:
		errs = errs.add("reason", "The reason must be 200 characters or fewer")
	}
	if form.Direction == "decrease" {
		pence = -pence
	}
	if len(errs) == 0 {
		_, err = isf.AdjustISFAllocation(c.Request().Context(), acc.ID, pence, form.Reason, form.Key)
		switch {
		case isCode(err, pooling.ErrISFInsufficient.Code):
			errs = errs.add("amount", fmt.Sprintf("You can take off at most %s: the rest is committed to pools or spent", pounds(acc.AvailablePence)))
			form.Key, err = newIdempotencyKey(), nil
		case isCode(err, pooling.ErrIdempotencyReused.Code):
			errs = errs.add("amount", "This form was sent already with other values. Check the amount and send it again")
			form.Key, err = newIdempotencyKey(), nil
		}
		if fe, ok := formErrors(err, fieldSpecs{"": {ID: "amount"}, "delta_pence": {ID: "amount", Label: "The amount"}}, nil); ok {
			errs, err = fe, nil
		}
	}
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		return h.render(c, http.StatusUnprocessableEntity, adjustPage(m, row, form, errs))
	}
	return c.Redirect(http.StatusSeeOther, isfBase(m.OrgID)+"?done=isf-adjusted#isf-"+acc.ID)
}

// isfColumns names a fund's statement columns for people.
var isfColumns = map[string]string{"left": "Left to commit", "reserved": "Set aside", "in_pools": "In pools", "spent": "Spent"}

func (h *Handler) isfStatement(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	m, isf, row, acc, err := h.isfAccountOf(c)
	if err != nil {
		return err
	}
	st, err := isf.BudgetStatement(c.Request().Context(), acc.ID)
	if err != nil {
		return err
	}
	l := ledgerView(st)
	for i, col := range st.Columns {
		if name, ok := isfColumns[col]; ok {
			l.Columns[i] = name
		}
	}
	api := "/api/v1/isf-accounts/" + url.PathEscape(acc.ID) + "/statement"
	return h.render(c, http.StatusOK, &ISFStatementPage{Base: Base{Title: "Statement of " + row.Person + "’s fund", Section: "dashboard", Terms: isfTerms()},
		Provider: m.OrgName, Account: row, Heading: st.Title, Summary: st.Summary, Ledger: l,
		CSVURL: api + "?format=csv", JSONURL: api, Back: isfBase(m.OrgID)})
}
