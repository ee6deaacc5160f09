package pooling

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/marketplace"
)

// MaxBudgetPence bounds any budget amount (£1,000,000): larger figures are typing mistakes.
const MaxBudgetPence = 100_000_000

// Budget is one of a budget holder's personal budgets: its form and, for the forms held
// by an organisation, which one holds it (the council for council_managed, the ISF
// provider for isf, the trust for trust_fund, the brokerage for brokered_fund). That is
// how "a commissioner of that council" or "the ISF provider that holds this ISF" is
// checked. Amounts are optional and only shown: Carepool enforces a balance for ISFs,
// whose money it tracks, and records commitments for every other form.
type Budget struct {
	ID              string                 `json:"id" bson:"_id"`
	HolderID        string                 `json:"holder_id" bson:"holder_id"`
	Form            marketplace.BudgetForm `json:"form" bson:"form"`
	HolderOrgID     string                 `json:"holder_org_id,omitempty" bson:"holder_org_id,omitempty"`
	Label           string                 `json:"label,omitempty" bson:"label,omitempty"`
	IndicativePence int64                  `json:"indicative_pence,omitempty" bson:"indicative_pence,omitempty"`
	ActualPence     int64                  `json:"actual_pence,omitempty" bson:"actual_pence,omitempty"`
	PeriodStart     string                 `json:"period_start,omitempty" bson:"period_start,omitempty"` // YYYY-MM-DD
	PeriodEnd       string                 `json:"period_end,omitempty" bson:"period_end,omitempty"`
	CreatedBy       string                 `json:"created_by" bson:"created_by"`
	CreatedAt       time.Time              `json:"created_at" bson:"created_at"`
}

// Source is the budget's name in the ledger: its accounts are Source()+":funds" and
// Source()+":reserved" (see README.md). ISFs are named after their ISF account, which
// shares the budget's id.
func (b Budget) Source() string {
	if b.Form == marketplace.ISF {
		return "isf:" + b.ID
	}
	return "budget:" + b.ID
}

// holderOrgKind is the kind of organisation that holds each form, if any.
var holderOrgKind = map[marketplace.BudgetForm]string{
	marketplace.CouncilManaged: "council",
	marketplace.ISF:            "isf_provider",
	marketplace.TrustFund:      "trust",
	marketplace.BrokeredFund:   "brokerage",
}

// BudgetInput is what someone records about a budget holder's budget. ISF budgets are
// not recorded this way: the ISF provider opens an ISF account (ISFInput).
type BudgetInput struct {
	HolderID        string                 `json:"holder_id"` // empty: the caller
	Form            marketplace.BudgetForm `json:"form"`
	HolderOrgID     string                 `json:"holder_org_id"`
	Label           string                 `json:"label"`
	IndicativePence int64                  `json:"indicative_pence"`
	ActualPence     int64                  `json:"actual_pence"`
	PeriodStart     string                 `json:"period_start"`
	PeriodEnd       string                 `json:"period_end"`
}

// Normalize trims the text fields.
func (in *BudgetInput) Normalize() {
	in.Label = strings.TrimSpace(in.Label)
	in.HolderOrgID = strings.TrimSpace(in.HolderOrgID)
}

// Validate reports every field at fault (after Normalize).
func (in BudgetInput) Validate() error {
	var f apperr.Fields
	switch in.Form {
	case marketplace.ISF:
		f.Add("form", "individual service funds are opened by the ISF provider that holds them")
	case marketplace.DirectPayment, marketplace.IndirectPayment:
		if in.HolderOrgID != "" {
			f.Add("holder_org_id", "a %s is held by the person (or their trusted other), not an organisation", in.Form)
		}
	case marketplace.CouncilManaged, marketplace.TrustFund, marketplace.BrokeredFund:
		if in.HolderOrgID == "" {
			f.Add("holder_org_id", "name the %s that holds this budget", holderOrgKind[in.Form])
		}
	default:
		f.Add("form", "must be one of direct_payment, indirect_payment, trust_fund, brokered_fund or council_managed")
	}
	if utf8.RuneCountInString(in.Label) > 80 {
		f.Add("label", "must be at most 80 characters")
	}
	checkAmount(&f, "indicative_pence", in.IndicativePence, false)
	checkAmount(&f, "actual_pence", in.ActualPence, false)
	checkPeriod(&f, in.PeriodStart, in.PeriodEnd)
	return f.Err()
}

func checkAmount(f *apperr.Fields, field string, pence int64, required bool) {
	switch {
	case pence < 0:
		f.Add(field, "cannot be negative")
	case required && pence == 0:
		f.Add(field, "is required, in pence")
	case pence > MaxBudgetPence:
		f.Add(field, "must be at most %s; amounts are in pence", Pounds(MaxBudgetPence))
	}
}

func checkPeriod(f *apperr.Fields, start, end string) {
	var s, e time.Time
	var err error
	if start != "" {
		if s, err = time.Parse(time.DateOnly, start); err != nil {
			f.Add("period_start", "must be a date like 2026-04-01")
		}
	}
	if end != "" {
		if e, err = time.Parse(time.DateOnly, end); err != nil {
			f.Add("period_end", "must be a date like 2027-03-31")
		}
	}
	if !s.IsZero() && !e.IsZero() && e.Before(s) {
		f.Add("period_end", "must not be before the start of the period")
	}
}
