package pooling

import (
	"context"
	"time"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
)

// InvoiceView is an invoice as the caller sees it, with what they may do with it.
type InvoiceView struct {
	Invoice
	Status       InvoiceStatus `json:"status"`
	OwingPence   int64         `json:"owing_pence"`
	PendingPence int64         `json:"pending_pence"` // payments waiting for a second approver
	Overdue      bool          `json:"overdue"`
	FromISF      bool          `json:"from_isf"`   // every place is paid from an ISF: the payer may pay with method isf
	CanPay       bool          `json:"can_pay"`    // may record a payment
	CanCredit    bool          `json:"can_credit"` // may issue a credit note (the provider)
}

// invoiceParty is how the caller stands to an invoice.
type invoiceParty struct {
	provider bool // a member of the provider that issued it
	payer    bool // may record payments: a member of the paying organisation; the provider for a budget holder who pays
	holder   bool // the budget holder who pays it, one of their representatives, or someone on it
}

func (p invoiceParty) any() bool { return p.provider || p.payer || p.holder }

// partyTo works out how the caller stands to an invoice.
func (s *Service) partyTo(ctx context.Context, a *account.Actor, inv *Invoice) (invoiceParty, error) {
	var p invoiceParty
	if a.Anonymous() {
		return p, nil
	}
	p.provider = a.MemberOf(inv.ProviderID)
	switch inv.Payer.Kind {
	case "organisation":
		p.payer = a.CanActFor(inv.Payer.ID, account.RoleOwner, account.RoleMember, account.RoleCommissioner)
	default:
		// A budget holder pays the provider, who records it; card invoices are paid
		// from the card by Carepool itself (PayInvoiceByCard), never by hand.
		p.payer = inv.Payer.Kind != "card" && a.CanActFor(inv.ProviderID, account.RoleOwner, account.RoleMember)
		if a.UserID == inv.Payer.ID {
			p.holder = true
		} else if ok, err := s.representsHolder(ctx, a, inv.Payer.ID); err != nil {
			return p, err
		} else {
			p.holder = ok
		}
	}
	if !p.any() {
		on, err := s.onInvoice(ctx, a, inv)
		if err != nil {
			return p, err
		}
		p.holder = on
	}
	return p, nil
}

// onInvoice reports whether one of the invoice's lines is the caller's own pledge (held
// or made by them, or held by someone they represent), so everyone can see what was
// billed for them, whoever pays.
func (s *Service) onInvoice(ctx context.Context, a *account.Actor, inv *Invoice) (bool, error) {
	for _, l := range inv.Lines {
		pl, err := s.store.Pledge(ctx, l.PledgeID)
		if err != nil {
			return false, err
		}
		if pl.HolderID == a.UserID || pl.PledgedBy == a.UserID {
			return true, nil
		}
		if ok, err := s.representsHolder(ctx, a, pl.HolderID); ok || err != nil {
			return ok, err
		}
	}
	return false, nil
}

// Invoice returns an invoice for the provider's members, the payer, the budget holders
// on it and administrators; NotFound for anyone else.
func (s *Service) Invoice(ctx context.Context, id string) (InvoiceView, error) {
	a := account.ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return InvoiceView{}, err
	}
	if !marketplace.ValidID(id) {
		return InvoiceView{}, ErrInvoiceNotFound
	}
	inv, err := s.store.Invoice(ctx, id)
	if err != nil {
		return InvoiceView{}, err
	}
	party, err := s.partyTo(ctx, a, &inv)
	if err != nil {
		return InvoiceView{}, err
	}
	if !party.any() && !a.IsAdmin() {
		return InvoiceView{}, ErrInvoiceNotFound
	}
	return s.invoiceView(inv, party), nil
}

func (s *Service) invoiceView(inv Invoice, party invoiceParty) InvoiceView {
	return InvoiceView{Invoice: inv, Status: inv.Status(), OwingPence: inv.OwingPence(), PendingPence: inv.PendingPence(),
		Overdue: inv.Overdue(s.now()), FromISF: inv.allFromISF(), CanPay: party.payer && inv.OwingPence() > inv.PendingPence(),
		CanCredit: party.provider && inv.OwingPence() > inv.PendingPence()}
}

// InvoiceFilter selects the invoices of a provider or of a paying organisation.
type InvoiceFilter struct {
	ProviderID string `query:"provider_id"` // invoices this provider issued (its members)
	PayerID    string `query:"payer_id"`    // invoices this organisation pays (its members)
	PoolID     string `query:"pool_id"`     // invoices of a pool (with provider_id or payer_id, or as an administrator)
	Unpaid     bool   `query:"unpaid"`
	Overdue    bool   `query:"overdue"`
}

// Invoices lists invoices newest first: those a provider issued (for its members), those
// an organisation must pay (for its members), or, with neither, the caller's own as a
// budget holder who pays by invoice. Administrators may list any provider's or payer's.
func (s *Service) Invoices(ctx context.Context, f InvoiceFilter) ([]InvoiceView, error) {
	a := account.ActorFrom(ctx)
	if err := a.RequireUser(); err != nil {
		return nil, err
	}
	q := InvoiceQuery{ProviderID: f.ProviderID, PoolID: f.PoolID, Unpaid: f.Unpaid || f.Overdue, Limit: 500}
	switch {
	case f.ProviderID != "" && !a.MemberOf(f.ProviderID) && !a.IsAdmin():
		return nil, apperr.Forbiddenf("You can list the invoices only of a provider you belong to.")
	case f.PayerID != "" && !a.MemberOf(f.PayerID) && !a.IsAdmin():
		return nil, apperr.Forbiddenf("You can list the invoices only of an organisation you belong to.")
	case f.PayerID != "":
		q.Payer = &Payer{Kind: "organisation", ID: f.PayerID}
	case f.ProviderID == "":
		q.Payer = &Payer{Kind: "budget_holder", ID: a.UserID}
	}
	if f.Overdue {
		now := s.now()
		q.DueBefore = &now
	}
	invs, err := s.store.Invoices(ctx, q)
	if err != nil {
		return nil, err
	}
	views := make([]InvoiceView, 0, len(invs))
	for _, inv := range invs {
		party, err := s.partyTo(ctx, a, &inv)
		if err != nil {
			return nil, err
		}
		views = append(views, s.invoiceView(inv, party))
	}
	return views, nil
}

// ProcessOverdueInvoices tells each payer once that an invoice is overdue (a "notify"
// task in the same transaction as marking it told). It acts for the platform: run it
// from a job. It returns how many invoices it flagged.
func (s *Service) ProcessOverdueInvoices(ctx context.Context, now time.Time) (int, error) {
	due, err := s.store.Invoices(ctx, InvoiceQuery{Unpaid: true, DueBefore: &now, NotToldLate: true, Limit: 1000})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, inv := range due {
		told := false
		err := s.store.Tx(ctx, func(ctx context.Context) error {
			told = false
			cur, err := s.store.Invoice(ctx, inv.ID)
			if err != nil || cur.OverdueNoticeAt != nil || !cur.Overdue(now) {
				return err
			}
			at := now.UTC().Truncate(time.Millisecond)
			cur.OverdueNoticeAt, cur.Version = &at, cur.Version+1
			if err := s.store.SaveInvoice(ctx, cur, cur.Version-1); err != nil {
				return err
			}
			told = true
			return s.store.Enqueue(ctx, "notify", "invoice:"+inv.ID+":overdue")
		})
		if err != nil {
			return n, err
		}
		if told {
			n++
		}
	}
	return n, nil
}
