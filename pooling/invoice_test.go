package pooling_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/carepool/carepool/infra/apperr"
	mk "github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/pooling"
)

// mixedPool confirms and delivers a one-session pool (£480 for 4 to 10 people) with two
// direct payments, two ISF pledges held by Caring Hands and one council-managed pledge:
// five people at £96 each.
func (w *world) mixedPool(t *testing.T) (pooling.PoolView, map[string]*person) {
	t.Helper()
	pool := w.openPool(t, 1, nil)
	people, budgets := w.holders(t, 2)
	for i := range people {
		w.pledge(t, people[i], pool.ID, budgets[i], 12000)
	}
	cast := map[string]*person{"dp1": people[0], "dp2": people[1]}
	for _, name := range []string{"isf1", "isf2"} {
		holder := w.person(t, name)
		w.openISF(t, holder, 50_000)
		v := w.pledge(t, holder, pool.ID, isfBudget(t, w, holder), 12000)
		if _, err := w.svc.Approve(w.ivy.ctx(t), v.ID, ""); err != nil {
			t.Fatal(err)
		}
		cast[name] = holder
	}
	holder := w.person(t, "council1")
	b := w.budget(t, holder, pooling.BudgetInput{Form: mk.CouncilManaged, HolderOrgID: w.council.ID})
	v := w.pledge(t, holder, pool.ID, b, 12000)
	if _, err := w.svc.Approve(w.cora.ctx(t), v.ID, ""); err != nil {
		t.Fatal(err)
	}
	cast["council1"] = holder
	if _, err := w.svc.ConfirmPool(w.uma.ctx(t), pool.ID, ""); err != nil {
		t.Fatal(err)
	}
	return w.deliver(t, w.pool(t, w.pat, pool.ID), 0), cast
}

// byPayer finds the invoice a payer got.
func byPayer(t *testing.T, invs []pooling.InvoiceView, kind, id string) pooling.InvoiceView {
	t.Helper()
	for _, inv := range invs {
		if inv.Payer.Kind == kind && inv.Payer.ID == id {
			return inv
		}
	}
	t.Fatalf("no invoice for %s %s", kind, id)
	return pooling.InvoiceView{}
}

func TestDeliveringAPeriodIssuesOneInvoicePerPayerNumberedWithoutGaps(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pooling.Config{})
	pool, cast := w.mixedPool(t)
	if pool.Status != pooling.StatusInvoiced {
		t.Fatalf("pool is %s, want invoiced", pool.Status)
	}
	invs := w.invoices(t, pool.ID)
	var numbers []int64
	for _, inv := range invs {
		numbers = append(numbers, inv.Number)
	}
	// Two budget holders pay their own; Caring Hands pays both ISF places on one invoice;
	// the council pays its one.
	if diff := cmp.Diff([]int64{1, 2, 3, 4}, numbers); diff != "" {
		t.Errorf("invoice numbers (-want +got):\n%s", diff)
	}
	isf := byPayer(t, invs, "organisation", w.isfProvider.ID)
	if len(isf.Lines) != 2 || isf.GrossPence != 2*9600 || isf.OwingPence != 2*9600 || isf.Status != pooling.InvoiceIssued {
		t.Errorf("the ISF provider's invoice: %d lines, gross %d, owing %d, %s", len(isf.Lines), isf.GrossPence, isf.OwingPence, isf.Status)
	}
	if isf.VAT != pooling.VATNotRegistered || isf.VATPence != 0 || isf.NetPence != isf.GrossPence {
		t.Errorf("a provider that has not said is not registered for VAT: %s net %d VAT %d", isf.VAT, isf.NetPence, isf.VATPence)
	}
	if !isf.DueAt.Equal(isf.IssuedAt.AddDate(0, 0, pooling.DefaultInvoiceTermsDays)) || isf.Reference != fmt.Sprintf("INV-%06d", isf.Number) {
		t.Errorf("due %v issued %v reference %s", isf.DueAt, isf.IssuedAt, isf.Reference)
	}
	byPayer(t, invs, "budget_holder", cast["dp1"].id)
	byPayer(t, invs, "organisation", w.council.ID)

	// Who sees which: the payer's members and the people on it do; others do not.
	for _, tc := range []struct {
		who  *person
		want apperr.Kind
	}{{w.ivy, 0}, {w.pat, 0}, {cast["isf2"], 0}, {cast["dp1"], apperr.NotFound}, {w.cora, apperr.NotFound}, {w.uma, apperr.NotFound}} {
		_, err := w.svc.Invoice(tc.who.ctx(t), isf.ID)
		if apperr.KindOf(err) != tc.want && !(tc.want == 0 && err == nil) {
			t.Errorf("%s reading the ISF invoice: %v", tc.who.name, err)
		}
	}
}

func TestAStandardRatedProviderShowsTheVATIncludedInItsPrices(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pooling.Config{})
	prof, err := w.market.Provider(t.Context(), w.provider.ID)
	if err != nil {
		t.Fatal(err)
	}
	in := mk.ProviderInput{Description: "An art group run by artists for twenty years.", Contact: mk.Contact{Email: "hi@example.org"},
		Languages: []string{"en"}, VATStatus: "standard", VATNumber: "GB123456789"}
	if _, err := w.market.UpdateProvider(w.pat.ctx(t), w.provider.ID, prof.Version, in); err != nil {
		t.Fatal(err)
	}
	pool, _, _ := w.confirmedPool(t, 1, 5, 12000, nil) // £96 each
	w.deliver(t, pool, 0)
	inv := w.invoices(t, pool.ID)[0]
	if inv.VAT != pooling.VATStandard || inv.GrossPence != 9600 || inv.VATPence != 1600 || inv.NetPence != 8000 {
		t.Errorf("standard-rated invoice: %s gross %d = net %d + VAT %d", inv.VAT, inv.GrossPence, inv.NetPence, inv.VATPence)
	}
}

func TestVATIsOneSixthOfTheGrossRoundedToTheNearestPenny(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ gross, net, vat int64 }{
		{0, 0, 0}, {1, 1, 0}, {3, 2, 1}, {6, 5, 1}, {9, 7, 2}, {9600, 8000, 1600}, {10001, 8334, 1667},
	} {
		net, vat := pooling.VATStandard.Split(tc.gross)
		if net != tc.net || vat != tc.vat || net+vat != tc.gross {
			t.Errorf("Split(%d) = %d + %d, want %d + %d", tc.gross, net, vat, tc.net, tc.vat)
		}
		if net, vat := pooling.VATExempt.Split(tc.gross); net != tc.gross || vat != 0 {
			t.Errorf("exempt Split(%d) = %d + %d", tc.gross, net, vat)
		}
	}
}

func TestTheISFProviderSettlesFromTheFundsItHoldsAndThePoolEndsSettled(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pooling.Config{})
	pool, cast := w.mixedPool(t)
	invs := w.invoices(t, pool.ID)
	isf := byPayer(t, invs, "organisation", w.isfProvider.ID)
	pay := pooling.PaymentInput{AmountPence: 9600, Method: pooling.PayFromISF}
	// Not the payer: the provider, the council, a holder on the invoice.
	for _, who := range []*person{w.pat, cast["isf1"]} {
		_, err := w.svc.RecordPayment(who.ctx(t), isf.ID, pay, "")
		wantKind(t, err, apperr.Forbidden, "")
	}
	_, err := w.svc.RecordPayment(w.cora.ctx(t), isf.ID, pay, "")
	wantKind(t, err, apperr.NotFound, "")
	// The council's invoice is not paid from ISFs.
	council := byPayer(t, invs, "organisation", w.council.ID)
	_, err = w.svc.RecordPayment(w.cora.ctx(t), council.ID, pay, "")
	wantFields(t, err, "method")

	got, err := w.svc.RecordPayment(w.ivy.ctx(t), isf.ID, pay, "isf-part")
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != pooling.InvoicePartPaid || got.OwingPence != 9600 || got.Lines[0].PaidPence != 9600 || got.Lines[1].PaidPence != 0 {
		t.Errorf("after paying half: %s owing %d lines %+v", got.Status, got.OwingPence, got.Lines)
	}
	// Overpayment is refused and changes nothing.
	_, err = w.svc.RecordPayment(w.ivy.ctx(t), isf.ID, pooling.PaymentInput{AmountPence: 9601, Method: pooling.PayFromISF}, "")
	wantFields(t, err, "amount_pence")
	for _, field := range []pooling.PaymentInput{{AmountPence: 0, Method: pooling.PayFromISF}, {AmountPence: -5, Method: pooling.PayFromISF}} {
		_, err = w.svc.RecordPayment(w.ivy.ctx(t), isf.ID, field, "")
		wantFields(t, err, "amount_pence")
	}
	if again, _ := w.svc.Invoice(w.ivy.ctx(t), isf.ID); again.Version != got.Version {
		t.Errorf("a refused payment changed the invoice to version %d", again.Version)
	}
	if _, err := w.svc.RecordPayment(w.ivy.ctx(t), isf.ID, pay, "isf-rest"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.RecordPayment(w.cora.ctx(t), council.ID, pooling.PaymentInput{AmountPence: 9600,
		Method: pooling.PayRemittance, Reference: "LCC-REM-1"}, ""); err != nil {
		t.Fatal(err)
	}
	if pool := w.pool(t, w.pat, pool.ID); pool.Status != pooling.StatusInvoiced || pool.Periods[0].Status != pooling.PeriodInvoiced {
		t.Fatalf("with two budget holders still to pay the pool is %s", pool.Status)
	}
	w.payAll(t, w.pat, pool.ID)
	if pool := w.pool(t, w.pat, pool.ID); pool.Status != pooling.StatusSettled || pool.Periods[0].Status != pooling.PeriodSettled {
		t.Errorf("with every invoice paid the pool is %s and its period %s", pool.Status, pool.Periods[0].Status)
	}
}

func TestPaymentsOverTheThresholdNeedASecondPersonFromThePayer(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pooling.Config{SecondPaymentApprovalOverPence: 5000})
	finance := w.person(t, "Fin Finance")
	w.member(t, w.ivy, w.isfProvider, finance, account.RoleMember)
	pool, _ := w.mixedPool(t)
	isf := byPayer(t, w.invoices(t, pool.ID), "organisation", w.isfProvider.ID)
	got, err := w.svc.RecordPayment(w.ivy.ctx(t), isf.ID, pooling.PaymentInput{AmountPence: 19200, Method: pooling.PayFromISF}, "big")
	if err != nil {
		t.Fatal(err)
	}
	if got.PaidPence != 0 || got.PendingPence != 19200 || got.Payments[0].Status != pooling.PaymentPendingApproval || got.CanPay {
		t.Fatalf("a payment over the threshold: paid %d pending %d %+v", got.PaidPence, got.PendingPence, got.Payments)
	}
	if n := w.tasks(t, "notify", "invoice:"+isf.ID+":payment-needs-approval"); n != 1 {
		t.Errorf("%d approval notices queued", n)
	}
	// A pending payment counts against what is owed: nothing more can be paid or credited.
	_, err = w.svc.RecordPayment(w.ivy.ctx(t), isf.ID, pooling.PaymentInput{AmountPence: 1, Method: pooling.PayFromISF}, "")
	wantFields(t, err, "amount_pence")
	pid := got.Payments[0].ID
	_, err = w.svc.ApprovePayment(w.ivy.ctx(t), isf.ID, pid, "")
	wantKind(t, err, apperr.Forbidden, "")
	_, err = w.svc.ApprovePayment(w.pat.ctx(t), isf.ID, pid, "")
	wantKind(t, err, apperr.Forbidden, "")
	got, err = w.svc.ApprovePayment(finance.ctx(t), isf.ID, pid, "ok")
	if err != nil {
		t.Fatal(err)
	}
	if got.PaidPence != 19200 || got.Status != pooling.InvoicePaid || got.Payments[0].ApprovedBy != finance.id {
		t.Errorf("after approval: paid %d, %s, %+v", got.PaidPence, got.Status, got.Payments[0])
	}
	_, err = w.svc.ApprovePayment(finance.ctx(t), isf.ID, pid, "")
	wantKind(t, err, apperr.Conflict, "payment-applied")
}

func TestSettlingTwiceWithOneKeyPaysOnce(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pooling.Config{})
	pool, _ := w.mixedPool(t)
	council := byPayer(t, w.invoices(t, pool.ID), "organisation", w.council.ID)
	in := pooling.PaymentInput{AmountPence: 4000, Method: pooling.PayRemittance, Reference: "REM-7"}
	first, err := w.svc.RecordPayment(w.cora.ctx(t), council.ID, in, "key-1")
	if err != nil {
		t.Fatal(err)
	}
	again, err := w.svc.RecordPayment(w.cora.ctx(t), council.ID, in, "key-1")
	if err != nil || again.PaidPence != 4000 || len(again.Payments) != 1 || again.Version != first.Version {
		t.Errorf("the retry: paid %d in %d payments, version %d (first %d), %v", again.PaidPence, len(again.Payments), again.Version, first.Version, err)
	}
	in.AmountPence = 100
	_, err = w.svc.RecordPayment(w.cora.ctx(t), council.ID, in, "key-1")
	wantKind(t, err, apperr.Conflict, "idempotency-key-reused")
}

func TestACreditNoteGivesTheMoneyBackToTheBudgetItCameFrom(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pooling.Config{})
	pool, cast := w.mixedPool(t)
	isf := byPayer(t, w.invoices(t, pool.ID), "organisation", w.isfProvider.ID)
	before := w.isfAccountOf(t, cast["isf2"])
	line := isf.Lines[1]
	in := pooling.CreditNoteInput{AmountPence: 2000, Reason: "Left an hour early, as agreed", PledgeID: line.PledgeID}
	_, err := w.svc.IssueCreditNote(w.ivy.ctx(t), isf.ID, in, "")
	wantKind(t, err, apperr.Forbidden, "")
	for _, bad := range []pooling.CreditNoteInput{
		{AmountPence: 9601, Reason: "too much", PledgeID: line.PledgeID},
		{AmountPence: 0, Reason: "nothing"},
		{AmountPence: 100, Reason: ""},
		{AmountPence: 100, Reason: "not on it", PledgeID: "someone-else"},
	} {
		_, err := w.svc.IssueCreditNote(w.pat.ctx(t), isf.ID, bad, "")
		if apperr.KindOf(err) != apperr.Invalid {
			t.Errorf("credit %+v: %v, want refused", bad, err)
		}
	}
	got, err := w.svc.IssueCreditNote(w.pat.ctx(t), isf.ID, in, "cn-1")
	if err != nil {
		t.Fatal(err)
	}
	if got.CreditedPence != 2000 || got.OwingPence != 2*9600-2000 || got.CreditNotes[0].Reference != "CN-000001" || got.Lines[1].CreditedPence != 2000 {
		t.Errorf("after the credit note: credited %d owing %d notes %+v", got.CreditedPence, got.OwingPence, got.CreditNotes)
	}
	after := w.isfAccountOf(t, cast["isf2"])
	if after.AvailablePence != before.AvailablePence+2000 || after.SpentPence != before.SpentPence-2000 {
		t.Errorf("the fund went from %d available / %d spent to %d / %d", before.AvailablePence, before.SpentPence, after.AvailablePence, after.SpentPence)
	}
	// Paying the rest settles the invoice: paid and credited together cover it.
	got, err = w.svc.RecordPayment(w.ivy.ctx(t), isf.ID, pooling.PaymentInput{AmountPence: got.OwingPence, Method: pooling.PayFromISF}, "")
	if err != nil || got.Status != pooling.InvoicePaid {
		t.Errorf("paying the rest: %s, %v", got.Status, err)
	}
	_, err = w.svc.IssueCreditNote(w.pat.ctx(t), isf.ID, pooling.CreditNoteInput{AmountPence: 1, Reason: "after payment"}, "")
	wantFields(t, err, "amount_pence")
}

// isfAccountOf is the ISF account Caring Hands holds for holder.
func (w *world) isfAccountOf(t *testing.T, holder *person) pooling.ISFAccount {
	t.Helper()
	accs, err := w.svc.ISFAccounts(w.ivy.ctx(t), w.isfProvider.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range accs {
		if a.HolderID == holder.id {
			return a
		}
	}
	t.Fatalf("no ISF account for %s", holder.name)
	return pooling.ISFAccount{}
}

func TestOverdueInvoicesAreFlaggedOnce(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pooling.Config{})
	pool, _ := w.mixedPool(t)
	invs := w.invoices(t, pool.ID)
	w.payAll(t, w.pat, pool.ID) // the two budget holders' invoices: paid
	due := invs[0].DueAt
	if n, err := w.svc.ProcessOverdueInvoices(t.Context(), due.Add(-1)); err != nil || n != 0 {
		t.Fatalf("before the due date: %d flagged, %v", n, err)
	}
	n, err := w.svc.ProcessOverdueInvoices(t.Context(), due.AddDate(0, 0, 1))
	if err != nil || n != 2 {
		t.Fatalf("after the due date: %d flagged, %v; want the ISF provider's and the council's", n, err)
	}
	if n, _ := w.svc.ProcessOverdueInvoices(t.Context(), due.AddDate(0, 0, 2)); n != 0 {
		t.Errorf("the next day %d were flagged again", n)
	}
	if n := w.tasks(t, "notify", "invoice:"); n != len(invs)+2+2 { // issued ×4, paid ×2, overdue ×2
		t.Errorf("%d invoice notices queued", n)
	}
	w.clock.Set(due.AddDate(0, 0, 1))
	overdue, err := w.svc.Invoices(w.ivy.ctx(t), pooling.InvoiceFilter{PayerID: w.isfProvider.ID, Overdue: true})
	if err != nil || len(overdue) != 1 || !overdue[0].Overdue {
		t.Errorf("the ISF provider's overdue invoices: %+v, %v", overdue, err)
	}
}
