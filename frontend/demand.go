package frontend

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/pooling"
)

// "Where people are pooling": the commissioner's view of demand, in aggregate only. A
// pool forming is people asking for something together; a pool that failed for lack of
// people is demand the market did not meet. No person is named or counted alone.

// DemandReader is what the page needs of the pooling service. *pooling.Service has it;
// without it the page is "Page not found".
type DemandReader interface {
	Demand(ctx context.Context) (pooling.DemandReport, error)
}

var _ DemandReader = (*pooling.Service)(nil)

func (h *Handler) demandPage(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	dr, ok := h.pools.(DemandReader)
	if !ok {
		return apperr.NotFoundf("page")
	}
	rep, err := dr.Demand(c.Request().Context())
	if err != nil {
		return err
	}
	p := &DemandPage{Base: Base{Title: "Where people are pooling", Section: "dashboard", Terms: terms("pool", "commissioner", "outward-code", "council-managed", "purchase-order")},
		Since: shortDate(rep.FailedSince), Totals: demandRowView(rep.Totals), Admin: actor(c).IsAdmin()}
	areas := DemandTable{ID: "areas", Caption: "By area", First: "Area"}
	for _, r := range rep.ByArea {
		areas.Rows = append(areas.Rows, demandRowView(r))
	}
	cats := DemandTable{ID: "categories", Caption: "By category", First: "Category"}
	for _, r := range rep.ByCategory {
		cats.Rows = append(cats.Rows, demandRowView(r))
	}
	p.Tables = []DemandTable{areas, cats}
	for _, w := range rep.Waiting {
		row := WaitingRow{Title: w.Title, Area: w.Area, Deadline: shortDate(w.Deadline), Waiting: w.Waiting,
			Taken: w.Taken, Confirmable: w.Confirmable, MinPeople: w.MinPeople, ReachesMinimum: w.ReachesMinimum}
		if w.PoolID != "" {
			row.URL = poolURL(w.PoolID)
		}
		p.Waiting = append(p.Waiting, row)
	}
	return h.render(c, http.StatusOK, p)
}

func demandRowView(r pooling.DemandRow) DemandRowView {
	return DemandRowView{Label: r.Label, OpenPools: r.OpenPools, PlacesTaken: r.PlacesTaken, PeopleShort: r.PeopleShort,
		FailedPools: r.FailedPools, FailedJoined: r.FailedJoined, FailedNeeded: r.FailedNeeded}
}

// commissioner reports whether the caller may see the demand page: a commissioner of a
// council, or an administrator.
func commissioner(a *account.Actor) bool {
	if a.IsAdmin() {
		return true
	}
	for _, m := range a.Memberships {
		if a.CanActFor(m.OrgID, account.RoleCommissioner) {
			return true
		}
	}
	return false
}
