package notify

import (
	"fmt"
	"net/url"
	"strings"
)

// The wording of approvals, card payments and invoices.

func wordApprovalNeeded(f Facts, r Recipient) Text {
	p, pl := f.Pool, f.Pledge
	t := Text{Title: "A pledge to " + named(p) + " is waiting for your approval", LinkText: "See what is waiting for you", Path: "/approvals"}
	t.Happened = fmt.Sprintf("Someone pledged up to %s a session to the pool %s from a budget you approve spending from.", pounds(pl.LimitPence), named(p))
	t.Means = "The pledge keeps its place in the pool, but it does not count until it is approved."
	t.Todo = "Approve it or decline it."
	if pl.HolderID == r.UserID {
		t.Happened = fmt.Sprintf("Someone acting for you pledged up to %s a session from your budget to the pool %s.", pounds(pl.LimitPence), named(p))
		t.Means = "Pledges this large need your agreement too. It keeps its place in the pool, but does not count until you agree."
		t.Todo = "Approve it or decline it. If you did not expect it, decline it and check who can act for you in your account."
	}
	return t
}

func wordApprovalsReminder(f Facts, _ Recipient) Text {
	p := f.Pool
	t := Text{Title: "Pledges to " + named(p) + " are still waiting for your approval", LinkText: "See what is waiting for you", Path: "/approvals"}
	t.Happened = fmt.Sprintf("The deadline of the pool %s has passed. It can go ahead only if pledges waiting for approval are approved.", named(p))
	grace := "a few more working days"
	if p.GraceUntil != nil {
		grace = "until " + date(*p.GraceUntil)
	}
	t.Means = fmt.Sprintf("The pool waits for your decision %s; then it goes ahead or closes.", grace)
	t.Todo = "Approve or decline the pledges waiting for you, so nobody loses their place because of a delay."
	return t
}

func wordPledgeApproved(f Facts, r Recipient) Text {
	p, pl := f.Pool, f.Pledge
	t := Text{Title: upper(whosePledge(r)) + " to " + named(p) + " is approved", LinkText: "See the pledge", Path: pledgePath(pl.ID)}
	t.Happened = fmt.Sprintf("%s to the pool %s has every approval it needs.", upper(whosePledge(r)), named(p))
	t.Means = "It now counts towards the pool, as long as the price each person pays is within its limit."
	t.Todo = "Nothing to do."
	return t
}

func wordPledgeDeclined(f Facts, r Recipient) Text {
	p, pl := f.Pool, f.Pledge
	t := Text{Title: upper(whosePledge(r)) + " to " + named(p) + " was declined", LinkText: "See the pledge and the reason", Path: pledgePath(pl.ID)}
	t.Happened = fmt.Sprintf("%s to the pool %s was declined by the person who approves spending from that budget.", upper(whosePledge(r)), named(p))
	t.Means = "Its place in the pool is freed and everything set aside for it has been released."
	t.Todo = "The pledge's page gives the reason. You can pledge again, from another budget if you have one."
	if pl.Reason != "" {
		t.InboxOnly = "The reason given: " + pl.Reason
	}
	return t
}

func wordChargeFailed(f Facts, _ Recipient) Text {
	p, pl := f.Pool, f.Pledge
	t := Text{Title: "A card payment for " + named(p) + " did not go through", LinkText: "Pay now", Path: pledgePath(pl.ID) + "/card"}
	t.Happened = fmt.Sprintf("We tried to take the payment for your place in the pool %s, and the card payment failed.", named(p))
	t.Means = "You keep your place for a short time. If it is not paid in time, your place is released and the others' shares may change."
	t.Todo = "Open the link and pay, with the same card or another one. If you did not expect this payment, tell us."
	return t
}

// wordInvoice words the four invoice events; the kind is in the facts' event.
func wordInvoice(f Facts, _ Recipient) Text {
	inv := f.Invoice
	number := inv.Number
	if number == "" {
		number = "without a number"
	}
	due, amount := date(inv.DueDate), pounds(inv.AmountDuePence)
	t := Text{LinkText: "See the invoice", Path: "/invoices/" + url.PathEscape(f.InvoiceID)}
	whose := "you"
	if inv.PayerKind == PayerOrganisation {
		whose = "your organisation"
	}
	switch f.kind {
	case KindInvoiceIssued:
		t.Title = fmt.Sprintf("Invoice %s: %s due by %s", number, amount, due)
		t.Happened = fmt.Sprintf("An invoice, number %s, was issued to %s on Carepool.", number, whose)
		t.Means = fmt.Sprintf("%s is due by %s.", amount, due)
		t.Todo = "Check it and pay it by the due date. If something on it is wrong, tell the provider."
	case KindInvoiceOverdue:
		t.Title = fmt.Sprintf("Invoice %s is overdue", number)
		t.Happened = fmt.Sprintf("Invoice %s to %s was due on %s and is not paid yet.", number, whose, due)
		t.Means = fmt.Sprintf("%s is still to pay. The provider has delivered the sessions it bills.", amount)
		t.Todo = "Pay it as soon as you can, or tell the provider if something is wrong."
	case KindInvoicePaid:
		t.Title = fmt.Sprintf("Invoice %s is paid", number)
		t.Happened = fmt.Sprintf("Invoice %s, which your organisation issued, has been paid.", number)
		t.Means = fmt.Sprintf("Its %s is paid in full.", pounds(inv.TotalPence))
		t.Todo = "Nothing to do."
	case KindPaymentNeedsApproval:
		t.Title = fmt.Sprintf("A payment of invoice %s needs your approval", number)
		t.Happened = fmt.Sprintf("Someone in your organisation recorded a payment of %s for invoice %s.", pounds(inv.PendingPaymentPence), number)
		t.Means = "It is not made until a second person approves it: this protects everyone against mistakes and misuse."
		t.Todo = "Check it, then approve it, or decline it if you do not recognise it."
	}
	return t
}

func upper(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func wordPledgeLapsed(f Facts, r Recipient) Text {
	p, pl := f.Pool, f.Pledge
	t := Text{Title: "Your place in " + named(p) + " was released", LinkText: "See the pledge", Path: pledgePath(pl.ID)}
	t.Happened = fmt.Sprintf("The card payment for %s in the pool %s failed, and it was not paid before the time ran out.", whosePledge(r), named(p))
	t.Means = "The place is released: nothing more will be taken, and any money taken for sessions that will not happen is refunded to the card."
	t.Todo = "If you still want to go, you can pledge again while the pool has places, by card or by invoice."
	return t
}

func wordSharesChanged(f Facts, r Recipient) Text {
	p := f.Pool
	t := Text{Title: "The shares in " + named(p) + " have changed"}
	t.LinkText, t.Path = seePool(p)
	t.Happened = fmt.Sprintf("A place in the pool %s was released because its payment was not made.", named(p))
	t.Means = "The sessions still to come are shared among the people left. A share can rise, but never above the most each person said they would pay; a session that no longer works for everyone is cancelled."
	t.Todo = "Nothing to do. The pool's page shows the share now."
	if r.Role == RoleOrganiser {
		t.Todo = "You may want to invite someone to take the place."
	}
	return t
}
