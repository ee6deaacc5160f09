package payments

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// ErrNoIdempotencyKey is returned for a request that would create something at Stripe
// without an idempotency key: a retry could then create it twice. It is a fault of the
// calling code, never of the person.
var ErrNoIdempotencyKey = errors.New("payments: every request that creates something at Stripe needs an idempotency key")

// maxIdempotencyKeyLen is Stripe's limit on the Idempotency-Key header.
const maxIdempotencyKeyLen = 255

func checkKey(key string) error {
	switch {
	case key == "":
		return ErrNoIdempotencyKey
	case len(key) > maxIdempotencyKeyLen:
		return fmt.Errorf("payments: idempotency key is %d bytes, more than Stripe's %d", len(key), maxIdempotencyKeyLen)
	}
	return nil
}

func required(what, value string) error {
	if strings.TrimSpace(value) == "" {
		return fmt.Errorf("payments: %s is required", what)
	}
	return nil
}

// NewConnectedAccount asks for a provider's connected account.
type NewConnectedAccount struct {
	ProviderID     string
	Type           AccountType // Express or Standard
	IdempotencyKey string
}

// Country is where every connected account is: Carepool serves England.
const Country = "GB"

// Validate reports a malformed request.
func (r NewConnectedAccount) Validate() error {
	if r.Type != Express && r.Type != Standard {
		return fmt.Errorf("payments: account type %q is neither express nor standard", r.Type)
	}
	return errors.Join(required("provider id", r.ProviderID), checkKey(r.IdempotencyKey))
}

// AccountLinkRequest asks for an onboarding link. RefreshURL is where Stripe sends the
// person when the link has expired or was used; ReturnURL when they leave onboarding
// (finished or not: only Stripe's account status says which).
type AccountLinkRequest struct {
	AccountID  string
	RefreshURL string
	ReturnURL  string
}

// Validate reports a malformed request.
func (r AccountLinkRequest) Validate() error {
	return errors.Join(required("account id", r.AccountID), checkURL("refresh URL", r.RefreshURL), checkURL("return URL", r.ReturnURL))
}

func checkURL(what, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("payments: %s %q is not an absolute http(s) URL", what, raw)
	}
	return nil
}

// NewCustomer asks for a customer. Only the account id travels to Stripe (as metadata):
// the person's name and email stay with us unless they give them to Stripe themselves.
type NewCustomer struct {
	UserID         string
	IdempotencyKey string
}

// Validate reports a malformed request.
func (r NewCustomer) Validate() error {
	return errors.Join(required("user id", r.UserID), checkKey(r.IdempotencyKey))
}

// SetupIntentRequest asks to save a card for a pledge.
type SetupIntentRequest struct {
	CustomerID     string
	PledgeID       string
	IdempotencyKey string
}

// Validate reports a malformed request.
func (r SetupIntentRequest) Validate() error {
	return errors.Join(required("customer id", r.CustomerID), required("pledge id", r.PledgeID), checkKey(r.IdempotencyKey))
}

// OffSessionCharge charges a saved card for a pledge's share of a pool.
type OffSessionCharge struct {
	CustomerID      string
	PaymentMethodID string
	Amount          int64 // pence
	Currency        string
	TransferGroup   string // one per pool, so the pool's charges and transfers group together
	PledgeID        string
	PoolID          string
	IdempotencyKey  string // derived from the pledge and period: a retry never charges twice
}

// Validate reports a malformed request: an AmountError first, since it is the one a
// person could cause.
func (r OffSessionCharge) Validate() error {
	if err := CheckAmount("amount", r.Amount, r.Currency); err != nil {
		return err
	}
	return errors.Join(required("customer id", r.CustomerID), required("payment method id", r.PaymentMethodID),
		required("transfer group", r.TransferGroup), required("pledge id", r.PledgeID), required("pool id", r.PoolID),
		checkKey(r.IdempotencyKey))
}

// RefundRequest refunds part or all of a payment. Currency is checked, not sent: a
// refund is always in its charge's currency.
type RefundRequest struct {
	PaymentIntentID string
	Amount          int64 // pence
	Currency        string
	IdempotencyKey  string
}

// Validate reports a malformed request.
func (r RefundRequest) Validate() error {
	if err := CheckAmount("amount", r.Amount, r.Currency); err != nil {
		return err
	}
	return errors.Join(required("payment intent id", r.PaymentIntentID), checkKey(r.IdempotencyKey))
}

// TransferRequest pays a provider's connected account.
type TransferRequest struct {
	Amount               int64 // pence
	Currency             string
	DestinationAccountID string
	TransferGroup        string
	PoolID               string // metadata pool_id
	IdempotencyKey       string
}

// Validate reports a malformed request.
func (r TransferRequest) Validate() error {
	if err := CheckAmount("amount", r.Amount, r.Currency); err != nil {
		return err
	}
	return errors.Join(required("destination account id", r.DestinationAccountID), required("transfer group", r.TransferGroup),
		checkKey(r.IdempotencyKey))
}
