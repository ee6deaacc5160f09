package frontend

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/notify"
)

// channelChoices are the answers to "how do you want to hear about this?".
var channelChoices = []Option{
	{Value: string(notify.ChannelEmail), Label: "By email, and in my Carepool notifications"},
	{Value: string(notify.ChannelInbox), Label: "Only in my Carepool notifications"},
	{Value: string(notify.ChannelOff), Label: "Not at all"},
}

func (h *Handler) notificationPreferences(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	v, err := h.notify.Preferences(c.Request().Context())
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, preferencesPage(v, nil))
}

func preferencesPage(v notify.PreferencesView, chosen map[notify.Kind]notify.Channel) *PreferencesPage {
	p := &PreferencesPage{Base: Base{Title: "Email settings", Section: "account"}, Version: v.Version}
	for _, item := range v.Items {
		row := PreferenceRow{ID: "channel-" + string(item.Kind), Legend: "Tell me when " + item.Label, Who: "Sent to: " + lowerFirst(item.Who) + "."}
		if item.Security {
			p.Security = append(p.Security, row)
			continue
		}
		current := item.Channel
		if ch, ok := chosen[item.Kind]; ok {
			current = ch
		}
		for _, o := range channelChoices {
			o.Checked = o.Value == string(current)
			row.Options = append(row.Options, o)
		}
		p.Kinds = append(p.Kinds, row)
	}
	return p
}

func (h *Handler) saveNotificationPreferences(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	ctx := c.Request().Context()
	version, err := strconv.ParseInt(c.FormValue("version"), 10, 64)
	if err != nil || version < 0 {
		version = -1 // a form we did not make: refused as out of date
	}
	in := notify.PreferencesInput{Channels: map[notify.Kind]notify.Channel{}}
	for _, k := range notify.Kinds() {
		if v := c.FormValue("channel-" + string(k)); v != "" {
			in.Channels[k] = notify.Channel(v)
		}
	}
	_, err = h.notify.SetPreferences(ctx, version, in)
	if errs, ok := formErrors(err, fieldSpecs{"": {ID: "channel-" + string(notify.Kinds()[0])}}, func(field string) (fieldSpec, bool) {
		return fieldSpec{ID: "channel-" + field[len("channels."):], Label: "Your choice"}, len(field) > len("channels.")
	}); ok {
		v, perr := h.notify.Preferences(ctx)
		if perr != nil {
			return perr
		}
		p := preferencesPage(v, in.Channels)
		p.Errors = errs
		return h.render(c, http.StatusUnprocessableEntity, p)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, withDone("/account/notifications", "preferences-saved"))
}
