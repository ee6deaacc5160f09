package pooling

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace"
)

// DefaultInvoiceTermsDays is how long a payer has to pay an invoice by default.
const DefaultInvoiceTermsDays = 30

// issueInvoices issues the invoices of every billing period the change finished: a
// period whose sessions are all done, at least one of them delivered. Each payer gets one
// invoice for the period; the period's money moves from the provider's receivable to
// invoiced in the change's own ledger entry, and the pool moves on (delivered →
// invoiced) when nothing is left to bill. It runs inside commit, so whatever finished
// the period (the last delivery, a cancelled session, someone leaving) invoices it in
// the same transaction.
func (w *work) issueInvoices(ctx context.Context) error {
	now := w.s.now()
	issued := false
	for i := range w.pool.Periods {
		per := &w.pool.Periods[i]
		if per.Status != PeriodOpen || !periodDone(&w.pool, *per) || !periodDelivered(&w.pool, *per) {
			continue
		}
		invs, err := w.s.invoicesFor(ctx, &w.pool, w.pledges, *per, now)
		if err != nil {
			return fmt.Errorf("invoice period %d of pool %s: %w", per.Index+1, w.pool.ID, err)
		}
		lines, _ := periodLines(&w.pool, w.pledges, *per, Receivable, Invoiced)
		w.extra = append(w.extra, lines...)
		per.Status, per.InvoicedAt, per.Invoices = PeriodInvoiced, &now, nil
		for _, inv := range invs {
			per.Invoices = append(per.Invoices, inv.ID)
			w.notify = append(w.notify, "invoice:"+inv.ID+":issued")
		}
		w.newInvoices = append(w.newInvoices, invs...)
		issued = true
	}
	if !issued {
		return nil
	}
	return advance(&w.pool, w.pledges, RoleSystem, SystemActor, now)
}

// invoicesFor builds one invoice per payer for a finished period, numbering each from
// the provider's sequence.
func (s *Service) invoicesFor(ctx context.Context, pool *Pool, pledges []*Pledge, per Period, now time.Time) ([]Invoice, error) {
	prov, err := s.invoicingProvider(ctx, pool.ProviderID)
	if err != nil {
		return nil, err
	}
	vat := vatStatusOf(prov)
	byPayer := map[Payer][]InvoiceLine{}
	var payers []Payer
	for _, p := range pledges {
		line, ok := invoiceLine(pool, p, per)
		if !ok {
			continue
		}
		payer, err := s.pledgePayer(ctx, p)
		if err != nil {
			return nil, err
		}
		if _, seen := byPayer[payer]; !seen {
			payers = append(payers, payer)
		}
		byPayer[payer] = append(byPayer[payer], line)
	}
	slices.SortFunc(payers, func(a, b Payer) int { return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.ID, b.ID)) })
	first, last := pool.Sessions[per.FirstSession], pool.Sessions[per.FirstSession+per.Sessions-1]
	var invs []Invoice
	for _, payer := range payers {
		n, err := s.store.NextNumber(ctx, pool.ProviderID, invoiceSequence)
		if err != nil {
			return nil, err
		}
		inv := Invoice{ID: s.cfg.NewID(), ProviderID: pool.ProviderID, Number: n, Reference: invoiceReference(n),
			PoolID: pool.ID, OfferTitle: pool.Title, Period: per.Index, PeriodFrom: first.StartsAt, PeriodTo: last.StartsAt,
			ProviderName: prov.Name, VATNumber: prov.VATNumber, PayerName: s.payerName(ctx, payer),
			Payer: payer, Lines: byPayer[payer], VAT: vat, IssuedAt: now, Payments: []InvoicePayment{}, CreditNotes: []CreditNote{},
			DueAt: now.AddDate(0, 0, s.cfg.InvoiceTermsDays), Version: 1}
		for _, l := range inv.Lines {
			inv.GrossPence += l.AmountPence
		}
		inv.NetPence, inv.VATPence = vat.Split(inv.GrossPence)
		invs = append(invs, inv)
	}
	return invs, nil
}

// invoiceLine is what one pledge owes for the delivered sessions of a period.
func invoiceLine(pool *Pool, p *Pledge, per Period) (InvoiceLine, bool) {
	line := InvoiceLine{PledgeID: p.ID, Source: p.Source}
	for j := per.FirstSession; j < per.FirstSession+per.Sessions; j++ {
		if pool.Sessions[j].Status == SessionDelivered && p.From <= j && j < p.Until && j < len(p.Shares) && p.Shares[j] > 0 {
			line.AmountPence += p.Shares[j]
			line.Sessions++
		}
	}
	line.Description = fmt.Sprintf("Place %d in %q: %d session(s) at the agreed share", p.Seq, pool.Title, line.Sessions)
	return line, line.AmountPence > 0
}

// pledgePayer is who pays the invoices for a pledge: its budget's funding route decides.
func (s *Service) pledgePayer(ctx context.Context, p *Pledge) (Payer, error) {
	b, err := s.store.Budget(ctx, p.BudgetID)
	if err != nil {
		return Payer{}, fmt.Errorf("read budget of pledge %s: %w", p.ID, err)
	}
	if _, err := s.route(b.Form); err != nil {
		return Payer{}, err
	}
	if p.PayBy == PayByCard {
		return Payer{Kind: "card", ID: p.HolderID}, nil
	}
	return s.payerOf(b), nil
}

// vatStatusOf is the provider's VAT position from its profile; a provider that has not
// said is treated as not registered (no VAT).
func vatStatusOf(p marketplace.Provider) VATStatus {
	switch v := VATStatus(p.VATStatus); v {
	case VATExempt, VATStandard:
		return v
	}
	return VATNotRegistered
}

// saveInvoices stores the invoices the change issued and the one it changed.
func (w *work) saveInvoices(ctx context.Context) error {
	for _, inv := range w.newInvoices {
		if err := w.s.store.CreateInvoice(ctx, inv); err != nil {
			return fmt.Errorf("store invoice %s: %w", inv.Reference, err)
		}
	}
	if w.invoice == nil {
		return nil
	}
	w.invoice.Version = w.invoiceRead + 1
	if err := w.s.store.SaveInvoice(ctx, *w.invoice, w.invoiceRead); err != nil {
		return fmt.Errorf("save invoice %s: %w", w.invoice.ID, err)
	}
	return nil
}

// invoicingProvider reads the provider's profile for its invoices. Whoever finished the
// period may not see the profile (a suspended provider is hidden from people outside
// it), so its name then comes from the directory, with no VAT.
func (s *Service) invoicingProvider(ctx context.Context, id string) (marketplace.Provider, error) {
	p, err := s.offers.Provider(ctx, id)
	if !apperr.Is(err, apperr.NotFound) {
		return p, wrap(err, "read provider %s", id)
	}
	org, err := s.dir.Organisation(ctx, id)
	if err != nil {
		return p, fmt.Errorf("read provider %s: %w", id, err)
	}
	return marketplace.Provider{ID: id, Name: org.Name}, nil
}
