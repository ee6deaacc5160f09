package main

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/carepool/carepool/infra/mail/mailtest"
	"github.com/carepool/carepool/infra/store"
	"github.com/carepool/carepool/marketplace"
	"github.com/carepool/carepool/marketplace/account"
	"github.com/carepool/carepool/pooling"
)

// BenchmarkNotifyPoolOf200Confirming is a pool of 200 people confirming at once, end
// to end: the notify worker turns the outbox task into 201 inbox entries and 201 queued
// emails (the members and the organiser), then the mail worker sends every email to a
// real SMTP server (mailpit) on this machine. It reports both rates.
//
//	go test -run '^$' -bench NotifyPoolOf200 -benchtime 3x ./cmd/carepool/
func BenchmarkNotifyPoolOf200Confirming(b *testing.B) {
	mp := mailtest.Start(b)
	m, _, _ := mustOpenMail(b, mp.SMTPURL)
	ctx := context.Background()
	accounts, pools := store.NewAccounts(m.DB), store.NewPooling(m.DB)
	now := time.Now().UTC().Truncate(time.Millisecond)
	newUser := func(i int) string {
		id := uuid.NewString()
		if err := accounts.CreateUser(ctx, account.User{ID: id, Email: fmt.Sprintf("bench-%d-%s@example.org", i, id[:6]), Name: "Bench Person",
			CreatedAt: now, UpdatedAt: now}); err != nil {
			b.Fatal(err)
		}
		if err := accounts.MarkEmailVerified(ctx, id, now); err != nil {
			b.Fatal(err)
		}
		return id
	}
	organiser := newUser(0)
	members := make([]string, 200)
	for i := range members {
		members[i] = newUser(i + 1)
	}
	out := m.DB.NewNotifyOutbox("bench")
	var notes, queued, sent int
	var delivering, sending time.Duration
	for b.Loop() {
		b.StopTimer()
		p := pooling.Pool{ID: uuid.NewString(), Title: "Bench pool", Status: pooling.StatusConfirmed, Organiser: pooling.Organiser{UserID: organiser},
			Sessions: []pooling.Session{{StartsAt: now.AddDate(0, 0, 14), Status: pooling.SessionScheduled}},
			History:  []pooling.Transition{{To: pooling.StatusConfirmed, At: now}}, Version: 1}
		if err := pools.CreatePool(ctx, p); err != nil {
			b.Fatal(err)
		}
		for _, id := range members {
			if err := pools.CreatePledge(ctx, pooling.Pledge{ID: uuid.NewString(), PoolID: p.ID, HolderID: id, PledgedBy: id,
				Form: marketplace.DirectPayment, Status: pooling.PledgeConfirmed, Active: true, Until: 1, Shares: []int64{3_000},
				History: []pooling.PledgeEvent{{At: now, By: id, Status: pooling.PledgeConfirmed}}, Version: 1}); err != nil {
				b.Fatal(err)
			}
		}
		if err := pools.Enqueue(ctx, store.NotifyTopic, "pool:"+p.ID+":confirmed"); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		rep, err := m.Notify.Drain(ctx, out)
		if err != nil || rep.Notifications != 201 {
			b.Fatalf("drain = %+v, %v", rep, err)
		}
		delivering += time.Since(start)
		notes, queued = notes+rep.Notifications, queued+rep.Emails
		start = time.Now()
		for {
			r, err := m.mail.run(ctx)
			if err != nil {
				b.Fatal(err)
			}
			sent += r.Sent
			if r.Sent+r.Retried+r.Failed == 0 {
				break
			}
		}
		sending += time.Since(start)
	}
	b.ReportMetric(float64(notes)/delivering.Seconds(), "notifications/s")
	b.ReportMetric(float64(queued)/delivering.Seconds(), "emails-queued/s")
	b.ReportMetric(float64(sent)/sending.Seconds(), "emails-sent/s")
}
