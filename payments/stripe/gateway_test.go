package stripe_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/carepool/carepool/payments"
	"github.com/carepool/carepool/payments/paymentstest"
	"github.com/carepool/carepool/payments/stripe"
	"github.com/carepool/carepool/payments/stripe/stripemock"
)

const webhookSecret = "whsec_carepool_test"

// newClient returns the adapter on the stripe-mock behind srv. retries is stripe-go's
// MaxNetworkRetries: 0 where a test injects failures and wants each seen once.
func newClient(t *testing.T, srv *stripemock.Server, retries int64) *stripe.Client {
	t.Helper()
	c, err := stripe.New(stripe.Config{SecretKey: stripemock.SecretKey, WebhookSecret: webhookSecret, APIBase: srv.URL,
		MaxNetworkRetries: &retries})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestStripeAdapterPassesTheGatewaySuiteOnStripeMock(t *testing.T) {
	t.Parallel()
	srv := stripemock.Start(t)
	paymentstest.RunGatewaySuite(t, func(t *testing.T) paymentstest.Subject {
		return paymentstest.Subject{Gateway: newClient(t, srv, 0), Requests: func() []paymentstest.Request {
			var out []paymentstest.Request
			for _, r := range srv.Requests() {
				out = append(out, paymentstest.Request{Op: r.Op(), IdempotencyKey: r.IdempotencyKey})
			}
			return out
		}}
	})
}

// TestRequestsHaveTheShapeStripeAccepts checks the parameters of every request, which
// stripe-mock validated against Stripe's OpenAPI description (an unknown or malformed
// parameter is a 400 there, and the call would have failed).
func TestRequestsHaveTheShapeStripeAccepts(t *testing.T) {
	t.Parallel()
	srv := stripemock.Start(t)
	c := newClient(t, srv, 0)
	ctx := context.Background()
	last := func() url.Values {
		reqs := srv.Requests()
		return reqs[len(reqs)-1].Form
	}
	tests := []struct {
		name string
		call func() error
		want map[string]string
	}{
		{"express account", func() error {
			_, err := c.CreateConnectedAccount(ctx, payments.NewConnectedAccount{ProviderID: "prov-1", Type: payments.Express, IdempotencyKey: "k1"})
			return err
		}, map[string]string{"type": "express", "country": "GB", "metadata[provider_id]": "prov-1",
			"capabilities[card_payments][requested]": "true", "capabilities[transfers][requested]": "true"}},
		{"standard account", func() error {
			_, err := c.CreateConnectedAccount(ctx, payments.NewConnectedAccount{ProviderID: "prov-2", Type: payments.Standard, IdempotencyKey: "k2"})
			return err
		}, map[string]string{"type": "standard", "country": "GB", "metadata[provider_id]": "prov-2"}},
		{"account link", func() error {
			_, err := c.CreateAccountLink(ctx, payments.AccountLinkRequest{AccountID: "acct_1", RefreshURL: "https://carepool.test/r", ReturnURL: "https://carepool.test/d"})
			return err
		}, map[string]string{"account": "acct_1", "type": "account_onboarding", "refresh_url": "https://carepool.test/r", "return_url": "https://carepool.test/d"}},
		{"customer", func() error {
			_, err := c.CreateCustomer(ctx, payments.NewCustomer{UserID: "user-1", IdempotencyKey: "k3"})
			return err
		}, map[string]string{"metadata[user_id]": "user-1"}},
		{"setup intent", func() error {
			_, err := c.CreateSetupIntent(ctx, payments.SetupIntentRequest{CustomerID: "cus_1", PledgeID: "pledge-1", IdempotencyKey: "k4"})
			return err
		}, map[string]string{"customer": "cus_1", "usage": "off_session", "payment_method_types[0]": "card", "metadata[pledge_id]": "pledge-1"}},
		{"off-session charge", func() error {
			_, err := c.ChargeOffSession(ctx, payments.OffSessionCharge{CustomerID: "cus_1", PaymentMethodID: "pm_1", Amount: 2_345, Currency: "GBP",
				TransferGroup: "pool-1", PledgeID: "pledge-1", PoolID: "pool-1", IdempotencyKey: "k5"})
			if _, declined := asDecline(err); declined { // stripe-mock's canned status
				return nil
			}
			return err
		}, map[string]string{"amount": "2345", "currency": "gbp", "customer": "cus_1", "payment_method": "pm_1", "confirm": "true",
			"off_session": "true", "payment_method_types[0]": "card", "transfer_group": "pool-1",
			"metadata[pledge_id]": "pledge-1", "metadata[pool_id]": "pool-1"}},
		{"refund", func() error {
			_, err := c.Refund(ctx, payments.RefundRequest{PaymentIntentID: "pi_1", Amount: 345, Currency: "gbp", IdempotencyKey: "k6"})
			return err
		}, map[string]string{"payment_intent": "pi_1", "amount": "345"}},
		{"transfer", func() error {
			_, err := c.Transfer(ctx, payments.TransferRequest{Amount: 2_000, Currency: "gbp", DestinationAccountID: "acct_1",
				TransferGroup: "pool-1", PoolID: "pool-1", IdempotencyKey: "k7"})
			return err
		}, map[string]string{"amount": "2000", "currency": "gbp", "destination": "acct_1", "transfer_group": "pool-1", "metadata[pool_id]": "pool-1"}},
	}
	for _, tt := range tests {
		if err := tt.call(); err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		got := map[string]string{}
		for k := range last() {
			got[k] = last().Get(k)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: parameters sent (-want +got):\n%s", tt.name, diff)
		}
	}
	for _, r := range srv.Requests() {
		if r.StripeVersion != payments.APIVersion {
			t.Errorf("%s sent Stripe-Version %q, want %s", r.Op(), r.StripeVersion, payments.APIVersion)
		}
	}
}

func asDecline(err error) (*payments.DeclineError, bool) {
	d, ok := errorAs[*payments.DeclineError](err)
	return d, ok
}
