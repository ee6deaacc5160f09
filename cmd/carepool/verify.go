package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"github.com/carepool/carepool/pooling"
)

// errVerifyFailed is returned when the ledger breaks an invariant, so the command exits
// non-zero (the report itself has been printed).
var errVerifyFailed = errors.New("the pooling ledger breaks its rules: see above")

// verifyCommand recomputes every balance from the ledger and prints what it found.
func verifyCommand(ctx context.Context, cfg Config, logger *slog.Logger, stdout io.Writer) (err error) {
	m, err := Open(ctx, cfg, logger, Options{})
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, m.Close(context.WithoutCancel(ctx))) }()
	rep, err := m.Pools.Verify(ctx)
	if err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	writeVerifyReport(stdout, rep)
	if !rep.OK() {
		return errVerifyFailed
	}
	return nil
}

// ruleMeanings says what each invariant protects, in plain English.
var ruleMeanings = map[string]string{
	pooling.RuleEntryBalances:  "every money movement adds up to zero",
	pooling.RuleEntryWellMade:  "every money movement is well made",
	pooling.RuleKeyUnique:      "no money movement was recorded twice",
	pooling.RuleLedgerBalances: "the whole ledger adds up to zero",
	pooling.RulePledgeLedger:   "each pledge's figures match the ledger",
	pooling.RulePledgeState:    "each pledge holds what its pool's state says",
	pooling.RuleShareLimit:     "nobody pays more than their limit for a session",
	pooling.RuleSessionShares:  "each session's price is split exactly",
	pooling.RuleHolding:        "each pool holds exactly the shares of the people counted",
	pooling.RuleSeats:          "each pool's places taken match its pledges",
	pooling.RuleClosedPool:     "failed and cancelled pools have given everything back",
	pooling.RuleSettledPool:    "settled pools hold nothing and are owed nothing",
	pooling.RuleProviderStages: "what providers are owed matches the billing periods",
	pooling.RuleISFNegative:    "no individual service fund is below zero",
	pooling.RuleISFCache:       "each individual service fund's balance matches the ledger",
	pooling.RuleBudgetFunds:    "each budget's figures match what it committed and spent",
	pooling.RuleInvoiceAmounts: "each invoice's lines, payments, credit notes and VAT add up",
	pooling.RuleInvoiceNumbers: "each provider's invoices and credit notes are numbered without gaps",
	pooling.RuleInvoiceLedger:  "each invoice's payments and credits are what the ledger moved for it",
}

func writeVerifyReport(w io.Writer, rep pooling.VerifyReport) {
	fmt.Fprintf(w, "Checked %d money movements, %d pools, %d pledges, %d individual service funds and %d invoices.\n",
		rep.Entries, rep.Pools, rep.Pledges, rep.ISFAccounts, rep.Invoices)
	if rep.OK() {
		fmt.Fprintln(w, "Everything adds up: every rule that protects people's money holds.")
		return
	}
	fmt.Fprintf(w, "Found %d problem(s):\n", len(rep.Violations))
	for _, v := range rep.Violations {
		meaning := ruleMeanings[v.Rule]
		if meaning == "" {
			meaning = v.Rule
		}
		fmt.Fprintf(w, "  - %s: the rule that %s is broken (%s). %s\n", v.Subject, meaning, v.Rule, v.Detail)
	}
}
