package pooling

import (
	"context"
	"fmt"
	"strings"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
)

// PaymentInput records money a payer paid against an invoice.
type PaymentInput struct {
	AmountPence int64         `json:"amount_pence"`
	Method      PaymentMethod `json:"method"`
	Reference   string        `json:"reference"` // the remittance advice's reference; optional for isf
}

// CreditNoteInput corrects an invoice: the amount no longer owed and why. PledgeID, when
// set, credits that place's line only.
type CreditNoteInput struct {
	AmountPence int64  `json:"amount_pence"`
	Reason      string `json:"reason"`
	PledgeID    string `json:"pledge_id,omitempty"`
}

// RecordPayment records a payment against an invoice: by a member of the paying
// organisation (an ISF provider paying from the ISF accounts it holds, a council, a
// brokerage or a trust recording what it paid, with its remittance reference), or by the
// provider for a budget holder who paid them. Overpayment is refused. A payment above
// Config.SecondPaymentApprovalOverPence waits for a second member of the paying
// organisation (ApprovePayment); otherwise it applies at once: its amount moves from the
// provider's invoiced to settled, and when nothing is owed on the period's invoices the
// period (and perhaps the pool) is settled. key is the Idempotency-Key.
func (s *Service) RecordPayment(ctx context.Context, invoiceID string, in PaymentInput, key string) (InvoiceView, error) {
	a := account.ActorFrom(ctx)
	in.Reference = strings.TrimSpace(in.Reference)
	return s.changeInvoice(ctx, key, OpSettle, struct {
		ID string
		In PaymentInput
	}{invoiceID, in}, invoiceID, func(ctx context.Context, w *work, party invoiceParty) error {
		inv := w.invoice
		if !party.payer {
			return apperr.Forbiddenf("Only the organisation that pays this invoice can record a payment against it.")
		}
		if err := validatePayment(inv, in); err != nil {
			return err
		}
		now := s.now()
		p := InvoicePayment{ID: s.cfg.NewID(), AmountPence: in.AmountPence, Method: in.Method, Reference: in.Reference,
			Status: PaymentApplied, RecordedBy: a.UserID, RecordedAt: now}
		if p.Reference == "" {
			p.Reference = "ISF-" + inv.Reference
		}
		if inv.Payer.Kind == "organisation" && in.AmountPence > s.cfg.SecondPaymentApprovalOverPence {
			p.Status = PaymentPendingApproval
			inv.Payments = append(inv.Payments, p)
			w.memo = fmt.Sprintf("Payment of %s recorded on %s; waiting for a second approver.", Pounds(p.AmountPence), inv.Reference)
			w.notify = append(w.notify, "invoice:"+inv.ID+":payment-needs-approval")
			return nil
		}
		p.ApprovedBy, p.AppliedAt = a.UserID, &now
		inv.Payments = append(inv.Payments, p)
		return w.applyPayment(ctx, p)
	})
}

// validatePayment checks a payment's fields and that it does not pay more than is owed
// (counting payments waiting for approval).
func validatePayment(inv *Invoice, in PaymentInput) error {
	var f apperr.Fields
	switch in.Method {
	case PayRemittance:
		if in.Reference == "" || len(in.Reference) > 100 {
			f.Add("reference", "give the remittance advice's reference (at most 100 characters)")
		}
	case PayFromISF:
		if !inv.allFromISF() {
			f.Add("method", "isf is for invoices paid from individual service funds (ISFs) only; use remittance")
		}
		if len(in.Reference) > 100 {
			f.Add("reference", "must be at most 100 characters")
		}
	default:
		f.Add("method", "must be isf or remittance")
	}
	if in.AmountPence <= 0 {
		f.Add("amount_pence", "must be a whole number of pence above zero")
	} else if left := inv.OwingPence() - inv.PendingPence(); in.AmountPence > left {
		f.Add("amount_pence", "is more than is owed: %s is left to pay on this invoice", Pounds(left))
	}
	return f.Err()
}

// allFromISF reports whether every line of the invoice is paid from an ISF account.
func (inv *Invoice) allFromISF() bool {
	for _, l := range inv.Lines {
		if _, ok := isISFSource(l.Source); !ok {
			return false
		}
	}
	return len(inv.Lines) > 0
}

// ApprovePayment is the second person's approval of a payment over the threshold: a
// member of the paying organisation other than the one who recorded it. The payment then
// applies.
func (s *Service) ApprovePayment(ctx context.Context, invoiceID, paymentID, key string) (InvoiceView, error) {
	a := account.ActorFrom(ctx)
	return s.changeInvoice(ctx, key, OpSettle, struct{ ID, Payment string }{invoiceID, paymentID}, invoiceID,
		func(ctx context.Context, w *work, party invoiceParty) error {
			inv := w.invoice
			i := slicesIndexPayment(inv.Payments, paymentID)
			switch {
			case i < 0:
				return apperr.NotFoundf("payment")
			case !party.payer || inv.Payer.Kind != "organisation":
				return apperr.Forbiddenf("Only a member of the organisation that pays this invoice can approve its payments.")
			case inv.Payments[i].Status != PaymentPendingApproval:
				return apperr.Conflictf("payment-applied", "This payment is already approved.")
			case inv.Payments[i].RecordedBy == a.UserID:
				return apperr.Forbiddenf("A second person must approve this payment: you recorded it, so someone else in your organisation must approve it.")
			}
			now := s.now()
			p := &inv.Payments[i]
			p.Status, p.ApprovedBy, p.AppliedAt = PaymentApplied, a.UserID, &now
			return w.applyPayment(ctx, *p)
		})
}

func slicesIndexPayment(ps []InvoicePayment, id string) int {
	for i, p := range ps {
		if p.ID == id {
			return i
		}
	}
	return -1
}

// applyPayment spreads a payment over the invoice's lines in order, moving each part from
// the provider's invoiced to settled, and settles the period when its invoices are paid.
func (w *work) applyPayment(ctx context.Context, p InvoicePayment) error {
	inv := w.invoice
	left := p.AmountPence
	for i := range inv.Lines {
		l := &inv.Lines[i]
		part := min(left, l.owing())
		if part <= 0 {
			continue
		}
		l.PaidPence += part
		left -= part
		w.extra = append(w.extra,
			Line{Account: ProviderAccount(w.pool.ProviderID, Invoiced), AmountPence: -part, PledgeID: l.PledgeID, Source: l.Source},
			Line{Account: ProviderAccount(w.pool.ProviderID, Settled), AmountPence: part, PledgeID: l.PledgeID, Source: l.Source})
	}
	if left != 0 {
		return fmt.Errorf("payment %s of %d does not fit invoice %s", p.ID, p.AmountPence, inv.ID)
	}
	inv.PaidPence += p.AmountPence
	w.memo = fmt.Sprintf("Payment of %s on %s (%s, %s).", Pounds(p.AmountPence), inv.Reference, p.Method, p.Reference)
	if inv.OwingPence() == 0 {
		w.notify = append(w.notify, "invoice:"+inv.ID+":paid")
	}
	return w.settlePeriod(ctx)
}

// IssueCreditNote corrects an invoice (the provider's members only): the amount is no
// longer owed, and returns to the budgets it came from (an ISF account's available
// balance rises again). A credit note cannot give back money already paid; that is a
// refund between the provider and the payer.
func (s *Service) IssueCreditNote(ctx context.Context, invoiceID string, in CreditNoteInput, key string) (InvoiceView, error) {
	a := account.ActorFrom(ctx)
	in.Reason = strings.TrimSpace(in.Reason)
	return s.changeInvoice(ctx, key, OpCredit, struct {
		ID string
		In CreditNoteInput
	}{invoiceID, in}, invoiceID, func(ctx context.Context, w *work, party invoiceParty) error {
		inv := w.invoice
		if !a.CanActFor(inv.ProviderID, account.RoleOwner, account.RoleMember) {
			return apperr.Forbiddenf("Only the provider that issued this invoice can issue a credit note for it.")
		}
		if err := validateCredit(inv, in); err != nil {
			return err
		}
		n, err := s.store.NextNumber(ctx, inv.ProviderID, creditNoteSequence)
		if err != nil {
			return err
		}
		cn := CreditNote{ID: s.cfg.NewID(), Number: n, Reference: creditNoteReference(n), AmountPence: in.AmountPence,
			Reason: in.Reason, By: a.UserID, At: s.now()}
		inv.CreditNotes = append(inv.CreditNotes, cn)
		if err := w.applyCredit(in); err != nil {
			return err
		}
		w.memo = fmt.Sprintf("Credit note %s of %s on %s: %s", cn.Reference, Pounds(cn.AmountPence), inv.Reference, cn.Reason)
		return w.settlePeriod(ctx)
	})
}

func validateCredit(inv *Invoice, in CreditNoteInput) error {
	var f apperr.Fields
	if in.Reason == "" || len(in.Reason) > 500 {
		f.Add("reason", "say why the invoice is corrected (at most 500 characters)")
	}
	left := inv.OwingPence() - inv.PendingPence()
	if in.PledgeID != "" {
		i := inv.lineOf(in.PledgeID)
		if i < 0 {
			f.Add("pledge_id", "is not a place on this invoice")
		} else {
			left = min(left, inv.Lines[i].owing())
		}
	}
	switch {
	case in.AmountPence <= 0:
		f.Add("amount_pence", "must be a whole number of pence above zero")
	case in.AmountPence > left:
		f.Add("amount_pence", "is more than can be credited: %s is still owed and not already paid", Pounds(max(left, 0)))
	}
	return f.Err()
}

func (inv *Invoice) lineOf(pledgeID string) int {
	for i, l := range inv.Lines {
		if l.PledgeID == pledgeID {
			return i
		}
	}
	return -1
}

// applyCredit spreads a credit over the invoice's lines (or the one named) and gives it
// back to each line's budget: invoiced → the source's funds, the pledge spending less.
func (w *work) applyCredit(in CreditNoteInput) error {
	inv := w.invoice
	left := in.AmountPence
	for i := range inv.Lines {
		l := &inv.Lines[i]
		if in.PledgeID != "" && l.PledgeID != in.PledgeID {
			continue
		}
		part := min(left, l.owing())
		if part <= 0 {
			continue
		}
		pl := w.pledge(l.PledgeID)
		if pl == nil {
			return fmt.Errorf("pledge %s of invoice %s is not in pool %s", l.PledgeID, inv.ID, w.pool.ID)
		}
		l.CreditedPence += part
		left -= part
		pl.CreditedPence += part
		pl.SpentPence -= part
		w.extra = append(w.extra,
			Line{Account: ProviderAccount(w.pool.ProviderID, Invoiced), AmountPence: -part, PledgeID: l.PledgeID, Source: l.Source},
			Line{Account: FundsAccount(l.Source), AmountPence: part, PledgeID: l.PledgeID, Source: l.Source})
		if id, ok := isISFSource(l.Source); ok {
			if w.isfExtra == nil {
				w.isfExtra = map[string]ISFDelta{}
			}
			w.isfExtra[id] = w.isfExtra[id].Plus(ISFDelta{Available: part, Spent: -part})
		}
	}
	inv.CreditedPence += in.AmountPence - left
	if left != 0 {
		return fmt.Errorf("credit of %d does not fit invoice %s", in.AmountPence, inv.ID)
	}
	return nil
}

// settlePeriod settles the invoice's period once none of its invoices is owed anything,
// and moves the pool on (invoiced → settled) when every period is settled.
func (w *work) settlePeriod(ctx context.Context) error {
	inv := w.invoice
	per := &w.pool.Periods[inv.Period]
	if per.Status != PeriodInvoiced || inv.OwingPence() != 0 {
		return nil
	}
	for _, id := range per.Invoices {
		if id == inv.ID {
			continue
		}
		other, err := w.s.store.Invoice(ctx, id)
		if err != nil {
			return fmt.Errorf("read invoice %s: %w", id, err)
		}
		if other.OwingPence() != 0 {
			return nil
		}
	}
	now := w.s.now()
	per.Status, per.SettledAt = PeriodSettled, &now
	return advance(&w.pool, w.pledges, RoleSystem, SystemActor, now)
}

// changeInvoice runs one change of an invoice, with its pool and pledges, in a
// transaction (see change): the caller must be a party to the invoice.
func (s *Service) changeInvoice(ctx context.Context, key string, op Op, req any, id string,
	apply func(ctx context.Context, w *work, party invoiceParty) error) (InvoiceView, error) {
	a := account.ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return InvoiceView{}, err
	}
	if !marketplace.ValidID(id) {
		return InvoiceView{}, ErrInvoiceNotFound
	}
	_, err := s.once(ctx, key, string(op)+"-invoice", req, func(ctx context.Context) (string, error) {
		inv, err := s.store.Invoice(ctx, id)
		if err != nil {
			return "", err
		}
		party, err := s.partyTo(ctx, a, &inv)
		if err != nil {
			return "", err
		}
		switch {
		case !party.any() && a.IsAdmin():
			return "", apperr.Forbiddenf("Only the provider and the payer can change an invoice; administrators can read it.")
		case !party.any():
			return "", ErrInvoiceNotFound
		}
		w, err := s.load(ctx, inv.PoolID)
		if err != nil {
			return "", err
		}
		w.op, w.by, w.invoice, w.invoiceRead = op, a.UserID, &inv, inv.Version
		if err := apply(ctx, w, party); err != nil {
			return "", err
		}
		return "invoice:" + id, w.commit(ctx)
	})
	if err != nil {
		return InvoiceView{}, wrap(err, "%s invoice %s", op, id)
	}
	return s.Invoice(ctx, id)
}
