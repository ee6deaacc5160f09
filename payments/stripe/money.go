package stripe

import (
	"cmp"
	"context"
	"slices"
	"time"

	stripego "github.com/stripe/stripe-go/v76"

	"github.com/carepool/carepool/payments"
)

// Refund implements payments.Gateway. The refund's currency is its charge's, so only
// the amount of the answer is checked.
func (c *Client) Refund(ctx context.Context, req payments.RefundRequest) (payments.Refund, error) {
	if err := req.Validate(); err != nil {
		return payments.Refund{}, err
	}
	r, err := c.api.Refunds.New(&stripego.RefundParams{
		Params:        params(ctx, req.IdempotencyKey),
		PaymentIntent: stripego.String(req.PaymentIntentID),
		Amount:        stripego.Int64(req.Amount),
	})
	if err != nil {
		return payments.Refund{}, mapError("refund", err)
	}
	out := refundOf(r)
	return out, payments.CheckReturned("amount", req.Amount, payments.GBP, out.Amount, "")
}

// Transfer implements payments.Gateway.
func (c *Client) Transfer(ctx context.Context, req payments.TransferRequest) (payments.Transfer, error) {
	if err := req.Validate(); err != nil {
		return payments.Transfer{}, err
	}
	p := &stripego.TransferParams{
		Params:        params(ctx, req.IdempotencyKey),
		Amount:        stripego.Int64(req.Amount),
		Currency:      stripego.String(payments.GBP),
		Destination:   stripego.String(req.DestinationAccountID),
		TransferGroup: stripego.String(req.TransferGroup),
	}
	if req.PoolID != "" {
		p.Metadata = map[string]string{"pool_id": req.PoolID}
	}
	t, err := c.api.Transfers.New(p)
	if err != nil {
		return payments.Transfer{}, mapError("transfer", err)
	}
	out := transferOf(t)
	return out, payments.CheckReturned("amount", req.Amount, payments.GBP, out.Amount, out.Currency)
}

// listPage is the page size of the lists: Stripe's largest.
const listPage = 100

func listParams(ctx context.Context) stripego.ListParams {
	return stripego.ListParams{Context: ctx, Limit: stripego.Int64(listPage)}
}

// ChargesSince implements payments.Gateway.
func (c *Client) ChargesSince(ctx context.Context, since time.Time) ([]payments.Charge, error) {
	it := c.api.Charges.List(&stripego.ChargeListParams{ListParams: listParams(ctx),
		CreatedRange: &stripego.RangeQueryParams{GreaterThanOrEqual: since.Unix()}})
	var out []payments.Charge
	for it.Next() {
		out = append(out, chargeOf(it.Charge()))
	}
	if err := it.Err(); err != nil {
		return nil, mapError("list charges", err)
	}
	return oldestFirst(out, func(x payments.Charge) (time.Time, string) { return x.Created, x.ID }), nil
}

// RefundsSince implements payments.Gateway.
func (c *Client) RefundsSince(ctx context.Context, since time.Time) ([]payments.Refund, error) {
	it := c.api.Refunds.List(&stripego.RefundListParams{ListParams: listParams(ctx),
		CreatedRange: &stripego.RangeQueryParams{GreaterThanOrEqual: since.Unix()}})
	var out []payments.Refund
	for it.Next() {
		out = append(out, refundOf(it.Refund()))
	}
	if err := it.Err(); err != nil {
		return nil, mapError("list refunds", err)
	}
	return oldestFirst(out, func(x payments.Refund) (time.Time, string) { return x.Created, x.ID }), nil
}

// TransfersSince implements payments.Gateway.
func (c *Client) TransfersSince(ctx context.Context, since time.Time) ([]payments.Transfer, error) {
	it := c.api.Transfers.List(&stripego.TransferListParams{ListParams: listParams(ctx),
		CreatedRange: &stripego.RangeQueryParams{GreaterThanOrEqual: since.Unix()}})
	var out []payments.Transfer
	for it.Next() {
		out = append(out, transferOf(it.Transfer()))
	}
	if err := it.Err(); err != nil {
		return nil, mapError("list transfers", err)
	}
	return oldestFirst(out, func(x payments.Transfer) (time.Time, string) { return x.Created, x.ID }), nil
}

// oldestFirst sorts a list Stripe gave newest first: by creation, then id.
func oldestFirst[T any](xs []T, key func(T) (time.Time, string)) []T {
	slices.SortStableFunc(xs, func(a, b T) int {
		ta, ia := key(a)
		tb, ib := key(b)
		return cmp.Or(ta.Compare(tb), cmp.Compare(ia, ib))
	})
	if xs == nil {
		xs = []T{}
	}
	return xs
}
