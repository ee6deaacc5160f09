package pooling_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/carepool/carepool/pooling"
)

// Verify finds damage to invoices: amounts edited behind the ledger's back, a gap in the
// numbers, money moved for an invoice that does not record it.
func TestVerifyFindsBrokenInvoices(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tests := []struct {
		name   string
		damage func(t *testing.T, w *world, inv pooling.InvoiceView)
		rules  []string
	}{
		{"an invoice marked paid without a payment", func(t *testing.T, w *world, inv pooling.InvoiceView) {
			_, err := w.db.Collection("invoices").UpdateOne(ctx, bson.M{"_id": inv.ID}, bson.M{"$set": bson.M{"paid_pence": inv.GrossPence}})
			if err != nil {
				t.Fatal(err)
			}
		}, []string{pooling.RuleInvoiceAmounts, pooling.RuleInvoiceLedger, pooling.RuleProviderStages}},
		{"a gap in the invoice numbers", func(t *testing.T, w *world, inv pooling.InvoiceView) {
			_, err := w.db.Collection("invoices").UpdateOne(ctx, bson.M{"_id": inv.ID}, bson.M{"$set": bson.M{"number": 99}})
			if err != nil {
				t.Fatal(err)
			}
		}, []string{pooling.RuleInvoiceNumbers}},
		{"a payment in the ledger the invoice does not show", func(t *testing.T, w *world, inv pooling.InvoiceView) {
			l := inv.Lines[0]
			err := w.store.Post(ctx, pooling.Entry{ID: "forged", Key: "forged", Op: pooling.OpSettle, PoolID: inv.PoolID,
				ProviderID: inv.ProviderID, InvoiceID: inv.ID, At: time.Now(), Lines: []pooling.Line{
					{Account: pooling.ProviderAccount(inv.ProviderID, pooling.Invoiced), AmountPence: -100, PledgeID: l.PledgeID},
					{Account: pooling.ProviderAccount(inv.ProviderID, pooling.Settled), AmountPence: 100, PledgeID: l.PledgeID}}})
			if err != nil {
				t.Fatal(err)
			}
		}, []string{pooling.RuleInvoiceLedger, pooling.RuleProviderStages}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := worldOn(t, openEnv(t, pooling.Config{}))
			pool, _ := w.mixedPool(t)
			inv := byPayer(t, w.invoices(t, pool.ID), "organisation", w.isfProvider.ID)
			if _, err := w.svc.RecordPayment(w.ivy.ctx(t), inv.ID, pooling.PaymentInput{AmountPence: 100, Method: pooling.PayFromISF}, ""); err != nil {
				t.Fatal(err)
			}
			before, err := w.svc.Verify(ctx)
			if err != nil || !before.OK() || before.Invoices != 4 {
				t.Fatalf("before breaking anything: %+v, %v", before, err)
			}
			tt.damage(t, w, inv)
			rep, err := w.svc.Verify(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var rules []string
			for _, v := range rep.Violations {
				rules = append(rules, v.Rule)
			}
			for _, want := range tt.rules {
				if !slices.Contains(rules, want) {
					t.Errorf("Verify missed %s; it found %+v", want, rep.Violations)
				}
			}
		})
	}
}
