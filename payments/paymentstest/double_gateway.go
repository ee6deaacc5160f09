package paymentstest

import (
	"context"
	"fmt"
	"time"

	"github.com/carepool/carepool/payments"
)

// replay returns a stored result as T (a replayed key always stored a T for its op).
func replay[T any](result any, err error) (T, error) {
	v, _ := result.(T)
	return v, err
}

// CreateConnectedAccount implements payments.Gateway.
func (d *Double) CreateConnectedAccount(ctx context.Context, req payments.NewConnectedAccount) (payments.Account, error) {
	if err := req.Validate(); err != nil {
		return payments.Account{}, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	const op = "POST /v1/accounts"
	if r, err, done := d.begin(op, req.IdempotencyKey, req); done {
		return replay[payments.Account](r, err)
	}
	a := payments.Account{ID: d.newID("acct"), ProviderID: req.ProviderID, AsOf: d.now().UTC()}
	d.accounts[a.ID] = a
	d.remember(op, req.IdempotencyKey, req, a, nil)
	return a, nil
}

// CreateAccountLink implements payments.Gateway.
func (d *Double) CreateAccountLink(ctx context.Context, req payments.AccountLinkRequest) (payments.AccountLink, error) {
	if err := req.Validate(); err != nil {
		return payments.AccountLink{}, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, err, done := d.begin("POST /v1/account_links", "", req); done {
		return payments.AccountLink{}, err
	}
	if _, ok := d.accounts[req.AccountID]; !ok {
		return payments.AccountLink{}, fmt.Errorf("double: account link: %w", payments.ErrNotFound)
	}
	return payments.AccountLink{URL: "https://connect.stripe.com/setup/e/" + req.AccountID + "/" + d.newID("link"),
		ExpiresAt: d.now().Add(5 * time.Minute).UTC().Truncate(time.Second)}, nil
}

// Account implements payments.Gateway.
func (d *Double) Account(ctx context.Context, accountID string) (payments.Account, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, err, done := d.begin("GET /v1/accounts/"+accountID, "", nil); done {
		return payments.Account{}, err
	}
	a, ok := d.accounts[accountID]
	if !ok {
		return payments.Account{}, fmt.Errorf("double: retrieve account: %w", payments.ErrNotFound)
	}
	a.AsOf = d.now().UTC()
	return a, nil
}

// CreateCustomer implements payments.Gateway.
func (d *Double) CreateCustomer(ctx context.Context, req payments.NewCustomer) (payments.Customer, error) {
	if err := req.Validate(); err != nil {
		return payments.Customer{}, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	const op = "POST /v1/customers"
	if r, err, done := d.begin(op, req.IdempotencyKey, req); done {
		return replay[payments.Customer](r, err)
	}
	c := payments.Customer{ID: d.newID("cus")}
	d.customers[c.ID] = c
	d.remember(op, req.IdempotencyKey, req, c, nil)
	return c, nil
}

// CreateSetupIntent implements payments.Gateway.
func (d *Double) CreateSetupIntent(ctx context.Context, req payments.SetupIntentRequest) (payments.SetupIntent, error) {
	if err := req.Validate(); err != nil {
		return payments.SetupIntent{}, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	const op = "POST /v1/setup_intents"
	if r, err, done := d.begin(op, req.IdempotencyKey, req); done {
		return replay[payments.SetupIntent](r, err)
	}
	if _, ok := d.customers[req.CustomerID]; !ok {
		err := fmt.Errorf("double: setup intent: no such customer %s", req.CustomerID)
		d.remember(op, req.IdempotencyKey, req, payments.SetupIntent{}, err)
		return payments.SetupIntent{}, err
	}
	id := d.newID("seti")
	si := payments.SetupIntent{ID: id, ClientSecret: id + "_secret_double", Status: payments.SetupRequiresPaymentMethod,
		CustomerID: req.CustomerID, PledgeID: req.PledgeID}
	d.setupIntents[id] = si
	d.remember(op, req.IdempotencyKey, req, si, nil)
	return si, nil
}

// PaymentIntent implements payments.Gateway.
func (d *Double) PaymentIntent(ctx context.Context, id string) (payments.PaymentIntent, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, err, done := d.begin("GET /v1/payment_intents/"+id, "", nil); done {
		return payments.PaymentIntent{}, err
	}
	pi, ok := d.paymentIntents[id]
	if !ok {
		return payments.PaymentIntent{}, fmt.Errorf("double: retrieve payment intent: %w", payments.ErrNotFound)
	}
	return pi, nil
}
