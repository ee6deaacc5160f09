package frontend

import (
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/pooling"
)

// The pool page, its invite link and the list of an offer's open pools. Anyone may see
// a public pool; an invite-only pool needs its code (or a pledge in it, or a role), and
// is "Page not found" otherwise, as in the API.

var poolTerms = func() []Term { return terms("pool", "dp", "isf", "council-managed", "trust-fund", "brokered-fund") }

var poolStatusViews = map[pooling.Status]struct{ label, class string }{
	pooling.StatusDraft:     {"Not open yet", "govuk-tag--grey"},
	pooling.StatusOpen:      {"Open to join", "govuk-tag--blue"},
	pooling.StatusConfirmed: {"Going ahead", "govuk-tag--green"},
	pooling.StatusDelivered: {"Sessions done", "govuk-tag--grey"},
	pooling.StatusInvoiced:  {"Invoiced", "govuk-tag--grey"},
	pooling.StatusSettled:   {"Paid for", "govuk-tag--grey"},
	pooling.StatusFailed:    {"Did not go ahead", "govuk-tag--red"},
	pooling.StatusCancelled: {"Cancelled", "govuk-tag--red"},
}

func poolSummary(v pooling.PoolView) PoolSummary {
	st := poolStatusViews[v.Status]
	s := PoolSummary{ID: v.ID, URL: poolURL(v.ID), Title: v.Title, Description: v.Description, Summary: v.Summary,
		Status: st.label, StatusClass: st.class,
		Places: fmt.Sprintf("%d of %d places taken", v.Taken, v.Pricing.MaxPeople)}
	if v.Counted > 0 {
		s.Share = fmt.Sprintf("%s each a session at %d people", pounds(v.SharePence), v.Counted)
	} else {
		s.Share = fmt.Sprintf("At most %s each a session, at %d people", pounds(v.Pricing.Share(v.Pricing.MinPeople)), v.Pricing.MinPeople)
	}
	return s
}

func (h *Handler) poolPage(c echo.Context) error {
	v, err := h.pools.Pool(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return h.showPool(c, v, "")
}

func (h *Handler) invitePage(c echo.Context) error {
	code := c.Param("code")
	v, err := h.pools.PoolByInvite(c.Request().Context(), code)
	if err != nil {
		return err
	}
	return h.showPool(c, v, code)
}

func (h *Handler) showPool(c echo.Context, v pooling.PoolView, invite string) error {
	ctx := c.Request().Context()
	now := time.Now()
	p := &PoolPage{Base: Base{Title: v.Title, Section: "search", Terms: poolTerms()}, Pool: poolSummary(v),
		MinPeople: v.Pricing.MinPeople, MaxPeople: v.Pricing.MaxPeople, Taken: v.Taken, Counted: v.Counted,
		Waiting: v.Waiting, Deadline: shortDate(v.Deadline), InviteCode: invite,
		Offer: Link{URL: "/offers/" + url.PathEscape(v.OfferID), Label: "About the activity"}}
	if v.InviteCode != "" {
		p.InviteCode = v.InviteCode
	}
	if prov, err := h.market.Provider(ctx, v.ProviderID); err == nil {
		p.Provider = Link{URL: "/providers/" + url.PathEscape(prov.ID), Label: prov.Name}
	} else if !apperr.Is(err, apperr.NotFound) {
		return err
	}
	p.Schedule = scheduleLines(v)
	for k := v.Pricing.MinPeople; k <= v.Pricing.MaxPeople; k++ {
		p.Shares = append(p.Shares, ShareRow{People: k, Each: pounds(v.Pricing.Share(k)), Current: k == v.Counted})
	}
	if v.Status == pooling.StatusOpen {
		p.DaysLeft = daysLeft(now, v.Deadline)
	}
	for _, f := range v.BudgetForms {
		p.Forms = append(p.Forms, Option{Value: string(f), Label: formName(f), Hint: howItPays[f]})
	}
	p.Taking = (v.Status == pooling.StatusOpen || v.Status == pooling.StatusConfirmed) && v.PlacesLeft > 0
	if !actor(c).Anonymous() {
		mine, err := h.pools.MyPledges(ctx)
		if err != nil {
			return err
		}
		for _, pl := range mine {
			if pl.PoolID == v.ID && activePledge(pl) {
				row := h.pledgeRow(actor(c).UserID, pl, nil)
				p.Mine = &row
				break
			}
		}
		switch st, err := h.pools.PoolStatement(ctx, v.ID); {
		case err == nil:
			p.Ledger = ledgerView(st)
		case apperr.Is(err, apperr.Forbidden) || apperr.Is(err, apperr.NotFound):
			p.LedgerNote = "The pool's full ledger is shown to its organiser and provider. It lists amounts only, never names."
		default:
			return err
		}
	} else {
		p.LedgerNote = "The pool's full ledger is shown to its organiser and provider. It lists amounts only, never names."
	}
	if p.Taking && p.Mine == nil {
		p.JoinURL = poolURL(v.ID) + "/join"
		if invite != "" {
			p.JoinURL += "?invite=" + url.QueryEscape(invite)
		}
	}
	return h.render(c, http.StatusOK, p)
}

// scheduleLines says when a pool's sessions are, in plain English.
func scheduleLines(v pooling.PoolView) []string {
	s := v.Schedule
	var lines []string
	switch {
	case s.Sessions <= 1:
		lines = append(lines, "One session")
	case s.EveryDays == 7:
		lines = append(lines, fmt.Sprintf("%d sessions, every week", s.Sessions))
	case s.EveryDays == 14:
		lines = append(lines, fmt.Sprintf("%d sessions, every 2 weeks", s.Sessions))
	default:
		lines = append(lines, fmt.Sprintf("%d sessions, every %d days", s.Sessions, s.EveryDays))
	}
	if !s.FirstSession.IsZero() {
		t := s.FirstSession.In(ukTime)
		lines = append(lines, "First session: "+t.Format("Monday 2 January 2006")+" at "+clock(t.Format("15:04")))
	}
	if v.SessionMinutes > 0 {
		lines = append(lines, fmt.Sprintf("Each session lasts %s", minutesText(v.SessionMinutes)))
	}
	if s.NoticeDays > 0 && s.Sessions > 1 {
		lines = append(lines, fmt.Sprintf("To leave once it is going ahead, give %d days' notice", s.NoticeDays))
	}
	return lines
}

func minutesText(m int) string {
	switch {
	case m%60 == 0 && m == 60:
		return "1 hour"
	case m%60 == 0:
		return fmt.Sprintf("%d hours", m/60)
	case m > 60:
		return fmt.Sprintf("%d hours %d minutes", m/60, m%60)
	}
	return fmt.Sprintf("%d minutes", m)
}

// daysLeft counts whole UK calendar days to the deadline: "21 days left".
func daysLeft(now, deadline time.Time) string {
	y1, m1, d1 := now.In(ukTime).Date()
	y2, m2, d2 := deadline.In(ukTime).Date()
	days := int(time.Date(y2, m2, d2, 0, 0, 0, 0, time.UTC).Sub(time.Date(y1, m1, d1, 0, 0, 0, 0, time.UTC)).Hours() / 24)
	switch {
	case deadline.Before(now):
		return ""
	case days <= 0:
		return "Last day today"
	case days == 1:
		return "1 day left"
	}
	return fmt.Sprintf("%d days left", days)
}

// ledgerColumns names a pool statement's columns for people.
var ledgerColumns = map[string]string{"holding": "In the pool", "to_provider": "Paid to the provider"}

func ledgerView(st pooling.Statement) *LedgerView {
	l := &LedgerView{}
	for _, c := range st.Columns {
		name := ledgerColumns[c]
		if name == "" {
			name = upperFirst(c)
		}
		l.Columns = append(l.Columns, name)
	}
	for _, r := range st.Rows {
		row := LedgerRow{Date: shortDate(r.At), Memo: r.Memo}
		for i := range r.Amounts {
			row.Amounts = append(row.Amounts, pounds(r.Amounts[i]))
			row.Balances = append(row.Balances, pounds(r.Balances[i]))
		}
		l.Rows = append(l.Rows, row)
	}
	for _, b := range st.Closing {
		l.Closing = append(l.Closing, pounds(b))
	}
	return l
}

func (h *Handler) offerPools(c echo.Context) error {
	ctx := c.Request().Context()
	o, err := h.market.Offer(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	pools, err := h.pools.PublicPools(ctx, pooling.PoolFilter{OfferID: o.ID})
	if err != nil {
		return err
	}
	p := &PoolListPage{Base: Base{Title: "Pools for " + o.Title, Section: "search", Terms: terms("pool")},
		Offer: Link{URL: "/offers/" + url.PathEscape(o.ID), Label: o.Title}}
	for _, v := range pools {
		p.Pools = append(p.Pools, poolSummary(v))
	}
	return h.render(c, http.StatusOK, p)
}
