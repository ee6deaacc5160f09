package pooling

import (
	"context"
	"fmt"
	"strings"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
)

// AddBudget records one of a budget holder's budgets (not an ISF: see OpenISFAccount).
// The holder records their own; so may a representative whose delegation fits the form,
// and, for the budget they hold, a council's commissioner or a trust's or brokerage's
// members.
func (s *Service) AddBudget(ctx context.Context, in BudgetInput) (Budget, error) {
	a := account.ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return Budget{}, err
	}
	in.Normalize()
	if in.HolderID == "" {
		in.HolderID = a.UserID
	}
	if err := in.Validate(); err != nil {
		return Budget{}, err
	}
	b := Budget{ID: s.cfg.NewID(), HolderID: in.HolderID, Form: in.Form, HolderOrgID: in.HolderOrgID, Label: in.Label,
		IndicativePence: in.IndicativePence, ActualPence: in.ActualPence, PeriodStart: in.PeriodStart,
		PeriodEnd: in.PeriodEnd, CreatedBy: a.UserID, CreatedAt: s.now()}
	if b.HolderOrgID != "" {
		org, err := s.dir.Organisation(ctx, b.HolderOrgID)
		if apperr.Is(err, apperr.NotFound) || (err == nil && !org.HasKind(account.OrgKind(holderOrgKind[b.Form]))) {
			var f apperr.Fields
			f.Add("holder_org_id", "must be the %s that holds this budget", strings.ReplaceAll(holderOrgKind[b.Form], "_", " "))
			return Budget{}, f.Err()
		}
		if err != nil {
			return Budget{}, fmt.Errorf("add budget: %w", err)
		}
	}
	ok, err := s.actsFor(ctx, a, b)
	if err != nil {
		return Budget{}, err
	}
	switch b.Form {
	case marketplace.CouncilManaged:
		ok = ok || a.CanActFor(b.HolderOrgID, account.RoleCommissioner)
	case marketplace.TrustFund, marketplace.BrokeredFund:
		ok = ok || a.CanActFor(b.HolderOrgID, account.RoleOwner, account.RoleMember)
	}
	if !ok {
		return Budget{}, apperr.Forbiddenf("You can record budgets for yourself, or for someone you act for.")
	}
	if err := s.store.CreateBudget(ctx, b); err != nil {
		return Budget{}, fmt.Errorf("add budget: %w", err)
	}
	return b, nil
}

// OpenISFAccount opens an individual service fund for a person, held by an ISF
// provider the caller acts for: the person gets an isf budget, and the allocation is
// posted to the ledger. key is the Idempotency-Key.
func (s *Service) OpenISFAccount(ctx context.Context, providerID string, in ISFInput, key string) (ISFAccount, error) {
	a := account.ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return ISFAccount{}, err
	}
	in.Normalize()
	if err := in.Validate(); err != nil {
		return ISFAccount{}, err
	}
	if err := s.requireISFProvider(ctx, a, providerID); err != nil {
		return ISFAccount{}, err
	}
	id := s.cfg.NewID()
	req := struct {
		ProviderID string
		In         ISFInput
	}{providerID, in}
	ref, err := s.once(ctx, key, "open-isf", req, func(ctx context.Context) (string, error) {
		now := s.now()
		b := Budget{ID: id, HolderID: in.HolderID, Form: marketplace.ISF, HolderOrgID: providerID, Label: in.Label,
			ActualPence: in.AllocatedPence, PeriodStart: in.PeriodStart, PeriodEnd: in.PeriodEnd, CreatedBy: a.UserID, CreatedAt: now}
		acc := ISFAccount{ID: id, ProviderID: providerID, HolderID: in.HolderID, AllocatedPence: in.AllocatedPence,
			PeriodStart: in.PeriodStart, PeriodEnd: in.PeriodEnd, AvailablePence: in.AllocatedPence, Version: 1,
			CreatedAt: now, UpdatedAt: now}
		if err := s.store.CreateBudget(ctx, b); err != nil {
			return "", err
		}
		if err := s.store.CreateISFAccount(ctx, acc); err != nil {
			return "", err
		}
		return id, s.postAllocation(ctx, acc, in.AllocatedPence, a.UserID, "ISF account opened")
	})
	if err != nil {
		return ISFAccount{}, wrap(err, "open ISF account")
	}
	return s.store.ISFAccount(ctx, ref)
}

// AdjustISFAllocation changes an ISF account's allocation by deltaPence (for a new
// period, or a reassessment), for its provider's members. A reduction can never take
// the balance below zero: what is committed stays committed. key is the Idempotency-Key.
func (s *Service) AdjustISFAllocation(ctx context.Context, isfID string, deltaPence int64, reason, key string) (ISFAccount, error) {
	a := account.ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return ISFAccount{}, err
	}
	if deltaPence == 0 || deltaPence > MaxBudgetPence || deltaPence < -MaxBudgetPence {
		var f apperr.Fields
		f.Add("delta_pence", "must be a non-zero change of at most %s", Pounds(MaxBudgetPence))
		return ISFAccount{}, f.Err()
	}
	acc, err := s.isfToManage(ctx, a, isfID)
	if err != nil {
		return ISFAccount{}, err
	}
	reason = strings.TrimSpace(reason)
	req := struct {
		ID, Reason string
		Delta      int64
	}{isfID, reason, deltaPence}
	_, err = s.once(ctx, key, "adjust-isf", req, func(ctx context.Context) (string, error) {
		updated, err := s.store.MoveISF(ctx, acc.ID, ISFDelta{Allocated: deltaPence, Available: deltaPence}, s.now())
		if err != nil {
			return "", err
		}
		return acc.ID, s.postAllocation(ctx, updated, deltaPence, a.UserID, "allocation changed: "+reason)
	})
	if err != nil {
		return ISFAccount{}, wrap(err, "adjust ISF account %s", isfID)
	}
	return s.store.ISFAccount(ctx, acc.ID)
}

// postAllocation records an ISF's funding, keyed by the account's version.
func (s *Service) postAllocation(ctx context.Context, acc ISFAccount, delta int64, by, memo string) error {
	source := "isf:" + acc.ID
	e := Entry{ID: entryID(), Key: fmt.Sprintf("%s@%d", source, acc.Version), Op: OpAllocate, ProviderID: acc.ProviderID,
		By: by, OnBehalfOf: acc.HolderID, At: s.now(), Memo: memo, Lines: []Line{
			{Account: AllocationAccount(acc.ID), AmountPence: -delta, Source: source},
			{Account: FundsAccount(source), AmountPence: delta, Source: source},
		}}
	return s.store.Post(ctx, e)
}

// ISFAccounts lists the ISF accounts a provider holds, for its members.
func (s *Service) ISFAccounts(ctx context.Context, providerID string) ([]ISFAccount, error) {
	a := account.ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return nil, err
	}
	if !a.IsAdmin() && !a.CanActFor(providerID, account.RoleOwner, account.RoleMember) {
		return nil, apperr.Forbiddenf("Only the ISF provider's members can see the funds it holds.")
	}
	return s.store.ISFAccountsOf(ctx, providerID)
}

func (s *Service) requireISFProvider(ctx context.Context, a *account.Actor, providerID string) error {
	if !a.CanActFor(providerID, account.RoleOwner, account.RoleMember) {
		return apperr.Forbiddenf("Only the ISF provider's members can open its ISF accounts.")
	}
	org, err := s.dir.Organisation(ctx, providerID)
	if err != nil {
		return fmt.Errorf("ISF provider %s: %w", providerID, err)
	}
	if !org.HasKind(account.KindISFProvider) {
		return apperr.Forbiddenf("%s is not an ISF provider, so it cannot hold individual service funds.", org.Name)
	}
	return nil
}

// isfToManage returns an ISF account whose provider the caller acts for.
func (s *Service) isfToManage(ctx context.Context, a *account.Actor, id string) (ISFAccount, error) {
	if !marketplace.ValidID(id) {
		return ISFAccount{}, ErrISFAccountNotFound
	}
	acc, err := s.store.ISFAccount(ctx, id)
	if err != nil {
		return ISFAccount{}, wrap(err, "ISF account %s", id)
	}
	if !a.CanActFor(acc.ProviderID, account.RoleOwner, account.RoleMember) {
		return ISFAccount{}, ErrISFAccountNotFound
	}
	return acc, nil
}
