package pooling

import (
	"github.com/carepool/carepool/marketplace"
)

// FundingRoute is how pledges from one form of budget are paid for. Whatever the route,
// Carepool's ledger records every reservation, share and payment (see reconcile); a
// route adds what its form needs around that: who must approve a pledge before it
// counts, and who pays the provider's invoices. Money outside Carepool (a card, paid
// through Stripe) is a choice of the pledge, not of the form: see card.go.
type FundingRoute interface {
	// Form is the budget form the route pays for.
	Form() marketplace.BudgetForm
	// Approvals lists the approvals a pledge needs before it counts, in no special order.
	Approvals(r ApprovalRequest) []ApprovalKind
	// Payer says who pays the invoices for pledges from b.
	Payer(b Budget) Payer
}

// FundingTopic is the outbox topic of money that moves outside Carepool: card pledges'
// charges, refunds and payouts (CardTopic).
const FundingTopic = "funding"

// ApprovalRequest is what a route needs to decide a pledge's approvals.
type ApprovalRequest struct {
	Budget    Budget
	PledgedBy string
	// CommitmentPence is the most the pledge can cost: its limit times the sessions it
	// may pay for.
	CommitmentPence int64
	// SecondApprovalOverPence is the two-person rule's threshold (Config).
	SecondApprovalOverPence int64
}

// byRepresentative reports whether someone other than the budget holder made the pledge.
func (r ApprovalRequest) byRepresentative() bool { return r.PledgedBy != r.Budget.HolderID }

// Payer is who settles an invoice: an organisation (council, ISF provider, trust,
// brokerage) or the budget holder (or their trusted other, on their behalf).
type Payer struct {
	Kind string `json:"kind"` // "organisation", "budget_holder", or "card" (a card pledge's invoices, paid from the card)
	ID   string `json:"id"`
}

// InvoiceRoute pays by invoice: the payer commits now and pays when the invoice is
// settled. It is the route of every form, so every form works without Stripe; a card
// pledge (card.go) keeps its form's approvals and adds card_saved.
type InvoiceRoute struct{ form marketplace.BudgetForm }

// InvoiceRoutes returns an invoice route for each of the six budget forms.
func InvoiceRoutes() map[marketplace.BudgetForm]FundingRoute {
	routes := map[marketplace.BudgetForm]FundingRoute{}
	for _, f := range []marketplace.BudgetForm{marketplace.DirectPayment, marketplace.IndirectPayment,
		marketplace.TrustFund, marketplace.BrokeredFund, marketplace.ISF, marketplace.CouncilManaged} {
		routes[f] = InvoiceRoute{form: f}
	}
	return routes
}

// Form is the budget form the route pays for.
func (r InvoiceRoute) Form() marketplace.BudgetForm { return r.form }

// Approvals follows DOMAIN.md: the ISF provider accepts every ISF pledge, a commissioner
// approves every council-managed pledge, a second trustee (or the holder) agrees every
// trust fund pledge, and a representative's pledge over the threshold needs the holder
// or another representative too (trust funds already have their second person).
func (r InvoiceRoute) Approvals(req ApprovalRequest) []ApprovalKind {
	needs := []ApprovalKind{}
	switch r.form {
	case marketplace.ISF:
		needs = append(needs, ApprovalISFProvider)
	case marketplace.CouncilManaged:
		needs = append(needs, ApprovalCommissioner)
	case marketplace.TrustFund:
		return append(needs, ApprovalSecondTrustee)
	}
	if req.byRepresentative() && req.CommitmentPence > req.SecondApprovalOverPence {
		needs = append(needs, ApprovalSecondApprover)
	}
	return needs
}

// Payer is the organisation holding the budget, or the holder for direct and indirect
// payments (and a brokered fund whose brokerage is not recorded).
func (r InvoiceRoute) Payer(b Budget) Payer {
	if b.HolderOrgID != "" {
		return Payer{Kind: "organisation", ID: b.HolderOrgID}
	}
	return Payer{Kind: "budget_holder", ID: b.HolderID}
}
