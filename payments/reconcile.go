package payments

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/carepool/carepool/pooling"
)

// Difference is one thing the ledger and Stripe disagree on.
type Difference struct {
	Object string `json:"object"` // the Stripe object or ledger entry: "charge pi_…", "refund re_…", "transfer tr_…"
	Detail string `json:"detail"`
}

// Reconciliation is what Reconcile compared and every difference it found.
type Reconciliation struct {
	Charges, Refunds, Transfers, Entries int
	Differences                          []Difference
}

// OK reports whether the ledger and Stripe agree.
func (r Reconciliation) OK() bool { return len(r.Differences) == 0 }

// Reconcile compares the ledger's card money since a time with the charges, refunds and
// transfers Stripe lists for the same time: every succeeded charge, refund and transfer
// must have its ledger entry with the same amount, and every ledger entry its Stripe
// object. It acts for the platform: `carepool reconcile` runs it.
func (c *Cards) Reconcile(ctx context.Context, since time.Time) (Reconciliation, error) {
	var rep Reconciliation
	gw, err := c.svc.Gateway()
	if err != nil {
		return rep, err
	}
	entries, err := c.store.CardEntries(ctx, since)
	if err != nil {
		return rep, err
	}
	rep.Entries = len(entries)
	ledger := map[string]int64{} // by Stripe id: the amount the ledger says moved
	for _, e := range entries {
		ledger[stripeID(e.Key)] = entryAmount(e)
	}
	seen := map[string]bool{}
	check := func(kind, id string, amount int64) {
		seen[id] = true
		got, ok := ledger[id]
		switch {
		case !ok:
			rep.add(kind+" "+id, "Stripe has %s of %s; the ledger has no entry for it", kind, pooling.Pounds(amount))
		case got != amount:
			rep.add(kind+" "+id, "Stripe says %s; the ledger says %s", pooling.Pounds(amount), pooling.Pounds(got))
		}
	}
	charges, err := gw.ChargesSince(ctx, since)
	if err != nil {
		return rep, fmt.Errorf("list charges: %w", err)
	}
	for _, ch := range charges {
		if ch.Status == "succeeded" {
			rep.Charges++
			check("charge", ch.PaymentIntentID, ch.Amount)
		}
	}
	refunds, err := gw.RefundsSince(ctx, since)
	if err != nil {
		return rep, fmt.Errorf("list refunds: %w", err)
	}
	for _, r := range refunds {
		if r.Status != "failed" && r.Status != "canceled" {
			rep.Refunds++
			check("refund", r.ID, r.Amount)
		}
	}
	transfers, err := gw.TransfersSince(ctx, since)
	if err != nil {
		return rep, fmt.Errorf("list transfers: %w", err)
	}
	for _, t := range transfers {
		if !t.Reversed {
			rep.Transfers++
			check("transfer", t.ID, t.Amount)
		}
	}
	for _, e := range entries {
		if id := stripeID(e.Key); !seen[id] {
			rep.add("entry "+e.Key, "the ledger records %s that Stripe does not list", pooling.Pounds(entryAmount(e)))
		}
	}
	slices.SortFunc(rep.Differences, func(a, b Difference) int { return cmp.Compare(a.Object, b.Object) })
	return rep, nil
}

func (r *Reconciliation) add(object, format string, args ...any) {
	r.Differences = append(r.Differences, Difference{Object: object, Detail: fmt.Sprintf(format, args...)})
}

// stripeID is the Stripe object id in a card entry's key ("card:charge:pi_123").
func stripeID(key string) string { return key[strings.LastIndexByte(key, ':')+1:] }

// entryAmount is what a card entry says moved at Stripe: the charge or refund, or what
// the provider's connected account received.
func entryAmount(e pooling.Entry) int64 {
	for _, l := range e.Lines {
		switch {
		case e.Op == OpCardTransfer && strings.HasSuffix(l.Account, ":payouts"):
			return l.AmountPence
		case e.Op != OpCardTransfer && l.Account == stripeBalance():
			return max(l.AmountPence, -l.AmountPence)
		}
	}
	return 0
}
