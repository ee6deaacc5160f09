package pooling

import (
	"strings"
	"time"
)

// Op names what a journal entry records.
type Op string

// The operations that move money.
const (
	OpPledge   Op = "pledge"   // a pledge reserves its limit for every session it may pay for
	OpApprove  Op = "approve"  // an approval that let a pledge join a confirmed pool
	OpDecline  Op = "decline"  // an approver said no: the reservation is released
	OpWithdraw Op = "withdraw" // someone left: their reservation (and future shares) released
	OpConfirm  Op = "confirm"  // counted shares move into the pool's holding; the rest is released
	OpFail     Op = "fail"     // the pool did not go ahead: everything is released
	OpCancel   Op = "cancel"   // the pool was called off: everything is released
	OpDeliver  Op = "deliver"  // a session's shares move from the holding to the provider
	OpInvoice  Op = "invoice"  // a period's receivable becomes invoiced
	OpSettle   Op = "settle"   // a period's invoice is paid
	OpAllocate Op = "allocate" // an ISF account is funded, or its allocation changed
	OpCredit   Op = "credit"   // a credit note: part of an invoice returns to the budgets it came from
)

// Stages of what a provider is owed.
const (
	Receivable = "receivable" // earned by delivering sessions, not yet invoiced
	Invoiced   = "invoiced"   // on an invoice, not yet paid
	Settled    = "settled"    // paid
)

// Ledger account names. Every name starts with the kind of its owner and the owner's
// opaque id, so a person's accounts never carry their name (erasure leaves the ledger
// intact). A source is one budget: "budget:<id>" or, for an ISF, "isf:<id>".
//
//	<source>:funds        what the budget has left to commit. An ISF starts at its
//	                      allocation and may never go below zero; other forms start at
//	                      zero and go negative by what their payer has promised to pay.
//	<source>:reserved     limits reserved by the budget's pledges for sessions to come,
//	                      beyond the shares already in a pool's holding.
//	isf:<id>:allocation   the counterpart of an ISF's funding.
//	pool:<id>:holding     the counted shares of sessions to come.
//	provider:<id>:receivable / :invoiced / :settled   what the provider has earned, by stage.
func FundsAccount(source string) string { return source + ":funds" }

// ReservedAccount is the account of a source's reservations.
func ReservedAccount(source string) string { return source + ":reserved" }

// AllocationAccount is the counterpart of an ISF account's funding.
func AllocationAccount(isfID string) string { return "isf:" + isfID + ":allocation" }

// HoldingAccount is a pool's holding.
func HoldingAccount(poolID string) string { return "pool:" + poolID + ":holding" }

// ProviderAccount is a provider's account for one stage (Receivable, Invoiced, Settled).
func ProviderAccount(providerID, stage string) string { return "provider:" + providerID + ":" + stage }

// Line is one side of a journal entry. Positive amounts are debits (money arriving in
// the account), negative are credits. Lines about a pledge name it and its source, so a
// person's statement can follow their money through pool and provider accounts.
type Line struct {
	Account     string `json:"account" bson:"account"`
	AmountPence int64  `json:"amount_pence" bson:"amount_pence"`
	PledgeID    string `json:"pledge_id,omitempty" bson:"pledge_id,omitempty"`
	Source      string `json:"source,omitempty" bson:"source,omitempty"`
}

// Entry is one journal entry: one money movement, whose lines add up to zero. Entries
// are written in the same transaction as the change they record and never edited; a
// mistake is put right by a new entry. Key is unique, so a retried change cannot post
// twice; for pool changes it is "pool:<id>@<version>", one entry per version at most.
type Entry struct {
	ID         string    `json:"id" bson:"_id"`
	Key        string    `json:"key" bson:"key"`
	Op         Op        `json:"op" bson:"op"`
	PoolID     string    `json:"pool_id,omitempty" bson:"pool_id,omitempty"`
	ProviderID string    `json:"provider_id,omitempty" bson:"provider_id,omitempty"`
	InvoiceID  string    `json:"invoice_id,omitempty" bson:"invoice_id,omitempty"`     // payments and credit notes
	By         string    `json:"by" bson:"by"`                                         // user id or SystemActor
	OnBehalfOf string    `json:"on_behalf_of,omitempty" bson:"on_behalf_of,omitempty"` // the budget holder, when one person's pledge caused it
	At         time.Time `json:"at" bson:"at"`
	Memo       string    `json:"memo" bson:"memo"`
	Lines      []Line    `json:"lines" bson:"lines"`
}

// Sum is the total of the entry's lines: zero for every valid entry.
func (e Entry) Sum() int64 {
	var sum int64
	for _, l := range e.Lines {
		sum += l.AmountPence
	}
	return sum
}

// isISFSource reports whether a ledger source is an ISF account, and its id.
func isISFSource(source string) (string, bool) {
	return strings.CutPrefix(source, "isf:")
}

// reconcile brings every pledge's ledger positions to what the pool's state says they
// should be (targets), and returns the lines that do it together with the change to
// each ISF account touched. Each pledge's lines add up to zero on their own: what
// leaves or returns to its funds equals what its reserved, held and spent positions gain.
func reconcile(pool *Pool, pledges []*Pledge) ([]Line, map[string]ISFDelta) {
	var lines []Line
	isf := map[string]ISFDelta{}
	for _, p := range pledges {
		r, h, s := targets(pool, p)
		dr, dh, ds := r-p.ReservedPence, h-p.HeldPence, s-p.SpentPence
		if dr == 0 && dh == 0 && ds == 0 {
			continue
		}
		add := func(account string, amount int64) {
			if amount != 0 {
				lines = append(lines, Line{Account: account, AmountPence: amount, PledgeID: p.ID, Source: p.Source})
			}
		}
		add(FundsAccount(p.Source), -(dr + dh + ds))
		add(ReservedAccount(p.Source), dr)
		add(HoldingAccount(pool.ID), dh)
		add(ProviderAccount(pool.ProviderID, Receivable), ds)
		p.ReservedPence, p.HeldPence, p.SpentPence = r, h, s
		if id, ok := isISFSource(p.Source); ok {
			d := isf[id]
			d.Available -= dr + dh + ds
			d.Committed += dr + dh
			d.Spent += ds
			isf[id] = d
		}
	}
	return lines, isf
}

// periodLines moves what the pledges spent in one billing period from one provider
// stage to the next (receivable to invoiced, invoiced to settled).
func periodLines(pool *Pool, pledges []*Pledge, period Period, from, to string) (lines []Line, total int64) {
	for _, p := range pledges {
		var amount int64
		for j := period.FirstSession; j < period.FirstSession+period.Sessions; j++ {
			if pool.Sessions[j].Status == SessionDelivered && p.From <= j && j < p.Until && j < len(p.Shares) {
				amount += p.Shares[j]
			}
		}
		if amount == 0 {
			continue
		}
		total += amount
		lines = append(lines,
			Line{Account: ProviderAccount(pool.ProviderID, from), AmountPence: -amount, PledgeID: p.ID, Source: p.Source},
			Line{Account: ProviderAccount(pool.ProviderID, to), AmountPence: amount, PledgeID: p.ID, Source: p.Source})
	}
	return lines, total
}
