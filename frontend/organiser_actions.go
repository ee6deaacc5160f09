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
	"github.com/carepool/carepool/pooling"
)

// The organiser's actions on a pool, each behind a page that says what will happen and
// asks to confirm: open a draft, confirm early, cancel (with a reason people will see).
// Confirming and cancelling move money, so their forms carry an idempotency key.

// poolAct is one action: its path under /dashboard/pools/:id/, who may take it, and its
// words.
type poolAct struct {
	path    string
	roles   []pooling.Role
	title   string
	button  string
	done    string
	warning bool // the button is red: it cannot be undone
	keyed   bool // it moves money: the form carries an idempotency key
	reason  bool // it asks why
	lines   func(v pooling.PoolView) []string
}

var poolActions = []poolAct{
	{path: "open", roles: []pooling.Role{pooling.RoleOrganiser}, title: "Open the pool for people to join",
		button: "Open the pool", done: "pool-opened", lines: openLines},
	{path: "confirm", roles: []pooling.Role{pooling.RoleOrganiser}, title: "Confirm the pool now",
		button: "Confirm the pool", done: "pool-confirmed", keyed: true, lines: confirmLines},
	{path: "cancel", roles: []pooling.Role{pooling.RoleOrganiser, pooling.RoleProvider, pooling.RoleAdmin}, title: "Cancel the pool",
		button: "Cancel the pool", done: "pool-cancelled", warning: true, keyed: true, reason: true, lines: cancelLines},
}

func openLines(v pooling.PoolView) []string {
	lines := []string{"Once it is open, people can join it until the deadline, " + shortDate(v.Deadline) + ". You cannot change its details after that."}
	if v.Visibility == pooling.Public {
		lines = append(lines, "It will be listed on Carepool, so anyone can find it in search.")
	} else {
		lines = append(lines, "Only people you give the invite link to can see and join it.")
	}
	return append(lines, fmt.Sprintf("It needs at least %d people to go ahead, and takes up to %d.", v.Pricing.MinPeople, v.Pricing.MaxPeople))
}

func confirmLines(v pooling.PoolView) []string {
	return []string{
		fmt.Sprintf("The pool will go ahead with the %d people who count now, each paying %s a session. Their shares move into the pool.", v.Counted, pounds(v.SharePence)),
		"People whose pledges do not count, or still wait for approval, are released and pay nothing.",
		fmt.Sprintf("While places are left (%d now), more people can still join and the share can fall.", v.PlacesLeft),
	}
}

func cancelLines(v pooling.PoolView) []string {
	lines := []string{"Nobody will pay anything. Everything people set aside for this pool is released at once."}
	if v.Taken > 0 {
		lines = append(lines, fmt.Sprintf("The %d people who joined will be told, with the reason you give.", v.Taken))
	}
	return append(lines, "You cannot undo this.")
}

func findPoolAct(path string) (poolAct, bool) {
	i := slices.IndexFunc(poolActions, func(a poolAct) bool { return a.path == path })
	if i < 0 {
		return poolAct{}, false
	}
	return poolActions[i], true
}

// actOf returns the action of the request's path.
func actOf(c echo.Context) poolAct {
	path := c.Path()
	act, _ := findPoolAct(path[strings.LastIndexByte(path, '/')+1:])
	return act
}

func (h *Handler) poolActionPage(act poolAct, v pooling.PoolView, key, reason string, errs FormErrors) *PoolActionPage {
	p := &PoolActionPage{Base: Base{Title: act.title, Section: "dashboard", Errors: errs, Terms: terms("pool")},
		Pool: poolSummary(v), Lines: act.lines(v), Action: "/dashboard/pools/" + url.PathEscape(v.ID) + "/" + act.path,
		Button: act.button, Warning: act.warning, AskReason: act.reason, Reason: reason, Back: backFrom(v)}
	if act.keyed {
		p.Key = key
	}
	return p
}

// backFrom is the dashboard a pool's actions return to: the organiser's, or else the
// provider's list of pools on its offers.
func backFrom(v pooling.PoolView) string {
	if !slices.Contains(v.YourRoles, pooling.RoleOrganiser) && slices.Contains(v.YourRoles, pooling.RoleProvider) {
		return "/dashboard/providers/" + url.PathEscape(v.ProviderID) + "/pools"
	}
	return "/dashboard/pools"
}

func (h *Handler) poolActionForm(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	if _, err := h.organising(); err != nil {
		return err
	}
	act := actOf(c)
	v, err := h.managedPoolFor(c, act.roles...)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, h.poolActionPage(act, v, newIdempotencyKey(), "", nil))
}

func (h *Handler) poolAction(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	org, err := h.organising()
	if err != nil {
		return err
	}
	act := actOf(c)
	v, err := h.managedPoolFor(c, act.roles...)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	key := formKey(c)
	reason := strings.TrimSpace(c.FormValue("reason"))
	var errs FormErrors
	status := http.StatusUnprocessableEntity
	switch act.path {
	case "open":
		_, err = org.OpenPool(ctx, v.ID)
	case "confirm":
		_, err = org.ConfirmPool(ctx, v.ID, key)
	case "cancel":
		switch {
		case reason == "":
			errs = errs.add("reason", "Enter the reason for cancelling, so the people who joined know why")
		case utf8.RuneCountInString(reason) > 500:
			errs = errs.add("reason", "The reason must be 500 characters or fewer")
		default:
			_, err = org.CancelPool(ctx, v.ID, reason, key)
		}
	}
	if e, ok := apperr.As(err); ok && (e.Kind == apperr.Conflict || e.Kind == apperr.Invalid) {
		// The pool moved on (someone confirmed it, the deadline passed): say so on the
		// page, in the service's words.
		id := "action-button"
		if act.reason {
			id = "reason"
		}
		errs = errs.add(id, upperFirst(strings.TrimSuffix(e.Message, ".")))
		if e.Kind == apperr.Conflict {
			status = http.StatusConflict
		}
		if e.Code == pooling.ErrIdempotencyReused.Code {
			key = newIdempotencyKey()
		}
		err = nil
	}
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		if fresh, ferr := h.pools.Pool(ctx, v.ID); ferr == nil {
			v = fresh
		}
		return h.render(c, status, h.poolActionPage(act, v, key, reason, errs))
	}
	return c.Redirect(http.StatusSeeOther, backFrom(v)+"?done="+act.done+"#pool-"+v.ID)
}
