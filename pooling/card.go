package pooling

import (
	"context"
	"fmt"
	"slices"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace"
)

// PayBy is how a pledge's shares are paid: by invoice to its payer (every form), or by a
// card saved when pledging (the forms whose holder or trustee has the money: direct and
// indirect payments and trust funds).
type PayBy string

// The ways to pay.
const (
	PayByInvoice PayBy = "invoice"
	PayByCard    PayBy = "card"
)

// ApprovalCard is the approval a card pledge waits for: the card was saved for later
// payments (Stripe tells the platform, through a webhook, never the browser).
const ApprovalCard ApprovalKind = "card_saved"

// PayCard is the payment method of invoices paid from card charges.
const PayCard PaymentMethod = "card"

// CardForms are the budget forms that may pay by card.
var CardForms = []marketplace.BudgetForm{marketplace.DirectPayment, marketplace.IndirectPayment, marketplace.TrustFund}

// Cards is what pooling needs to know of card payments; the payments service implements
// it. Without it (Config.Cards nil) card pledges are refused.
type Cards interface {
	// CanTakeCards reports whether a provider's card payments are set up (charges and
	// payouts enabled).
	CanTakeCards(ctx context.Context, providerID string) (bool, error)
}

// ErrCardsNotSetUp answers card pledges on a site without card payments.
var ErrCardsNotSetUp = apperr.New(apperr.Unavailable, "card-payments-not-set-up",
	"Card payments are not set up on this site. Choose to pay by invoice instead.")

// CardTopic is the outbox topic of card pledges whose card money needs looking at: the
// payments worker charges, refunds, pays invoices and transfers until the card's money
// matches the pledge (its task references are "pledge:<id>").
const CardTopic = FundingTopic

// checkCard refuses a card pledge that cannot be paid by card.
func (s *Service) checkCard(ctx context.Context, in PledgeInput, b Budget, providerID string) error {
	if in.PayBy == "" || in.PayBy == PayByInvoice {
		return nil
	}
	var f apperr.Fields
	switch {
	case in.PayBy != PayByCard:
		f.Add("pay_by", "must be invoice or card")
	case !slices.Contains(CardForms, b.Form):
		f.Add("pay_by", "a %s is paid by invoice, not by card", marketplace.Label(marketplace.BudgetForms, string(b.Form)))
	}
	if err := f.Err(); err != nil {
		return err
	}
	if s.cfg.Cards == nil {
		return ErrCardsNotSetUp
	}
	ok, err := s.cfg.Cards.CanTakeCards(ctx, providerID)
	if err != nil {
		return fmt.Errorf("can provider %s take cards: %w", providerID, err)
	}
	if !ok {
		return apperr.Conflictf("provider-cannot-take-cards",
			"This provider cannot take card payments yet. Choose to pay by invoice instead.")
	}
	return nil
}

// cardTasks queues a look at the card money of every card pledge the change moved money
// for, and of those whose invoices it issued.
func (w *work) cardTasks(ctx context.Context, lines []Line) error {
	seen := map[string]bool{}
	for _, l := range lines {
		if l.PledgeID != "" {
			seen[l.PledgeID] = true
		}
	}
	for _, inv := range w.newInvoices {
		for _, l := range inv.Lines {
			seen[l.PledgeID] = true
		}
	}
	for _, p := range w.pledges {
		if p.PayBy == PayByCard && seen[p.ID] {
			if err := w.s.store.Enqueue(ctx, CardTopic, "pledge:"+p.ID); err != nil {
				return err
			}
		}
	}
	return nil
}
