package marketplace

import (
	"context"
	"fmt"
	"slices"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/marketplace/outcode"
)

// ProviderQuery selects provider profiles from the store.
type ProviderQuery struct {
	Outcode string // serving this outward code
	AfterID string
	Limit   int
}

// ProviderFilter is what a caller may ask of the provider list.
type ProviderFilter struct {
	Outcode string
	Cursor  string // the id of the last provider of the previous page
	Limit   int
}

// Provider returns a provider's public profile. A provider organisation that has not
// written its profile yet has an empty one. Suspended providers are hidden from everyone
// but their members and administrators.
func (s *Service) Provider(ctx context.Context, id string) (Provider, error) {
	org, err := s.providerOrg(ctx, id)
	if err != nil {
		return Provider{}, err
	}
	if org.Suspended() && !s.canManage(ctx, id) {
		return Provider{}, apperr.NotFoundf("provider")
	}
	p, err := s.store.Provider(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		p = Provider{ID: id, AreasServed: []string{}, Languages: []string{}}
	} else if err != nil {
		return Provider{}, fmt.Errorf("load provider %s: %w", id, err)
	}
	withOrg(&p, org)
	return p, nil
}

func withOrg(p *Provider, org account.Organisation) {
	p.Name, p.Active, p.Kinds = org.Name, !org.Suspended(), []string{}
	if p.VATStatus == "" {
		p.VATStatus = "not_registered" // profiles written before providers could say
	}
	for _, k := range org.Kinds {
		if k.IsProvider() {
			p.Kinds = append(p.Kinds, string(k))
		}
	}
}

// UpdateProvider writes a provider's profile. Members of the provider may do so; the
// version is the one the caller last read (0 when there is no profile yet).
func (s *Service) UpdateProvider(ctx context.Context, id string, version int64, in ProviderInput) (Provider, error) {
	actor := account.ActorFrom(ctx)
	if err := actor.RequireUser(); err != nil {
		return Provider{}, err
	}
	p, err := s.Provider(ctx, id)
	if err != nil {
		return Provider{}, err
	}
	if !actor.MemberOf(id) {
		return Provider{}, apperr.Forbiddenf("Only members of %s can change its profile.", p.Name)
	}
	if !p.Active {
		return Provider{}, apperr.Conflictf("provider-suspended", "%s is suspended, so its offers and profile cannot be changed or published.", p.Name)
	}
	if p.Version != version {
		return Provider{}, apperr.ErrVersionMismatch
	}
	in.Normalize()
	if err := in.Validate(); err != nil {
		return Provider{}, err
	}
	p.apply(in)
	return p, s.saveProvider(ctx, &p)
}

// VerifyProvider records which of a provider's stated checks an administrator verified.
func (s *Service) VerifyProvider(ctx context.Context, id string, in VerificationInput) (Provider, error) {
	actor := account.ActorFrom(ctx)
	if err := actor.RequireUser(); err != nil {
		return Provider{}, err
	}
	if !actor.IsAdmin() {
		return Provider{}, apperr.Forbiddenf("Only platform administrators can verify providers.")
	}
	p, err := s.Provider(ctx, id)
	if err != nil {
		return Provider{}, err
	}
	if p.Version == 0 {
		// Saving here would publish an empty profile in the provider list.
		return Provider{}, apperr.Conflictf("profile-missing", "%s has not written its profile yet, so there is nothing to verify.", p.Name)
	}
	if err := in.check(p.Verification); err != nil {
		return Provider{}, err
	}
	now := s.now()
	v := &p.Verification
	v.DBSVerified, v.InsuranceVerified, v.CQCVerified = in.DBS, in.Insurance, in.CQC
	v.VerifiedBy, v.VerifiedAt = actor.UserID, &now
	return p, s.saveProvider(ctx, &p)
}

func (s *Service) saveProvider(ctx context.Context, p *Provider) error {
	expect := p.Version
	p.Version++
	p.UpdatedAt = s.now()
	if err := s.store.SaveProvider(ctx, p, expect); err != nil {
		return fmt.Errorf("save provider %s: %w", p.ID, err)
	}
	return nil
}

// Providers lists active providers that have written a profile, by id, a page at a time.
func (s *Service) Providers(ctx context.Context, f ProviderFilter) (Page[Provider], error) {
	var fe apperr.Fields
	q := ProviderQuery{AfterID: f.Cursor, Limit: f.Limit}
	if f.Outcode != "" {
		code, ok := outcode.Normalize(f.Outcode)
		if !ok {
			fe.Add("outcode", "is not a postcode area we know; use the first half of a postcode, such as LS6")
		}
		q.Outcode = code
	}
	if f.Cursor != "" && !ValidID(f.Cursor) {
		fe.Add("cursor", "is not a cursor we gave you; start again from the first page")
	}
	switch {
	case f.Limit == 0:
		q.Limit = DefaultLimit
	case f.Limit < 1 || f.Limit > MaxLimit:
		fe.Add("limit", "must be between 1 and %d", MaxLimit)
	}
	if err := fe.Err(); err != nil {
		return Page[Provider]{}, err
	}
	suspended, err := s.dir.SuspendedOrganisationIDs(ctx)
	if err != nil {
		return Page[Provider]{}, err
	}
	page := Page[Provider]{Items: []Provider{}}
	for len(page.Items) < q.Limit {
		batch, err := s.store.Providers(ctx, q)
		if err != nil {
			return Page[Provider]{}, fmt.Errorf("list providers: %w", err)
		}
		for _, p := range batch {
			q.AfterID = p.ID
			if slices.Contains(suspended, p.ID) || len(page.Items) == q.Limit {
				continue
			}
			org, err := s.dir.Organisation(ctx, p.ID)
			if err != nil {
				return Page[Provider]{}, fmt.Errorf("provider %s: %w", p.ID, err)
			}
			withOrg(&p, org)
			page.Items = append(page.Items, p)
		}
		if len(batch) < q.Limit {
			return page, nil
		}
	}
	page.NextCursor = page.Items[len(page.Items)-1].ID
	return page, nil
}
