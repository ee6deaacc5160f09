package main

import (
	"context"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/carepool/carepool/pooling"
)

func TestAuthzInvoices(t *testing.T) {
	t.Parallel()
	f := newAuthzFixture(t)
	f.poolFixture(t)
	f.vars["councilInvoice"] = f.councilInvoice(t)
	runAuthzMatrix(t, f, authzInvoiceRows())
}

// authzInvoiceRows are the invoice routes, with the pooling columns (authzPoolRoles).
// The target is the invoice Leeds City Council pays for alice's council-managed place:
// alice (and her representatives) may read it, the council's commissioner pays it, the
// provider issued it and may credit it.
func authzInvoiceRows() []authzRow {
	freshInvoice := func(t testing.TB, f *authzFixture) { f.vars["fresh"] = f.councilInvoice(t) }
	pendingPayment := func(t testing.TB, f *authzFixture) {
		id := f.councilInvoice(t)
		f.vars["fresh"], f.vars["payment"] = id, "matrix-payment"
		// Recorded by someone else in the council, over the two-person threshold's place.
		_, err := f.m.DB.Collection("invoices").UpdateOne(context.Background(), bson.M{"_id": id}, bson.M{"$push": bson.M{"payments": pooling.InvoicePayment{
			ID: "matrix-payment", AmountPence: 100, Method: pooling.PayRemittance, Reference: "REM-1",
			Status: pooling.PaymentPendingApproval, RecordedBy: "someone-else", RecordedAt: time.Now().UTC().Truncate(time.Millisecond)}}})
		if err != nil {
			t.Fatal(err)
		}
	}
	day := time.Now().In(time.UTC).Format(time.DateOnly)
	period := "?from=" + day + "&to=" + day
	rows := []authzRow{
		{route: "GET /api/v1/invoices", target: "own", path: "/api/v1/invoices", want: authzPoolUsersOK},
		{route: "GET /api/v1/invoices", target: "right provider's", path: "/api/v1/invoices?provider_id={provOrg}", want: "401 403 403 403 403 200 403 403 403 200"},
		{route: "GET /api/v1/invoices/:id", target: "the council's", path: "/api/v1/invoices/{councilInvoice}", want: "401 200 200 200 404 200 404 200 404 200"},
		{route: "POST /api/v1/invoices/:id/payments", target: "the council's", path: "/api/v1/invoices/{fresh}/payments", want: "401 403 403 403 404 403 404 200 404 200",
			header: authzKey, setup: freshInvoice,
			body: authzConst(pooling.PaymentInput{AmountPence: 100, Method: pooling.PayRemittance, Reference: "REM-9"})},
		{route: "POST /api/v1/invoices/:id/payments/:payment/approve", target: "a pending payment", path: "/api/v1/invoices/{fresh}/payments/{payment}/approve",
			want: "401 403 403 403 404 403 404 200 404 200", header: authzKey, setup: pendingPayment},
		{route: "POST /api/v1/invoices/:id/credit-notes", target: "the council's", path: "/api/v1/invoices/{fresh}/credit-notes", want: "401 403 403 403 404 200 404 403 404 403",
			header: authzKey, setup: freshInvoice,
			body: authzConst(pooling.CreditNoteInput{AmountPence: 100, Reason: "Matrix test"})},
		{route: "GET /api/v1/organisations/:id/exports/invoices", target: "right provider", path: "/api/v1/organisations/{provOrg}/exports/invoices" + period,
			want: "401 403 403 403 403 200 403 403 403 200", binary: true},
		{route: "GET /api/v1/organisations/:id/exports/ledger", target: "the council", path: "/api/v1/organisations/{council}/exports/ledger" + period,
			want: "401 403 403 403 403 403 403 200 403 200", binary: true},
	}
	for i := range rows {
		rows[i].roles = authzPoolRoles
	}
	return rows
}

// councilInvoice delivers a one-session pool with alice's council-managed pledge (approved
// by the commissioner), bob's and the stranger's, and returns the council's invoice.
func (f *authzFixture) councilInvoice(t testing.TB) string {
	t.Helper()
	id := f.newPool(t, pooling.Public, true)
	pledge := f.newPledge(t, "alice", "alice_council_managed", id)
	if _, err := f.m.Pools.Approve(f.as(t, "comm"), pledge, ""); err != nil {
		t.Fatal(err)
	}
	for _, who := range []string{"bob", "stranger"} {
		f.newPledge(t, who, who+"_direct_payment", id)
	}
	if _, err := f.m.Pools.ConfirmPool(f.as(t, "ulo"), id, ""); err != nil {
		t.Fatal(err)
	}
	_, err := f.m.DB.Collection("pools").UpdateOne(context.Background(), bson.M{"_id": id},
		bson.M{"$set": bson.M{"sessions.0.starts_at": time.Now().UTC().Add(-time.Hour).Truncate(time.Millisecond)}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.m.Pools.RecordDelivery(f.as(t, "prov"), id, pooling.DeliveryInput{Session: 0}, ""); err != nil {
		t.Fatal(err)
	}
	invs, err := f.m.Pools.Invoices(f.as(t, "comm"), pooling.InvoiceFilter{PayerID: f.vars["council"], PoolID: id})
	if err != nil || len(invs) != 1 {
		t.Fatalf("the council's invoice: %v, %v", invs, err)
	}
	return invs[0].ID
}
