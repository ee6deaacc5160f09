package pooling

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
)

// Violation is one broken invariant.
type Violation struct {
	Subject string `json:"subject"` // what is wrong: an entry, pledge, pool or account
	Rule    string `json:"rule"`
	Detail  string `json:"detail"`
}

// VerifyReport is what Verify checked and what it found.
type VerifyReport struct {
	Entries     int         `json:"entries"`
	Pools       int         `json:"pools"`
	Pledges     int         `json:"pledges"`
	ISFAccounts int         `json:"isf_accounts"`
	Invoices    int         `json:"invoices"`
	Violations  []Violation `json:"violations"`
}

// OK reports whether every invariant holds.
func (r VerifyReport) OK() bool { return len(r.Violations) == 0 }

// The invariants Verify checks, by rule name.
const (
	RuleEntryBalances  = "entry-balances"       // every entry's lines add up to zero
	RuleEntryWellMade  = "entry-well-made"      // a key, known accounts and sources, no zero lines
	RuleKeyUnique      = "entry-key-unique"     // no idempotency key is used twice
	RuleLedgerBalances = "ledger-balances"      // all balances together add up to zero
	RulePledgeLedger   = "pledge-ledger"        // a pledge's counters equal its ledger positions
	RulePledgeState    = "pledge-state"         // a pledge's positions are what its pool's state says
	RuleShareLimit     = "share-within-limit"   // nobody pays more than their limit for any session
	RuleSessionShares  = "session-shares"       // a session's shares are its price split exactly, within its people
	RuleHolding        = "pool-holding"         // a pool's holding equals the sum of its counted shares
	RuleSeats          = "seat-counter"         // a pool's taken count equals its active pledges, at most its maximum
	RuleClosedPool     = "closed-pool-released" // failed and cancelled pools hold and reserve nothing
	RuleSettledPool    = "settled-pool-empty"   // settled pools hold nothing and are owed nothing
	RuleProviderStages = "provider-stages"      // what a pool owes its provider matches its periods
	RuleISFNegative    = "isf-not-negative"     // no ISF account below zero
	RuleISFCache       = "isf-balances"         // an ISF account's balances equal the ledger's
	RuleBudgetFunds    = "budget-funds"         // a budget's funds mirror what it committed and spent
	RuleInvoiceAmounts = "invoice-amounts"      // an invoice's lines, payments, credits and VAT add up
	RuleInvoiceNumbers = "invoice-numbers"      // each provider's invoices and credit notes are numbered 1, 2, 3, … with no gaps
	RuleInvoiceLedger  = "invoice-ledger"       // an invoice's payments and credits are what the ledger moved for it
)

// positions are a pledge's (or a source's) ledger positions.
type positions struct{ reserved, held, spent, funds int64 }

// Verify recomputes every balance from the journal entries and checks every invariant
// that protects money (the Rule constants), returning what it found. It acts for the
// platform, not for a caller: `carepool verify` and the tests run it; never expose it
// over HTTP without an administrator check. It reads everything, so it takes time in
// proportion to the ledger.
func (s *Service) Verify(ctx context.Context) (VerifyReport, error) {
	v := &verifier{budgets: map[string]Budget{}, balances: map[string]int64{}, keys: map[string]bool{},
		pledgePos: map[string]*positions{}, sourcePos: map[string]*positions{}, poolStages: map[string]map[string]int64{},
		invoices: map[string][]Invoice{}, invoiceMoves: map[string]*invoiceMoves{}}
	if err := s.store.EachBudget(ctx, func(b Budget) error { v.budgets[b.Source()] = b; return nil }); err != nil {
		return v.rep, fmt.Errorf("verify: read budgets: %w", err)
	}
	if err := s.store.EachEntry(ctx, func(e Entry) error { v.entry(e); return nil }); err != nil {
		return v.rep, fmt.Errorf("verify: read entries: %w", err)
	}
	if err := s.store.EachInvoice(ctx, func(inv Invoice) error { v.invoice(inv); return nil }); err != nil {
		return v.rep, fmt.Errorf("verify: read invoices: %w", err)
	}
	v.invoiceNumbers()
	var total int64
	for _, b := range v.balances {
		total += b
	}
	if total != 0 {
		v.add("ledger", RuleLedgerBalances, "all balances add up to %d, not 0", total)
	}
	pools := map[string]*Pool{}
	if err := s.store.EachPool(ctx, func(p Pool) error { pools[p.ID] = &p; return nil }); err != nil {
		return v.rep, fmt.Errorf("verify: read pools: %w", err)
	}
	byPool := map[string][]*Pledge{}
	if err := s.store.EachPledge(ctx, func(p Pledge) error { byPool[p.PoolID] = append(byPool[p.PoolID], &p); return nil }); err != nil {
		return v.rep, fmt.Errorf("verify: read pledges: %w", err)
	}
	for _, id := range sortedKeys(pools) {
		v.pool(pools[id], byPool[id])
	}
	for id, ps := range byPool {
		if pools[id] == nil {
			v.add("pool:"+id, RulePledgeState, "%d pledge(s) belong to a pool that does not exist", len(ps))
		}
	}
	if err := s.store.EachISFAccount(ctx, func(a ISFAccount) error { v.isf(a); return nil }); err != nil {
		return v.rep, fmt.Errorf("verify: read ISF accounts: %w", err)
	}
	v.budgetFunds()
	slices.SortFunc(v.rep.Violations, func(a, b Violation) int {
		return cmp.Or(cmp.Compare(a.Subject, b.Subject), cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Detail, b.Detail))
	})
	return v.rep, nil
}

type verifier struct {
	rep        VerifyReport
	budgets    map[string]Budget           // by source
	balances   map[string]int64            // by account
	keys       map[string]bool             // entry keys seen
	pledgePos  map[string]*positions       // by pledge id
	sourcePos  map[string]*positions       // by source
	poolStages map[string]map[string]int64 // by pool, by provider stage

	invoices     map[string][]Invoice     // by pool
	invoiceMoves map[string]*invoiceMoves // by invoice id, from the ledger
	numbers      map[string][]int64       // by provider and sequence
}

func (v *verifier) add(subject, rule, format string, args ...any) {
	v.rep.Violations = append(v.rep.Violations, Violation{Subject: subject, Rule: rule, Detail: fmt.Sprintf(format, args...)})
}

func at(m map[string]*positions, k string) *positions {
	if m[k] == nil {
		m[k] = &positions{}
	}
	return m[k]
}

// entry checks one journal entry and adds it to the balances.
func (v *verifier) entry(e Entry) {
	v.rep.Entries++
	subject := "entry:" + e.ID
	if e.Sum() != 0 {
		v.add(subject, RuleEntryBalances, "lines add up to %d", e.Sum())
	}
	if e.Key == "" || len(e.Lines) == 0 {
		v.add(subject, RuleEntryWellMade, "an entry needs a key and lines")
	}
	if v.keys[e.Key] {
		v.add(subject, RuleKeyUnique, "key %q was used before", e.Key)
	}
	v.keys[e.Key] = true
	for _, l := range e.Lines {
		v.balances[l.Account] += l.AmountPence
		if l.AmountPence == 0 || !knownAccount(l.Account) {
			v.add(subject, RuleEntryWellMade, "line %q of %d", l.Account, l.AmountPence)
		}
		if l.Source != "" {
			if _, ok := v.budgets[l.Source]; !ok {
				v.add(subject, RuleEntryWellMade, "line names unknown source %q", l.Source)
			}
		}
		kind := positionOf(l)
		if l.PledgeID != "" {
			kind.addTo(at(v.pledgePos, l.PledgeID), l.AmountPence)
		}
		if l.Source != "" {
			kind.addTo(at(v.sourcePos, l.Source), l.AmountPence)
		}
		v.invoiceLine(e, l)
		if stage, ok := providerStage(l.Account); ok && e.PoolID != "" {
			if v.poolStages[e.PoolID] == nil {
				v.poolStages[e.PoolID] = map[string]int64{}
			}
			v.poolStages[e.PoolID][stage] += l.AmountPence
		}
	}
}

// position is which of a pledge's positions a line moves.
type position int

const (
	posNone position = iota
	posFunds
	posReserved
	posHeld
	posSpent
)

func positionOf(l Line) position {
	switch {
	case l.Source != "" && l.Account == FundsAccount(l.Source):
		return posFunds
	case l.Source != "" && l.Account == ReservedAccount(l.Source):
		return posReserved
	case strings.HasPrefix(l.Account, "pool:"):
		return posHeld
	case strings.HasPrefix(l.Account, "provider:"):
		return posSpent
	}
	return posNone
}

func (k position) addTo(p *positions, amount int64) {
	switch k {
	case posFunds:
		p.funds += amount
	case posReserved:
		p.reserved += amount
	case posHeld:
		p.held += amount
	case posSpent:
		p.spent += amount
	}
}

func providerStage(account string) (string, bool) {
	if !strings.HasPrefix(account, "provider:") {
		return "", false
	}
	i := strings.LastIndexByte(account, ':')
	return account[i+1:], true
}

func knownAccount(a string) bool {
	parts := strings.Split(a, ":")
	if len(parts) != 3 || parts[1] == "" {
		return false
	}
	switch parts[0] {
	case "budget":
		return parts[2] == "funds" || parts[2] == "reserved"
	case "isf":
		return parts[2] == "funds" || parts[2] == "reserved" || parts[2] == "allocation"
	case "pool":
		return parts[2] == "holding"
	case "provider":
		return slices.Contains(providerColumns, parts[2])
	case "stripe": // card money: see the payments package
		return slices.Contains([]string{"balance", "fees", "card", "payouts"}, parts[2])
	}
	return false
}
