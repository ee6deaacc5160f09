package notify

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/pooling"
)

// Who hears about what. Every recipient is named by a rule below; nobody else (a
// stranger, the members of another pool) is ever added.

// audience collects recipients, one per person, in the order they are added: someone who
// is both in a pool and one of its organisers hears as a member.
type audience struct {
	list    []Recipient
	seen    map[string]bool
	exclude map[string]bool
}

func newAudience(exclude ...string) *audience {
	a := &audience{seen: map[string]bool{}, exclude: map[string]bool{}}
	for _, id := range exclude {
		a.exclude[id] = true
	}
	return a
}

func (a *audience) add(r Recipient) {
	who := r.UserID
	if who == "" {
		who = AddressOwner(r.Email)
	}
	if (r.UserID == "" && r.Email == "") || a.seen[who] || a.exclude[r.UserID] {
		return
	}
	a.seen[who] = true
	a.list = append(a.list, r)
}

func (a *audience) addUsers(ids []string, role Role) {
	for _, id := range ids {
		a.add(Recipient{UserID: id, Role: role})
	}
}

// addPledge adds a pledge's budget holder and, if someone else made it, them too.
func (a *audience) addPledge(pl *pooling.Pledge, r Recipient) {
	r.Pledge = pl
	if pl.PledgedBy == pl.HolderID {
		r.UserID, r.Role = pl.HolderID, RoleMember
		a.add(r)
		return
	}
	r.UserID, r.Role = pl.HolderID, RoleHolder
	a.add(r)
	r.UserID, r.Role = pl.PledgedBy, RoleRepresentative
	a.add(r)
}

// errNothingToTell means what a task names is gone: the task is done with no recipient.
var errNothingToTell = errors.New("nothing to tell")

// resolve reads the facts of an event and who must hear about it, from the store as it
// is now.
func (s *Service) resolve(ctx context.Context, ev Event) (Facts, []Recipient, error) {
	f := Facts{kind: ev.Kind, Session: ev.Session}
	var aud *audience
	var err error
	switch ev.Kind {
	case KindInvoiceIssued, KindInvoiceOverdue, KindInvoicePaid, KindPaymentNeedsApproval:
		aud, err = s.invoiceAudience(ctx, ev, &f)
	case KindInvited:
		aud, err = s.invitationAudience(ctx, ev, &f)
	case KindPoolMessage:
		aud, err = s.messageAudience(ctx, ev, &f)
	case KindApprovalNeeded, KindPledgeApproved, KindPledgeDeclined, KindMemberJoined, KindMemberWithdrew,
		KindNoticeEnding, KindChargeFailed, KindPledgeLapsed:
		aud, err = s.pledgeAudience(ctx, ev, &f)
	default:
		aud, err = s.poolAudience(ctx, ev, &f)
	}
	if apperr.Is(err, apperr.NotFound) || errors.Is(err, errNothingToTell) {
		return f, nil, nil
	}
	if err != nil {
		return f, nil, err
	}
	return f, aud.list, nil
}

// poolAudience resolves the events about a whole pool.
func (s *Service) poolAudience(ctx context.Context, ev Event, f *Facts) (*audience, error) {
	pool, pledges, err := s.poolAndPledges(ctx, ev.Subject)
	if err != nil {
		return nil, err
	}
	f.Pool = pool
	aud := newAudience()
	switch ev.Kind {
	case KindPoolConfirmed:
		at, ok := transitionAt(pool, pooling.StatusConfirmed)
		for i := range pledges {
			pl := &pledges[i]
			e, changed := eventAt(pl, at)
			switch {
			case ok && changed && e.Status == pooling.PledgeConfirmed:
				aud.addPledge(pl, Recipient{})
			case ok && changed && e.Status == pooling.PledgeReleased:
				aud.addPledge(pl, Recipient{Released: true})
			case pl.Status == pooling.PledgeWaitingApproval:
				aud.addPledge(pl, Recipient{Waiting: true})
			}
		}
		return aud, s.addManagers(ctx, aud, pool, true)
	case KindPoolFailed, KindPoolCancelled:
		to := pooling.StatusFailed
		if ev.Kind == KindPoolCancelled {
			to = pooling.StatusCancelled
		}
		if at, ok := transitionAt(pool, to); ok {
			for i := range pledges {
				if _, changed := eventAt(&pledges[i], at); changed {
					aud.addPledge(&pledges[i], Recipient{})
				}
			}
		}
		return aud, s.addManagers(ctx, aud, pool, true)
	case KindMinimumReached:
		if pool.Status != pooling.StatusOpen {
			return nil, errNothingToTell // it went ahead meanwhile: "confirmed" says more
		}
		for i := range pledges {
			if st := pledges[i].Status; st == pooling.PledgePledged || st == pooling.PledgeWaitingApproval {
				aud.addPledge(&pledges[i], Recipient{})
			}
		}
		return aud, s.addManagers(ctx, aud, pool, false)
	case KindSharesChanged:
		for i := range pledges {
			if pledges[i].Status == pooling.PledgeConfirmed && pledges[i].Active {
				aud.addPledge(&pledges[i], Recipient{})
			}
		}
		return aud, s.addManagers(ctx, aud, pool, false)
	case KindApprovalsReminder:
		for i := range pledges {
			if pledges[i].Status == pooling.PledgeWaitingApproval {
				if err := s.addApprovers(ctx, aud, &pledges[i]); err != nil {
					return nil, err
				}
			}
		}
		return aud, nil
	case KindSessionReminder, KindSessionDelivered:
		if ev.Session >= len(pool.Sessions) {
			return nil, errNothingToTell
		}
		for i := range pledges {
			if participates(&pledges[i], ev.Session) {
				aud.addPledge(&pledges[i], Recipient{})
			}
		}
		return aud, nil
	}
	return nil, fmt.Errorf("no rule for %s", ev.Kind)
}

// pledgeAudience resolves the events about one pledge.
func (s *Service) pledgeAudience(ctx context.Context, ev Event, f *Facts) (*audience, error) {
	pl, err := s.pools.Pledge(ctx, ev.Subject)
	if err != nil {
		return nil, err
	}
	pool, err := s.pools.Pool(ctx, pl.PoolID)
	if err != nil {
		return nil, err
	}
	f.Pledge, f.Pool = pl, pool
	switch ev.Kind {
	case KindApprovalNeeded:
		aud := newAudience()
		if pl.Status != pooling.PledgeWaitingApproval {
			return nil, errNothingToTell // decided before the worker got to it
		}
		return aud, s.addApprovers(ctx, aud, &pl)
	case KindPledgeApproved, KindPledgeDeclined, KindNoticeEnding, KindPledgeLapsed:
		aud := newAudience()
		aud.addPledge(&pl, Recipient{})
		return aud, nil
	case KindChargeFailed:
		aud := newAudience()
		aud.add(Recipient{UserID: pl.PledgedBy, Role: RolePayer, Pledge: &pl})
		return aud, nil
	case KindMemberJoined, KindMemberWithdrew:
		// Whoever joined or left knows it already.
		exclude := []string{pl.HolderID, pl.PledgedBy}
		if ev.Kind == KindMemberWithdrew {
			exclude = append(exclude, withdrawnBy(&pl))
		}
		aud := newAudience(exclude...)
		ids, err := s.organisers(ctx, pool)
		aud.addUsers(ids, RoleOrganiser)
		return aud, err
	}
	return nil, fmt.Errorf("no rule for %s", ev.Kind)
}

// messageAudience is everyone with a live pledge in the message's pool but its author.
func (s *Service) messageAudience(ctx context.Context, ev Event, f *Facts) (*audience, error) {
	m, err := s.store.Message(ctx, ev.Subject)
	if err != nil {
		return nil, err
	}
	pool, pledges, err := s.poolAndPledges(ctx, m.PoolID)
	if err != nil {
		return nil, err
	}
	f.Message, f.Pool = m, pool
	aud := newAudience(m.AuthorID)
	for i := range pledges {
		if !pledges[i].Status.Final() {
			aud.addPledge(&pledges[i], Recipient{})
		}
	}
	return aud, nil
}

// invitationAudience is the invited address: its account if it has one.
func (s *Service) invitationAudience(ctx context.Context, ev Event, f *Facts) (*audience, error) {
	inv, err := s.store.Invitation(ctx, ev.Subject)
	if err != nil {
		return nil, err
	}
	pool, err := s.pools.Pool(ctx, inv.PoolID)
	if err != nil {
		return nil, err
	}
	f.Invitation, f.Pool = inv, pool
	if pool.Status != pooling.StatusOpen && pool.Status != pooling.StatusConfirmed {
		return nil, errNothingToTell // it closed before the invitation went
	}
	aud := newAudience()
	u, err := s.people.UserByEmail(ctx, inv.Email)
	switch {
	case err == nil:
		aud.add(Recipient{UserID: u.ID, Role: RoleInvitee})
	case apperr.Is(err, apperr.NotFound):
		aud.add(Recipient{Email: inv.Email, Role: RoleInvitee})
	default:
		return nil, fmt.Errorf("account of an invited address: %w", err)
	}
	return aud, nil
}

// errInvoicesNotWired keeps invoice tasks waiting until the invoicing code is wired.
var errInvoicesNotWired = errors.New("invoice notifications are not wired yet (notify.Service.SetInvoices)")

// invoiceAudience is the payer of an invoice (a person, or an organisation's members),
// or, once it is paid, the provider's members.
func (s *Service) invoiceAudience(ctx context.Context, ev Event, f *Facts) (*audience, error) {
	if s.invoices == nil {
		return nil, errInvoicesNotWired
	}
	inv, err := s.invoices.InvoiceFacts(ctx, ev.Subject)
	if err != nil {
		return nil, err
	}
	f.Invoice, f.InvoiceID = inv, ev.Subject
	if inv.PoolID != "" {
		if f.Pool, err = s.pools.Pool(ctx, inv.PoolID); err != nil && !apperr.Is(err, apperr.NotFound) {
			return nil, err
		}
	}
	var aud *audience
	switch ev.Kind {
	case KindInvoicePaid:
		aud = newAudience()
		ids, err := s.orgMembers(ctx, inv.ProviderOrgID, account.RoleOwner, account.RoleMember)
		aud.addUsers(ids, RoleProvider)
		return aud, err
	case KindPaymentNeedsApproval:
		aud = newAudience(inv.RecordedBy) // a second person approves it
	default:
		aud = newAudience()
	}
	role := RolePayer
	if ev.Kind == KindPaymentNeedsApproval {
		role = RoleApprover
	}
	if inv.PayerKind == PayerUser {
		aud.add(Recipient{UserID: inv.PayerID, Role: role})
		return aud, nil
	}
	ids, err := s.orgMembers(ctx, inv.PayerID, account.RoleOwner, account.RoleMember, account.RoleCommissioner)
	aud.addUsers(ids, role)
	return aud, err
}

// withdrawnBy is who withdrew a pledge, or gave notice to leave its pool.
func withdrawnBy(pl *pooling.Pledge) string {
	for i := len(pl.History) - 1; i >= 0; i-- {
		if e := pl.History[i]; e.Status == pooling.PledgeWithdrawn || strings.HasPrefix(e.Note, "gave notice") {
			return e.By
		}
	}
	return ""
}
