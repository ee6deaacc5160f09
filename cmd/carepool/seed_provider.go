package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
)

// ownerLocal names the owner of the i-th provider of a kind in a town; a few are the
// documented demo accounts.
func ownerLocal(townIndex int, town string, kind account.OrgKind, i int) string {
	if townIndex == 0 && i == 0 {
		switch kind {
		case account.KindCommunityGroup:
			return "provider"
		case account.KindSmallProvider:
			return "other-provider"
		case account.KindISFProvider:
			return "isf"
		case account.KindSoleTraderPA:
			return "pa"
		}
	}
	return fmt.Sprintf("owner.%s.%s.%d", strings.ToLower(town), strings.ReplaceAll(string(kind), "_", "-"), i+1)
}

func (s *seeder) provider(ctx context.Context, townIndex int, t demoTown, kind account.OrgKind, i, offers int, suffixes []string) error {
	first, last := pick(s.rng, demoFirstNames), pick(s.rng, demoLastNames)
	owner, err := s.person(ctx, ownerLocal(townIndex, t.Name, kind, i), first+" "+last)
	if err != nil {
		return err
	}
	hood := t.Neighbourhoods[(i*3+int(kind[0]))%len(t.Neighbourhoods)]
	area := hood.Name
	name := first + " " + last + " (PA)"
	if len(suffixes) > 0 {
		name = area + " " + suffixes[i%len(suffixes)]
	}
	org, ctxOwner, err := s.org(owner, name, kind)
	if err != nil {
		return err
	}
	next := t.Neighbourhoods[(i*3+int(kind[0])+1)%len(t.Neighbourhoods)]
	profile := marketplace.ProviderInput{
		Description: fmt.Sprintf("%s is a small %s based in %s, %s. We are local people supporting local people, and we keep our groups small so everyone is known by name.",
			name, marketplace.Label(providerKindTerms, string(kind)), area, t.Name),
		AreasServed: []string{hood.Outcode, next.Outcode},
		Contact:     marketplace.Contact{Email: "hello." + strings.ToLower(strings.ReplaceAll(org.ID[:8], "-", "")) + "@" + demoDomain, Phone: fmt.Sprintf("0113 496 %04d", 100+s.n.Organisations)},
		Languages:   pick(s.rng, demoLanguages),
	}
	verified := s.rng.IntN(10) < 7
	if verified || s.rng.IntN(2) == 0 {
		profile.DBSCheckedOn = fmt.Sprintf("2026-%02d-%02d", 1+s.rng.IntN(9), 1+s.rng.IntN(28))
		profile.InsuranceExpires = fmt.Sprintf("2027-%02d-%02d", 1+s.rng.IntN(12), 1+s.rng.IntN(28))
	}
	if kind == account.KindSmallProvider || kind == account.KindISFProvider {
		profile.CQCNumber = fmt.Sprintf("1-%09d", 100000000+s.rng.IntN(899999999))
	}
	p, err := s.m.Market.UpdateProvider(ctxOwner, org.ID, 0, profile)
	if err != nil {
		return fmt.Errorf("profile of %s: %w", name, err)
	}
	if verified {
		in := marketplace.VerificationInput{DBS: true, Insurance: true, CQC: p.Verification.CQCNumber != ""}
		if _, err := s.m.Market.VerifyProvider(s.admin, org.ID, in); err != nil {
			return fmt.Errorf("verify %s: %w", name, err)
		}
	}
	for j := range offers {
		if err := s.offer(ctxOwner, org.ID, t.Name, hood, next, kind, j, profile.Languages); err != nil {
			return fmt.Errorf("offer %d of %s: %w", j, name, err)
		}
	}
	return nil
}

var providerKindTerms = []marketplace.Term{
	{Slug: string(account.KindCommunityGroup), Label: "community group"},
	{Slug: string(account.KindSmallProvider), Label: "care and support provider"},
	{Slug: string(account.KindSoleTraderPA), Label: "self-employed personal assistant"},
	{Slug: string(account.KindISFProvider), Label: "provider that holds individual service funds"},
}

func (s *seeder) offer(ctx context.Context, providerID, town string, hood, next neighbourhood, kind account.OrgKind, j int, languages []string) error {
	var tpl offerTemplate
	switch {
	case kind == account.KindSoleTraderPA:
		tpl = paTemplates[j%len(paTemplates)]
	case kind == account.KindCommunityGroup || (kind == account.KindSmallProvider && j >= 3):
		tpl = activityTemplates[s.rng.IntN(len(activityTemplates))]
	default:
		tpl = serviceTemplates[s.rng.IntN(len(serviceTemplates))]
	}
	in := s.offerInput(tpl, town, hood, next, kind, languages)
	o, err := s.m.Market.CreateOffer(ctx, providerID, in)
	if err != nil {
		return err
	}
	s.n.Offers++
	switch roll := s.rng.IntN(30); {
	case roll < 2: // a few drafts stay unpublished
		return nil
	case roll < 3: // and a few are paused
		if o, err = s.m.Market.SetOfferStatus(ctx, o.ID, marketplace.StatusPublished, 0); err != nil {
			return err
		}
		_, err = s.m.Market.SetOfferStatus(ctx, o.ID, marketplace.StatusPaused, 0)
		return err
	}
	_, err = s.m.Market.SetOfferStatus(ctx, o.ID, marketplace.StatusPublished, 0)
	return err
}
