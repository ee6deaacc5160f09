package store

import (
	"context"

	"github.com/carepool/carepool/notify"
	"github.com/carepool/carepool/pooling"
)

// NotifyInvoices reads what an invoice notification says, and who hears it, from the
// stored invoice. It lives here rather than in pooling because notify already imports
// pooling (pooling cannot import notify back).
type NotifyInvoices struct{ pools *Pooling }

var _ notify.Invoices = (*NotifyInvoices)(nil)

// NewNotifyInvoices returns the invoice reader of notifications on db.
func NewNotifyInvoices(db *DB) *NotifyInvoices { return &NotifyInvoices{pools: NewPooling(db)} }

// InvoiceFacts implements notify.Invoices: pooling's invoice NotFound passes through.
func (n *NotifyInvoices) InvoiceFacts(ctx context.Context, id string) (notify.InvoiceFacts, error) {
	inv, err := n.pools.Invoice(ctx, id)
	if err != nil {
		return notify.InvoiceFacts{}, err
	}
	f := notify.InvoiceFacts{Number: inv.Reference, PoolID: inv.PoolID, ProviderOrgID: inv.ProviderID,
		PayerKind: notify.PayerUser, PayerID: inv.Payer.ID, TotalPence: inv.GrossPence, AmountDuePence: inv.OwingPence(), DueDate: inv.DueAt}
	if inv.Payer.Kind == "organisation" {
		f.PayerKind = notify.PayerOrganisation
	}
	// The payment waiting for a second person: the latest one recorded.
	for _, p := range inv.Payments {
		if p.Status == pooling.PaymentPendingApproval {
			f.RecordedBy, f.PendingPaymentPence = p.RecordedBy, p.AmountPence
		}
	}
	return f, nil
}
