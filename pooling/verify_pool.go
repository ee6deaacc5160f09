package pooling

import (
	"slices"

	"github.com/carepool/carepool/marketplace"
)

// pool checks one pool and its pledges against the ledger and against each other.
func (v *verifier) pool(p *Pool, pledges []*Pledge) {
	v.rep.Pools++
	subject := "pool:" + p.ID
	var held int64
	active := 0
	for _, pl := range pledges {
		v.pledge(p, pl)
		held += pl.HeldPence
		if pl.Active {
			active++
		}
	}
	if p.Taken != active || p.Taken < 0 || p.Taken > p.Pricing.MaxPeople {
		v.add(subject, RuleSeats, "taken is %d; %d pledges are active; the maximum is %d", p.Taken, active, p.Pricing.MaxPeople)
	}
	if holding := v.balances[HoldingAccount(p.ID)]; holding != held {
		v.add(subject, RuleHolding, "holding is %d; its pledges hold %d", holding, held)
	}
	v.sessions(p, pledges)
	stages := v.poolStages[p.ID]
	switch p.Status {
	case StatusFailed, StatusCancelled:
		for _, pl := range pledges {
			if pl.ReservedPence != 0 || pl.HeldPence != 0 {
				v.add(subject, RuleClosedPool, "pledge %s still reserves %d and holds %d", pl.ID, pl.ReservedPence, pl.HeldPence)
			}
		}
		if held != 0 {
			v.add(subject, RuleClosedPool, "holds %d", held)
		}
	case StatusSettled:
		if v.balances[HoldingAccount(p.ID)] != 0 || stages[Receivable] != 0 || stages[Invoiced] != 0 {
			v.add(subject, RuleSettledPool, "holds %d; owes its provider %d receivable and %d invoiced",
				v.balances[HoldingAccount(p.ID)], stages[Receivable], stages[Invoiced])
		}
	}
	want := v.periodStages(p, pledges)
	for _, stage := range providerColumns {
		if want[stage] != stages[stage] {
			v.add(subject, RuleProviderStages, "%s to the provider is %d; its periods say %d", stage, stages[stage], want[stage])
		}
	}
}

// pledge checks one pledge's counters against the ledger and the pool's state.
func (v *verifier) pledge(p *Pool, pl *Pledge) {
	v.rep.Pledges++
	subject := "pledge:" + pl.ID
	pos := v.pledgePos[pl.ID]
	if pos == nil {
		pos = &positions{}
	}
	if pos.reserved != pl.ReservedPence || pos.held != pl.HeldPence || pos.spent != pl.SpentPence {
		v.add(subject, RulePledgeLedger, "counters reserved/held/spent %d/%d/%d; ledger %d/%d/%d",
			pl.ReservedPence, pl.HeldPence, pl.SpentPence, pos.reserved, pos.held, pos.spent)
	}
	if pos.funds != -(pos.reserved + pos.held + pos.spent) {
		v.add(subject, RulePledgeLedger, "took %d from its funds but has %d", -pos.funds, pos.reserved+pos.held+pos.spent)
	}
	if r, h, s := targets(p, pl); r != pl.ReservedPence || h != pl.HeldPence || s != pl.SpentPence {
		v.add(subject, RulePledgeState, "has reserved/held/spent %d/%d/%d; the pool's state says %d/%d/%d",
			pl.ReservedPence, pl.HeldPence, pl.SpentPence, r, h, s)
	}
	for j, share := range pl.Shares {
		if share > pl.LimitPence {
			v.add(subject, RuleShareLimit, "pays %d for session %d, above its limit of %d", share, j+1, pl.LimitPence)
		}
		if share != 0 && (j < pl.From || j >= pl.Until) {
			v.add(subject, RuleSessionShares, "has a share of session %d, which it takes no part in", j+1)
		}
	}
	wantActive := pl.seated() || (pl.Status == PledgeConfirmed && pl.Until == len(p.Sessions) && p.Status == StatusConfirmed)
	if pl.Active != wantActive {
		v.add(subject, RuleSeats, "active is %v for a %s pledge", pl.Active, pl.Status)
	}
}

// sessions checks that every session that runs is shared exactly: its people within the
// pool's minimum and maximum, their parts those of Pricing.Parts.
func (v *verifier) sessions(p *Pool, pledges []*Pledge) {
	for j, s := range p.Sessions {
		var shares []int64
		for _, pl := range pledges {
			if pl.participates(j) && j < len(pl.Shares) {
				shares = append(shares, pl.Shares[j])
			}
		}
		if s.Status == SessionCancelled || len(shares) == 0 && s.Status == SessionScheduled {
			continue
		}
		k := len(shares)
		slices.Sort(shares)
		slices.Reverse(shares)
		if k < p.Pricing.MinPeople || k > p.Pricing.MaxPeople || !slices.Equal(shares, p.Pricing.Parts(k)) {
			v.add("pool:"+p.ID, RuleSessionShares, "session %d has %d people paying %v; the price splits as %v",
				j+1, k, shares, p.Pricing.Parts(k))
		}
	}
}

// isf checks an ISF account's cached balances against the ledger.
func (v *verifier) isf(a ISFAccount) {
	v.rep.ISFAccounts++
	source := "isf:" + a.ID
	pos := v.sourcePos[source]
	if pos == nil {
		pos = &positions{}
	}
	funds := v.balances[FundsAccount(source)]
	if funds < 0 || a.AvailablePence < 0 {
		v.add(source, RuleISFNegative, "the ledger leaves %d and the account says %d", funds, a.AvailablePence)
	}
	allocated := -v.balances[AllocationAccount(a.ID)]
	if a.AvailablePence != funds || a.CommittedPence != pos.reserved+pos.held || a.SpentPence != pos.spent ||
		a.AllocatedPence != allocated || a.AllocatedPence != a.AvailablePence+a.CommittedPence+a.SpentPence {
		v.add(source, RuleISFCache, "account says allocated/available/committed/spent %d/%d/%d/%d; ledger %d/%d/%d/%d",
			a.AllocatedPence, a.AvailablePence, a.CommittedPence, a.SpentPence, allocated, funds, pos.reserved+pos.held, pos.spent)
	}
}

// budgetFunds checks that what left each non-ISF budget's funds is exactly what it has
// reserved, holds in pools and has spent.
func (v *verifier) budgetFunds() {
	for _, source := range sortedKeys(v.sourcePos) {
		if b, ok := v.budgets[source]; !ok || b.Form == marketplace.ISF {
			continue
		}
		pos := v.sourcePos[source]
		if pos.funds+pos.reserved+pos.held+pos.spent != 0 {
			v.add(source, RuleBudgetFunds, "funds went down by %d; it reserved %d, holds %d and spent %d",
				-pos.funds, pos.reserved, pos.held, pos.spent)
		}
	}
}
