package frontend

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/pooling"
)

// Joining a pool: which budget pays (mine, or that of someone I act for), the most per
// session, then a confirmation page in plain English. The form carries an idempotency
// key made when it was shown, so sending it twice makes one pledge.

// holderBudgets are the budgets the caller may pledge from, with whose they are: their
// own first, then those of each person they act for under an active delegation.
type holderBudgets struct {
	whose   string // "" for the caller's own
	budgets []pooling.BudgetSummary
}

func (h *Handler) payableBudgets(ctx context.Context) ([]holderBudgets, map[string]string, error) {
	own, err := h.pools.Budgets(ctx, "")
	if err != nil {
		return nil, nil, err
	}
	out := []holderBudgets{{budgets: own}}
	names := map[string]string{}
	toMe, err := h.accounts.DelegationsToMe(ctx)
	if err != nil {
		return nil, nil, err
	}
	seen := map[string]bool{}
	for _, d := range toMe {
		if !d.Active() || seen[d.HolderID] {
			continue
		}
		seen[d.HolderID] = true
		names[d.HolderID] = d.Holder.Name
		bs, err := h.pools.Budgets(ctx, d.HolderID)
		if apperr.Is(err, apperr.Forbidden) || apperr.Is(err, apperr.NotFound) {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		out = append(out, holderBudgets{whose: d.Holder.Name, budgets: bs})
	}
	return out, names, nil
}

func (h *Handler) joinPage(ctx context.Context, v pooling.PoolView, invite string, in joinInput, key string, errs FormErrors) (*PoolJoinPage, error) {
	groups, _, err := h.payableBudgets(ctx)
	if err != nil {
		return nil, err
	}
	chosen := in.budget
	p := &PoolJoinPage{Base: Base{Title: "Join " + v.Title, Section: "search", Errors: errs, Terms: poolTerms()},
		Pool: poolSummary(v), Action: poolURL(v.ID) + "/join", Key: key, InviteCode: invite, Limit: in.limit,
		LowestShare: pounds(v.Pricing.LowestShare()), MostShare: pounds(v.Pricing.Share(v.Pricing.MinPeople))}
	if in.cards {
		p.PayBy = payByOptions(in.payBy)
	}
	for _, g := range groups {
		for _, b := range g.budgets {
			f := b.Budget.Form
			name := b.Budget.Label
			if name == "" {
				name = formName(f)
			}
			label := name + " (" + formName(f) + ")"
			if g.whose != "" {
				label = g.whose + "’s budget: " + label
			} else {
				label = "Your budget: " + label
			}
			if !slices.Contains(v.BudgetForms, f) {
				p.Refused = append(p.Refused, label+": this pool does not take this kind of budget.")
				continue
			}
			p.Budgets = append(p.Budgets, Option{Value: b.Budget.ID, Label: label, Hint: howItPays[f], Checked: b.Budget.ID == chosen})
		}
	}
	p.NoBudgets = len(p.Budgets) == 0
	return p, nil
}

// poolToJoin loads the pool of the request, by id, with the invite code when it came
// from an invite link.
func (h *Handler) poolToJoin(c echo.Context, invite string) (pooling.PoolView, error) {
	ctx := c.Request().Context()
	if invite != "" {
		v, err := h.pools.PoolByInvite(ctx, invite)
		if err == nil && v.ID == c.Param("id") {
			return v, nil
		}
	}
	return h.pools.Pool(ctx, c.Param("id"))
}

func (h *Handler) joinForm(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	invite := c.QueryParam("invite")
	v, err := h.poolToJoin(c, invite)
	if err != nil {
		return err
	}
	cards, err := h.cardsPossible(c.Request().Context(), v)
	if err != nil {
		return err
	}
	p, err := h.joinPage(c.Request().Context(), v, invite, joinInput{cards: cards}, newIdempotencyKey(), nil)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, p)
}

var pledgeFields = fieldSpecs{
	"":            {ID: "budget"},
	"budget_id":   {ID: "budget", Label: "Budget", Required: "Choose which budget pays"},
	"limit_pence": {ID: "limit", Label: "The most you will pay", Required: "Enter the most you will pay for each session"},
	"pay_by":      {ID: "pay-by", Label: "How you pay", Required: "Choose how you will pay"},
}

// joinInput is the join form as sent, and whether it offered to pay by card.
type joinInput struct {
	budget, limit, payBy string
	cards                bool
}

func (h *Handler) join(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	ctx := c.Request().Context()
	invite := c.FormValue("invite")
	v, err := h.poolToJoin(c, invite)
	if err != nil {
		return err
	}
	budget, limit, key := c.FormValue("budget"), strings.TrimSpace(c.FormValue("limit")), formKey(c)
	in := joinInput{budget: budget, limit: limit, payBy: c.FormValue("pay_by")}
	if in.cards, err = h.cardsPossible(ctx, v); err != nil {
		return err
	}
	var errs FormErrors
	if budget == "" {
		errs = errs.add("budget", "Choose which budget pays")
	}
	payBy, errs := checkPayBy(in, errs)
	pence, ok := parsePounds(limit)
	switch {
	case limit == "":
		errs = errs.add("limit", "Enter the most you will pay for each session, in pounds")
	case !ok:
		errs = errs.add("limit", "Enter the most you will pay as an amount in pounds, like 60 or 62.50")
	case pence < v.Pricing.LowestShare():
		errs = errs.add("limit", fmt.Sprintf("Enter at least %s: that is the least anyone pays, when the pool is full", pounds(v.Pricing.LowestShare())))
	case pence > pooling.MaxLimitPence:
		errs = errs.add("limit", fmt.Sprintf("Enter no more than %s", pounds(pooling.MaxLimitPence)))
	}
	var pl pooling.PledgeView
	if len(errs) == 0 {
		pl, err = h.pools.Pledge(ctx, v.ID, pooling.PledgeInput{BudgetID: budget, LimitPence: pence, InviteCode: invite, PayBy: payBy}, key)
		if fe, ok := formErrors(err, pledgeFields, nil); ok {
			errs = cardFormErrors(fe)
		} else if isCode(err, pooling.ErrBudgetNotFound.Code) {
			errs = errs.add("budget", "Choose one of the budgets listed")
		} else if e, ok := apperr.As(err); ok && payBy == pooling.PayByCard && (e.Kind == apperr.Unavailable || e.Code == "provider-cannot-take-cards") {
			// Cards stopped being possible since the form was shown.
			errs = errs.add("pay-by", e.Message)
		} else if e, ok := apperr.As(err); ok && e.Kind == apperr.Conflict {
			// A full pool, a second pledge, a budget short of money: the service's
			// message is written for people.
			errs = errs.add("budget", e.Message)
			if e.Code == pooling.ErrIdempotencyReused.Code {
				key = newIdempotencyKey()
			}
		} else if err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		p, err := h.joinPage(ctx, v, invite, in, key, errs)
		if err != nil {
			return err
		}
		return h.render(c, http.StatusUnprocessableEntity, p)
	}
	if pl.PayBy == pooling.PayByCard {
		return c.Redirect(http.StatusSeeOther, cardURL(pl.ID))
	}
	return c.Redirect(http.StatusSeeOther, pledgeURL(pl.ID))
}

func (h *Handler) pledgePage(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	ctx := c.Request().Context()
	pl, err := h.pools.MyPledge(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	_, names, err := h.payableBudgets(ctx)
	if err != nil {
		return err
	}
	row := h.pledgeRow(actor(c).UserID, pl, names)
	p := &PledgePage{Base: Base{Title: "Your pledge to " + pl.PoolTitle, Section: "account", Terms: poolTerms()},
		Pledge: row, Pool: Link{URL: poolURL(pl.PoolID), Label: pl.PoolTitle}}
	who := "You"
	switch me := actor(c).UserID; {
	case pl.HolderID == me:
	case pl.PledgedBy == me:
		who = "You, for " + row.Whose + ","
	default:
		who = "The budget holder"
	}
	p.Lines = append(p.Lines, fmt.Sprintf("%s offered to pay up to %s for each session of %s, from %s.",
		who, row.Limit, pl.PoolTitle, lowerFirst(formName(pl.Form))))
	switch pl.Status {
	case pooling.PledgeWaitingApproval:
		p.Lines = append(p.Lines, "This waits for approval by "+needsText(pl.Needs)+". You keep your place in the pool while they decide. We will show the answer on your commitments page.")
	case pooling.PledgePledged:
		if pl.Counts {
			p.Lines = append(p.Lines, "Your pledge counts now. If enough people join by the deadline, the group goes ahead and everyone pays the same share, never more than your limit.")
		} else {
			p.Lines = append(p.Lines, "Your pledge will count when the price per person falls to your limit, as more people join.")
		}
	}
	p.Lines = append(p.Lines, fmt.Sprintf("Set aside from the budget now: %s. Nothing is paid until the group goes ahead. If it does not, everything is released and nobody pays.", row.SetAside))
	if f, ok := howItPays[pl.Form]; ok && pl.PayBy != pooling.PayByCard {
		p.Lines = append(p.Lines, f)
	}
	if pl.PayBy == pooling.PayByCard {
		if p.Card, err = h.pledgeCard(ctx, pl); err != nil {
			return err
		}
	}
	return h.render(c, http.StatusOK, p)
}

func activePledge(pl pooling.PledgeView) bool {
	return pl.Status == pooling.PledgeWaitingApproval || pl.Status == pooling.PledgePledged || pl.Status == pooling.PledgeConfirmed
}

// pledgeStatus says where a pledge stands, in plain English, with a tag colour.
func pledgeStatus(pl pooling.PledgeView) (string, string) {
	switch pl.Status {
	case pooling.PledgeWaitingApproval:
		if slices.Equal(pl.Needs, []pooling.ApprovalKind{pooling.ApprovalCard}) {
			return "Waits for your card to be saved", "govuk-tag--yellow"
		}
		return "Waits for approval", "govuk-tag--yellow"
	case pooling.PledgePledged:
		if pl.Counts {
			return "Counts", "govuk-tag--green"
		}
		return "Waits for the price to fall to your limit", "govuk-tag--blue"
	case pooling.PledgeConfirmed:
		return "Confirmed: the group is going ahead", "govuk-tag--green"
	case pooling.PledgeCompleted:
		return "Finished", "govuk-tag--grey"
	case pooling.PledgeWithdrawn:
		return "Withdrawn", "govuk-tag--grey"
	case pooling.PledgeDeclined:
		s := "Declined"
		if pl.Reason != "" {
			s += ": " + pl.Reason
		}
		return s, "govuk-tag--red"
	case pooling.PledgeReleased:
		return "Released: nobody pays", "govuk-tag--grey"
	}
	return string(pl.Status), "govuk-tag--grey"
}

// pledgeRow builds a pledge's row; names are the people the caller acts for, by id.
func (h *Handler) pledgeRow(me string, pl pooling.PledgeView, names map[string]string) PledgeRow {
	status, class := pledgeStatus(pl)
	r := PledgeRow{ID: pl.ID, URL: pledgeURL(pl.ID), Pool: Link{URL: poolURL(pl.PoolID), Label: pl.PoolTitle},
		Whose: "Yours", Form: formName(pl.Form), Limit: pounds(pl.LimitPence), Status: status, StatusClass: class,
		SetAside: pounds(pl.CommittedPence), Spent: pounds(pl.SpentPence)}
	switch n, ok := names[pl.HolderID]; {
	case pl.HolderID == me:
	case ok:
		r.Whose = n
	default:
		r.Whose = "Someone else’s"
	}
	_, actsFor := names[pl.HolderID]
	if activePledge(pl) && (pl.HolderID == me || pl.PledgedBy == me || actsFor) {
		r.WithdrawURL = pledgeURL(pl.ID) + "/withdraw"
		r.Key = newIdempotencyKey()
	}
	return r
}

func (h *Handler) withdraw(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	key := formKey(c)
	pl, err := h.pools.Withdraw(c.Request().Context(), c.Param("id"), key)
	if err != nil {
		return err
	}
	back := safeNext(c.FormValue("back"), "/commitments")
	_ = pl
	return c.Redirect(http.StatusSeeOther, withDone(back, "pledge-withdrawn"))
}

// lowerFirst puts a name in the middle of a sentence: "a direct payment" but "ISF" stays.
func lowerFirst(s string) string {
	if len(s) < 2 || strings.ToUpper(s[:2]) == s[:2] {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
