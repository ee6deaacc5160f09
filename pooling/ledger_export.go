package pooling

import (
	"context"
	"strings"

	"github.com/carepool/carepool/marketplace"
)

// ExportLedger lists, for an organisation's members, every ledger line of a period on
// the accounts the organisation answers for: its provider accounts (receivable,
// invoiced, settled), the ISF accounts it holds, and the budgets it holds for people
// (council-managed, brokered, trust). Each line is one row, in pounds, with no VAT: VAT
// belongs to invoices (ExportInvoices).
func (s *Service) ExportLedger(ctx context.Context, orgID string, p ExportPeriod) ([]ExportRow, error) {
	if err := s.canExport(ctx, orgID); err != nil {
		return nil, err
	}
	accounts, sources, err := s.booksOf(ctx, orgID)
	if err != nil {
		return nil, err
	}
	entries, err := s.store.Entries(ctx, EntryQuery{Accounts: accounts, Sources: sources})
	if err != nil {
		return nil, err
	}
	mine := map[string]bool{}
	for _, a := range accounts {
		mine[a] = true
	}
	var rows []ExportRow
	for _, e := range entries {
		if !p.has(e.At) {
			continue
		}
		for _, l := range e.Lines {
			if !mine[l.Account] && !ownsSourceAccount(sources, l.Account) {
				continue
			}
			rows = append(rows, ExportRow{Date: e.At, Reference: e.Key, Counterparty: counterpartyOf(e),
				NetPence: l.AmountPence, GrossPence: l.AmountPence, Account: l.Account, Description: e.Memo})
		}
	}
	return rows, nil
}

// booksOf lists an organisation's own ledger accounts and the budget sources it holds.
func (s *Service) booksOf(ctx context.Context, orgID string) (accounts, sources []string, err error) {
	for _, stage := range providerColumns {
		accounts = append(accounts, ProviderAccount(orgID, stage))
	}
	isfs, err := s.store.ISFAccountsOf(ctx, orgID)
	if err != nil {
		return nil, nil, err
	}
	for _, a := range isfs {
		sources = append(sources, "isf:"+a.ID)
	}
	err = s.store.EachBudget(ctx, func(b Budget) error {
		if b.HolderOrgID == orgID && b.Form != marketplace.ISF {
			sources = append(sources, b.Source())
		}
		return nil
	})
	return accounts, sources, err
}

func ownsSourceAccount(sources []string, account string) bool {
	for _, src := range sources {
		if strings.HasPrefix(account, src+":") {
			return true
		}
	}
	return false
}

// counterpartyOf names the other side of an entry without naming anyone: the pool it
// belongs to, or the kind of movement.
func counterpartyOf(e Entry) string {
	if e.PoolID != "" {
		return "pool " + e.PoolID
	}
	return string(e.Op)
}
