package pooling

import (
	"fmt"
	"time"
)

// An Invoice asks one payer to pay a provider for one billing period of one pool. When a
// period's sessions are all done, the provider's invoices for it are issued from what is
// on file, one per payer (an ISF provider, a council, a brokerage, a trust, or a budget
// holder who pays their own invoices), in the same transaction as the change that
// finished the period. Invoices are numbered per provider 1, 2, 3, … with no gaps: the
// number comes from a counter incremented in that transaction, so an aborted change
// takes no number.
type Invoice struct {
	ID         string    `json:"id" bson:"_id"`
	ProviderID string    `json:"provider_id" bson:"provider_id"`
	Number     int64     `json:"number" bson:"number"`
	Reference  string    `json:"reference" bson:"reference"` // e.g. INV-000042
	PoolID     string    `json:"pool_id" bson:"pool_id"`
	OfferTitle string    `json:"offer_title" bson:"offer_title"`
	Period     int       `json:"period" bson:"period"` // index into the pool's periods
	PeriodFrom time.Time `json:"period_from" bson:"period_from"`
	PeriodTo   time.Time `json:"period_to" bson:"period_to"`
	Payer      Payer     `json:"payer" bson:"payer"`
	// The names as printed when the invoice was issued. A budget holder who pays is never
	// named: "Budget holder (private)".
	ProviderName string        `json:"provider_name" bson:"provider_name"`
	PayerName    string        `json:"payer_name" bson:"payer_name"`
	VATNumber    string        `json:"vat_number,omitempty" bson:"vat_number,omitempty"`
	Lines        []InvoiceLine `json:"lines" bson:"lines"`
	VAT          VATStatus     `json:"vat_status" bson:"vat_status"`
	NetPence     int64         `json:"net_pence" bson:"net_pence"`
	VATPence     int64         `json:"vat_pence" bson:"vat_pence"`
	GrossPence   int64         `json:"gross_pence" bson:"gross_pence"`
	// PaidPence and CreditedPence are the sums of the applied payments and the credit
	// notes; the payer owes GrossPence − PaidPence − CreditedPence.
	PaidPence     int64            `json:"paid_pence" bson:"paid_pence"`
	CreditedPence int64            `json:"credited_pence" bson:"credited_pence"`
	Payments      []InvoicePayment `json:"payments" bson:"payments"`
	CreditNotes   []CreditNote     `json:"credit_notes" bson:"credit_notes"`
	IssuedAt      time.Time        `json:"issued_at" bson:"issued_at"`
	DueAt         time.Time        `json:"due_at" bson:"due_at"`
	// Owing is OwingPence as last stored, so the store can select unpaid invoices.
	Owing int64 `json:"-" bson:"owing_pence"`
	// OverdueNoticeAt is when the payer was told the invoice is overdue (once).
	OverdueNoticeAt *time.Time `json:"-" bson:"overdue_notice_at,omitempty"`
	Version         int64      `json:"version" bson:"version"`
}

// InvoiceLine is what one place in the pool costs the payer for the period. Lines name
// the pledge (an opaque id), never the person.
type InvoiceLine struct {
	PledgeID      string `json:"pledge_id" bson:"pledge_id"`
	Source        string `json:"-" bson:"source"` // the ledger source the money came from
	Description   string `json:"description" bson:"description"`
	Sessions      int    `json:"sessions" bson:"sessions"`
	AmountPence   int64  `json:"amount_pence" bson:"amount_pence"`
	PaidPence     int64  `json:"paid_pence" bson:"paid_pence"`
	CreditedPence int64  `json:"credited_pence" bson:"credited_pence"`
}

// owing is what is still to pay on the line.
func (l InvoiceLine) owing() int64 { return l.AmountPence - l.PaidPence - l.CreditedPence }

// VATStatus is a provider's VAT position, printed on its invoices.
type VATStatus string

// The VAT positions. Care provided by a registered care provider is usually exempt;
// small providers and personal assistants are usually not registered; a registered
// business charging standard-rated activities includes VAT at 20% in its prices.
const (
	VATNotRegistered VATStatus = "not_registered"
	VATExempt        VATStatus = "exempt"
	VATStandard      VATStatus = "standard"
)

// Split returns the net and VAT parts of a gross amount: for standard-rated invoices the
// price includes VAT at 20%, so VAT is one sixth of the gross, rounded to the nearest
// penny (halves up); otherwise there is no VAT.
func (v VATStatus) Split(gross int64) (net, vat int64) {
	if v != VATStandard || gross <= 0 {
		return gross, 0
	}
	vat = (gross + 3) / 6
	return gross - vat, vat
}

// InvoiceStatus is where an invoice is, derived from its amounts and dates.
type InvoiceStatus string

// The statuses of an invoice.
const (
	InvoiceIssued   InvoiceStatus = "issued"    // nothing paid yet
	InvoicePartPaid InvoiceStatus = "part_paid" // some paid, some still owed
	InvoicePaid     InvoiceStatus = "paid"      // nothing owed: paid, or paid and credited
	InvoiceCredited InvoiceStatus = "credited"  // nothing owed and nothing paid: credited in full
)

// OwingPence is what the payer still has to pay.
func (inv *Invoice) OwingPence() int64 { return inv.GrossPence - inv.PaidPence - inv.CreditedPence }

// PendingPence is the sum of payments recorded but waiting for a second approver.
func (inv *Invoice) PendingPence() int64 {
	var sum int64
	for _, p := range inv.Payments {
		if p.Status == PaymentPendingApproval {
			sum += p.AmountPence
		}
	}
	return sum
}

// Status is the invoice's status from its amounts.
func (inv *Invoice) Status() InvoiceStatus {
	switch {
	case inv.OwingPence() > 0 && inv.PaidPence > 0:
		return InvoicePartPaid
	case inv.OwingPence() > 0:
		return InvoiceIssued
	case inv.PaidPence == 0:
		return InvoiceCredited
	}
	return InvoicePaid
}

// Overdue reports whether money is still owed after the due date.
func (inv *Invoice) Overdue(now time.Time) bool { return inv.OwingPence() > 0 && now.After(inv.DueAt) }

// PaymentMethod is how a payer paid an invoice.
type PaymentMethod string

// The ways an invoice is paid.
const (
	// PayFromISF: the ISF provider pays from the individual service funds it holds for
	// the people on the invoice.
	PayFromISF PaymentMethod = "isf"
	// PayRemittance: a council, brokerage, trust or budget holder paid by bank transfer;
	// the reference is their remittance advice's.
	PayRemittance PaymentMethod = "remittance"
)

// PaymentStatus says whether a recorded payment has been applied.
type PaymentStatus string

// The statuses of a recorded payment. A payment over the two-person threshold waits for
// a second member of the paying organisation before it is applied.
const (
	PaymentApplied         PaymentStatus = "applied"
	PaymentPendingApproval PaymentStatus = "pending_approval"
)

// InvoicePayment is one payment recorded against an invoice.
type InvoicePayment struct {
	ID          string        `json:"id" bson:"id"`
	AmountPence int64         `json:"amount_pence" bson:"amount_pence"`
	Method      PaymentMethod `json:"method" bson:"method"`
	Reference   string        `json:"reference" bson:"reference"`
	Status      PaymentStatus `json:"status" bson:"status"`
	RecordedBy  string        `json:"recorded_by" bson:"recorded_by"`
	RecordedAt  time.Time     `json:"recorded_at" bson:"recorded_at"`
	ApprovedBy  string        `json:"approved_by,omitempty" bson:"approved_by,omitempty"`
	AppliedAt   *time.Time    `json:"applied_at,omitempty" bson:"applied_at,omitempty"`
}

// CreditNote reduces what a payer owes on an invoice, to correct it. It has its own
// number from the provider's credit note sequence (CN-000001, …); the credited money
// returns to the budgets it came from.
type CreditNote struct {
	ID          string    `json:"id" bson:"id"`
	Number      int64     `json:"number" bson:"number"`
	Reference   string    `json:"reference" bson:"reference"`
	AmountPence int64     `json:"amount_pence" bson:"amount_pence"`
	Reason      string    `json:"reason" bson:"reason"`
	By          string    `json:"by" bson:"by"`
	At          time.Time `json:"at" bson:"at"`
}

// Document kinds numbered per provider, each with its own gap-free sequence.
const (
	invoiceSequence    = "invoice"
	creditNoteSequence = "credit-note"
)

func invoiceReference(n int64) string    { return fmt.Sprintf("INV-%06d", n) }
func creditNoteReference(n int64) string { return fmt.Sprintf("CN-%06d", n) }

func cloneInvoice(inv Invoice) Invoice {
	inv.Lines = append([]InvoiceLine(nil), inv.Lines...)
	inv.Payments = append([]InvoicePayment(nil), inv.Payments...)
	inv.CreditNotes = append([]CreditNote(nil), inv.CreditNotes...)
	return inv
}
