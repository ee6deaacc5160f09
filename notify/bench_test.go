package notify_test

import (
	"testing"
	"time"

	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/pooling"
)

// BenchmarkConfirmPoolOf200 delivers "pool confirmed" to a pool of 200 people (each
// with a proved address, so each also gets an email), plus its organiser: one
// transaction writes 201 inbox entries and queues 201 emails with their send tasks.
//
//	go test -run '^$' -bench ConfirmPoolOf200 -benchtime 10x ./notify/
func BenchmarkConfirmPoolOf200(b *testing.B) {
	w := newWorld(b)
	const people = 200
	organiser := w.user("organiser", true)
	members := make([]string, people)
	for i := range members {
		members[i] = w.user("member", true)
	}
	var written, queued int
	var spent time.Duration
	for b.Loop() {
		b.StopTimer()
		p := w.newPool(organiser, "", "", pooling.StatusConfirmed)
		for _, m := range members {
			w.pledge(p, m, m, marketplace.DirectPayment, "", pooling.PledgeConfirmed)
		}
		b.StartTimer()
		start := time.Now()
		got := w.deliver("pool:" + p.ID + ":confirmed")
		spent += time.Since(start)
		written += got.Notifications
		queued += got.Emails
		if got.Notifications != people+1 || got.Emails != people+1 {
			b.Fatalf("delivered %+v", got)
		}
	}
	b.ReportMetric(float64(written)/spent.Seconds(), "notifications/s")
	b.ReportMetric(float64(queued)/spent.Seconds(), "emails/s")
}
