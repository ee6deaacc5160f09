package frontend

import (
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/notify"
	"github.com/carepool/carepool/pooling"
)

var poolMessageFields = fieldSpecs{
	"":     {ID: "body"},
	"body": {ID: "body", Label: "Your message", Required: "Write the message"},
}

func (h *Handler) poolMessages(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	p, err := h.poolMessagesPage(c)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, p)
}

// poolMessagesPage reads the pool and its messages; the service refuses callers who are
// neither organisers nor in the pool.
func (h *Handler) poolMessagesPage(c echo.Context) (*PoolMessagesPage, error) {
	ctx := c.Request().Context()
	v, err := h.pools.Pool(ctx, c.Param("id"))
	if err != nil {
		return nil, err
	}
	ms, err := h.notify.PoolMessages(ctx, v.ID)
	if err != nil {
		return nil, err
	}
	p := &PoolMessagesPage{Base: Base{Title: "Messages about " + v.Title, Section: "commitments"},
		Pool: Link{URL: poolURL(v.ID), Label: v.Title}, Organiser: slices.Contains(v.YourRoles, pooling.RoleOrganiser),
		Action: poolURL(v.ID) + "/messages"}
	for _, m := range ms {
		p.Messages = append(p.Messages, MessageView{When: shortDate(m.CreatedAt), Lines: strings.Split(m.Body, "\n")})
	}
	return p, nil
}

func (h *Handler) postPoolMessage(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	body := c.FormValue("body")
	_, err := h.notify.PostMessage(c.Request().Context(), c.Param("id"), notify.MessageInput{Body: body})
	if errs, ok := formErrors(err, poolMessageFields, nil); ok {
		p, perr := h.poolMessagesPage(c)
		if perr != nil {
			return perr
		}
		p.Errors, p.Body = errs, body
		return h.render(c, http.StatusUnprocessableEntity, p)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, withDone(poolURL(c.Param("id"))+"/messages", "message-sent"))
}

var invitationFields = fieldSpecs{
	"":       {ID: "emails"},
	"emails": {ID: "emails", Label: "The email addresses", Required: "Enter at least one email address"},
}

func init() {
	notices["invitations-sent"] = "The invitations are on their way."
}

// postInvitations invites people to a pool by email (organisers only: the service checks).
func (h *Handler) postInvitations(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	typed := c.FormValue("emails")
	var emails []string
	for _, line := range strings.FieldsFunc(typed, func(r rune) bool { return r == '\n' || r == ',' || r == ';' }) {
		if e := strings.TrimSpace(line); e != "" {
			emails = append(emails, e)
		}
	}
	_, err := h.notify.Invite(c.Request().Context(), c.Param("id"), notify.InvitationInput{Emails: emails})
	if errs, ok := formErrors(err, invitationFields, func(field string) (fieldSpec, bool) {
		return invitationFields["emails"], strings.HasPrefix(field, "emails")
	}); ok {
		p, perr := h.poolMessagesPage(c)
		if perr != nil {
			return perr
		}
		p.Errors, p.Emails = errs, typed
		return h.render(c, http.StatusUnprocessableEntity, p)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, withDone(poolURL(c.Param("id"))+"/messages", "invitations-sent"))
}
