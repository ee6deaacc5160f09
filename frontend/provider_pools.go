package frontend

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/pooling"
)

// A provider's view of the pools on its offers: the groups forming (so it can plan
// staff), the ones going ahead with their sessions to record, and the rest. Recording
// a session says who came by place in the pool, never by name: the provider delivers
// the session and knows the people there, but the page needs no names to record it.

func (h *Handler) providerPools(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	m, err := membership(c, c.Param("id"))
	if err != nil {
		return err
	}
	org, err := h.organising()
	if err != nil {
		return err
	}
	pools, err := org.ManagedPools(c.Request().Context(), maxManagedPools)
	if err != nil {
		return err
	}
	p := &ProviderPoolsPage{Base: Base{Title: "Pools on your offers", Section: "dashboard", Terms: terms("pool", "ulo")}, Provider: m.OrgName}
	now := time.Now()
	for _, v := range pools {
		if v.ProviderID != m.OrgID || !slices.Contains(v.YourRoles, pooling.RoleProvider) {
			continue
		}
		if v.Status == pooling.StatusDraft && !slices.Contains(v.YourRoles, pooling.RoleOrganiser) {
			continue // someone else's draft: not proposed to anyone yet
		}
		pp := ProviderPool{PoolSummary: cardSummary(v), Taken: v.Taken, MinPeople: v.Pricing.MinPeople, MaxPeople: v.Pricing.MaxPeople,
			Deadline: shortDate(v.Deadline)}
		if v.Status == pooling.StatusOpen {
			pp.DaysLeft = daysLeft(now, v.Deadline)
		}
		if v.Status == pooling.StatusConfirmed {
			pp.ToRecord = sessionsToRecord(v, now)
			pp.Next = nextSession(v, now)
		}
		if cancellable(v) && v.Status != pooling.StatusDraft {
			pp.CancelURL = "/dashboard/pools/" + url.PathEscape(v.ID) + "/cancel"
		}
		switch v.Status {
		case pooling.StatusDraft, pooling.StatusOpen:
			p.Forming = append(p.Forming, pp)
		case pooling.StatusConfirmed:
			p.Going = append(p.Going, pp)
		default:
			p.Past = append(p.Past, pp)
		}
	}
	return h.render(c, http.StatusOK, p)
}

// sessionsToRecord links to the sessions of a confirmed pool that have started and are
// not recorded yet.
func sessionsToRecord(v pooling.PoolView, now time.Time) []Link {
	var out []Link
	for _, s := range v.Sessions {
		if s.Status == pooling.SessionScheduled && !s.StartsAt.After(now) {
			out = append(out, Link{URL: sessionURL(v.ID, s.Index), Label: sessionName(s)})
		}
	}
	return out
}

// nextSession says when the next session to come is: "Session 3: Friday 17 April 2026 at 10am".
func nextSession(v pooling.PoolView, now time.Time) string {
	for _, s := range v.Sessions {
		if s.Status == pooling.SessionScheduled && s.StartsAt.After(now) {
			return sessionName(s)
		}
	}
	return ""
}

func sessionURL(poolID string, index int) string {
	return "/dashboard/pools/" + url.PathEscape(poolID) + "/sessions/" + strconv.Itoa(index+1)
}

// sessionName names a session for people: sessions count from 1.
func sessionName(s pooling.Session) string {
	t := s.StartsAt.In(ukTime)
	return fmt.Sprintf("Session %d: %s at %s", s.Index+1, t.Format("Monday 2 January 2006"), clock(t.Format("15:04")))
}

// sessionToRecord loads the pool and session of the request for its provider.
func (h *Handler) sessionToRecord(c echo.Context) (pooling.PoolView, pooling.Session, error) {
	v, err := h.managedPoolFor(c, pooling.RoleProvider)
	if err != nil {
		return v, pooling.Session{}, err
	}
	n, err := strconv.Atoi(c.Param("n"))
	if err != nil || n < 1 || n > len(v.Sessions) {
		return v, pooling.Session{}, apperr.NotFoundf("session")
	}
	return v, v.Sessions[n-1], nil
}

func (h *Handler) recordSessionPage(c echo.Context, v pooling.PoolView, s pooling.Session, attended []string, key string, errs FormErrors) (*RecordSessionPage, error) {
	org, err := h.organising()
	if err != nil {
		return nil, err
	}
	parts, err := org.Participants(c.Request().Context(), v.ID)
	if err != nil {
		return nil, err
	}
	p := &RecordSessionPage{Base: Base{Title: "Record a session", Section: "dashboard", Errors: errs, Terms: terms("pool")},
		Pool: poolSummary(v), Session: sessionName(s), Action: sessionURL(v.ID, s.Index), Key: key,
		Back: "/dashboard/providers/" + url.PathEscape(v.ProviderID) + "/pools"}
	slices.SortFunc(parts, func(a, b pooling.Participant) int { return int(a.Seq - b.Seq) })
	for _, pt := range parts {
		takesPart := (pt.Status == pooling.PledgeConfirmed || pt.Status == pooling.PledgeCompleted) && pt.From <= s.Index && s.Index < pt.Until
		if !takesPart {
			continue
		}
		p.Places = append(p.Places, Option{Value: pt.PledgeID, Label: placeLabel(pt),
			Checked: attended == nil || slices.Contains(attended, pt.PledgeID)})
	}
	return p, nil
}

// placeLabel names a place in a pool without naming its person: "Place 2 (pledge ending 4f2a)".
func placeLabel(pt pooling.Participant) string {
	id := pt.PledgeID
	if len(id) > 4 {
		id = id[len(id)-4:]
	}
	return fmt.Sprintf("Place %d (pledge ending %s)", pt.Seq, id)
}

func (h *Handler) recordSessionForm(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	v, s, err := h.sessionToRecord(c)
	if err != nil {
		return err
	}
	p, err := h.recordSessionPage(c, v, s, nil, newIdempotencyKey(), nil)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, p)
}

func (h *Handler) recordSession(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	org, err := h.organising()
	if err != nil {
		return err
	}
	v, s, err := h.sessionToRecord(c)
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	key := formKey(c)
	attended := form["attended"]
	_, err = org.RecordDelivery(c.Request().Context(), v.ID, pooling.DeliveryInput{Session: s.Index, Attended: attended}, key)
	if e, ok := apperr.As(err); ok && (e.Kind == apperr.Conflict || e.Kind == apperr.Invalid) {
		if e.Code == pooling.ErrIdempotencyReused.Code {
			key = newIdempotencyKey()
		}
		msg := upperFirst(e.Message)
		if e.Kind == apperr.Invalid {
			msg = "Choose only the places listed"
		}
		p, perr := h.recordSessionPage(c, v, s, append(attended, ""), key, FormErrors{{ID: "attended", Message: msg}})
		if perr != nil {
			return perr
		}
		status := http.StatusConflict
		if e.Kind == apperr.Invalid {
			status = http.StatusUnprocessableEntity
		}
		return h.render(c, status, p)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/dashboard/providers/"+url.PathEscape(v.ProviderID)+"/pools?done=session-recorded#pool-"+v.ID)
}
