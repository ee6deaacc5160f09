package pooling

import (
	"context"
	"fmt"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
)

// BudgetSummary says, in plain English and in pence, what one budget has committed,
// spent and has left, whichever form it takes. The figures come from the ledger.
type BudgetSummary struct {
	Budget         Budget `json:"budget"`
	Payer          Payer  `json:"payer"`
	CommittedPence int64  `json:"committed_pence"` // set aside for pools: reserved or held
	SpentPence     int64  `json:"spent_pence"`     // paid for sessions delivered
	LeftPence      *int64 `json:"left_pence"`      // unknown (nil) when Carepool does not hold the budget's amount
	Summary        string `json:"summary"`
}

// Budgets lists a budget holder's budgets with what each has committed, spent and has
// left; for the holder, their representatives and administrators.
func (s *Service) Budgets(ctx context.Context, holderID string) ([]BudgetSummary, error) {
	a := account.ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return nil, err
	}
	if holderID == "" {
		holderID = a.UserID
	}
	if holderID != a.UserID && !a.IsAdmin() {
		if ok, err := s.representsHolder(ctx, a, holderID); err != nil || !ok {
			return nil, errOr(err, apperr.Forbiddenf("You can see your own budgets, and those of people you act for."))
		}
	}
	budgets, err := s.store.BudgetsOf(ctx, holderID)
	if err != nil {
		return nil, fmt.Errorf("budgets of %s: %w", holderID, err)
	}
	out := make([]BudgetSummary, 0, len(budgets))
	for _, b := range budgets {
		st, err := s.budgetStatement(ctx, b)
		if err != nil {
			return nil, err
		}
		out = append(out, summarise(b, st, s.payerOf(b)))
	}
	return out, nil
}

// PersonStatement follows all of a budget holder's budgets at once: what is reserved,
// in pools and spent on their behalf, whichever forms pay; for the holder, their
// representatives and administrators. Each row names the budget it concerns.
func (s *Service) PersonStatement(ctx context.Context, holderID string) (Statement, error) {
	a := account.ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return Statement{}, err
	}
	if holderID == "" {
		holderID = a.UserID
	}
	if holderID != a.UserID && !a.IsAdmin() {
		if ok, err := s.representsHolder(ctx, a, holderID); err != nil || !ok {
			return Statement{}, errOr(err, apperr.Forbiddenf("You can see your own statement, and those of people you act for."))
		}
	}
	budgets, err := s.store.BudgetsOf(ctx, holderID)
	if err != nil {
		return Statement{}, fmt.Errorf("budgets of %s: %w", holderID, err)
	}
	sources := map[string]string{} // source → budget id
	var list []string
	for _, b := range budgets {
		sources[b.Source()] = b.ID
		list = append(list, b.Source())
	}
	st := Statement{Subject: "person:" + holderID, Title: "Your budgets", Columns: personColumns, Rows: []StatementRow{},
		Closing: make([]int64, len(personColumns))}
	if len(list) == 0 {
		return st, nil
	}
	entries, err := s.store.Entries(ctx, EntryQuery{Sources: list})
	if err != nil {
		return Statement{}, fmt.Errorf("entries of %s: %w", holderID, err)
	}
	st = buildStatement(st.Subject, st.Title, personColumns, entries, personColumn(sources))
	byID := make(map[string]Entry, len(entries))
	for _, e := range entries {
		byID[e.ID] = e
	}
	for i, r := range st.Rows {
		st.Rows[i].BudgetID = rowBudget(byID[r.EntryID], sources)
	}
	return st, nil
}

// BudgetStatement returns one budget's statement (for an ISF, its ISF account's): for
// its holder, their representatives, the organisation holding it, and administrators.
func (s *Service) BudgetStatement(ctx context.Context, budgetID string) (Statement, error) {
	a := account.ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return Statement{}, err
	}
	if !marketplace.ValidID(budgetID) {
		return Statement{}, ErrBudgetNotFound
	}
	b, err := s.store.Budget(ctx, budgetID)
	if err != nil {
		return Statement{}, wrap(err, "budget %s", budgetID)
	}
	ok := a.UserID == b.HolderID || a.IsAdmin() || (b.HolderOrgID != "" && a.CanActFor(b.HolderOrgID, account.RoleOwner, account.RoleMember, account.RoleCommissioner))
	if !ok {
		if ok, err = s.representsHolder(ctx, a, b.HolderID); err != nil || !ok {
			return Statement{}, errOr(err, ErrBudgetNotFound)
		}
	}
	st, err := s.budgetStatement(ctx, b)
	if err != nil {
		return Statement{}, err
	}
	st.Summary = summarise(b, st, s.payerOf(b)).Summary
	return st, nil
}

func (s *Service) budgetStatement(ctx context.Context, b Budget) (Statement, error) {
	entries, err := s.store.Entries(ctx, EntryQuery{Sources: []string{b.Source()}})
	if err != nil {
		return Statement{}, fmt.Errorf("entries of budget %s: %w", b.ID, err)
	}
	title := marketplace.Label(marketplace.BudgetForms, string(b.Form))
	if b.Label != "" {
		title += ": " + b.Label
	}
	return buildStatement(b.Source(), title, budgetColumns, entries, budgetColumn(b.Source())), nil
}

func (s *Service) payerOf(b Budget) Payer {
	if r, ok := s.cfg.Routes[b.Form]; ok {
		return r.Payer(b)
	}
	return Payer{}
}

// summarise reads a budget's statement into what the person needs to know.
func summarise(b Budget, st Statement, payer Payer) BudgetSummary {
	left, reserved, inPools, spent := st.Closing[0], st.Closing[1], st.Closing[2], st.Closing[3]
	sum := BudgetSummary{Budget: b, Payer: payer, CommittedPence: reserved + inPools, SpentPence: spent}
	total := b.ActualPence
	switch {
	case b.Form == marketplace.ISF:
		sum.LeftPence = &left
	case total > 0:
		l := total - sum.CommittedPence - sum.SpentPence
		sum.LeftPence = &l
	}
	sum.Summary = fmt.Sprintf("%s set aside for pools and %s spent so far.", Pounds(sum.CommittedPence), Pounds(sum.SpentPence))
	if sum.LeftPence != nil {
		sum.Summary = fmt.Sprintf("Of %s, %s is set aside for pools, %s has been spent and %s is left.",
			Pounds(total), Pounds(sum.CommittedPence), Pounds(sum.SpentPence), Pounds(*sum.LeftPence))
	} else {
		sum.Summary += " Carepool does not know this budget's full amount, so it cannot say what is left."
	}
	return sum
}

// PoolStatement returns a pool's own transparent ledger (its holding, and what went to
// the provider) to anyone who may see the pool. Its rows carry amounts and system
// memos only, never who pledged, so it is as public as the pool itself.
func (s *Service) PoolStatement(ctx context.Context, poolID string) (Statement, error) {
	v, err := s.Pool(ctx, poolID)
	if err != nil {
		return Statement{}, err
	}
	entries, err := s.store.Entries(ctx, EntryQuery{PoolID: poolID})
	if err != nil {
		return Statement{}, fmt.Errorf("entries of pool %s: %w", poolID, err)
	}
	return buildStatement("pool:"+poolID, v.Title, poolColumns, entries, poolColumn(poolID)), nil
}

// ProviderStatement returns what a provider has earned, been invoiced for and been
// paid, for its members and administrators.
func (s *Service) ProviderStatement(ctx context.Context, providerID string) (Statement, error) {
	a := account.ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return Statement{}, err
	}
	if !a.IsAdmin() && !a.CanActFor(providerID, account.RoleOwner, account.RoleMember) {
		return Statement{}, apperr.Forbiddenf("Only the provider's members can see its statement.")
	}
	var accounts []string
	for _, stage := range providerColumns {
		accounts = append(accounts, ProviderAccount(providerID, stage))
	}
	entries, err := s.store.Entries(ctx, EntryQuery{Accounts: accounts})
	if err != nil {
		return Statement{}, fmt.Errorf("entries of provider %s: %w", providerID, err)
	}
	return buildStatement("provider:"+providerID, "Provider statement", providerColumns, entries, providerColumn(providerID)), nil
}
