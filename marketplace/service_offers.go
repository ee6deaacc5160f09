package marketplace

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/marketplace/outcode"
)

// OfferQuery selects offers from the store.
type OfferQuery struct {
	Kind          Kind
	Category      string
	Outcode       string // at this outward code or serving it
	BudgetForm    BudgetForm
	ProviderID    string
	Statuses      []Status // empty means published only
	ExcludeOrgIDs []string // providers whose offers must not appear (suspended ones)
	After         *Cursor  // start after this position in newest-first order
	Limit         int
}

// Cursor is a position in the newest-first order of offers.
type Cursor struct {
	CreatedAt time.Time
	ID        string
}

// OfferFilter is what a caller may ask of the offer list.
type OfferFilter struct {
	Kind       Kind
	Category   string
	Outcode    string
	BudgetForm BudgetForm
	ProviderID string
	Status     Status // only for the provider's own members and administrators
	Cursor     string
	Limit      int
}

// Page is one page of a list, with the cursor of the next page ("" on the last).
type Page[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor,omitempty"`
}

// DefaultLimit and MaxLimit bound list pages.
const (
	DefaultLimit = 20
	MaxLimit     = 100
)

// CreateOffer creates an offer, as a draft, for a provider the caller is a member of.
func (s *Service) CreateOffer(ctx context.Context, providerID string, in OfferInput) (Offer, error) {
	actor := account.ActorFrom(ctx)
	if err := actor.RequireUser(); err != nil {
		return Offer{}, err
	}
	org, err := s.providerOrg(ctx, providerID)
	if err != nil {
		return Offer{}, err
	}
	if !actor.MemberOf(org.ID) {
		return Offer{}, apperr.Forbiddenf("Only members of %s can add offers for it.", org.Name)
	}
	if org.Suspended() {
		return Offer{}, errSuspended(org)
	}
	in.Normalize()
	if err := in.Validate(); err != nil {
		return Offer{}, err
	}
	now := s.now()
	o := Offer{ID: s.newID(), ProviderID: org.ID, Status: StatusDraft, Version: 1, CreatedAt: now, UpdatedAt: now}
	o.apply(in)
	if err := s.store.CreateOffer(ctx, &o); err != nil {
		return Offer{}, fmt.Errorf("create offer: %w", err)
	}
	return o, nil
}

// Offer returns an offer the caller may see: a published offer of an active provider to
// anyone; any offer to its provider's members and to administrators. Others get NotFound,
// so unpublished offers cannot be discovered.
func (s *Service) Offer(ctx context.Context, id string) (Offer, error) {
	if !ValidID(id) {
		return Offer{}, apperr.NotFoundf("offer")
	}
	o, err := s.store.Offer(ctx, id)
	if err != nil {
		return Offer{}, err
	}
	if s.canManage(ctx, o.ProviderID) {
		return o, nil
	}
	if !o.Visible() {
		return Offer{}, apperr.NotFoundf("offer")
	}
	org, err := s.dir.Organisation(ctx, o.ProviderID)
	if err != nil || org.Suspended() {
		return Offer{}, apperr.NotFoundf("offer")
	}
	return o, nil
}

// ReplaceOffer replaces an offer's content if it is still at version (If-Match).
func (s *Service) ReplaceOffer(ctx context.Context, id string, version int64, in OfferInput) (Offer, error) {
	o, err := s.offerToManage(ctx, id, false)
	if err != nil {
		return Offer{}, err
	}
	if err := s.refuseIfSuspended(ctx, o.ProviderID); err != nil {
		return Offer{}, err
	}
	if o.Status == StatusArchived {
		return Offer{}, apperr.Conflictf("offer-archived", "This offer is archived and can no longer be changed.")
	}
	if o.Version != version {
		return Offer{}, apperr.ErrVersionMismatch
	}
	in.Normalize()
	if err := in.Validate(); err != nil {
		return Offer{}, err
	}
	o.apply(in)
	return o, s.save(ctx, &o)
}

// transitions lists, for each status an offer may move to, the statuses it may come from.
var transitions = map[Status][]Status{
	StatusPublished: {StatusDraft, StatusPaused},
	StatusPaused:    {StatusPublished},
	StatusArchived:  {StatusDraft, StatusPublished, StatusPaused},
}

// SetOfferStatus publishes, pauses or archives an offer. version 0 skips the If-Match check.
//
// Administrators may pause or archive any offer (to act on a safeguarding report without
// suspending the whole provider), but only the provider's members publish.
func (s *Service) SetOfferStatus(ctx context.Context, id string, to Status, version int64) (Offer, error) {
	o, err := s.offerToManage(ctx, id, to != StatusPublished)
	if err != nil {
		return Offer{}, err
	}
	if version != 0 && o.Version != version {
		return Offer{}, apperr.ErrVersionMismatch
	}
	if o.Status == to {
		return o, nil // repeating a transition is harmless
	}
	from, ok := transitions[to]
	if !ok || !slices.Contains(from, o.Status) {
		return Offer{}, apperr.Conflictf("offer-status", "An offer that is %s cannot be made %s.", o.Status, to)
	}
	if to == StatusPublished {
		org, err := s.dir.Organisation(ctx, o.ProviderID)
		if err != nil {
			return Offer{}, err
		}
		if org.Suspended() {
			return Offer{}, errSuspended(org)
		}
		if o.PublishedAt == nil {
			now := s.now()
			o.PublishedAt = &now
		}
	}
	o.Status = to
	return o, s.save(ctx, &o)
}

func (s *Service) save(ctx context.Context, o *Offer) error {
	expect := o.Version
	o.Version++
	o.UpdatedAt = s.now()
	if err := s.store.UpdateOffer(ctx, o, expect); err != nil {
		return fmt.Errorf("update offer %s: %w", o.ID, err)
	}
	return nil
}

// offerToManage returns an offer the caller may change: members of its provider, and
// administrators when adminMay is set.
func (s *Service) offerToManage(ctx context.Context, id string, adminMay bool) (Offer, error) {
	actor := account.ActorFrom(ctx)
	if err := actor.RequireUser(); err != nil {
		return Offer{}, err
	}
	o, err := s.Offer(ctx, id)
	if err != nil {
		return Offer{}, err
	}
	if !actor.MemberOf(o.ProviderID) && !(adminMay && actor.IsAdmin()) {
		return Offer{}, apperr.Forbiddenf("Only members of the provider can change this offer.")
	}
	return o, nil
}

// refuseIfSuspended stops a suspended provider's members from writing content that
// would go live, unreviewed, when the provider is reinstated.
func (s *Service) refuseIfSuspended(ctx context.Context, providerID string) error {
	org, err := s.dir.Organisation(ctx, providerID)
	if err != nil {
		return err
	}
	if org.Suspended() {
		return errSuspended(org)
	}
	return nil
}

func errSuspended(org account.Organisation) error {
	return apperr.Conflictf("provider-suspended", "%s is suspended, so its offers and profile cannot be changed or published.", org.Name)
}

// canManage reports whether the caller may see everything of a provider's offers.
func (s *Service) canManage(ctx context.Context, providerID string) bool {
	a := account.ActorFrom(ctx)
	return a.IsAdmin() || a.MemberOf(providerID)
}

func (s *Service) providerOrg(ctx context.Context, id string) (account.Organisation, error) {
	if !ValidID(id) {
		return account.Organisation{}, apperr.NotFoundf("provider")
	}
	org, err := s.dir.Organisation(ctx, id)
	// A suspended provider is hidden from everyone but its members and administrators, so
	// that no answer reveals that it exists.
	if apperr.Is(err, apperr.NotFound) || (err == nil && (!isProvider(org) || org.Suspended() && !s.canManage(ctx, id))) {
		return account.Organisation{}, apperr.NotFoundf("provider")
	}
	return org, err
}

func isProvider(org account.Organisation) bool {
	for _, k := range org.Kinds {
		if k.IsProvider() {
			return true
		}
	}
	return false
}

// apply writes the input over the offer and derives the place from the postcode or the
// first area served.
func (o *Offer) apply(in OfferInput) {
	o.Kind, o.Title, o.Description = in.Kind, in.Title, in.Description
	o.Categories, o.When, o.Price = in.Categories, in.When, in.Price
	o.BudgetForms, o.Accessibility, o.Languages = in.BudgetForms, in.Accessibility, in.Languages
	o.Where = Where{Mode: in.Where.Mode, Address: in.Where.Address, AreasServed: in.Where.AreasServed}
	code := ""
	if in.Where.Address != nil {
		code, _ = outcode.Normalize(in.Where.Address.Postcode)
	} else if len(in.Where.AreasServed) > 0 {
		code = in.Where.AreasServed[0]
	}
	if p, ok := outcode.Lookup(code); ok {
		o.Where.Outcode, o.Where.Lat, o.Where.Lng = p.Code, p.Lat, p.Lng
	}
	if o.Categories == nil {
		o.Categories = []string{}
	}
}
