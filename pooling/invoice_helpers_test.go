package pooling_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/pooling"
)

// invoices lists a pool's invoices as its provider sees them, oldest first.
func (w *world) invoices(t testing.TB, poolID string) []pooling.InvoiceView {
	t.Helper()
	invs, err := w.svc.Invoices(w.pat.ctx(t), pooling.InvoiceFilter{ProviderID: w.provider.ID, PoolID: poolID})
	if err != nil {
		t.Fatalf("list invoices of pool %s: %v", poolID, err)
	}
	for i, j := 0, len(invs)-1; i < j; i, j = i+1, j-1 {
		invs[i], invs[j] = invs[j], invs[i]
	}
	return invs
}

// payAll records full payment of every invoice of a pool that who may pay (the payer's
// members, or the provider for budget holders who pay their own).
func (w *world) payAll(t testing.TB, who *person, poolID string) {
	t.Helper()
	for _, inv := range w.invoices(t, poolID) {
		if v, err := w.svc.Invoice(who.ctx(t), inv.ID); err != nil || !v.CanPay {
			continue
		}
		_, err := w.svc.RecordPayment(who.ctx(t), inv.ID, pooling.PaymentInput{AmountPence: inv.OwingPence,
			Method: pooling.PayRemittance, Reference: fmt.Sprintf("BACS-%d", inv.Number)}, "pay-"+inv.ID)
		if err != nil {
			t.Fatalf("pay invoice %s: %v", inv.Reference, err)
		}
	}
}

// wantFields fails unless err is a validation error naming exactly these fields.
func wantFields(t testing.TB, err error, fields ...string) {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok || e.Kind != apperr.Invalid {
		t.Fatalf("err = %v, want a validation error on %v", err, fields)
	}
	var got []string
	for _, f := range e.Fields {
		got = append(got, f.Field)
	}
	if !slices.Equal(got, fields) {
		t.Fatalf("fields at fault %v, want %v (%v)", got, fields, err)
	}
}
