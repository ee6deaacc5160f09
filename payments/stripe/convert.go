package stripe

import (
	"time"

	stripego "github.com/stripe/stripe-go/v76"

	"github.com/carepool/carepool/payments"
)

// The conversions from stripe-go's objects to the domain's. Expandable fields arrive as
// an object with only its id set (or nil), so each is read through a nil-safe helper.

func accountOf(a *stripego.Account, asOf time.Time) payments.Account {
	return payments.Account{ID: a.ID, ProviderID: a.Metadata["provider_id"], ChargesEnabled: a.ChargesEnabled,
		PayoutsEnabled: a.PayoutsEnabled, DetailsSubmitted: a.DetailsSubmitted, AsOf: asOf}
}

func setupIntentOf(si *stripego.SetupIntent) payments.SetupIntent {
	return payments.SetupIntent{ID: si.ID, ClientSecret: si.ClientSecret, Status: payments.SetupStatus(si.Status),
		CustomerID: customerID(si.Customer), PaymentMethodID: paymentMethodID(si.PaymentMethod), PledgeID: si.Metadata["pledge_id"]}
}

func paymentIntentOf(pi *stripego.PaymentIntent) payments.PaymentIntent {
	out := payments.PaymentIntent{ID: pi.ID, Status: payments.PaymentStatus(pi.Status), Amount: pi.Amount,
		Currency: string(pi.Currency), CustomerID: customerID(pi.Customer), PaymentMethodID: paymentMethodID(pi.PaymentMethod),
		TransferGroup: pi.TransferGroup, PledgeID: pi.Metadata["pledge_id"], PoolID: pi.Metadata["pool_id"]}
	if pi.LatestCharge != nil {
		out.LatestChargeID = pi.LatestCharge.ID
	}
	// A last_payment_error is a decline only when it is a card error; stripe-mock's
	// canned objects carry other types, which say nothing about the card.
	if e := pi.LastPaymentError; e != nil && e.Type == stripego.ErrorTypeCard {
		out.LastError = payments.NewDeclineError(string(e.Code), string(e.DeclineCode), pi.ID)
	}
	return out
}

func chargeOf(ch *stripego.Charge) payments.Charge {
	out := payments.Charge{ID: ch.ID, Amount: ch.Amount, AmountRefunded: ch.AmountRefunded, Currency: string(ch.Currency),
		Status: string(ch.Status), TransferGroup: ch.TransferGroup, Created: unix(ch.Created)}
	if ch.PaymentIntent != nil {
		out.PaymentIntentID = ch.PaymentIntent.ID
	}
	return out
}

func refundOf(r *stripego.Refund) payments.Refund {
	out := payments.Refund{ID: r.ID, Amount: r.Amount, Currency: string(r.Currency), Status: string(r.Status), Created: unix(r.Created)}
	if r.PaymentIntent != nil {
		out.PaymentIntentID = r.PaymentIntent.ID
	}
	if r.Charge != nil {
		out.ChargeID = r.Charge.ID
	}
	return out
}

func transferOf(t *stripego.Transfer) payments.Transfer {
	out := payments.Transfer{ID: t.ID, Amount: t.Amount, Currency: string(t.Currency), TransferGroup: t.TransferGroup,
		Reversed: t.Reversed, Created: unix(t.Created)}
	if t.Destination != nil {
		out.DestinationAccountID = t.Destination.ID
	}
	return out
}

func customerID(c *stripego.Customer) string {
	if c == nil {
		return ""
	}
	return c.ID
}

func paymentMethodID(pm *stripego.PaymentMethod) string {
	if pm == nil {
		return ""
	}
	return pm.ID
}

func unix(sec int64) time.Time { return time.Unix(sec, 0).UTC() }
