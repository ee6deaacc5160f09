package frontend

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/pooling"
)

// The organiser's dashboard: the pools a person organises (as a member of a user-led
// organisation or of the offer's provider, or as the budget holder who proposed it),
// how each is doing, its invite link, how many pledges wait for whose approval (counts,
// never names), and what the organiser can do next.

// Organising is what the pages of organisers and providers need of the pooling service
// on top of Pools. *pooling.Service has it; without it those pages are "Page not found".
type Organising interface {
	ManagedPools(ctx context.Context, limit int) ([]pooling.PoolView, error)
	Participants(ctx context.Context, poolID string) ([]pooling.Participant, error)
	ProposePool(ctx context.Context, in pooling.PoolInput) (pooling.PoolView, error)
	OpenPool(ctx context.Context, id string) (pooling.PoolView, error)
	RotateInvite(ctx context.Context, id string) (pooling.PoolView, error)
	ConfirmPool(ctx context.Context, id, key string) (pooling.PoolView, error)
	CancelPool(ctx context.Context, id, reason, key string) (pooling.PoolView, error)
	RecordDelivery(ctx context.Context, poolID string, in pooling.DeliveryInput, key string) (pooling.PoolView, error)
}

var _ Organising = (*pooling.Service)(nil)

// maxManagedPools is how many pools the dashboards list: the newest, as the service
// returns at most this many.
const maxManagedPools = 100

func (h *Handler) organising() (Organising, error) {
	o, ok := h.pools.(Organising)
	if !ok {
		return nil, apperr.NotFoundf("page")
	}
	return o, nil
}

// registerOrganising mounts the organiser's, provider's, ISF provider's and
// commissioner's pool pages (called by registerPools, so only with a pooling service).
func (h *Handler) registerOrganising(get, post func(path, name string, fn echo.HandlerFunc)) {
	get("/dashboard/pools", "organiser-pools", h.organiserPools)
	get("/dashboard/pools/new", "pool-propose", h.proposeForm)
	post("/dashboard/pools", "pool-propose", h.propose)
	for _, act := range poolActions {
		get("/dashboard/pools/:id/"+act.path, "pool-"+act.path, h.poolActionForm)
		post("/dashboard/pools/:id/"+act.path, "pool-"+act.path, h.poolAction)
	}
	post("/dashboard/pools/:id/invite-link", "pool-invite-link", h.rotateInvite)
	get("/dashboard/providers/:id/pools", "provider-pools", h.providerPools)
	get("/dashboard/pools/:id/sessions/:n", "session-record", h.recordSessionForm)
	post("/dashboard/pools/:id/sessions/:n", "session-record", h.recordSession)
	h.registerISF(get, post)
	get("/dashboard/demand", "demand", h.demandPage)
}

func init() {
	notices["pool-proposed"] = "Your pool has been saved as a draft. Open it when you are ready for people to join."
	notices["pool-opened"] = "Your pool is open. People can now find it and join."
	notices["pool-confirmed"] = "The pool is going ahead. Everyone who counts has been told what they pay."
	notices["pool-cancelled"] = "The pool has been cancelled. Everything people set aside for it has been released."
	notices["invite-link-changed"] = "The pool has a new invite link. The old link no longer works."
	notices["session-recorded"] = "The session has been recorded. The shares for it are now owed to you."
}

var organiserTerms = func() []Term { return terms("pool", "ulo", "commissioner", "isf", "council-managed", "trust-fund") }

func (h *Handler) organiserPools(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	org, err := h.organising()
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	pools, err := org.ManagedPools(ctx, maxManagedPools)
	if err != nil {
		return err
	}
	p := &OrganiserPoolsPage{Base: Base{Title: "Pools you organise", Section: "dashboard", Terms: organiserTerms()},
		ProposeURL: "/dashboard/pools/new"}
	now := time.Now()
	for _, v := range pools {
		if !slices.Contains(v.YourRoles, pooling.RoleOrganiser) {
			continue
		}
		mp, err := h.managedPool(ctx, org, v, now)
		if err != nil {
			return err
		}
		p.Pools = append(p.Pools, mp)
	}
	return h.render(c, http.StatusOK, p)
}

// managedPool is a pool as its organiser sees it on the dashboard.
func (h *Handler) managedPool(ctx context.Context, org Organising, v pooling.PoolView, now time.Time) (ManagedPool, error) {
	mp := ManagedPool{PoolSummary: cardSummary(v), Taken: v.Taken, MinPeople: v.Pricing.MinPeople, MaxPeople: v.Pricing.MaxPeople,
		Confirmable: v.Confirmable, Deadline: shortDate(v.Deadline), MessagesURL: poolURL(v.ID) + "/messages"}
	base := "/dashboard/pools/" + url.PathEscape(v.ID)
	switch v.Status {
	case pooling.StatusDraft:
		mp.OpenURL, mp.MessagesURL = base+"/open", ""
	case pooling.StatusOpen:
		mp.DaysLeft = daysLeft(now, v.Deadline)
		if v.MinimumReached {
			mp.ConfirmURL = base + "/confirm"
		} else {
			mp.ConfirmNote = fmt.Sprintf("You can confirm it early once %d people count whose pledges need no more approval. Now: %d. Otherwise it is decided at the deadline.",
				v.Pricing.MinPeople, v.Confirmable)
		}
	}
	if cancellable(v) {
		mp.CancelURL = base + "/cancel"
	}
	if v.Visibility == pooling.InviteOnly && v.InviteCode != "" && !v.Status.Final() {
		mp.InviteURL = h.origin + "/invites/" + url.PathEscape(v.InviteCode)
		mp.InviteRotateURL = base + "/invite-link"
	}
	if v.Waiting > 0 {
		parts, err := org.Participants(ctx, v.ID)
		if err != nil {
			return ManagedPool{}, err
		}
		mp.Approvals = approvalCounts(parts)
	}
	return mp, nil
}

// cardSummary is a pool's summary for the dashboards' cards, which show the places
// taken beside it: what each pays while it forms or runs, where it stands otherwise.
func cardSummary(v pooling.PoolView) PoolSummary {
	s := poolSummary(v)
	if v.Status == pooling.StatusOpen || v.Status == pooling.StatusConfirmed {
		s.Summary = s.Share + "."
	}
	return s
}

// cancellable reports whether a pool can still be called off: before any session has
// been delivered.
func cancellable(v pooling.PoolView) bool {
	switch v.Status {
	case pooling.StatusDraft, pooling.StatusOpen:
		return true
	case pooling.StatusConfirmed:
		return !slices.ContainsFunc(v.Sessions, func(s pooling.Session) bool { return s.Status == pooling.SessionDelivered })
	}
	return false
}

// approvalCounts says how many pledges wait for each kind of approval, in plain
// English: "2 are waiting for a commissioner at the council". Organisers may not know
// whose pledges they are, so it counts and never names.
func approvalCounts(parts []pooling.Participant) []string {
	counts := map[pooling.ApprovalKind]int{}
	for _, pt := range parts {
		if pt.Status != pooling.PledgeWaitingApproval {
			continue
		}
		for _, k := range pt.Needs {
			counts[k]++
		}
	}
	var out []string
	for _, k := range []pooling.ApprovalKind{pooling.ApprovalCommissioner, pooling.ApprovalISFProvider, pooling.ApprovalSecondTrustee, pooling.ApprovalSecondApprover} {
		switch n := counts[k]; {
		case n == 1:
			out = append(out, "1 pledge is waiting for "+approvalText[k])
		case n > 1:
			out = append(out, fmt.Sprintf("%d pledges are waiting for %s", n, approvalText[k]))
		}
	}
	return out
}

// managedPoolFor loads a pool for one of the dashboard's actions: NotFound when the
// caller may not see it, Forbidden when they may see it but hold none of the roles.
func (h *Handler) managedPoolFor(c echo.Context, roles ...pooling.Role) (pooling.PoolView, error) {
	v, err := h.pools.Pool(c.Request().Context(), c.Param("id"))
	if err != nil {
		return v, err
	}
	if !slices.ContainsFunc(v.YourRoles, func(r pooling.Role) bool { return slices.Contains(roles, r) }) {
		return v, apperr.Forbiddenf("Only the pool's organiser can do this.")
	}
	return v, nil
}

func (h *Handler) rotateInvite(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	org, err := h.organising()
	if err != nil {
		return err
	}
	v, err := org.RotateInvite(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/dashboard/pools?done=invite-link-changed#pool-"+v.ID)
}
