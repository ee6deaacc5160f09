package pooling

import (
	"context"
	"fmt"
	"slices"
)

// invoiceMoves is what the ledger moved for one invoice: paid (invoiced → settled) and
// credited (invoiced → back to the budgets).
type invoiceMoves struct{ paid, credited int64 }

// invoiceLine adds a line of an entry made for an invoice to what the ledger moved for it.
func (v *verifier) invoiceLine(e Entry, l Line) {
	if e.InvoiceID == "" {
		return
	}
	m := v.invoiceMoves[e.InvoiceID]
	if m == nil {
		m = &invoiceMoves{}
		v.invoiceMoves[e.InvoiceID] = m
	}
	switch {
	case e.Op == OpSettle && l.Account == ProviderAccount(e.ProviderID, Settled):
		m.paid += l.AmountPence
	case e.Op == OpCredit && l.Source != "" && l.Account == FundsAccount(l.Source):
		m.credited += l.AmountPence
	}
}

// invoice checks that an invoice adds up and matches the ledger, and files it under its
// pool for the provider-stage check.
func (v *verifier) invoice(inv Invoice) {
	v.rep.Invoices++
	subject := "invoice:" + inv.ID
	v.invoices[inv.PoolID] = append(v.invoices[inv.PoolID], inv)
	if v.numbers == nil {
		v.numbers = map[string][]int64{}
	}
	v.numbers[inv.ProviderID+" "+invoiceSequence] = append(v.numbers[inv.ProviderID+" "+invoiceSequence], inv.Number)
	var gross, paidLines, creditedLines, paid, credited int64
	for _, l := range inv.Lines {
		gross += l.AmountPence
		paidLines += l.PaidPence
		creditedLines += l.CreditedPence
		if l.AmountPence <= 0 || l.owing() < 0 {
			v.add(subject, RuleInvoiceAmounts, "line for pledge %s: amount %d, paid %d, credited %d", l.PledgeID, l.AmountPence, l.PaidPence, l.CreditedPence)
		}
	}
	for _, p := range inv.Payments {
		if p.Status == PaymentApplied {
			paid += p.AmountPence
		}
	}
	for _, cn := range inv.CreditNotes {
		credited += cn.AmountPence
		key := inv.ProviderID + " " + creditNoteSequence
		v.numbers[key] = append(v.numbers[key], cn.Number)
	}
	net, vat := inv.VAT.Split(inv.GrossPence)
	if gross != inv.GrossPence || net != inv.NetPence || vat != inv.VATPence || paid != inv.PaidPence ||
		paidLines != paid || credited != inv.CreditedPence || creditedLines != credited || inv.OwingPence() < 0 {
		v.add(subject, RuleInvoiceAmounts, "gross %d (lines %d), net %d + VAT %d, paid %d (payments %d, lines %d), credited %d (notes %d, lines %d)",
			inv.GrossPence, gross, inv.NetPence, inv.VATPence, inv.PaidPence, paid, paidLines, inv.CreditedPence, credited, creditedLines)
	}
	m := v.invoiceMoves[inv.ID]
	if m == nil {
		m = &invoiceMoves{}
	}
	if m.paid != inv.PaidPence || m.credited != inv.CreditedPence {
		v.add(subject, RuleInvoiceLedger, "invoice says paid %d and credited %d; the ledger moved %d and %d",
			inv.PaidPence, inv.CreditedPence, m.paid, m.credited)
	}
}

// invoiceNumbers checks that every provider's sequences run 1, 2, 3, … without gaps or
// repeats.
func (v *verifier) invoiceNumbers() {
	for _, key := range sortedKeys(v.numbers) {
		ns := slices.Sorted(slices.Values(v.numbers[key]))
		for i, n := range ns {
			if n != int64(i+1) {
				v.add("sequence:"+key, RuleInvoiceNumbers, "numbers %v do not run 1 to %d", ns, len(ns))
				break
			}
		}
	}
}

// periodStages is what a pool's provider should hold in each stage: delivered shares of
// open periods are receivable; for invoiced and settled periods, what their invoices
// still owe is invoiced and what was paid is settled (credited money went back to the
// budgets). It also checks that each billed period's invoices add up to its shares.
func (v *verifier) periodStages(p *Pool, pledges []*Pledge) map[string]int64 {
	want := map[string]int64{}
	byID := map[string]Invoice{}
	for _, inv := range v.invoices[p.ID] {
		byID[inv.ID] = inv
	}
	for _, per := range p.Periods {
		var shares int64
		for j := per.FirstSession; j < per.FirstSession+per.Sessions; j++ {
			if p.Sessions[j].Status != SessionDelivered {
				continue
			}
			for _, pl := range pledges {
				if j < len(pl.Shares) && pl.From <= j && j < pl.Until {
					shares += pl.Shares[j]
				}
			}
		}
		switch per.Status {
		case PeriodOpen:
			want[Receivable] += shares
		case PeriodInvoiced, PeriodSettled:
			var gross int64
			for _, id := range per.Invoices {
				inv, ok := byID[id]
				if !ok {
					v.add("pool:"+p.ID, RuleInvoiceAmounts, "period %d names invoice %s, which does not exist", per.Index+1, id)
					continue
				}
				gross += inv.GrossPence
				want[Invoiced] += inv.OwingPence()
				want[Settled] += inv.PaidPence
				if per.Status == PeriodSettled && inv.OwingPence() != 0 {
					v.add("pool:"+p.ID, RuleProviderStages, "period %d is settled but invoice %s is owed %d", per.Index+1, inv.Reference, inv.OwingPence())
				}
			}
			if gross != shares {
				v.add("pool:"+p.ID, RuleInvoiceAmounts, "%s", fmt.Sprintf("period %d was invoiced %d for %d of shares", per.Index+1, gross, shares))
			}
		}
	}
	return want
}

// ReconcileInvoices compares every invoice with the ledger: what each says was paid and
// credited against what the ledger moved for it, and that its lines, payments and VAT
// add up. It acts for the platform (`carepool reconcile`).
func (s *Service) ReconcileInvoices(ctx context.Context) (int, []Violation, error) {
	rep, err := s.Verify(ctx)
	if err != nil {
		return 0, nil, err
	}
	var out []Violation
	for _, v := range rep.Violations {
		if v.Rule == RuleInvoiceLedger || v.Rule == RuleInvoiceAmounts || v.Rule == RuleInvoiceNumbers {
			out = append(out, v)
		}
	}
	return rep.Invoices, out, nil
}
