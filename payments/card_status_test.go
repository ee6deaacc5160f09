package payments

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestCardStatusSaysWhereTheCardStands(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	grace := at.Add(DefaultCardGrace)
	paid := CardCharge{PaymentIntentID: "pi_1", PaymentMethodID: "pm_1", AmountPence: 8_000, Status: chargeSucceeded}
	declined := CardCharge{PaymentIntentID: "pi_2", PaymentMethodID: "pm_1", AmountPence: 8_000, Status: chargeFailed}
	tests := []struct {
		name string
		rec  CardPledge
		want CardStatus
	}{
		{"a set-up started but not confirmed by Stripe", CardPledge{SetupIntents: []string{"seti_1"}},
			CardStatus{State: CardStateNeeded}},
		{"saved, nothing charged", CardPledge{PaymentMethodID: "pm_1", CardSavedAt: &at},
			CardStatus{State: CardStateSaved, CardSavedAt: &at}},
		{"charged", CardPledge{PaymentMethodID: "pm_1", Charges: []CardCharge{paid}},
			CardStatus{State: CardStatePaid, PaidPence: 8_000}},
		{"charged, then partly refunded", CardPledge{PaymentMethodID: "pm_1", Charges: []CardCharge{paid},
			Refunds: []CardRefund{{PaymentIntentID: "pi_1", AmountPence: 3_000}}},
			CardStatus{State: CardStatePaid, PaidPence: 5_000, RefundedPence: 3_000}},
		{"all refunded", CardPledge{PaymentMethodID: "pm_1", Charges: []CardCharge{paid},
			Refunds: []CardRefund{{PaymentIntentID: "pi_1", AmountPence: 8_000}}},
			CardStatus{State: CardStatePaid, RefundedPence: 8_000}},
		{"declined: in the grace period", CardPledge{PaymentMethodID: "pm_1", Charges: []CardCharge{paid, declined},
			FailedAt: &at, GraceUntil: &grace, Failure: "Your card was declined."},
			CardStatus{State: CardStateChargeFailed, PaidPence: 8_000, GraceUntil: &grace, Failure: "Your card was declined."}},
		{"a new card saved in the grace period, not charged yet", CardPledge{PaymentMethodID: "pm_2", Charges: []CardCharge{declined},
			FailedAt: &at, GraceUntil: &grace, Failure: "Your card was declined."},
			CardStatus{State: CardStateChargeFailed, GraceUntil: &grace, Failure: "Your card was declined."}},
		{"lapsed", CardPledge{PaymentMethodID: "pm_1", Charges: []CardCharge{declined}, Lapsed: true},
			CardStatus{State: CardStateLapsed}},
	}
	for _, tt := range tests {
		tt.rec.PledgeID, tt.want.PledgeID = "pl1", "pl1"
		if diff := cmp.Diff(tt.want, statusOf(tt.rec)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
}
