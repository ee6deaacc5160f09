package account

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/web"
)

// organisationPublicJSON is what anyone may see of an organisation.
type organisationPublicJSON struct {
	ID    string    `json:"id"`
	Name  string    `json:"name"`
	Kinds []OrgKind `json:"kinds"`
}

type statusChangeJSON struct {
	Status OrgStatus `json:"status"`
	Reason string    `json:"reason"`
	By     string    `json:"by"`
	At     time.Time `json:"at"`
}

// organisationJSON is what members and administrators see.
type organisationJSON struct {
	organisationPublicJSON
	Status           OrgStatus         `json:"status"`
	LastStatusChange *statusChangeJSON `json:"last_status_change,omitempty"`
	CreatedAt        time.Time         `json:"created_at"`
	UpdatedAt        time.Time         `json:"updated_at"`
	Version          int64             `json:"version"`
}

func organisationJSONOf(o Organisation, full bool) any {
	public := organisationPublicJSON{ID: o.ID, Name: o.Name, Kinds: o.Kinds}
	if !full {
		return public
	}
	j := organisationJSON{organisationPublicJSON: public, Status: o.Status, CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt, Version: o.Version}
	if c := o.LastChange; c != nil {
		j.LastStatusChange = &statusChangeJSON{Status: c.Status, Reason: c.Reason, By: c.By, At: c.At}
	}
	return j
}

type createOrganisationRequest struct {
	Name       string    `json:"name"`
	Kinds      []OrgKind `json:"kinds"`
	OwnerEmail string    `json:"owner_email"`
}

func (h *Handler) createOrganisation(c echo.Context) error {
	ctx := c.Request().Context()
	if err := ActorFrom(ctx).RequireUser(); err != nil {
		return err
	}
	var req createOrganisationRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	o, err := h.svc.CreateOrganisation(ctx, NewOrganisation(req))
	if err != nil {
		return err
	}
	web.SetETag(c, o.Version)
	return created(c, "organisations/"+o.ID, organisationJSONOf(o, true))
}

func (h *Handler) getOrganisation(c echo.Context) error {
	o, full, err := h.svc.Organisation(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	if full {
		web.SetETag(c, o.Version)
	}
	return c.JSON(http.StatusOK, organisationJSONOf(o, full))
}

type updateOrganisationRequest struct {
	Name  *string   `json:"name"`
	Kinds []OrgKind `json:"kinds"`
}

func (h *Handler) updateOrganisation(c echo.Context) error {
	ctx := c.Request().Context()
	if err := ActorFrom(ctx).RequireUser(); err != nil {
		return err
	}
	version, err := web.IfMatch(c)
	if err != nil {
		return err
	}
	var req updateOrganisationRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	o, err := h.svc.UpdateOrganisation(ctx, c.Param("id"), version, OrganisationUpdate(req))
	if err != nil {
		return err
	}
	web.SetETag(c, o.Version)
	return c.JSON(http.StatusOK, organisationJSONOf(o, true))
}

type memberJSON struct {
	UserID  string    `json:"user_id"`
	Name    string    `json:"name"`
	Role    Role      `json:"role"`
	AddedAt time.Time `json:"added_at"`
}

func memberJSONOf(m MemberView) memberJSON {
	return memberJSON{UserID: m.UserID, Name: m.Name, Role: m.Role, AddedAt: m.AddedAt}
}

func (h *Handler) listMembers(c echo.Context) error {
	ms, err := h.svc.Members(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, listOf(ms, memberJSONOf))
}

type addMemberRequest struct {
	Email string `json:"email"`
	Role  Role   `json:"role"`
}

func (h *Handler) addMember(c echo.Context) error {
	ctx := c.Request().Context()
	if err := ActorFrom(ctx).RequireUser(); err != nil {
		return err
	}
	var req addMemberRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	m, err := h.svc.AddMember(ctx, c.Param("id"), NewMember(req))
	if err != nil {
		return err
	}
	return created(c, "members/"+m.UserID, memberJSONOf(m))
}

func (h *Handler) removeMember(c echo.Context) error {
	if err := h.svc.RemoveMember(c.Request().Context(), c.Param("id"), c.Param("user_id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

type statusChangeRequest struct {
	Reason string `json:"reason"`
}

func (h *Handler) suspendOrganisation(c echo.Context) error {
	return h.changeStatus(c, h.svc.SuspendOrganisation)
}

func (h *Handler) reinstateOrganisation(c echo.Context) error {
	return h.changeStatus(c, h.svc.ReinstateOrganisation)
}

func (h *Handler) changeStatus(c echo.Context, change func(ctx context.Context, id string, why Suspension) (Organisation, error)) error {
	ctx := c.Request().Context()
	if err := requireAdmin(ActorFrom(ctx)); err != nil {
		return err
	}
	var req statusChangeRequest
	// A reinstatement needs no reason, so an empty body is allowed; the service
	// checks that a suspension has one.
	if c.Request().ContentLength != 0 {
		if err := web.Bind(c, &req); err != nil {
			return err
		}
	}
	o, err := change(ctx, c.Param("id"), Suspension(req))
	if err != nil {
		return err
	}
	web.SetETag(c, o.Version)
	return c.JSON(http.StatusOK, organisationJSONOf(o, true))
}
