package frontend

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/carepool/carepool/pooling"
)

// The invoice pages: a provider's invoices, the invoices an ISF provider, council,
// brokerage or trust must pay, a budget holder's own; each invoice printable, with the
// forms to record a payment, approve one (the two-person rule) and issue a credit note.

func (h *Handler) registerInvoices(get, post func(path, name string, fn echo.HandlerFunc)) {
	if _, ok := h.pools.(Invoicing); !ok {
		return
	}
	get("/invoices", "invoices", h.invoicesPage)
	get("/invoices/:id", "invoice", h.invoicePage)
	post("/invoices/:id/payments", "invoice-pay", h.payInvoice)
	post("/invoices/:id/payments/:payment/approve", "invoice-approve", h.approveInvoicePayment)
	post("/invoices/:id/credit-notes", "invoice-credit", h.creditInvoice)
}

func init() {
	notices["invoice-paid"] = "The payment is recorded."
	notices["invoice-pending"] = "The payment is recorded. Someone else in your organisation must approve it before it counts."
	notices["invoice-approved"] = "You approved the payment. It now counts."
	notices["invoice-credited"] = "The credit note is issued. The money goes back to the budgets it came from."
}

func (h *Handler) invoicing() Invoicing { inv, _ := h.pools.(Invoicing); return inv }

func (h *Handler) invoicesPage(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	ctx := c.Request().Context()
	p := &InvoicesPage{Base: Base{Title: "Invoices", Section: "invoices", Terms: invoiceTerms()}}
	add := func(heading, intro string, f pooling.InvoiceFilter, provider bool) error {
		invs, err := h.invoicing().Invoices(ctx, f)
		if err != nil || len(invs) == 0 {
			return err
		}
		g := InvoiceGroup{Heading: heading, Intro: intro}
		for _, v := range invs {
			status, tag := invoiceStatus(v)
			other := v.ProviderName
			if provider {
				other = v.PayerName
			}
			g.Rows = append(g.Rows, InvoiceRow{Link: Link{URL: invoiceURL(v.ID), Label: v.Reference}, Pool: v.OfferTitle,
				Other: other, Gross: pounds(v.GrossPence), Owing: pounds(v.OwingPence), Due: shortDate(v.DueAt), Status: status, Tag: tag})
		}
		p.Groups = append(p.Groups, g)
		return nil
	}
	for _, m := range actor(c).Memberships {
		if err := add("Invoices "+m.OrgName+" issued", "What payers owe "+m.OrgName+" for sessions it delivered.",
			pooling.InvoiceFilter{ProviderID: m.OrgID}, true); err != nil {
			return err
		}
		if err := add("Invoices "+m.OrgName+" must pay", "Invoices for people whose budgets "+m.OrgName+" holds.",
			pooling.InvoiceFilter{PayerID: m.OrgID}, false); err != nil {
			return err
		}
	}
	if err := add("Your invoices", "Invoices you pay yourself, from your direct payment.", pooling.InvoiceFilter{}, false); err != nil {
		return err
	}
	return h.render(c, http.StatusOK, p)
}

func (h *Handler) invoicePage(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	p, err := h.newInvoicePage(c, c.Param("id"))
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, p)
}

// newInvoicePage builds an invoice's page as the caller may see it.
func (h *Handler) newInvoicePage(c echo.Context, id string) (*InvoicePage, error) {
	v, err := h.invoicing().Invoice(c.Request().Context(), id)
	if err != nil {
		return nil, err
	}
	p := &InvoicePage{Base: Base{Title: "Invoice " + v.Reference, Section: "invoices", Terms: invoiceTerms()}, Inv: v,
		Issued: shortDate(v.IssuedAt), Due: shortDate(v.DueAt), VAT: vatWords[v.VAT], Net: pounds(v.NetPence), VATAmt: pounds(v.VATPence),
		Gross: pounds(v.GrossPence), Owing: pounds(v.OwingPence), Paid: pounds(v.PaidPence), Key: newIdempotencyKey(), ISF: v.FromISF}
	p.Period = shortDate(v.PeriodFrom)
	if !v.PeriodTo.Equal(v.PeriodFrom) {
		p.Period += " to " + shortDate(v.PeriodTo)
	}
	p.Status, p.Tag = invoiceStatus(v)
	for _, l := range v.Lines {
		r := InvoiceLineRow{Description: l.Description, Sessions: l.Sessions, Amount: pounds(l.AmountPence)}
		if l.CreditedPence > 0 {
			r.Credited = pounds(l.CreditedPence)
		}
		p.Lines = append(p.Lines, r)
	}
	for _, pay := range v.Payments {
		r := PaymentRow{Date: shortDate(pay.RecordedAt), Amount: pounds(pay.AmountPence), Method: methodWords[pay.Method],
			Reference: pay.Reference, Pending: pay.Status == pooling.PaymentPendingApproval}
		if r.Pending && v.CanPay && pay.RecordedBy != actor(c).UserID {
			r.ApproveAction = invoiceURL(v.ID) + "/payments/" + pay.ID + "/approve"
		}
		p.Payments = append(p.Payments, r)
	}
	for _, cn := range v.CreditNotes {
		p.Credits = append(p.Credits, CreditRow{Reference: cn.Reference, Date: shortDate(cn.At), Amount: pounds(cn.AmountPence), Reason: cn.Reason})
	}
	if v.CanPay {
		p.PayAction = invoiceURL(v.ID) + "/payments"
		p.Payment.Amount = poundsInput(v.OwingPence - v.PendingPence)
		p.Payment.Method = string(pooling.PayRemittance)
		if p.ISF {
			p.Payment.Method = string(pooling.PayFromISF)
		}
	}
	for _, m := range []pooling.PaymentMethod{pooling.PayFromISF, pooling.PayRemittance} {
		p.Methods = append(p.Methods, Option{Value: string(m), Label: methodWords[m], Checked: p.Payment.Method == string(m)})
	}
	if v.CanCredit {
		p.CreditAction = invoiceURL(v.ID) + "/credit-notes"
	}
	return p, nil
}

var paymentFields = fieldSpecs{
	"":             {ID: "amount"},
	"amount_pence": {ID: "amount", Label: "Amount", Required: "Enter the amount paid"},
	"method":       {ID: "method", Label: "How it was paid"},
	"reference":    {ID: "reference", Label: "Reference", Required: "Enter the remittance reference"},
}

var creditFields = fieldSpecs{
	"":             {ID: "credit-amount"},
	"amount_pence": {ID: "credit-amount", Label: "Amount", Required: "Enter the amount to credit"},
	"reason":       {ID: "credit-reason", Label: "Reason", Required: "Enter why the invoice is corrected"},
	"pledge_id":    {ID: "credit-amount", Label: "Place"},
}

func (h *Handler) payInvoice(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	form := PaymentForm{Amount: strings.TrimSpace(c.FormValue("amount")), Method: c.FormValue("method"),
		Reference: strings.TrimSpace(c.FormValue("reference"))}
	pence, ok := parsePounds(form.Amount)
	if !ok {
		return h.invoiceFormError(c, func(p *InvoicePage) { p.keepPayment(form) },
			FormErrors{{ID: "amount", Message: "Enter the amount in pounds, like 96.00"}})
	}
	v, err := h.invoicing().RecordPayment(c.Request().Context(), c.Param("id"),
		pooling.PaymentInput{AmountPence: pence, Method: pooling.PaymentMethod(form.Method), Reference: form.Reference}, formKey(c))
	if errs, ok := formErrors(err, paymentFields, nil); ok {
		return h.invoiceFormError(c, func(p *InvoicePage) { p.keepPayment(form) }, errs)
	}
	if err != nil {
		return err
	}
	done := "invoice-paid"
	if v.PendingPence > 0 {
		done = "invoice-pending"
	}
	return c.Redirect(http.StatusSeeOther, withDone(invoiceURL(v.ID), done))
}

func (h *Handler) approveInvoicePayment(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	v, err := h.invoicing().ApprovePayment(c.Request().Context(), c.Param("id"), c.Param("payment"), formKey(c))
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, withDone(invoiceURL(v.ID), "invoice-approved"))
}

func (h *Handler) creditInvoice(c echo.Context) error {
	if done, err := h.loginFirst(c); done {
		return err
	}
	form := CreditForm{Amount: strings.TrimSpace(c.FormValue("amount")), Reason: strings.TrimSpace(c.FormValue("reason"))}
	pence, ok := parsePounds(form.Amount)
	if !ok {
		return h.invoiceFormError(c, func(p *InvoicePage) { p.Credit = form },
			FormErrors{{ID: "credit-amount", Message: "Enter the amount in pounds, like 20.00"}})
	}
	v, err := h.invoicing().IssueCreditNote(c.Request().Context(), c.Param("id"),
		pooling.CreditNoteInput{AmountPence: pence, Reason: form.Reason}, formKey(c))
	if errs, ok := formErrors(err, creditFields, nil); ok {
		return h.invoiceFormError(c, func(p *InvoicePage) { p.Credit = form }, errs)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, withDone(invoiceURL(v.ID), "invoice-credited"))
}

// invoiceFormError shows the invoice again with a form's errors and what was typed.
func (h *Handler) invoiceFormError(c echo.Context, keep func(*InvoicePage), errs FormErrors) error {
	p, err := h.newInvoicePage(c, c.Param("id"))
	if err != nil {
		return err
	}
	keep(p)
	p.Errors = errs
	return h.render(c, http.StatusUnprocessableEntity, p)
}

func invoiceTerms() []Term { return terms("isf", "vat", "credit-note", "remittance-reference") }
