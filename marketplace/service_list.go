package marketplace

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace/outcode"
)

// Offers lists offers newest first, a page at a time. The public sees published offers of
// active providers; a provider's members (and administrators) may also list that
// provider's offers of another status.
func (s *Service) Offers(ctx context.Context, f OfferFilter) (Page[Offer], error) {
	q, err := s.offerQuery(ctx, f)
	if err != nil {
		return Page[Offer]{}, err
	}
	q.Limit++ // one more than asked tells whether there is a next page
	items, err := s.store.Offers(ctx, q)
	if err != nil {
		return Page[Offer]{}, fmt.Errorf("list offers: %w", err)
	}
	page := Page[Offer]{Items: items}
	if len(items) == q.Limit {
		page.Items = items[:q.Limit-1]
		last := page.Items[len(page.Items)-1]
		page.NextCursor = encodeCursor(Cursor{CreatedAt: last.CreatedAt, ID: last.ID})
	}
	return page, nil
}

func (s *Service) offerQuery(ctx context.Context, f OfferFilter) (OfferQuery, error) {
	var fe apperr.Fields
	q := OfferQuery{Kind: f.Kind, Category: f.Category, BudgetForm: f.BudgetForm, ProviderID: f.ProviderID, Limit: f.Limit}
	if f.Kind != "" && !known(Kinds, string(f.Kind)) {
		fe.Add("kind", "must be one of service, personal_assistant or community_activity")
	}
	if f.Category != "" && !known(Categories, f.Category) {
		fe.Add("category", "is not a category we know")
	}
	if f.BudgetForm != "" && !known(BudgetForms, string(f.BudgetForm)) {
		fe.Add("budget_form", "is not a form of personal budget")
	}
	if f.Outcode != "" {
		code, ok := outcode.Normalize(f.Outcode)
		if !ok || strings.ContainsRune(strings.TrimSpace(f.Outcode), ' ') {
			fe.Add("outcode", "is not a postcode area we know; use the first half of a postcode, such as LS6")
		}
		q.Outcode = code
	}
	if f.ProviderID != "" && !ValidID(f.ProviderID) {
		fe.Add("provider_id", "is not a provider id")
	}
	switch {
	case f.Limit == 0:
		q.Limit = DefaultLimit
	case f.Limit < 1 || f.Limit > MaxLimit:
		fe.Add("limit", "must be between 1 and %d", MaxLimit)
	}
	if f.Cursor != "" {
		c, err := decodeCursor(f.Cursor)
		if err != nil {
			fe.Add("cursor", "is not a cursor we gave you; start again from the first page")
		}
		q.After = &c
	}
	if f.Status != "" {
		if !known(statusTerms, string(f.Status)) {
			fe.Add("status", "must be draft, published, paused or archived")
		} else if f.ProviderID == "" || !s.canManage(ctx, f.ProviderID) {
			fe.Add("status", "can only be used by the provider's own members, together with provider_id")
		}
		q.Statuses = []Status{f.Status}
	}
	if err := fe.Err(); err != nil {
		return OfferQuery{}, err
	}
	if f.ProviderID == "" || !s.canManage(ctx, f.ProviderID) {
		suspended, err := s.dir.SuspendedOrganisationIDs(ctx)
		if err != nil {
			return OfferQuery{}, fmt.Errorf("list suspended providers: %w", err)
		}
		q.ExcludeOrgIDs = suspended
	}
	return q, nil
}

var statusTerms = []Term{{Slug: "draft"}, {Slug: "published"}, {Slug: "paused"}, {Slug: "archived"}}

// Cursors are opaque to clients: base64url of "unix-milliseconds|id".
func encodeCursor(c Cursor) string {
	return base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "%d|%s", c.CreatedAt.UnixMilli(), c.ID))
}

func decodeCursor(s string) (Cursor, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return Cursor{}, err
	}
	var ms int64
	var id string
	before, after, ok := strings.Cut(string(b), "|")
	if !ok {
		return Cursor{}, fmt.Errorf("no separator")
	}
	if _, err := fmt.Sscan(before, &ms); err != nil {
		return Cursor{}, err
	}
	id = after
	if !ValidID(id) {
		return Cursor{}, fmt.Errorf("bad id")
	}
	return Cursor{CreatedAt: time.UnixMilli(ms).UTC(), ID: id}, nil
}
