package frontend

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/pooling"
	"github.com/carepool/carepool/search"
)

// Proposing a pool, in two steps: choose the activity (your own organisation's group
// offers, or find one), then say who organises it, who it is for, how big the group is
// and when. It is saved as a draft, which the organiser opens when ready.

// poolable reports whether an offer can be pooled: a published group offer, or a
// personal assistant whose time can be shared.
func poolable(o marketplace.Offer) bool {
	if o.Status != marketplace.StatusPublished {
		return false
	}
	if o.Price.Unit == marketplace.GroupSession && o.Price.Group != nil {
		return true
	}
	return o.Kind == marketplace.KindPersonalAssistant && (o.Price.Unit == marketplace.PerHour || o.Price.Unit == marketplace.PerSession)
}

func (h *Handler) proposeForm(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	if _, err := h.organising(); err != nil {
		return err
	}
	ctx := c.Request().Context()
	if id := c.QueryParam("offer"); id != "" {
		o, err := h.market.Offer(ctx, id)
		if err != nil {
			return err
		}
		if poolable(o) {
			p, err := h.proposePage(c, o, proposeRaw{Visibility: string(pooling.Public)}, nil)
			if err != nil {
				return err
			}
			return h.render(c, http.StatusOK, p)
		}
		p, err := h.findOfferPage(c, c.QueryParam("q"))
		if err != nil {
			return err
		}
		p.Errors = FormErrors{{ID: "q", Message: "“" + o.Title + "” cannot be pooled: it has no price for a group. Choose another activity"}}
		return h.render(c, http.StatusUnprocessableEntity, p)
	}
	p, err := h.findOfferPage(c, strings.TrimSpace(c.QueryParam("q")))
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, p)
}

// findOfferPage is the first step: the caller's own group offers, and those that match
// the words they searched for.
func (h *Handler) findOfferPage(c echo.Context, q string) (*ProposeFindPage, error) {
	ctx := c.Request().Context()
	p := &ProposeFindPage{Base: Base{Title: "Propose a pool", Section: "dashboard", Terms: terms("pool", "pa")}, Query: q}
	for _, m := range providerOrgs(actor(c)) {
		page, err := h.market.Offers(ctx, marketplace.OfferFilter{ProviderID: m.OrgID, Status: marketplace.StatusPublished, Limit: marketplace.MaxLimit})
		if err != nil {
			return nil, err
		}
		for _, o := range page.Items {
			if poolable(o) {
				p.Own = append(p.Own, Option{Value: o.ID, Label: o.Title, Hint: m.OrgName + ". " + priceSummary(o.Price)})
			}
		}
	}
	if q != "" {
		found, err := h.findPoolable(ctx, q)
		if err != nil {
			return nil, err
		}
		p.Found, p.Searched = found, true
	}
	return p, nil
}

// findPoolable finds up to 20 poolable offers matching q: with the search index when
// there is one, otherwise among the newest published offers by their titles.
func (h *Handler) findPoolable(ctx context.Context, q string) ([]Option, error) {
	var out []Option
	if h.search != nil {
		res, err := h.search.Search(ctx, search.Query{Text: q, Literal: true, PageSize: 50,
			Filter: search.Filter{Types: []string{search.TypeOffer}}})
		if err != nil {
			return nil, err
		}
		for _, hit := range res.Hits {
			d := hit.Document
			pooled := d.PriceUnit == string(marketplace.GroupSession) ||
				(d.Kind == string(marketplace.KindPersonalAssistant) && (d.PriceUnit == string(marketplace.PerHour) || d.PriceUnit == string(marketplace.PerSession)))
			if pooled && len(out) < 20 {
				out = append(out, Option{Value: d.ID, Label: d.Title, Hint: d.ProviderName + ". " + hitPrice(d.PricePence, d.PriceUnit)})
			}
		}
		return out, nil
	}
	page, err := h.market.Offers(ctx, marketplace.OfferFilter{Limit: marketplace.MaxLimit})
	if err != nil {
		return nil, err
	}
	words := strings.ToLower(q)
	for _, o := range page.Items {
		if poolable(o) && strings.Contains(strings.ToLower(o.Title), words) && len(out) < 20 {
			out = append(out, Option{Value: o.ID, Label: o.Title, Hint: priceSummary(o.Price)})
		}
	}
	return out, nil
}

// organiserOptions are who may organise a pool on the offer: the caller's user-led
// organisations, the offer's provider if the caller belongs to it, and the caller as a
// budget holder.
func organiserOptions(a *account.Actor, o marketplace.Offer, chosen string) []Option {
	var out []Option
	for _, m := range a.Memberships {
		if !a.CanActFor(m.OrgID, account.RoleOwner, account.RoleMember) {
			continue
		}
		switch {
		case slices.Contains(m.OrgKinds, account.KindUserLedOrganisation):
			out = append(out, Option{Value: m.OrgID, Label: m.OrgName, Hint: "Your user-led organisation: all its members can run the pool."})
		case m.OrgID == o.ProviderID:
			out = append(out, Option{Value: m.OrgID, Label: m.OrgName, Hint: "The provider of this activity: all its members can run the pool."})
		}
	}
	out = append(out, Option{Value: "me", Label: "Me, as a budget holder", Hint: "You need a personal budget recorded on Carepool."})
	for i := range out {
		out[i].Checked = out[i].Value == chosen || (len(out) == 1 && chosen == "")
	}
	return out
}

var visibilityOptions = []Option{
	{Value: string(pooling.Public), Label: "Anyone", Hint: "It is listed on Carepool and anyone can find it and join."},
	{Value: string(pooling.InviteOnly), Label: "Only people I invite", Hint: "Only people with its invite link can see it and join. You get the link once it is saved."},
}

var repeatOptions = []Option{
	{Value: "7", Label: "Every week"},
	{Value: "14", Label: "Every 2 weeks"},
	{Value: "28", Label: "Every 4 weeks"},
}

func (h *Handler) proposePage(c echo.Context, o marketplace.Offer, raw proposeRaw, errs FormErrors) (*ProposePoolPage, error) {
	p := &ProposePoolPage{Base: Base{Title: "Propose a pool", Section: "dashboard", Errors: errs, Terms: terms("pool", "ulo", "pa")},
		Action: "/dashboard/pools", Form: raw,
		Offer: ProposeOffer{ID: o.ID, Title: o.Title, URL: "/offers/" + url.PathEscape(o.ID), Price: priceSummary(o.Price),
			SharedPA: o.Price.Unit != marketplace.GroupSession}}
	if g := o.Price.Group; g != nil {
		p.Offer.MinPeople, p.Offer.MaxPeople = g.MinPeople, g.MaxPeople
	} else {
		p.Offer.MinPeople, p.Offer.MaxPeople = 2, pooling.MaxSharedPAPeople
	}
	if prov, err := h.market.Provider(c.Request().Context(), o.ProviderID); err == nil {
		p.Offer.Provider = prov.Name
	} else if !apperr.Is(err, apperr.NotFound) {
		return nil, err
	}
	p.Organisers = organiserOptions(actor(c), o, raw.Organiser)
	p.Visibility = checkedOptions(visibilityOptions, raw.Visibility)
	p.Repeat = checkedOptions(repeatOptions, raw.EveryDays)
	p.Deadline = dateInput("deadline", "Deadline to join", "The pool closes at the end of this day. For example, 27 3 2026.", raw.Deadline, errs)
	p.First = dateInput("first", "Date of the first session", "It must be after the deadline. For example, 3 4 2026.", raw.First, errs)
	return p, nil
}

// checkedOptions copies options with the one whose value is chosen checked.
func checkedOptions(opts []Option, chosen string) []Option {
	out := slices.Clone(opts)
	for i := range out {
		out[i].Checked = out[i].Value == chosen
	}
	return out
}

func (h *Handler) propose(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	org, err := h.organising()
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	o, err := h.market.Offer(ctx, form.Get("offer"))
	if err != nil {
		return err
	}
	raw := proposeRawFrom(form)
	in, errs := raw.input(o.ID)
	if !poolable(o) {
		errs = errs.add("offer", "This activity cannot be pooled: it has no price for a group")
	}
	var v pooling.PoolView
	if len(errs) > 0 {
		// Check the rest too, so every mistake is listed at once.
		in.Normalize()
		err = in.Validate()
	} else {
		v, err = org.ProposePool(ctx, in)
	}
	if e, ok := apperr.As(err); ok && e.Kind == apperr.Forbidden {
		errs = errs.add("organiser", upperFirst(strings.TrimSuffix(e.Message, ".")))
		err = nil
	}
	if fe, ok := formErrors(err, proposeFields, nil); ok {
		for _, f := range fe {
			errs = errs.add(f.ID, f.Message)
		}
		err = nil
	}
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		p, err := h.proposePage(c, o, raw, inFormOrder(errs, proposeOrder))
		if err != nil {
			return err
		}
		return h.render(c, http.StatusUnprocessableEntity, p)
	}
	return c.Redirect(http.StatusSeeOther, "/dashboard/pools?done=pool-proposed#pool-"+v.ID)
}

// inFormOrder sorts errors in the order of the form's fields, so the summary reads
// from the top of the form down.
func inFormOrder(errs FormErrors, order []string) FormErrors {
	out := slices.Clone(errs)
	slices.SortStableFunc(out, func(a, b FieldError) int {
		ia, ib := slices.Index(order, a.ID), slices.Index(order, b.ID)
		if ia < 0 {
			ia = len(order)
		}
		if ib < 0 {
			ib = len(order)
		}
		return ia - ib
	})
	return out
}
