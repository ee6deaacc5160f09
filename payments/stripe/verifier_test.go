package stripe_test

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/carepool/carepool/payments"
	"github.com/carepool/carepool/payments/paymentstest"
	"github.com/carepool/carepool/payments/stripe"
)

var created = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

// TestVerifiedEventsCarryTheirObject signs Stripe-shaped events with paymentstest.Sign
// (written from Stripe's documentation) and verifies them with stripe-go.
func TestVerifiedEventsCarryTheirObject(t *testing.T) {
	t.Parallel()
	v := stripe.NewVerifier(webhookSecret)
	declined := payments.NewDeclineError("card_declined", "insufficient_funds", "pi_1")
	tests := []struct {
		eventType string
		account   string
		object    map[string]any
		want      payments.Event
	}{
		{"account.updated", "acct_1", paymentstest.AccountObject(payments.Account{ID: "acct_1", ProviderID: "prov-1", ChargesEnabled: true, PayoutsEnabled: true, DetailsSubmitted: true}),
			payments.Event{ConnectedAccount: "acct_1", Account: &payments.Account{ID: "acct_1", ProviderID: "prov-1", ChargesEnabled: true, PayoutsEnabled: true, DetailsSubmitted: true, AsOf: created}}},
		{"setup_intent.succeeded", "", paymentstest.SetupIntentObject(payments.SetupIntent{ID: "seti_1", Status: payments.SetupSucceeded, CustomerID: "cus_1", PaymentMethodID: "pm_1", PledgeID: "pledge-1"}),
			payments.Event{SetupIntent: &payments.SetupIntent{ID: "seti_1", Status: payments.SetupSucceeded, CustomerID: "cus_1", PaymentMethodID: "pm_1", PledgeID: "pledge-1"}}},
		{"payment_intent.payment_failed", "", paymentstest.PaymentIntentObject(payments.PaymentIntent{ID: "pi_1", Status: payments.StatusRequiresPaymentMethod, Amount: 1_234, Currency: "gbp",
			CustomerID: "cus_1", PaymentMethodID: "pm_1", LatestChargeID: "ch_1", TransferGroup: "pool-1", PledgeID: "pledge-1", PoolID: "pool-1", LastError: declined}),
			payments.Event{PaymentIntent: &payments.PaymentIntent{ID: "pi_1", Status: payments.StatusRequiresPaymentMethod, Amount: 1_234, Currency: "gbp",
				CustomerID: "cus_1", PaymentMethodID: "pm_1", LatestChargeID: "ch_1", TransferGroup: "pool-1", PledgeID: "pledge-1", PoolID: "pool-1", LastError: declined}}},
		{"charge.refunded", "", paymentstest.ChargeObject(payments.Charge{ID: "ch_1", PaymentIntentID: "pi_1", Amount: 1_234, AmountRefunded: 1_234, Currency: "gbp", Status: "succeeded", TransferGroup: "pool-1", Created: created}),
			payments.Event{Charge: &payments.Charge{ID: "ch_1", PaymentIntentID: "pi_1", Amount: 1_234, AmountRefunded: 1_234, Currency: "gbp", Status: "succeeded", TransferGroup: "pool-1", Created: created}}},
		{"refund.created", "", paymentstest.RefundObject(payments.Refund{ID: "re_1", PaymentIntentID: "pi_1", ChargeID: "ch_1", Amount: 500, Currency: "gbp", Status: "succeeded", Created: created}),
			payments.Event{Refund: &payments.Refund{ID: "re_1", PaymentIntentID: "pi_1", ChargeID: "ch_1", Amount: 500, Currency: "gbp", Status: "succeeded", Created: created}}},
		{"transfer.created", "", paymentstest.TransferObject(payments.Transfer{ID: "tr_1", Amount: 900, Currency: "gbp", DestinationAccountID: "acct_1", TransferGroup: "pool-1", Created: created}),
			payments.Event{Transfer: &payments.Transfer{ID: "tr_1", Amount: 900, Currency: "gbp", DestinationAccountID: "acct_1", TransferGroup: "pool-1", Created: created}}},
		{"customer.created", "", map[string]any{"id": "cus_1", "object": "customer"}, payments.Event{}},
	}
	for i, tt := range tests {
		id := "evt_" + string(rune('a'+i))
		payload := paymentstest.EventJSON(id, tt.eventType, created, tt.account, tt.object)
		got, err := v.Verify(payload, paymentstest.Sign(webhookSecret, payload, time.Now()))
		if err != nil {
			t.Errorf("%s: %v", tt.eventType, err)
			continue
		}
		want := tt.want
		want.ID, want.Type, want.Created = id, tt.eventType, created
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.eventType, diff)
		}
	}
}

func TestDeliveriesThatAreNotStripesAreRefused(t *testing.T) {
	t.Parallel()
	v := stripe.NewVerifier(webhookSecret)
	good := paymentstest.EventJSON("evt_1", "account.updated", created, "acct_1", paymentstest.AccountObject(payments.Account{ID: "acct_1"}))
	now := time.Now()
	oldVersion := bytes.Replace(good, []byte(payments.APIVersion), []byte("2020-08-27"), 1)
	tests := []struct {
		name    string
		payload []byte
		header  string
		want    error
	}{
		{"no header", good, "", payments.ErrBadSignature},
		{"garbage header", good, "not a signature", payments.ErrBadSignature},
		{"another secret", good, paymentstest.Sign("whsec_someone_else", good, now), payments.ErrBadSignature},
		{"body changed after signing", bytes.Replace(good, []byte("acct_1"), []byte("acct_2"), 1), paymentstest.Sign(webhookSecret, good, now), payments.ErrBadSignature},
		{"signed six minutes ago", good, paymentstest.Sign(webhookSecret, good, now.Add(-6*time.Minute)), payments.ErrBadSignature},
		{"another API version", oldVersion, paymentstest.Sign(webhookSecret, oldVersion, now), payments.ErrWrongAPIVersion},
		{"not JSON", []byte("hello"), paymentstest.Sign(webhookSecret, []byte("hello"), now), payments.ErrMalformedEvent},
		{"no id", []byte(`{"api_version":"` + payments.APIVersion + `","type":"x","data":{"object":{}}}`), "", payments.ErrMalformedEvent},
	}
	for _, tt := range tests {
		header := tt.header
		if tt.name == "no id" {
			header = paymentstest.Sign(webhookSecret, tt.payload, now)
		}
		if _, err := v.Verify(tt.payload, header); !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
	if _, err := v.Verify(good, paymentstest.Sign(webhookSecret, good, now.Add(-4*time.Minute))); err != nil {
		t.Errorf("signed four minutes ago (within Stripe's tolerance): %v", err)
	}
}

// FuzzVerify feeds the verifier arbitrary bodies and headers. It must never panic, must
// answer only with its three errors, and must never accept a header it did not see
// signed; when sign is set the body is signed properly, and then only the body can be
// at fault.
func FuzzVerify(f *testing.F) {
	good := paymentstest.EventJSON("evt_1", "account.updated", created, "acct_1", paymentstest.AccountObject(payments.Account{ID: "acct_1"}))
	f.Add(good, "", true)
	f.Add(good, "t=1,v1=00", false)
	f.Add([]byte(`{"id":"evt_1","api_version":"2023-10-16","type":"x","data":{"object":{"object":"account","id":7}}}`), "", true)
	f.Add([]byte(`{"id":"evt_1","api_version":"2023-10-16","type":"x","data":null}`), "", true)
	f.Add([]byte("{}"), "t=abc,v1=zz,v1", false)
	v := stripe.NewVerifier(webhookSecret)
	f.Fuzz(func(t *testing.T, payload []byte, header string, sign bool) {
		if sign {
			header = paymentstest.Sign(webhookSecret, payload, time.Now())
		}
		_, err := v.Verify(payload, header)
		switch {
		case err == nil && !sign:
			t.Fatalf("accepted an unsigned delivery with header %q", header)
		case err == nil:
		case sign && errors.Is(err, payments.ErrBadSignature):
			t.Fatalf("refused a properly signed body as badly signed: %v", err)
		case !errors.Is(err, payments.ErrBadSignature) && !errors.Is(err, payments.ErrWrongAPIVersion) && !errors.Is(err, payments.ErrMalformedEvent):
			t.Fatalf("unexpected error %v", err)
		}
	})
}
