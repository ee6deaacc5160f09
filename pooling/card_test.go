package pooling_test

import (
	"context"
	"testing"

	"github.com/carepool/carepool/infra/apperr"
	mk "github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/pooling"
)

// cardsFor is the Cards port for a test: providers that can take cards.
type cardsFor map[string]bool

func (c cardsFor) CanTakeCards(_ context.Context, providerID string) (bool, error) {
	return c[providerID], nil
}

func TestCardPledgesNeedCardPaymentsSetUpAndAFittingBudget(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pooling.Config{})
	pool := w.openPool(t, 1, nil)
	holder := w.person(t, "Carla Card")
	dp := w.directPayment(t, holder)
	in := pooling.PledgeInput{BudgetID: dp.ID, LimitPence: 12000, PayBy: pooling.PayByCard}
	_, err := w.svc.Pledge(holder.ctx(t), pool.ID, in, "")
	wantKind(t, err, apperr.Unavailable, "card-payments-not-set-up")

	w2 := newWorld(t, pooling.Config{Cards: cardsFor{}})
	pool2 := w2.openPool(t, 1, nil)
	holder2 := w2.person(t, "Carl Card")
	dp2 := w2.directPayment(t, holder2)
	_, err = w2.svc.Pledge(holder2.ctx(t), pool2.ID, pooling.PledgeInput{BudgetID: dp2.ID, LimitPence: 12000, PayBy: pooling.PayByCard}, "")
	wantKind(t, err, apperr.Conflict, "provider-cannot-take-cards")
	council := w2.budget(t, holder2, pooling.BudgetInput{Form: mk.CouncilManaged, HolderOrgID: w2.council.ID})
	_, err = w2.svc.Pledge(holder2.ctx(t), pool2.ID, pooling.PledgeInput{BudgetID: council.ID, LimitPence: 12000, PayBy: pooling.PayByCard}, "")
	wantFields(t, err, "pay_by")
	_, err = w2.svc.Pledge(holder2.ctx(t), pool2.ID, pooling.PledgeInput{BudgetID: dp2.ID, LimitPence: 12000, PayBy: "cash"}, "")
	wantFields(t, err, "pay_by")
}

func TestACardPledgeCountsOnceItsCardIsSavedAndItsInvoiceIsPaidByCard(t *testing.T) {
	t.Parallel()
	cards := cardsFor{}
	w := newWorld(t, pooling.Config{Cards: cards})
	cards[w.provider.ID] = true
	pool := w.openPool(t, 1, nil)
	people, budgets := w.holders(t, 4)
	v, err := w.svc.Pledge(people[0].ctx(t), pool.ID, pooling.PledgeInput{BudgetID: budgets[0].ID, LimitPence: 12000, PayBy: pooling.PayByCard}, "")
	if err != nil {
		t.Fatal(err)
	}
	if v.Status != pooling.PledgeWaitingApproval || len(v.Needs) != 1 || v.Needs[0] != pooling.ApprovalCard || v.PayBy != pooling.PayByCard {
		t.Fatalf("a card pledge before its card is saved: %s needing %v", v.Status, v.Needs)
	}
	// Nobody can approve it by hand: only the webhook's CardSaved.
	if _, err := w.svc.Approve(w.uma.ctx(t), v.ID, ""); apperr.KindOf(err) == 0 && err == nil {
		t.Fatal("an organiser approved a card pledge")
	}
	if v, err = w.svc.CardSaved(t.Context(), v.ID); err != nil || v.Status != pooling.PledgePledged {
		t.Fatalf("after the card is saved: %s, %v", v.Status, err)
	}
	if again, err := w.svc.CardSaved(t.Context(), v.ID); err != nil || again.Version != v.Version {
		t.Errorf("saving the card twice: version %d then %d, %v", v.Version, again.Version, err)
	}
	for i := 1; i < 4; i++ {
		w.pledge(t, people[i], pool.ID, budgets[i], 12000)
	}
	if _, err := w.svc.ConfirmPool(w.uma.ctx(t), pool.ID, ""); err != nil {
		t.Fatal(err)
	}
	if n := w.tasks(t, pooling.CardTopic, "pledge:"+v.ID); n == 0 {
		t.Error("confirming did not ask the payments worker to charge the card")
	}
	got := w.deliver(t, w.pool(t, w.pat, pool.ID), 0)
	card := byPayer(t, w.invoices(t, got.ID), "card", people[0].id)
	if card.GrossPence != 12000 || card.CanPay {
		t.Errorf("the card invoice: gross %d, can pay by hand %v", card.GrossPence, card.CanPay)
	}
	_, err = w.svc.RecordPayment(w.pat.ctx(t), card.ID, pooling.PaymentInput{AmountPence: 100, Method: pooling.PayRemittance, Reference: "x"}, "")
	wantKind(t, err, apperr.Forbidden, "")
	paid, err := w.svc.PayInvoiceByCard(t.Context(), card.ID, card.GrossPence, "pi_123", "card-pay-1")
	if err != nil || paid.OwingPence() != 0 {
		t.Fatalf("paying by card: owing %d, %v", paid.OwingPence(), err)
	}
	if again, err := w.svc.PayInvoiceByCard(t.Context(), card.ID, card.GrossPence, "pi_123", "card-pay-1"); err != nil || again.PaidPence != card.GrossPence {
		t.Errorf("paying by card again with the same key: paid %d, %v", again.PaidPence, err)
	}
}

func TestALapsedCardPledgeReleasesItsPlaceAndTheOthersShareTheRest(t *testing.T) {
	t.Parallel()
	cards := cardsFor{}
	w := newWorld(t, pooling.Config{Cards: cards})
	cards[w.provider.ID] = true
	pool := w.openPool(t, 4, nil)
	people, budgets := w.holders(t, 5)
	v, err := w.svc.Pledge(people[0].ctx(t), pool.ID, pooling.PledgeInput{BudgetID: budgets[0].ID, LimitPence: 12000, PayBy: pooling.PayByCard}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.CardSaved(t.Context(), v.ID); err != nil {
		t.Fatal(err)
	}
	var others []pooling.PledgeView
	for i := 1; i < 5; i++ {
		others = append(others, w.pledge(t, people[i], pool.ID, budgets[i], 12000))
	}
	if rep := w.processDeadlines(t, pool.Deadline); rep.Confirmed != 1 {
		t.Fatalf("not confirmed: %+v", rep)
	}
	lapsed, err := w.svc.LapsePledge(t.Context(), v.ID, 0, "The card payment failed and was not made in time.")
	if err != nil {
		t.Fatal(err)
	}
	if lapsed.Status != pooling.PledgeReleased || lapsed.CommittedPence != 0 {
		t.Errorf("the lapsed pledge: %s, %d still committed", lapsed.Status, lapsed.CommittedPence)
	}
	if other := mustPledge(t, w.env, people[1], others[0].ID); other.Shares[0] != 12000 {
		t.Errorf("the others now pay %v, want £120 each (£480 among four)", other.Shares)
	}
	got := w.pool(t, w.pat, pool.ID)
	if got.Status != pooling.StatusConfirmed || got.Taken != 4 {
		t.Errorf("with four left at the minimum the pool is %s with %d", got.Status, got.Taken)
	}
	if n := w.tasks(t, "notify", "pool:"+pool.ID+":shares-changed"); n != 1 {
		t.Errorf("%d notices that the shares changed", n)
	}
}
