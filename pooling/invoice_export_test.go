package pooling_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/pooling"
)

func TestExportsListAnOrganisationsBooksForAnAccountant(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pooling.Config{})
	pool, _ := w.mixedPool(t)
	isf := byPayer(t, w.invoices(t, pool.ID), "organisation", w.isfProvider.ID)
	if _, err := w.svc.RecordPayment(w.ivy.ctx(t), isf.ID, pooling.PaymentInput{AmountPence: 5000, Method: pooling.PayFromISF}, ""); err != nil {
		t.Fatal(err)
	}
	day := isf.IssuedAt.Format("2006-01-02")
	period, err := pooling.ParseExportPeriod(day, day)
	if err != nil {
		t.Fatal(err)
	}
	sales, err := w.svc.ExportInvoices(w.pat.ctx(t), w.provider.ID, period)
	if err != nil {
		t.Fatal(err)
	}
	var gross int64
	kinds := map[string]int{}
	for _, r := range sales {
		kinds[r.Account]++
		if r.Account == "Sales" {
			gross += r.GrossPence
		}
		if r.NetPence+r.VATPence != r.GrossPence {
			t.Errorf("row %+v: net + VAT is not gross", r)
		}
	}
	if kinds["Sales"] != 4 || kinds["Bank"] != 0 || kinds["ISF funds held"] != 1 || gross != 5*9600 {
		t.Errorf("the provider's export: %v, sales gross %d", kinds, gross)
	}
	purchases, err := w.svc.ExportInvoices(w.ivy.ctx(t), w.isfProvider.ID, period)
	if err != nil {
		t.Fatal(err)
	}
	if len(purchases) != 2 || purchases[0].Counterparty != "Friday Arts" || purchases[1].GrossPence != -5000 {
		t.Errorf("the ISF provider's export: %+v", purchases)
	}
	var buf bytes.Buffer
	if err := pooling.WriteExportCSV(&buf, purchases); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil || len(recs) != 3 || strings.Join(recs[0], ",") != "date,reference,counterparty,net,vat,gross,account,description" || recs[1][5] != "192.00" {
		t.Errorf("CSV %q, %v", recs, err)
	}
	ledger, err := w.svc.ExportLedger(w.ivy.ctx(t), w.isfProvider.ID, period)
	if err != nil || len(ledger) == 0 {
		t.Fatalf("the ISF provider's ledger export: %d rows, %v", len(ledger), err)
	}
	for _, r := range ledger {
		if !strings.HasPrefix(r.Account, "isf:") {
			t.Errorf("ledger export row on someone else's account %s", r.Account)
		}
	}
	_, err = w.svc.ExportInvoices(w.uma.ctx(t), w.provider.ID, period)
	wantKind(t, err, apperr.Forbidden, "")
	_, err = w.svc.ExportLedger(w.pat.ctx(t), w.isfProvider.ID, period)
	wantKind(t, err, apperr.Forbidden, "")
	for _, bad := range [][2]string{{"2026-13-01", day}, {day, "yesterday"}, {"2026-05-01", "2026-04-01"}, {"2020-01-01", "2026-01-01"}} {
		if _, err := pooling.ParseExportPeriod(bad[0], bad[1]); apperr.KindOf(err) != apperr.Invalid {
			t.Errorf("period %v: %v, want refused", bad, err)
		}
	}
}
