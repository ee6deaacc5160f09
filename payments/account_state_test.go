package payments

import (
	"math/rand/v2"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func TestObserveIgnoresOlderReportsAndMergesSimultaneousOnesCautiously(t *testing.T) {
	t.Parallel()
	enabled := AccountStatus{ChargesEnabled: true, PayoutsEnabled: true, DetailsSubmitted: true}
	held := ProviderAccount{AccountID: "acct_1", AccountStatus: enabled, StatusAsOf: t0}
	tests := []struct {
		name        string
		report      AccountStatus
		at          time.Time
		want        AccountStatus
		wantAsOf    time.Time
		wantChanged bool
	}{
		{"older report is ignored", AccountStatus{}, t0.Add(-time.Second), enabled, t0, false},
		{"newer report replaces", AccountStatus{DetailsSubmitted: true}, t0.Add(time.Second), AccountStatus{DetailsSubmitted: true}, t0.Add(time.Second), true},
		{"same second, charges disabled: disabled wins", AccountStatus{PayoutsEnabled: true, DetailsSubmitted: true},
			t0, AccountStatus{PayoutsEnabled: true, DetailsSubmitted: true}, t0, true},
		{"same second, same report: no change", enabled, t0, enabled, t0, false},
	}
	for _, tt := range tests {
		got, changed := held.observe(tt.report, tt.at)
		if got.AccountStatus != tt.want || !got.StatusAsOf.Equal(tt.wantAsOf) || changed != tt.wantChanged {
			t.Errorf("%s: got %+v as of %v (changed %v), want %+v as of %v (changed %v)",
				tt.name, got.AccountStatus, got.StatusAsOf, changed, tt.want, tt.wantAsOf, tt.wantChanged)
		}
	}
	// Details once submitted stay submitted within a second.
	none := ProviderAccount{AccountID: "acct_1", StatusAsOf: t0, AccountStatus: AccountStatus{DetailsSubmitted: true}}
	if got, _ := none.observe(AccountStatus{}, t0); !got.DetailsSubmitted {
		t.Error("a simultaneous report without details un-submitted them")
	}
}

func TestAdoptTakesTheFirstAccountAndIgnoresOthers(t *testing.T) {
	t.Parallel()
	waiting := ProviderAccount{ProviderID: "p"}
	got, changed := waiting.adopt(Account{ID: "acct_1", ChargesEnabled: true, AsOf: t0})
	if !changed || got.AccountID != "acct_1" || !got.ChargesEnabled || !got.StatusAsOf.Equal(t0) {
		t.Errorf("waiting record adopting acct_1: %+v, %v", got, changed)
	}
	if again, changed := got.adopt(Account{ID: "acct_2", PayoutsEnabled: true, AsOf: t0.Add(time.Hour)}); changed || again != got {
		t.Errorf("a record holding acct_1 followed acct_2: %+v", again)
	}
	if same, changed := got.adopt(Account{}); changed || same != got {
		t.Errorf("an account without id changed the record: %+v", same)
	}
}

// TestAnyDeliveryOrderEndsInTheSameState delivers random histories of account reports
// (several per second, duplicates included) in random orders, and checks every order
// ends in the same state (the cautious merge of the newest second's reports).
func TestAnyDeliveryOrderEndsInTheSameState(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	type report struct {
		st AccountStatus
		at time.Time
	}
	for trial := range 500 {
		n := 1 + rng.IntN(8)
		reports := make([]report, n)
		for i := range reports {
			reports[i] = report{
				st: AccountStatus{ChargesEnabled: rng.IntN(2) == 0, PayoutsEnabled: rng.IntN(2) == 0, DetailsSubmitted: rng.IntN(2) == 0},
				at: t0.Add(time.Duration(rng.IntN(3)) * time.Second),
			}
			if i > 0 && rng.IntN(4) == 0 {
				reports[i] = reports[i-1] // Stripe delivers some events twice
			}
		}
		apply := func(order []report) ProviderAccount {
			a := ProviderAccount{AccountID: "acct_1"}
			for _, r := range order {
				a, _ = a.observe(r.st, r.at)
			}
			return a
		}
		want := apply(reports)
		for range 10 {
			shuffled := append([]report(nil), reports...)
			rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
			if got := apply(shuffled); got.AccountStatus != want.AccountStatus || !got.StatusAsOf.Equal(want.StatusAsOf) {
				t.Fatalf("trial %d: order %v ends in %+v, another order in %+v", trial, shuffled, got, want)
			}
		}
	}
}
