package payments

import (
	"fmt"
	"strings"

	"github.com/carepool/carepool/infra/apperr"
)

// GBP is the one currency Carepool takes, as Stripe writes it.
const GBP = "gbp"

// MaxAmountPence is the most one card payment, refund or transfer may move: £100,000.
// A single pool's share or payout is far below it; anything above is a bug (a pound
// amount read as pence, a total charged to one person), so it is refused before Stripe
// is asked.
const MaxAmountPence = 10_000_000

// AmountProblem says what is wrong with an amount.
type AmountProblem string

// The problems CheckAmount and CheckReturned report.
const (
	AmountZero     AmountProblem = "zero"
	AmountNegative AmountProblem = "negative"
	AmountTooLarge AmountProblem = "too-large"
	CurrencyNotGBP AmountProblem = "not-gbp"
	// AmountMismatch: Stripe answered with another amount or currency than we asked for.
	AmountMismatch AmountProblem = "mismatch"
)

// AmountError is an amount refused before any request reached Stripe, or a response
// whose amount differs from the one asked for. stripe-mock (and a buggy caller) would
// accept a negative or zero amount: this check is what stops it.
//
// Its chain holds an apperr.Error: Invalid with the field at fault for a refused
// request, Internal for a mismatch (it is never the client's fault).
type AmountError struct {
	Problem  AmountProblem
	Field    string // the request field at fault, such as "amount" or "currency"
	Amount   int64  // the amount asked for, in pence
	Currency string // the currency asked for
	Got      int64  // for AmountMismatch: the amount Stripe answered with
	GotCur   string // for AmountMismatch: the currency Stripe answered with
}

func (e *AmountError) Error() string {
	switch e.Problem {
	case AmountZero:
		return fmt.Sprintf("%s is zero: nothing to pay", e.Field)
	case AmountNegative:
		return fmt.Sprintf("%s is negative (%d pence)", e.Field, e.Amount)
	case AmountTooLarge:
		return fmt.Sprintf("%s %d pence is over the limit of %d pence", e.Field, e.Amount, int64(MaxAmountPence))
	case CurrencyNotGBP:
		return fmt.Sprintf("%s %q is not gbp", e.Field, e.Currency)
	default:
		return fmt.Sprintf("stripe answered %d %s for %s, but we asked for %d %s", e.Got, e.GotCur, e.Field, e.Amount, e.Currency)
	}
}

// Unwrap returns the apperr.Error the HTTP layer shows.
func (e *AmountError) Unwrap() error {
	if e.Problem == AmountMismatch {
		return &apperr.Error{Kind: apperr.Internal, Code: "payment-amount-mismatch",
			Message: "The card payment provider answered with a different amount than we asked for."}
	}
	return apperr.InvalidFields(apperr.FieldError{Field: e.Field, Message: e.message()})
}

func (e *AmountError) message() string {
	switch e.Problem {
	case AmountZero:
		return "must be more than £0.00"
	case AmountNegative:
		return "must not be a negative amount"
	case AmountTooLarge:
		return fmt.Sprintf("must be at most £%d (%d pence)", int64(MaxAmountPence/100), int64(MaxAmountPence))
	default:
		return "must be in pounds sterling (gbp)"
	}
}

// CheckAmount refuses a zero, negative or too large amount and any currency but GBP.
// field names the amount in the request ("amount", "refund.amount").
func CheckAmount(field string, pence int64, currency string) error {
	e := &AmountError{Field: field, Amount: pence, Currency: currency}
	switch {
	case !strings.EqualFold(currency, GBP):
		e.Field, e.Problem = currencyField(field), CurrencyNotGBP
	case pence == 0:
		e.Problem = AmountZero
	case pence < 0:
		e.Problem = AmountNegative
	case pence > MaxAmountPence:
		e.Problem = AmountTooLarge
	default:
		return nil
	}
	return e
}

// currencyField names the currency beside an amount field: "refund.amount" → "refund.currency".
func currencyField(amountField string) string {
	if i := strings.LastIndexByte(amountField, '.'); i >= 0 {
		return amountField[:i+1] + "currency"
	}
	return "currency"
}

// CheckReturned reports an AmountMismatch when Stripe answered with another amount than
// asked, or another currency (gotCurrency "" skips the currency: a refund's currency is
// its charge's, which the request does not send).
func CheckReturned(field string, asked int64, askedCurrency string, got int64, gotCurrency string) error {
	if got == asked && (gotCurrency == "" || strings.EqualFold(gotCurrency, askedCurrency)) {
		return nil
	}
	return &AmountError{Problem: AmountMismatch, Field: field, Amount: asked, Currency: askedCurrency, Got: got, GotCur: gotCurrency}
}

// PlatformFee is the platform's fee on an amount at basisPoints (1/100 of a percent),
// rounded down to the penny so the fee never exceeds the configured rate.
func PlatformFee(pence, basisPoints int64) int64 {
	if pence <= 0 || basisPoints <= 0 {
		return 0
	}
	return pence * basisPoints / 10_000
}
