package frontend

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/pooling"
)

// An ISF provider's page: the individual service funds it holds for people, in pounds
// (allocated, left to commit, committed to pools, spent), opening a fund for someone by
// their email, changing a fund's allocation, and each fund's statement. Only the
// provider's members see it; the pooling service checks every action again.

// ISFHolding is what the ISF pages need of the pooling service. *pooling.Service has
// it; without it the pages are "Page not found".
type ISFHolding interface {
	ISFAccounts(ctx context.Context, providerID string) ([]pooling.ISFAccount, error)
	OpenISFAccount(ctx context.Context, providerID string, in pooling.ISFInput, key string) (pooling.ISFAccount, error)
	AdjustISFAllocation(ctx context.Context, isfID string, deltaPence int64, reason, key string) (pooling.ISFAccount, error)
	BudgetStatement(ctx context.Context, budgetID string) (pooling.Statement, error)
}

var _ ISFHolding = (*pooling.Service)(nil)

func (h *Handler) registerISF(get, post func(path, name string, fn echo.HandlerFunc)) {
	get("/dashboard/providers/:id/isf-accounts", "isf-accounts", h.isfAccounts)
	post("/dashboard/providers/:id/isf-accounts", "isf-open", h.openISF)
	get("/dashboard/providers/:id/isf-accounts/:acc/adjust", "isf-adjust", h.adjustISFForm)
	post("/dashboard/providers/:id/isf-accounts/:acc/adjust", "isf-adjust", h.adjustISF)
	get("/dashboard/providers/:id/isf-accounts/:acc/statement", "isf-statement", h.isfStatement)
}

func init() {
	notices["isf-opened"] = "The individual service fund has been opened. Its holder can now use it to join pools."
	notices["isf-adjusted"] = "The allocation has been changed."
}

var isfTerms = func() []Term { return terms("isf", "pool", "pb") }

// isfProvider returns the caller's membership of the ISF provider of the request, and
// the pooling service's ISF methods: a 404 for anyone else, and for providers that do
// not hold funds.
func (h *Handler) isfProvider(c echo.Context) (account.Membership, ISFHolding, error) {
	m, err := membership(c, c.Param("id"))
	if err != nil {
		return m, nil, err
	}
	isf, ok := h.pools.(ISFHolding)
	if !ok || !slices.Contains(m.OrgKinds, account.KindISFProvider) {
		return m, nil, apperr.NotFoundf("page")
	}
	return m, isf, nil
}

func isfBase(orgID string) string {
	return "/dashboard/providers/" + url.PathEscape(orgID) + "/isf-accounts"
}

// isfRows lists a provider's funds with their holders' names.
func (h *Handler) isfRows(ctx context.Context, orgID string, accounts []pooling.ISFAccount) ([]ISFRow, error) {
	names := map[string]string{}
	if ppl := h.people(); ppl != nil && len(accounts) > 0 {
		var ids []string
		for _, a := range accounts {
			ids = append(ids, a.HolderID)
		}
		var err error
		if names, err = ppl.UserNames(ctx, ids); err != nil {
			return nil, err
		}
	}
	rows := make([]ISFRow, len(accounts))
	for i, a := range accounts {
		base := isfBase(orgID) + "/" + url.PathEscape(a.ID)
		rows[i] = ISFRow{ID: a.ID, Person: names[a.HolderID], Allocated: pounds(a.AllocatedPence), Available: pounds(a.AvailablePence),
			Committed: pounds(a.CommittedPence), Spent: pounds(a.SpentPence), StatementURL: base + "/statement", AdjustURL: base + "/adjust"}
		if rows[i].Person == "" {
			rows[i].Person = "Fund " + shortRef(a.ID)
		}
		switch {
		case a.PeriodStart != "" && a.PeriodEnd != "":
			rows[i].Period = plainDate(a.PeriodStart) + " to " + plainDate(a.PeriodEnd)
		case a.PeriodStart != "":
			rows[i].Period = "From " + plainDate(a.PeriodStart)
		case a.PeriodEnd != "":
			rows[i].Period = "Until " + plainDate(a.PeriodEnd)
		}
	}
	return rows, nil
}

// shortRef is the end of an id, enough to tell records apart on a page.
func shortRef(id string) string {
	if len(id) > 6 {
		return id[len(id)-6:]
	}
	return id
}

func (h *Handler) isfPage(c echo.Context, m account.Membership, isf ISFHolding, form ISFOpenForm, errs FormErrors) (*ISFAccountsPage, error) {
	ctx := c.Request().Context()
	accounts, err := isf.ISFAccounts(ctx, m.OrgID)
	if err != nil {
		return nil, err
	}
	rows, err := h.isfRows(ctx, m.OrgID, accounts)
	if err != nil {
		return nil, err
	}
	if form.Key == "" {
		form.Key = newIdempotencyKey()
	}
	return &ISFAccountsPage{Base: Base{Title: "Individual service funds", Section: "dashboard", Errors: errs, Terms: isfTerms()},
		Provider: m.OrgName, Accounts: rows, Action: isfBase(m.OrgID), CanOpen: h.people() != nil, Form: form}, nil
}

func (h *Handler) isfAccounts(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	m, isf, err := h.isfProvider(c)
	if err != nil {
		return err
	}
	p, err := h.isfPage(c, m, isf, ISFOpenForm{}, nil)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, p)
}

var isfOpenFields = fieldSpecs{
	"":                {ID: "email"},
	"holder_id":       {ID: "email", Label: "Email address", Required: "Enter the email address of the person whose fund this is"},
	"label":           {ID: "label", Label: "Name for the fund"},
	"allocated_pence": {ID: "allocation", Label: "Allocation", Required: "Enter the allocation in pounds"},
	"period_start":    {ID: "allocation", Label: "Start of the period"},
	"period_end":      {ID: "allocation", Label: "End of the period"},
}

func (h *Handler) openISF(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	m, isf, err := h.isfProvider(c)
	if err != nil {
		return err
	}
	ppl := h.people()
	if ppl == nil {
		return apperr.NotFoundf("page")
	}
	ctx := c.Request().Context()
	form := ISFOpenForm{Email: strings.TrimSpace(c.FormValue("email")), Allocation: strings.TrimSpace(c.FormValue("allocation")),
		Label: c.FormValue("label"), Key: formKey(c)}
	var errs FormErrors
	var holder string
	if form.Email == "" {
		errs = errs.add("email", "Enter the email address of the person whose fund this is")
	} else {
		holder, err = ppl.UserIDByEmail(ctx, form.Email)
		switch {
		case apperr.Is(err, apperr.NotFound):
			errs = errs.add("email", "No one has a Carepool account with this email address. Ask the person to create one first")
		case err != nil:
			return err
		}
	}
	pence, msg := fundPence(form.Allocation, "allocation")
	if msg != "" {
		errs = errs.add("allocation", msg)
	}
	var acc pooling.ISFAccount
	err = nil
	if len(errs) == 0 {
		acc, err = isf.OpenISFAccount(ctx, m.OrgID, pooling.ISFInput{HolderID: holder, Label: form.Label, AllocatedPence: pence}, form.Key)
		if fe, ok := formErrors(err, isfOpenFields, nil); ok {
			errs, err = fe, nil
		} else if e, ok := apperr.As(err); ok && e.Kind == apperr.Conflict {
			errs, err = errs.add("email", upperFirst(strings.TrimSuffix(e.Message, "."))), nil
			form.Key = newIdempotencyKey()
		}
	}
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		p, err := h.isfPage(c, m, isf, form, inFormOrder(errs, []string{"email", "label", "allocation"}))
		if err != nil {
			return err
		}
		return h.render(c, http.StatusUnprocessableEntity, p)
	}
	return c.Redirect(http.StatusSeeOther, isfBase(m.OrgID)+"?done=isf-opened#isf-"+acc.ID)
}

// fundPence reads an amount in pounds for a fund (what: "allocation", "amount"), or
// says what is wrong.
func fundPence(s, what string) (int64, string) {
	pence, ok := parsePounds(s)
	switch {
	case s == "":
		return 0, "Enter the " + what + " in pounds"
	case !ok:
		return 0, "Enter the " + what + " in pounds, like 2000 or 1250.50"
	case pence == 0:
		return 0, "Enter more than £0"
	case pence > pooling.MaxBudgetPence:
		return 0, fmt.Sprintf("Enter no more than %s", pounds(pooling.MaxBudgetPence))
	}
	return pence, ""
}
