package stripe

import (
	"context"

	stripego "github.com/stripe/stripe-go/v76"

	"github.com/carepool/carepool/payments"
)

// params returns request parameters carrying the context and, when given, the
// idempotency key (sent as the Idempotency-Key header, and resent by stripe-go's retries).
func params(ctx context.Context, idempotencyKey string) stripego.Params {
	p := stripego.Params{Context: ctx}
	if idempotencyKey != "" {
		p.IdempotencyKey = stripego.String(idempotencyKey)
	}
	return p
}

// CreateConnectedAccount implements payments.Gateway. Express accounts request the
// card_payments and transfers capabilities; Standard accounts manage their own (Stripe
// refuses capability requests for them) and have both once onboarded.
func (c *Client) CreateConnectedAccount(ctx context.Context, req payments.NewConnectedAccount) (payments.Account, error) {
	if err := req.Validate(); err != nil {
		return payments.Account{}, err
	}
	p := &stripego.AccountParams{
		Params:   params(ctx, req.IdempotencyKey),
		Type:     stripego.String(string(req.Type)),
		Country:  stripego.String(payments.Country),
		Metadata: map[string]string{"provider_id": req.ProviderID},
	}
	if req.Type == payments.Express {
		p.Capabilities = &stripego.AccountCapabilitiesParams{
			CardPayments: &stripego.AccountCapabilitiesCardPaymentsParams{Requested: stripego.Bool(true)},
			Transfers:    &stripego.AccountCapabilitiesTransfersParams{Requested: stripego.Bool(true)},
		}
	}
	a, err := c.api.Accounts.New(p)
	if err != nil {
		return payments.Account{}, mapError("create connected account", err)
	}
	return accountOf(a, c.answeredAt(a.LastResponse)), nil
}

// CreateAccountLink implements payments.Gateway.
func (c *Client) CreateAccountLink(ctx context.Context, req payments.AccountLinkRequest) (payments.AccountLink, error) {
	if err := req.Validate(); err != nil {
		return payments.AccountLink{}, err
	}
	l, err := c.api.AccountLinks.New(&stripego.AccountLinkParams{
		Params:     params(ctx, ""),
		Account:    stripego.String(req.AccountID),
		RefreshURL: stripego.String(req.RefreshURL),
		ReturnURL:  stripego.String(req.ReturnURL),
		Type:       stripego.String("account_onboarding"),
	})
	if err != nil {
		return payments.AccountLink{}, mapError("create account link", err)
	}
	return payments.AccountLink{URL: l.URL, ExpiresAt: unix(l.ExpiresAt)}, nil
}

// Account implements payments.Gateway.
func (c *Client) Account(ctx context.Context, accountID string) (payments.Account, error) {
	if accountID == "" {
		return payments.Account{}, payments.ErrNotFound
	}
	a, err := c.api.Accounts.GetByID(accountID, &stripego.AccountParams{Params: params(ctx, "")})
	if err != nil {
		return payments.Account{}, mapError("retrieve account", err)
	}
	return accountOf(a, c.answeredAt(a.LastResponse)), nil
}
