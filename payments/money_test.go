package payments_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/payments"
)

func TestCheckAmountRefusesWhatNoCardPaymentCanBe(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		field    string
		pence    int64
		currency string
		want     payments.AmountProblem // "" means accepted
		wantAt   string                 // the field at fault
	}{
		{"one penny", "amount", 1, "gbp", "", ""},
		{"the limit", "amount", payments.MaxAmountPence, "gbp", "", ""},
		{"upper-case GBP", "amount", 500, "GBP", "", ""},
		{"zero", "amount", 0, "gbp", payments.AmountZero, "amount"},
		{"negative", "amount", -1, "gbp", payments.AmountNegative, "amount"},
		{"most negative", "amount", math.MinInt64, "gbp", payments.AmountNegative, "amount"},
		{"a penny over", "amount", payments.MaxAmountPence + 1, "gbp", payments.AmountTooLarge, "amount"},
		{"largest int64", "amount", math.MaxInt64, "gbp", payments.AmountTooLarge, "amount"},
		{"euros", "refund.amount", 500, "eur", payments.CurrencyNotGBP, "refund.currency"},
		{"no currency", "amount", 500, "", payments.CurrencyNotGBP, "currency"},
		{"pounds as a word", "amount", 500, "pounds", payments.CurrencyNotGBP, "currency"},
	}
	for _, tt := range tests {
		err := payments.CheckAmount(tt.field, tt.pence, tt.currency)
		if tt.want == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		var ae *payments.AmountError
		if !errors.As(err, &ae) || ae.Problem != tt.want {
			t.Errorf("%s: %v, want %s", tt.name, err, tt.want)
			continue
		}
		e, ok := apperr.As(err)
		if !ok || e.Kind != apperr.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != tt.wantAt || e.Fields[0].Message == "" {
			t.Errorf("%s: the client sees %+v, want an invalid %s", tt.name, e, tt.wantAt)
		}
	}
}

func TestCheckReturnedReportsAnyDifference(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name             string
		asked, got       int64
		askedCur, gotCur string
		wantMismatch     bool
	}{
		{"same", 1_000, 1_000, "gbp", "gbp", false},
		{"same, other case", 1_000, 1_000, "gbp", "GBP", false},
		{"currency not reported", 1_000, 1_000, "gbp", "", false},
		{"a penny less", 1_000, 999, "gbp", "gbp", true},
		{"pounds read as pence", 1_000, 100_000, "gbp", "gbp", true},
		{"other currency", 1_000, 1_000, "gbp", "usd", true},
	}
	for _, tt := range tests {
		err := payments.CheckReturned("amount", tt.asked, tt.askedCur, tt.got, tt.gotCur)
		var ae *payments.AmountError
		mismatch := errors.As(err, &ae) && ae.Problem == payments.AmountMismatch
		if mismatch != tt.wantMismatch || (err != nil && apperr.KindOf(err) != apperr.Internal) {
			t.Errorf("%s: %v (kind %v)", tt.name, err, apperr.KindOf(err))
		}
	}
}

func TestPlatformFeeRoundsDownToThePenny(t *testing.T) {
	t.Parallel()
	tests := []struct{ pence, bp, want int64 }{
		{10_000, 0, 0}, {10_000, 250, 250}, {999, 250, 24}, {1, 9_999, 0}, {payments.MaxAmountPence, 10_000, payments.MaxAmountPence}, {-100, 250, 0},
	}
	for _, tt := range tests {
		if got := payments.PlatformFee(tt.pence, tt.bp); got != tt.want {
			t.Errorf("PlatformFee(%d, %d) = %d, want %d", tt.pence, tt.bp, got, tt.want)
		}
	}
}

func TestDeclinesSayWhatToDoInPlainEnglish(t *testing.T) {
	t.Parallel()
	tests := []struct{ code, declineCode, want string }{
		{"card_declined", "insufficient_funds", "not enough money"},
		{"expired_card", "", "expired"},
		{"authentication_required", "", "confirm this payment yourself"},
		// Fraud codes get the general message: the bank tells the person, not us.
		{"card_declined", "stolen_card", "contact your bank"},
		{"card_declined", "fraudulent", "contact your bank"},
		{"", "", "contact your bank"},
	}
	for _, tt := range tests {
		d := payments.NewDeclineError(tt.code, tt.declineCode, "pi_1")
		if !strings.Contains(d.Message, tt.want) {
			t.Errorf("%s/%s: %q does not say %q", tt.code, tt.declineCode, d.Message, tt.want)
		}
		e, ok := apperr.As(d)
		if !ok || e.Kind != apperr.Conflict || e.Code != "card-declined" || e.Message != d.Message {
			t.Errorf("%s/%s: the client sees %+v", tt.code, tt.declineCode, e)
		}
	}
}

func TestRequestsNeedTheirIdsAndKeys(t *testing.T) {
	t.Parallel()
	ok := payments.OffSessionCharge{CustomerID: "cus_1", PaymentMethodID: "pm_1", Amount: 100, Currency: "gbp",
		TransferGroup: "pool-1", PledgeID: "pl-1", PoolID: "pool-1", IdempotencyKey: "k"}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	noKey, longKey, noCustomer := ok, ok, ok
	noKey.IdempotencyKey = ""
	longKey.IdempotencyKey = string(make([]byte, 256))
	noCustomer.CustomerID = " "
	for name, req := range map[string]payments.OffSessionCharge{"no key": noKey, "long key": longKey, "no customer": noCustomer} {
		if err := req.Validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if !errors.Is(noKey.Validate(), payments.ErrNoIdempotencyKey) {
		t.Errorf("no key: %v", noKey.Validate())
	}
	links := []payments.AccountLinkRequest{
		{AccountID: "acct_1", RefreshURL: "/dashboard", ReturnURL: "https://carepool.test/"},
		{AccountID: "acct_1", RefreshURL: "https://carepool.test/", ReturnURL: "javascript:alert(1)"},
		{RefreshURL: "https://carepool.test/", ReturnURL: "https://carepool.test/"},
	}
	for _, l := range links {
		if l.Validate() == nil {
			t.Errorf("link request %+v accepted", l)
		}
	}
	if err := (payments.AccountLinkRequest{AccountID: "acct_1", RefreshURL: "http://127.0.0.1:8080/d", ReturnURL: "https://carepool.test/d"}).Validate(); err != nil {
		t.Errorf("a valid link request was refused: %v", err)
	}
}
