package frontend

import (
	"time"

	"github.com/carepool/carepool/pooling"
)

// sampleInvoicePages are the invoice pages with every branch filled in: a part-paid ISF
// invoice with a pending payment, a credit note and both forms showing errors, and an
// empty list.
func sampleInvoicePages() []page {
	base := func(title string) Base {
		return Base{Title: title, User: &NavUser{Name: "Ivy Isf"}, CSRF: "token", Path: "/invoices", Terms: invoiceTerms()}
	}
	at := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	inv := pooling.InvoiceView{Invoice: pooling.Invoice{ID: "i1", Reference: "INV-000007", ProviderName: "Friday Arts",
		PayerName: "Caring Hands", OfferTitle: "Friday art", VATNumber: "GB123456789", IssuedAt: at, DueAt: at.AddDate(0, 0, 30),
		PeriodFrom: at, PeriodTo: at.AddDate(0, 0, 21), VAT: pooling.VATStandard, GrossPence: 19200, NetPence: 16000, VATPence: 3200,
		Lines: []pooling.InvoiceLine{{PledgeID: "pl1", Description: "Place 1", Sessions: 4, AmountPence: 9600, CreditedPence: 500}},
		Payments: []pooling.InvoicePayment{{ID: "pay1", AmountPence: 5000, Method: pooling.PayFromISF, Reference: "ISF-1",
			Status: pooling.PaymentPendingApproval, RecordedAt: at}},
		CreditNotes: []pooling.CreditNote{{Reference: "CN-000001", AmountPence: 500, Reason: "Left early", At: at}}},
		OwingPence: 18700, PendingPence: 5000, FromISF: true, CanPay: true, CanCredit: true}
	full := &InvoicePage{Base: base("Invoice INV-000007"), Inv: inv, Issued: "1 May 2026", Due: "31 May 2026", Period: "1 May 2026 to 22 May 2026",
		Status: "Part paid", Tag: "govuk-tag--blue", VAT: vatWords[pooling.VATStandard], Net: "£160", VATAmt: "£32", Gross: "£192",
		Owing: "£187", Paid: "£0", ISF: true, Key: "k1", PayAction: "/invoices/i1/payments", CreditAction: "/invoices/i1/credit-notes",
		Payments: []PaymentRow{{Date: "1 May 2026", Amount: "£50", Method: "From the individual service funds held", Reference: "ISF-1",
			Pending: true, ApproveAction: "/invoices/i1/payments/pay1/approve"}},
		Credits: []CreditRow{{Reference: "CN-000001", Date: "1 May 2026", Amount: "£5", Reason: "Left early"}},
		Lines:   []InvoiceLineRow{{Description: "Place 1", Sessions: 4, Amount: "£96", Credited: "£5"}},
		Methods: []Option{{Value: "isf", Label: "From the individual service funds held", Checked: true}, {Value: "remittance", Label: "Bank transfer"}},
		Payment: PaymentForm{Amount: "x", Method: "isf"}, Credit: CreditForm{Amount: "y"}}
	full.Errors = FormErrors{{ID: "amount", Message: "Enter the amount in pounds"}, {ID: "credit-amount", Message: "Enter the amount in pounds"}}
	plain := &InvoicePage{Base: base("Invoice INV-000008"), Inv: pooling.InvoiceView{Invoice: pooling.Invoice{Reference: "INV-000008"}}, Status: "Paid", Tag: "govuk-tag--green"}
	list := &InvoicesPage{Base: base("Invoices"), Groups: []InvoiceGroup{{Heading: "Invoices Caring Hands must pay", Intro: "x",
		Rows: []InvoiceRow{{Link: Link{URL: "/invoices/i1", Label: "INV-000007"}, Pool: "Friday art", Other: "Friday Arts", Gross: "£192",
			Owing: "£187", Due: "31 May 2026", Status: "Overdue", Tag: "govuk-tag--red"}}}}}
	change := newEmailChangePage()
	change.Base = base("Change your email address")
	change.Errors, change.Email = FormErrors{{ID: "email", Message: "Enter your new email address"}, {ID: "password", Message: "Enter your password"}}, "x"
	sent := newEmailChangePage()
	sent.Sent = true
	pw := newPasswordChangePage()
	pw.Base = base("Change your password")
	pw.Errors = FormErrors{{ID: "current-password", Message: "Enter your current password"}, {ID: "new-password", Message: "Enter a new password"}}
	return []page{full, plain, list, &InvoicesPage{Base: base("Invoices")}, change, sent, pw}
}
