package pooling

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"time"
)

// Statement is the story of some money, entry by entry, with running balances: one
// budget (or ISF account), one pool, or one provider. It is ready to encode as JSON;
// WriteCSV writes it for spreadsheets.
type Statement struct {
	Subject string         `json:"subject"` // "budget:<id>", "isf:<id>", "pool:<id>" or "provider:<id>"
	Title   string         `json:"title"`
	Columns []string       `json:"columns"` // what each amount and balance is, e.g. "reserved"
	Rows    []StatementRow `json:"rows"`
	Closing []int64        `json:"closing"` // the balances after the last row
	Summary string         `json:"summary,omitempty"`
}

// StatementRow is one entry's effect on a statement's columns.
type StatementRow struct {
	At       time.Time `json:"at"`
	EntryID  string    `json:"entry_id"`
	Op       Op        `json:"op"`
	PoolID   string    `json:"pool_id,omitempty"`
	BudgetID string    `json:"budget_id,omitempty"` // in a person's statement, the budget the row concerns
	Memo     string    `json:"memo"`
	Amounts  []int64   `json:"amounts"`
	Balances []int64   `json:"balances"`
}

// Columns of a budget's statement. "left" is its funds account: for an ISF what is left
// to commit; for other forms it only goes down, by what the payer has promised.
var (
	budgetColumns   = []string{"left", "reserved", "in_pools", "spent"}
	personColumns   = []string{"reserved", "in_pools", "spent"}
	poolColumns     = []string{"holding", "to_provider"}
	providerColumns = []string{Receivable, Invoiced, Settled}
)

// column picks which column of a statement a line belongs to, or -1.
type column func(l Line) int

// buildStatement runs the entries through col, skipping those that leave every column
// unchanged, and keeps running balances.
func buildStatement(subject, title string, cols []string, entries []Entry, col column) Statement {
	st := Statement{Subject: subject, Title: title, Columns: cols, Rows: []StatementRow{}, Closing: make([]int64, len(cols))}
	for _, e := range entries {
		amounts := make([]int64, len(cols))
		touched := false
		for _, l := range e.Lines {
			if i := col(l); i >= 0 {
				amounts[i] += l.AmountPence
				touched = touched || l.AmountPence != 0
			}
		}
		if !touched || allZero(amounts) {
			continue
		}
		for i, a := range amounts {
			st.Closing[i] += a
		}
		st.Rows = append(st.Rows, StatementRow{At: e.At, EntryID: e.ID, Op: e.Op, PoolID: e.PoolID, Memo: e.Memo,
			Amounts: amounts, Balances: append([]int64(nil), st.Closing...)})
	}
	return st
}

func allZero(xs []int64) bool {
	for _, x := range xs {
		if x != 0 {
			return false
		}
	}
	return true
}

// budgetColumn sorts a budget's lines into left, reserved, in pools and spent.
func budgetColumn(source string) column {
	return func(l Line) int {
		switch {
		case l.Source != source:
			return -1
		case l.Account == FundsAccount(source):
			return 0
		case l.Account == ReservedAccount(source):
			return 1
		case strings.HasPrefix(l.Account, "pool:"):
			return 2
		case strings.HasPrefix(l.Account, "provider:"):
			return 3
		}
		return -1
	}
}

// personColumn sorts the lines of any of a person's budgets into reserved, in pools and
// spent: those add up across forms, where each budget's funds do not.
func personColumn(sources map[string]string) column {
	return func(l Line) int {
		if _, ok := sources[l.Source]; !ok {
			return -1
		}
		switch {
		case l.Account == ReservedAccount(l.Source):
			return 0
		case strings.HasPrefix(l.Account, "pool:"):
			return 1
		case strings.HasPrefix(l.Account, "provider:"):
			return 2
		}
		return -1
	}
}

// rowBudget names the budget of the person's that an entry concerns.
func rowBudget(e Entry, sources map[string]string) string {
	for _, l := range e.Lines {
		if id, ok := sources[l.Source]; ok {
			return id
		}
	}
	return ""
}

func poolColumn(poolID string) column {
	return func(l Line) int {
		switch {
		case l.Account == HoldingAccount(poolID):
			return 0
		case strings.HasPrefix(l.Account, "provider:"):
			return 1
		}
		return -1
	}
}

func providerColumn(providerID string) column {
	return func(l Line) int {
		for i, stage := range providerColumns {
			if l.Account == ProviderAccount(providerID, stage) {
				return i
			}
		}
		return -1
	}
}

// WriteCSV writes a statement as CSV: a header, one row per entry with each column's
// change and running balance in pounds (plain decimals, so spreadsheets read numbers).
func WriteCSV(w io.Writer, st Statement) error {
	cw := csv.NewWriter(w)
	header := []string{"date", "entry", "operation", "pool", "budget", "description"}
	for _, c := range st.Columns {
		header = append(header, c+" change", c+" balance")
	}
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("write statement: %w", err)
	}
	for _, r := range st.Rows {
		rec := []string{r.At.UTC().Format(time.RFC3339), r.EntryID, string(r.Op), r.PoolID, r.BudgetID, csvSafe(r.Memo)}
		for i := range st.Columns {
			rec = append(rec, decimalPounds(r.Amounts[i]), decimalPounds(r.Balances[i]))
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write statement: %w", err)
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvSafe stops a spreadsheet from running a memo as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
