package frontend

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace/account"
)

// Delegations: who may act for me (give someone the right, in plain English by kind;
// stop it, after a confirmation) and whom I act for (with a way to their commitments).
// The delegation emails link here.

// DelegationAccounts is what the page needs of the account service on top of Accounts.
// *account.Service has it; without it the page lists delegations but cannot change them.
type DelegationAccounts interface {
	GrantDelegation(ctx context.Context, in account.NewDelegation) (account.DelegationView, error)
	RevokeDelegation(ctx context.Context, id string) error
}

var _ DelegationAccounts = (*account.Service)(nil)

func (h *Handler) registerDelegations(get, post func(path, name string, fn echo.HandlerFunc)) {
	post("/account/delegations", "delegation-grant", h.grantDelegation)
	get("/account/delegations/:id/stop", "delegation-stop", h.stopDelegationForm)
	post("/account/delegations/:id/stop", "delegation-stop", h.stopDelegation)
}

func init() {
	notices["delegation-granted"] = "They can now act for you. We have emailed them to say so."
	notices["delegation-stopped"] = "They can no longer act for you. We have emailed them to say so."
}

// delegationKinds explains each kind of delegation in plain English.
var delegationKinds = []Option{
	{Value: string(account.DelegationTrustedOther), Label: "A trusted other",
		Hint: "A family member or friend who looks after your direct payment, your individual service fund or your council-managed budget for you, and can join pools with it."},
	{Value: string(account.DelegationTrustee), Label: "A trustee",
		Hint: "One of the people who look after your trust fund. A second trustee must agree each pledge they make."},
	{Value: string(account.DelegationBroker), Label: "A support broker",
		Hint: "A professional who holds your brokered fund and buys support with it for you."},
}

var delegationTerms = func() []Term {
	return terms("trusted-other", "trust-fund", "broker", "brokered-fund", "safeguarding")
}

var delegationFields = fieldSpecs{
	"":                     {ID: "email"},
	"representative_email": {ID: "email", Label: "Email address", Required: "Enter the email address of the person who will act for you"},
	"kind":                 {ID: "kind", Label: "What they will do", Required: "Choose what they will do for you"},
	"brokerage_id":         {ID: "kind", Label: "Brokerage"},
}

func (h *Handler) delegationsPage(c echo.Context, email, kind string, errs FormErrors) (*DelegationsPage, error) {
	ctx := c.Request().Context()
	granted, err := h.accounts.DelegationsGranted(ctx)
	if err != nil {
		return nil, err
	}
	toMe, err := h.accounts.DelegationsToMe(ctx)
	if err != nil {
		return nil, err
	}
	_, canChange := h.accounts.(DelegationAccounts)
	p := &DelegationsPage{Base: Base{Title: "People who act for you", Section: "account", Errors: errs, Terms: delegationTerms()},
		CanChange: canChange, Email: email, Kinds: checkedOptions(delegationKinds, kind)}
	for _, d := range granted {
		item := DelegationItem{DelegationRow: delegationRow(d, d.Representative.Name)}
		if d.Active() && canChange {
			item.StopURL = "/account/delegations/" + url.PathEscape(d.ID) + "/stop"
		}
		p.Granted = append(p.Granted, item)
	}
	for _, d := range toMe {
		item := DelegationItem{DelegationRow: delegationRow(d, d.Holder.Name)}
		if d.Active() {
			item.CommitmentsURL = "/commitments"
		}
		p.ActingFor = append(p.ActingFor, item)
	}
	return p, nil
}

// delegations is where the delegation emails link to.
func (h *Handler) delegations(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	p, err := h.delegationsPage(c, "", "", nil)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, p)
}

func (h *Handler) grantDelegation(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	da, ok := h.accounts.(DelegationAccounts)
	if !ok {
		return apperr.NotFoundf("page")
	}
	email, kind := strings.TrimSpace(c.FormValue("email")), c.FormValue("kind")
	var errs FormErrors
	if email == "" {
		errs = errs.add("email", delegationFields["representative_email"].Required)
	}
	if !slices.ContainsFunc(delegationKinds, func(o Option) bool { return o.Value == kind }) {
		errs = errs.add("kind", delegationFields["kind"].Required)
	}
	if len(errs) == 0 {
		_, err := da.GrantDelegation(c.Request().Context(), account.NewDelegation{RepresentativeEmail: email, Kind: account.DelegationKind(kind)})
		fe, ok := formErrors(err, delegationFields, nil)
		switch {
		case ok:
			errs = fe
		case apperr.Is(err, apperr.Conflict):
			e, _ := apperr.As(err)
			errs = errs.add("email", upperFirst(strings.TrimSuffix(e.Message, ".")))
		case err != nil:
			return err
		}
	}
	if len(errs) > 0 {
		p, err := h.delegationsPage(c, email, kind, inFormOrder(errs, []string{"email", "kind"}))
		if err != nil {
			return err
		}
		return h.render(c, http.StatusUnprocessableEntity, p)
	}
	return c.Redirect(http.StatusSeeOther, "/account/delegations?done=delegation-granted")
}

// grantedDelegation finds an active delegation the caller gave: NotFound otherwise.
func (h *Handler) grantedDelegation(c echo.Context) (account.DelegationView, error) {
	granted, err := h.accounts.DelegationsGranted(c.Request().Context())
	if err != nil {
		return account.DelegationView{}, err
	}
	i := slices.IndexFunc(granted, func(d account.DelegationView) bool { return d.ID == c.Param("id") && d.Active() })
	if i < 0 {
		return account.DelegationView{}, apperr.NotFoundf("delegation")
	}
	return granted[i], nil
}

func (h *Handler) stopDelegationForm(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	if _, ok := h.accounts.(DelegationAccounts); !ok {
		return apperr.NotFoundf("page")
	}
	d, err := h.grantedDelegation(c)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, &DelegationStopPage{
		Base:   Base{Title: "Stop " + d.Representative.Name + " acting for you", Section: "account", Terms: delegationTerms()},
		Person: d.Representative.Name, Kind: delegationLabels[d.Kind], Action: "/account/delegations/" + url.PathEscape(d.ID) + "/stop"})
}

func (h *Handler) stopDelegation(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	da, ok := h.accounts.(DelegationAccounts)
	if !ok {
		return apperr.NotFoundf("page")
	}
	d, err := h.grantedDelegation(c)
	if err != nil {
		return err
	}
	if err := da.RevokeDelegation(c.Request().Context(), d.ID); err != nil && !errors.Is(err, account.ErrDelegationNotFound) {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/account/delegations?done=delegation-stopped")
}
