package pooling_test

import (
	"slices"
	"sync"
	"testing"

	"github.com/carepool/carepool/pooling"
)

// A hundred sessions recorded at once, on a hundred pools of one provider with two budget
// holders each, issue two hundred invoices numbered 1 to 200: no number is used twice or
// skipped.
func TestInvoicesIssuedConcurrentlyAreNumberedConsecutively(t *testing.T) {
	t.Parallel()
	const n = 100
	w := newWorld(t, pooling.Config{})
	offer := w.groupOffer(t, w.pat, w.provider, 6000, 2, 2)
	people, budgets := w.holders(t, 2)
	pools := make([]pooling.PoolView, n)
	for i := range pools {
		pool := w.openPool(t, 1, func(in *pooling.PoolInput) { in.OfferID = offer.ID })
		for j := range people {
			w.pledge(t, people[j], pool.ID, budgets[j], 3000)
		}
		// Full: it confirmed itself.
		if pools[i] = w.pool(t, w.uma, pool.ID); pools[i].Status != pooling.StatusConfirmed {
			t.Fatalf("pool %d is %s", i, pools[i].Status)
		}
	}
	w.clock.Set(pools[0].Sessions[0].StartsAt.Add(1))
	ctx := w.pat.ctx(t)
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i, pool := range pools {
		wg.Go(func() {
			_, errs[i] = w.svc.RecordDelivery(ctx, pool.ID, pooling.DeliveryInput{Session: 0}, "deliver-"+pool.ID)
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("delivery %d: %v", i, err)
		}
	}
	invs, err := w.svc.Invoices(ctx, pooling.InvoiceFilter{ProviderID: w.provider.ID})
	if err != nil {
		t.Fatal(err)
	}
	var numbers []int64
	for _, inv := range invs {
		numbers = append(numbers, inv.Number)
	}
	slices.Sort(numbers)
	want := make([]int64, 2*n)
	for i := range want {
		want[i] = int64(i + 1)
	}
	if !slices.Equal(numbers, want) {
		t.Errorf("invoice numbers %v, want 1 to %d", numbers, 2*n)
	}
}
