package frontend

import (
	"context"
	"net/url"

	"github.com/carepool/carepool/pooling"
)

// Invoicing is what the invoice pages need of the pooling service.
type Invoicing interface {
	Invoices(ctx context.Context, f pooling.InvoiceFilter) ([]pooling.InvoiceView, error)
	Invoice(ctx context.Context, id string) (pooling.InvoiceView, error)
	RecordPayment(ctx context.Context, invoiceID string, in pooling.PaymentInput, key string) (pooling.InvoiceView, error)
	ApprovePayment(ctx context.Context, invoiceID, paymentID, key string) (pooling.InvoiceView, error)
	IssueCreditNote(ctx context.Context, invoiceID string, in pooling.CreditNoteInput, key string) (pooling.InvoiceView, error)
}

var _ Invoicing = (*pooling.Service)(nil)

// InvoicesPage lists the invoices the person deals with, in groups: those their
// organisations issued, those their organisations must pay, their own.
type InvoicesPage struct {
	Base
	Groups []InvoiceGroup
}

func (*InvoicesPage) templateName() string { return "invoices" }

// InvoiceGroup is one list of invoices with a heading.
type InvoiceGroup struct {
	Heading string
	Intro   string
	Rows    []InvoiceRow
}

// InvoiceRow is one invoice in a list.
type InvoiceRow struct {
	Link   Link // the reference, to the invoice page
	Pool   string
	Other  string // the payer, or the provider
	Gross  string
	Owing  string
	Due    string
	Status string
	Tag    string // the GOV.UK tag colour class of the status
}

// InvoicePage is one invoice, printable, with what the person may do with it.
type InvoicePage struct {
	Base
	Inv          pooling.InvoiceView
	Issued, Due  string
	Period       string
	Status, Tag  string
	VAT          string // the VAT position in words
	Lines        []InvoiceLineRow
	Net, VATAmt  string
	Gross, Owing string
	Paid         string
	Payments     []PaymentRow
	Credits      []CreditRow
	PayAction    string // the payment form's target, when the person may pay
	CreditAction string // the credit note form's target, when the person may credit
	ISF          bool   // paid from ISFs: offer the isf method
	Key          string
	Methods      []Option // how an ISF provider may pay
	Payment      PaymentForm
	Credit       CreditForm
}

func (*InvoicePage) templateName() string { return "invoice" }

// InvoiceLineRow is one place on an invoice.
type InvoiceLineRow struct {
	Description string
	Sessions    int
	Amount      string
	Credited    string
}

// PaymentRow is one payment recorded against an invoice.
type PaymentRow struct {
	Date, Amount, Method, Reference string
	Pending                         bool
	ApproveAction                   string // when the person may approve it
}

// CreditRow is one credit note.
type CreditRow struct{ Reference, Date, Amount, Reason string }

// PaymentForm is the payment form as typed.
type PaymentForm struct{ Amount, Method, Reference string }

// CreditForm is the credit note form as typed.
type CreditForm struct{ Amount, Reason string }

func invoiceURL(id string) string { return "/invoices/" + url.PathEscape(id) }

// invoiceStatus says an invoice's status in words, with its tag colour.
func invoiceStatus(v pooling.InvoiceView) (string, string) {
	switch {
	case v.Overdue:
		return "Overdue", "govuk-tag--red"
	case v.PendingPence > 0:
		return "Payment waiting for approval", "govuk-tag--yellow"
	}
	switch v.Status {
	case pooling.InvoicePartPaid:
		return "Part paid", "govuk-tag--blue"
	case pooling.InvoicePaid:
		return "Paid", "govuk-tag--green"
	case pooling.InvoiceCredited:
		return "Cancelled by credit note", "govuk-tag--grey"
	}
	return "Waiting for payment", "govuk-tag--blue"
}

var vatWords = map[pooling.VATStatus]string{
	pooling.VATNotRegistered: "Not registered for VAT: no VAT is charged.",
	pooling.VATExempt:        "Exempt from VAT (care and support): no VAT is charged.",
	pooling.VATStandard:      "Prices include VAT at 20%.",
}

var methodWords = map[pooling.PaymentMethod]string{
	pooling.PayFromISF:    "From the individual service funds held",
	pooling.PayRemittance: "Bank transfer",
	pooling.PayCard:       "Card",
}

// keepPayment shows the payment form as it was typed.
func (p *InvoicePage) keepPayment(form PaymentForm) {
	p.Payment = form
	for i := range p.Methods {
		p.Methods[i].Checked = p.Methods[i].Value == form.Method
	}
}
