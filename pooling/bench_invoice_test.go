package pooling_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/carepool/carepool/pooling"
)

// BenchmarkDeliverAndSettle measures, on the embedded bbolt store, recording the only
// session of a full, confirmed pool of 10 direct-payment holders (which issues 10 invoices,
// numbered in the same transaction), then recording a payment on one of them.
//
//	go test ./pooling -run '^$' -bench DeliverAndSettle -benchtime 50x
func BenchmarkDeliverAndSettle(b *testing.B) {
	e := benchEnv(b)
	w := worldOn(b, e)
	people, budgets := w.holders(b, 10)
	pools := make([]pooling.PoolView, b.N)
	for i := range pools {
		pool := w.openPool(b, 1, func(in *pooling.PoolInput) { in.Title = fmt.Sprintf("Bench pool %d", i) })
		for j := range people {
			w.pledge(b, people[j], pool.ID, budgets[j], 12000)
		}
		// Full: it confirmed itself.
		if pools[i] = w.pool(b, w.uma, pool.ID); pools[i].Status != pooling.StatusConfirmed {
			b.Fatalf("pool %d is %s", i, pools[i].Status)
		}
	}
	w.clock.Set(pools[0].Sessions[0].StartsAt.Add(1))
	ctx := w.pat.ctx(b)
	var deliver, pay float64
	b.ResetTimer()
	for i := range b.N {
		start := nowNano()
		if _, err := w.svc.RecordDelivery(ctx, pools[i].ID, pooling.DeliveryInput{Session: 0}, ""); err != nil {
			b.Fatal(err)
		}
		mid := nowNano()
		invs, err := w.svc.Invoices(ctx, pooling.InvoiceFilter{ProviderID: w.provider.ID, PoolID: pools[i].ID})
		if err != nil || len(invs) != 10 {
			b.Fatalf("%d invoices, %v", len(invs), err)
		}
		b.StopTimer()
		mid2 := nowNano()
		b.StartTimer()
		if _, err := w.svc.RecordPayment(ctx, invs[0].ID, pooling.PaymentInput{AmountPence: invs[0].OwingPence,
			Method: pooling.PayRemittance, Reference: "BACS"}, ""); err != nil {
			b.Fatal(err)
		}
		end := nowNano()
		deliver += float64(mid - start)
		pay += float64(end - mid2)
	}
	b.ReportMetric(deliver/float64(b.N)/1e6, "ms/delivery+10-invoices")
	b.ReportMetric(pay/float64(b.N)/1e6, "ms/payment")
}

func nowNano() int64 { return time.Now().UnixNano() }
