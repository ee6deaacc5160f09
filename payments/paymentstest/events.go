package paymentstest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/carepool/carepool/payments"
)

// Sign returns the Stripe-Signature header Stripe would send with payload, signed with
// the endpoint secret at t: "t=<unix>,v1=<hex HMAC-SHA256 of "<unix>.<payload>">". It is
// written from Stripe's documentation, not with stripe-go, so tests that verify with
// stripe-go show the two agree.
func Sign(secret string, payload []byte, t time.Time) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "."))
	mac.Write(payload)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac.Sum(nil))
}

// EventJSON renders a webhook event as Stripe sends it, at API version 2023-10-16, with
// object (see AccountObject and the others) as data.object. connectedAccount is the
// event's "account": the connected account it happened on, or "".
func EventJSON(id, eventType string, created time.Time, connectedAccount string, object map[string]any) []byte {
	ev := map[string]any{
		"id": id, "object": "event", "api_version": payments.APIVersion, "created": created.Unix(),
		"livemode": false, "pending_webhooks": 1, "type": eventType,
		"request": map[string]any{"id": nil, "idempotency_key": nil},
		"data":    map[string]any{"object": object},
	}
	if connectedAccount != "" {
		ev["account"] = connectedAccount
	}
	b, err := json.Marshal(ev)
	if err != nil {
		panic(fmt.Sprintf("paymentstest: render event: %v", err)) // maps of plain values always marshal
	}
	return b
}

// AccountObject is a connected account as Stripe's JSON shows it.
func AccountObject(a payments.Account) map[string]any {
	return map[string]any{"id": a.ID, "object": "account", "type": "express", "country": payments.Country,
		"charges_enabled": a.ChargesEnabled, "payouts_enabled": a.PayoutsEnabled, "details_submitted": a.DetailsSubmitted,
		"metadata": map[string]string{"provider_id": a.ProviderID}}
}

// SetupIntentObject is a SetupIntent as Stripe's JSON shows it.
func SetupIntentObject(si payments.SetupIntent) map[string]any {
	return map[string]any{"id": si.ID, "object": "setup_intent", "status": string(si.Status), "usage": "off_session",
		"customer": nullable(si.CustomerID), "payment_method": nullable(si.PaymentMethodID),
		"metadata": map[string]string{"pledge_id": si.PledgeID}}
}

// PaymentIntentObject is a PaymentIntent as Stripe's JSON shows it, with its
// last_payment_error when it has one.
func PaymentIntentObject(pi payments.PaymentIntent) map[string]any {
	o := map[string]any{"id": pi.ID, "object": "payment_intent", "status": string(pi.Status), "amount": pi.Amount,
		"currency": pi.Currency, "customer": nullable(pi.CustomerID), "payment_method": nullable(pi.PaymentMethodID),
		"latest_charge": nullable(pi.LatestChargeID), "transfer_group": nullable(pi.TransferGroup),
		"metadata": map[string]string{"pledge_id": pi.PledgeID, "pool_id": pi.PoolID}, "last_payment_error": nil}
	if e := pi.LastError; e != nil {
		o["last_payment_error"] = map[string]any{"type": "card_error", "code": e.Code, "decline_code": nullable(e.DeclineCode),
			"message": "Your card was declined."}
	}
	return o
}

// ChargeObject is a charge as Stripe's JSON shows it.
func ChargeObject(ch payments.Charge) map[string]any {
	return map[string]any{"id": ch.ID, "object": "charge", "amount": ch.Amount, "amount_refunded": ch.AmountRefunded,
		"currency": ch.Currency, "status": ch.Status, "payment_intent": nullable(ch.PaymentIntentID),
		"transfer_group": nullable(ch.TransferGroup), "created": ch.Created.Unix(), "refunded": ch.AmountRefunded == ch.Amount}
}

// RefundObject is a refund as Stripe's JSON shows it.
func RefundObject(r payments.Refund) map[string]any {
	return map[string]any{"id": r.ID, "object": "refund", "amount": r.Amount, "currency": r.Currency, "status": r.Status,
		"payment_intent": nullable(r.PaymentIntentID), "charge": nullable(r.ChargeID), "created": r.Created.Unix()}
}

// TransferObject is a transfer as Stripe's JSON shows it.
func TransferObject(t payments.Transfer) map[string]any {
	return map[string]any{"id": t.ID, "object": "transfer", "amount": t.Amount, "currency": t.Currency,
		"destination": t.DestinationAccountID, "transfer_group": nullable(t.TransferGroup), "reversed": t.Reversed,
		"created": t.Created.Unix()}
}

// nullable is s, or JSON null when s is empty (Stripe writes absent ids as null).
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
