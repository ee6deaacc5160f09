package pooling

import (
	"cmp"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace/account"
)

// ExportRow is one line of an accountant's export: the columns most bookkeeping packages
// import (date, reference, counterparty, net, VAT, gross, account), plus what it is.
type ExportRow struct {
	Date         time.Time
	Reference    string
	Counterparty string
	NetPence     int64
	VATPence     int64
	GrossPence   int64
	Account      string
	Description  string
}

// ExportPeriod is the span of an export: From's day to To's day, both included, in UK
// dates (Europe/London).
type ExportPeriod struct{ From, To time.Time }

// ParseExportPeriod reads from and to (YYYY-MM-DD); at most two years apart.
func ParseExportPeriod(from, to string) (ExportPeriod, error) {
	var f apperr.Fields
	p := ExportPeriod{}
	var err error
	if p.From, err = time.ParseInLocation(time.DateOnly, from, london); err != nil {
		f.Add("from", "must be a date written as YYYY-MM-DD")
	}
	if p.To, err = time.ParseInLocation(time.DateOnly, to, london); err != nil {
		f.Add("to", "must be a date written as YYYY-MM-DD")
	}
	if f.Err() == nil && (p.To.Before(p.From) || p.To.Sub(p.From) > 2*366*24*time.Hour) {
		f.Add("to", "must be on or after from, and at most two years later")
	}
	p.To = p.To.AddDate(0, 0, 1) // the end of the last day
	return p, f.Err()
}

func (p ExportPeriod) has(t time.Time) bool { return !t.Before(p.From) && t.Before(p.To) }

// london is the time zone of the dates people and accountants use.
var london = func() *time.Location {
	if l, err := time.LoadLocation("Europe/London"); err == nil {
		return l
	}
	return time.UTC
}()

// ExportInvoices lists, for an organisation's members, the invoices, credit notes and
// payments of a period: as a provider (sales) and as a payer (purchases).
func (s *Service) ExportInvoices(ctx context.Context, orgID string, p ExportPeriod) ([]ExportRow, error) {
	if err := s.canExport(ctx, orgID); err != nil {
		return nil, err
	}
	sales, err := s.store.Invoices(ctx, InvoiceQuery{ProviderID: orgID})
	if err != nil {
		return nil, err
	}
	purchases, err := s.store.Invoices(ctx, InvoiceQuery{Payer: &Payer{Kind: "organisation", ID: orgID}})
	if err != nil {
		return nil, err
	}
	var rows []ExportRow
	for _, inv := range sales {
		rows = append(rows, s.invoiceRows(ctx, inv, p, false)...)
	}
	for _, inv := range purchases {
		rows = append(rows, s.invoiceRows(ctx, inv, p, true)...)
	}
	slices.SortStableFunc(rows, func(a, b ExportRow) int {
		return cmp.Or(a.Date.Compare(b.Date), cmp.Compare(a.Reference, b.Reference))
	})
	return rows, nil
}

// invoiceRows are an invoice's rows in the period, from the provider's side (sales) or
// the payer's (purchases).
func (s *Service) invoiceRows(ctx context.Context, inv Invoice, p ExportPeriod, purchase bool) []ExportRow {
	kind, account, counterparty := "Sales invoice", "Sales", s.payerName(ctx, inv.Payer)
	if purchase {
		kind, account, counterparty = "Purchase invoice", "Purchases", s.orgName(ctx, inv.ProviderID)
	}
	var rows []ExportRow
	if p.has(inv.IssuedAt) {
		rows = append(rows, ExportRow{Date: inv.IssuedAt, Reference: inv.Reference, Counterparty: counterparty,
			NetPence: inv.NetPence, VATPence: inv.VATPence, GrossPence: inv.GrossPence, Account: account,
			Description: fmt.Sprintf("%s: %s, billing period %d", kind, inv.OfferTitle, inv.Period+1)})
	}
	for _, cn := range inv.CreditNotes {
		if p.has(cn.At) {
			net, vat := inv.VAT.Split(cn.AmountPence)
			rows = append(rows, ExportRow{Date: cn.At, Reference: cn.Reference, Counterparty: counterparty,
				NetPence: -net, VATPence: -vat, GrossPence: -cn.AmountPence, Account: account,
				Description: fmt.Sprintf("Credit note on %s: %s", inv.Reference, cn.Reason)})
		}
	}
	for _, pay := range inv.Payments {
		if pay.AppliedAt == nil || !p.has(*pay.AppliedAt) {
			continue
		}
		amount, what := pay.AmountPence, "Payment received"
		if purchase {
			amount, what = -amount, "Payment made"
		}
		rows = append(rows, ExportRow{Date: *pay.AppliedAt, Reference: pay.Reference, Counterparty: counterparty,
			NetPence: amount, GrossPence: amount, Account: paymentAccount(pay.Method),
			Description: fmt.Sprintf("%s for %s", what, inv.Reference)})
	}
	return rows
}

func paymentAccount(m PaymentMethod) string {
	if m == PayFromISF {
		return "ISF funds held"
	}
	return "Bank"
}

// payerName names a payer for an export: the organisation's name; never a person's.
func (s *Service) payerName(ctx context.Context, p Payer) string {
	switch p.Kind {
	case "organisation":
		return s.orgName(ctx, p.ID)
	case "card":
		return "Budget holder, by card (private)"
	}
	return "Budget holder (private)"
}

func (s *Service) orgName(ctx context.Context, id string) string {
	if o, err := s.dir.Organisation(ctx, id); err == nil {
		return o.Name
	}
	return id
}

// canExport lets an organisation's owners and members (and administrators) export its
// books.
func (s *Service) canExport(ctx context.Context, orgID string) error {
	a := account.ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return err
	}
	if !a.MemberOf(orgID) && !a.IsAdmin() {
		return apperr.Forbiddenf("Only the members of an organisation can export its books.")
	}
	return nil
}

// WriteExportCSV writes rows as CSV, amounts as plain decimals in pounds.
func WriteExportCSV(w io.Writer, rows []ExportRow) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"date", "reference", "counterparty", "net", "vat", "gross", "account", "description"})
	for _, r := range rows {
		_ = cw.Write([]string{r.Date.In(london).Format(time.DateOnly), csvSafe(r.Reference), csvSafe(r.Counterparty),
			decimalPounds(r.NetPence), decimalPounds(r.VATPence), decimalPounds(r.GrossPence), r.Account,
			csvSafe(strings.TrimSpace(r.Description))})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write export: %w", err)
	}
	return nil
}
