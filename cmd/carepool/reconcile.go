package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"
)

// errReconcileFailed is returned when reconcile found differences, so the command exits
// non-zero (the differences have been printed).
var errReconcileFailed = errors.New("the ledger and the payments it records disagree: see above")

// reconcileCommand compares the ledger with the invoice payments it records and, when
// card payments are set up, with Stripe's charges, refunds and transfers since a day.
func reconcileCommand(ctx context.Context, cfg Config, logger *slog.Logger, args []string, stdout io.Writer) (err error) {
	fs := flag.NewFlagSet("reconcile", flag.ContinueOnError)
	fs.SetOutput(stdout)
	sinceDay := fs.String("since", time.Now().AddDate(0, 0, -90).Format(time.DateOnly), "compare Stripe objects created on or after this day (YYYY-MM-DD)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	since, err := time.Parse(time.DateOnly, *sinceDay)
	if err != nil {
		return fmt.Errorf("reconcile: -since must be a date written as YYYY-MM-DD")
	}
	m, err := Open(ctx, cfg, logger, Options{})
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, m.Close(context.WithoutCancel(ctx))) }()
	return m.reconcile(ctx, since, stdout)
}

// reconcile prints every difference between the ledger and the invoices, and between the
// ledger and Stripe.
func (m *Main) reconcile(ctx context.Context, since time.Time, w io.Writer) error {
	n, diffs, err := m.Pools.ReconcileInvoices(ctx)
	if err != nil {
		return fmt.Errorf("reconcile invoices: %w", err)
	}
	fmt.Fprintf(w, "Invoices: compared %d invoices with the ledger.\n", n)
	for _, d := range diffs {
		fmt.Fprintf(w, "  %s: %s (%s)\n", d.Subject, d.Detail, ruleMeanings[d.Rule])
	}
	found := len(diffs)
	if m.Cards == nil {
		fmt.Fprintln(w, "Card payments: not set up on this site (no STRIPE_SECRET_KEY), nothing to compare with Stripe.")
	} else {
		rep, err := m.Cards.Reconcile(ctx, since)
		if err != nil {
			return fmt.Errorf("reconcile card payments: %w", err)
		}
		fmt.Fprintf(w, "Card payments since %s: compared %d ledger entries with %d charges, %d refunds and %d transfers at Stripe.\n",
			since.Format(time.DateOnly), rep.Entries, rep.Charges, rep.Refunds, rep.Transfers)
		for _, d := range rep.Differences {
			fmt.Fprintf(w, "  %s: %s\n", d.Object, d.Detail)
		}
		found += len(rep.Differences)
	}
	if found > 0 {
		fmt.Fprintf(w, "%d difference(s) found.\n", found)
		return errReconcileFailed
	}
	fmt.Fprintln(w, "No differences: the ledger matches every payment.")
	return nil
}
