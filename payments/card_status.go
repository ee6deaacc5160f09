package payments

import (
	"context"
	"errors"
	"time"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/pooling"
)

// CardState is where a card pledge's card stands, as the person paying sees it.
type CardState string

// The states of a card pledge's card.
const (
	// CardStateNeeded: no card is saved yet (Stripe has not said so): the pledge does not count.
	CardStateNeeded CardState = "card-needed"
	// CardStateSaved: Stripe said the card is saved; nothing has been charged yet.
	CardStateSaved CardState = "saved"
	// CardStatePaid: the card has paid what was due so far.
	CardStatePaid CardState = "paid"
	// CardStateChargeFailed: the last charge was declined; the person has until GraceUntil to
	// save another card, which is then charged.
	CardStateChargeFailed CardState = "charge-failed"
	// CardStateLapsed: no working card was saved in time, so the place was released.
	CardStateLapsed CardState = "lapsed"
)

// CardStatus is a card pledge's card money, for the person paying: never the card's
// details (Stripe keeps those), only what happened.
type CardStatus struct {
	PledgeID      string     `json:"pledge_id"`
	State         CardState  `json:"state"`
	CardSavedAt   *time.Time `json:"card_saved_at,omitempty"`
	PaidPence     int64      `json:"paid_pence"`     // charged and not refunded
	RefundedPence int64      `json:"refunded_pence"` // given back to the card
	GraceUntil    *time.Time `json:"grace_until,omitempty"`
	Failure       string     `json:"failure,omitempty"` // why the last charge failed, in plain English
}

// CardStatus returns where a card pledge's card stands. Like StartCardSetup, only the
// pledge's holder and whoever made it may ask (pooling.ErrPledgeNotFound for everyone
// else); a pledge paid by invoice is a Conflict.
func (c *Cards) CardStatus(ctx context.Context, pledgeID string) (CardStatus, error) {
	a := account.ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return CardStatus{}, err
	}
	p, _, err := c.pools.PledgeForPlatform(ctx, pledgeID)
	if errors.Is(err, pooling.ErrPledgeNotFound) || (err == nil && a.UserID != p.HolderID && a.UserID != p.PledgedBy) {
		return CardStatus{}, pooling.ErrPledgeNotFound
	} else if err != nil {
		return CardStatus{}, err
	}
	if p.PayBy != pooling.PayByCard {
		return CardStatus{}, apperr.Conflictf("not-a-card-pledge", "This pledge is paid by invoice, not by card.")
	}
	rec, err := c.store.CardPledge(ctx, pledgeID)
	if errors.Is(err, ErrCardPledgeNotFound) {
		return CardStatus{PledgeID: pledgeID, State: CardStateNeeded}, nil
	} else if err != nil {
		return CardStatus{}, err
	}
	return statusOf(rec), nil
}

// statusOf says where a card record stands.
func statusOf(rec CardPledge) CardStatus {
	st := CardStatus{PledgeID: rec.PledgeID, CardSavedAt: rec.CardSavedAt, PaidPence: rec.Collected()}
	for _, r := range rec.Refunds {
		st.RefundedPence += r.AmountPence
	}
	switch {
	case rec.Lapsed:
		st.State = CardStateLapsed
	case rec.GraceUntil != nil:
		st.State, st.GraceUntil, st.Failure = CardStateChargeFailed, rec.GraceUntil, rec.Failure
	case rec.PaymentMethodID == "":
		st.State = CardStateNeeded
	case st.PaidPence > 0 || st.RefundedPence > 0:
		st.State = CardStatePaid
	default:
		st.State = CardStateSaved
	}
	return st
}
