package payments

import (
	"github.com/carepool/carepool/pooling"
)

// What a card pledge owes, from pooling's state alone. Card pledges pay each billing
// period in advance: the first when the pool is confirmed, each later one once the
// period before it is done (so an eight-week group is paid four weeks at a time, not all
// at once, and a card authorisation never has to last). A period already invoiced owes
// what its invoice says, less credit notes: the final shares.

// owed is what the card should have paid so far.
func owed(p pooling.Pledge, pool pooling.Pool, invoices []pooling.Invoice) int64 {
	var total int64
	for k, per := range pool.Periods {
		if amount, ok := invoicedFor(p.ID, k, invoices); ok {
			total += amount
			continue
		}
		if per.Status == pooling.PeriodOpen && periodDue(pool, k) {
			total += sharesIn(p, pool, per)
		}
	}
	return total
}

// periodDue reports whether an open period of a pool must be paid for now.
func periodDue(pool pooling.Pool, k int) bool {
	switch pool.Status {
	case pooling.StatusConfirmed, pooling.StatusDelivered, pooling.StatusInvoiced, pooling.StatusSettled:
	default:
		return false
	}
	return k == 0 || pool.Periods[k-1].Status != pooling.PeriodOpen
}

// sharesIn is what a pledge pays for the sessions of a period that are going ahead.
func sharesIn(p pooling.Pledge, pool pooling.Pool, per pooling.Period) int64 {
	var sum int64
	for j := per.FirstSession; j < per.FirstSession+per.Sessions; j++ {
		if pool.Sessions[j].Status != pooling.SessionCancelled && p.From <= j && j < p.Until && j < len(p.Shares) {
			sum += p.Shares[j]
		}
	}
	return sum
}

// invoicedFor is what a card invoice of period k asks of the pledge, after credit notes.
func invoicedFor(pledgeID string, k int, invoices []pooling.Invoice) (int64, bool) {
	for _, inv := range invoices {
		if inv.Period != k || inv.Payer.Kind != "card" {
			continue
		}
		for _, l := range inv.Lines {
			if l.PledgeID == pledgeID {
				return l.AmountPence - l.CreditedPence, true
			}
		}
	}
	return 0, false
}

// cardInvoices are the card invoices with a line for the pledge, oldest first.
func cardInvoices(pledgeID string, invoices []pooling.Invoice) []pooling.Invoice {
	var out []pooling.Invoice
	for i := len(invoices) - 1; i >= 0; i-- { // the store lists newest first
		inv := invoices[i]
		if inv.Payer.Kind != "card" {
			continue
		}
		for _, l := range inv.Lines {
			if l.PledgeID == pledgeID {
				out = append(out, inv)
			}
		}
	}
	return out
}

// firstUnpaidSession is the first session still to come that the card's money does not
// cover (after what invoiced periods took): a lapsed pledge leaves the pool from there.
// -1 when every session to come is paid for.
func firstUnpaidSession(p pooling.Pledge, pool pooling.Pool, invoices []pooling.Invoice, collected int64) int {
	var cum int64
	for k := range pool.Periods {
		if amount, ok := invoicedFor(p.ID, k, invoices); ok {
			cum += amount
		}
	}
	for k, per := range pool.Periods {
		if per.Status != pooling.PeriodOpen || !periodDue(pool, k) {
			continue
		}
		for j := per.FirstSession; j < per.FirstSession+per.Sessions; j++ {
			if pool.Sessions[j].Status == pooling.SessionCancelled || j < p.From || j >= p.Until || j >= len(p.Shares) {
				continue
			}
			cum += p.Shares[j]
			if cum > collected && pool.Sessions[j].Status == pooling.SessionScheduled {
				return j
			}
		}
	}
	return -1
}

// lastDuePeriod is the index of the last billing period that must be paid for now.
func lastDuePeriod(pool pooling.Pool) int {
	last := -1
	for k := range pool.Periods {
		if periodDue(pool, k) {
			last = k
		}
	}
	return last
}
