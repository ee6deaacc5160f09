package main

import (
	"context"
	"encoding/csv"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/carepool/carepool/pooling"
)

// The invoice API from end to end on a seeded server: the council's invoice for alice's
// place is listed for the commissioner, paid in two parts through the API (overpaying
// refused with the field at fault), and shows in the council's accountant export; Verify
// holds after each step.
func TestInvoiceAPISettlesACouncilInvoiceInParts(t *testing.T) {
	t.Parallel()
	f := newAuthzFixture(t)
	f.poolFixture(t)
	id := f.councilInvoice(t)
	comm := f.client("comm")
	resp, body := comm.do(http.MethodGet, "/api/v1/invoices?payer_id="+f.vars["council"]+"&unpaid=true", nil)
	authzMustStatus(t, resp, body, http.StatusOK)
	list := decode[struct{ Items []pooling.InvoiceView }](t, body).Items
	if len(list) != 1 || list[0].ID != id || list[0].PayerName != "Leeds City Council" || list[0].OwingPence != 8000 {
		t.Fatalf("the council's unpaid invoices: %+v", list)
	}
	path := "/api/v1/invoices/" + id + "/payments"
	pay := func(amount int64, key string) (*http.Response, []byte) {
		return comm.do(http.MethodPost, path, map[string]any{"amount_pence": amount, "method": "remittance", "reference": "LCC-" + key}, "Idempotency-Key", key)
	}
	resp, body = pay(3000, "p1")
	authzMustStatus(t, resp, body, http.StatusOK)
	if v := decode[pooling.InvoiceView](t, body); v.Status != pooling.InvoicePartPaid || v.OwingPence != 5000 {
		t.Errorf("after £30: %s owing %d", v.Status, v.OwingPence)
	}
	resp, body = pay(5001, "p2")
	authzMustStatus(t, resp, body, http.StatusUnprocessableEntity)
	if !strings.Contains(string(body), `"amount_pence"`) || !strings.Contains(string(body), "£50.00 is left to pay") {
		t.Errorf("overpaying: %s", body)
	}
	resp, body = comm.do(http.MethodPost, path, map[string]any{"amount_pence": 10, "method": "cheque"}, "Idempotency-Key", "p3")
	authzMustStatus(t, resp, body, http.StatusUnprocessableEntity)
	resp, body = pay(5000, "p4")
	authzMustStatus(t, resp, body, http.StatusOK)
	if v := decode[pooling.InvoiceView](t, body); v.Status != pooling.InvoicePaid || len(v.Payments) != 2 {
		t.Errorf("after paying the rest: %s, %d payments", v.Status, len(v.Payments))
	}
	day := time.Now().UTC().Format(time.DateOnly)
	resp, body = comm.do(http.MethodGet, "/api/v1/organisations/"+f.vars["council"]+"/exports/invoices?from="+day+"&to="+day, nil)
	authzMustStatus(t, resp, body, http.StatusOK)
	recs, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
	if err != nil || len(recs) != 4 || recs[1][6] != "Purchases" || recs[1][5] != "80.00" || recs[3][5] != "-50.00" {
		t.Errorf("the council's export: %q, %v", recs, err)
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, "carepool-invoices-"+day) {
		t.Errorf("Content-Disposition %q", cd)
	}
	rep, err := f.m.Pools.Verify(context.Background())
	if err != nil || !rep.OK() || rep.Invoices != 3 {
		t.Errorf("verify: %+v, %v", rep, err)
	}
}
