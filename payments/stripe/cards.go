package stripe

import (
	"context"
	"errors"

	stripego "github.com/stripe/stripe-go/v76"

	"github.com/carepool/carepool/payments"
)

// CreateCustomer implements payments.Gateway.
func (c *Client) CreateCustomer(ctx context.Context, req payments.NewCustomer) (payments.Customer, error) {
	if err := req.Validate(); err != nil {
		return payments.Customer{}, err
	}
	cu, err := c.api.Customers.New(&stripego.CustomerParams{
		Params:   params(ctx, req.IdempotencyKey),
		Metadata: map[string]string{"user_id": req.UserID},
	})
	if err != nil {
		return payments.Customer{}, mapError("create customer", err)
	}
	return payments.Customer{ID: cu.ID}, nil
}

// CreateSetupIntent implements payments.Gateway.
func (c *Client) CreateSetupIntent(ctx context.Context, req payments.SetupIntentRequest) (payments.SetupIntent, error) {
	if err := req.Validate(); err != nil {
		return payments.SetupIntent{}, err
	}
	si, err := c.api.SetupIntents.New(&stripego.SetupIntentParams{
		Params:             params(ctx, req.IdempotencyKey),
		Customer:           stripego.String(req.CustomerID),
		Usage:              stripego.String(string(stripego.SetupIntentUsageOffSession)),
		PaymentMethodTypes: stripego.StringSlice([]string{"card"}),
		Metadata:           map[string]string{"pledge_id": req.PledgeID},
	})
	if err != nil {
		return payments.SetupIntent{}, mapError("create setup intent", err)
	}
	return setupIntentOf(si), nil
}

// ChargeOffSession implements payments.Gateway: a PaymentIntent for the saved card,
// confirmed at once with off_session=true, in the pool's transfer_group. Stripe answers a
// declined card with a 402 card_error carrying the PaymentIntent, which is returned with
// the DeclineError so the caller can record it.
func (c *Client) ChargeOffSession(ctx context.Context, req payments.OffSessionCharge) (payments.PaymentIntent, error) {
	if err := req.Validate(); err != nil {
		return payments.PaymentIntent{}, err
	}
	pi, err := c.api.PaymentIntents.New(&stripego.PaymentIntentParams{
		Params:             params(ctx, req.IdempotencyKey),
		Amount:             stripego.Int64(req.Amount),
		Currency:           stripego.String(payments.GBP),
		Customer:           stripego.String(req.CustomerID),
		PaymentMethod:      stripego.String(req.PaymentMethodID),
		PaymentMethodTypes: stripego.StringSlice([]string{"card"}),
		Confirm:            stripego.Bool(true),
		OffSession:         stripego.Bool(true),
		TransferGroup:      stripego.String(req.TransferGroup),
		Metadata:           map[string]string{"pledge_id": req.PledgeID, "pool_id": req.PoolID},
	})
	if err != nil {
		var failed payments.PaymentIntent
		var se *stripego.Error
		if errors.As(err, &se) && se.PaymentIntent != nil {
			failed = paymentIntentOf(se.PaymentIntent)
		}
		return failed, mapError("charge card off-session", err)
	}
	out := paymentIntentOf(pi)
	if err := payments.CheckReturned("amount", req.Amount, payments.GBP, out.Amount, out.Currency); err != nil {
		return out, err
	}
	return out, statusError(out)
}

// PaymentIntent implements payments.Gateway.
func (c *Client) PaymentIntent(ctx context.Context, id string) (payments.PaymentIntent, error) {
	if id == "" {
		return payments.PaymentIntent{}, payments.ErrNotFound
	}
	pi, err := c.api.PaymentIntents.Get(id, &stripego.PaymentIntentParams{Params: params(ctx, "")})
	if err != nil {
		return payments.PaymentIntent{}, mapError("retrieve payment intent", err)
	}
	return paymentIntentOf(pi), nil
}
