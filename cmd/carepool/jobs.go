package main

import (
	"context"
	"sync"
	"time"
)

// startJobs starts the background work of a server copy; they stop when ctx ends.
// Wait on the returned group before closing the store.
func (m *Main) startJobs(ctx context.Context) *sync.WaitGroup {
	var wg sync.WaitGroup
	every := func(name string, interval time.Duration, job func(context.Context) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := time.NewTicker(interval)
			defer t.Stop()
			for {
				if err := job(ctx); err != nil && ctx.Err() == nil {
					m.Logger.Error("background job failed", "job", name, "error", err)
				}
				select {
				case <-ctx.Done():
					return
				case <-t.C:
				}
			}
		}()
	}
	every("purge-expired-credentials", time.Hour, func(ctx context.Context) error {
		n, err := m.Accounts.PurgeExpired(ctx, time.Now())
		if err == nil && n.Sessions+n.Tokens > 0 {
			m.Logger.Info("purged expired credentials", "sessions", n.Sessions, "tokens", n.Tokens)
		}
		return err
	})
	// Every copy runs the deadlines; a lease per pool (named by the copy's instance)
	// makes sure only one copy decides each pool.
	every("pool-deadlines", time.Minute, func(ctx context.Context) error {
		rep, err := m.Pools.ProcessDeadlines(ctx, time.Now())
		if err == nil && rep.Confirmed+rep.Failed+rep.Waiting > 0 {
			m.Logger.Info("pool deadlines processed", "confirmed", rep.Confirmed, "failed", rep.Failed,
				"waiting_for_approvals", rep.Waiting, "skipped", rep.Skipped)
		}
		return err
	})
	// Each overdue invoice's payer is told once (the invoice records it, in the same
	// transaction as the notification task), whichever copy gets there first.
	every("overdue-invoices", time.Hour, func(ctx context.Context) error {
		n, err := m.Pools.ProcessOverdueInvoices(ctx, time.Now())
		if n > 0 {
			m.Logger.Info("overdue invoices flagged", "invoices", n)
		}
		return err
	})
	// Card pledges' money: charges, refunds, invoice payments and transfers, one pledge
	// at a time from the "funding" outbox; and the card pledges whose grace period ended.
	every("card-payments", cardInterval, m.runCards)
	every("card-grace", time.Hour, func(ctx context.Context) error {
		if m.Cards == nil {
			return nil
		}
		_, err := m.Cards.ProcessGrace(ctx)
		return err
	})
	every("mail", mailInterval, func(ctx context.Context) error {
		_, err := m.mail.drain(ctx)
		return err
	})
	// Notifications: every copy drains the "notify" outbox (leases and delivery keys make
	// each notification once) and runs the reminder job (each reminder is recorded once).
	notifyOutbox := m.DB.NewNotifyOutbox(instanceName())
	every("notifications", 2*time.Second, func(ctx context.Context) error {
		_, err := m.Notify.Drain(ctx, notifyOutbox)
		return err
	})
	every("notification-reminders", time.Hour, func(ctx context.Context) error {
		rep, err := m.Notify.Remind(ctx, time.Now())
		if rep.Sessions+rep.Notices > 0 || rep.Purged > 0 {
			m.Logger.Info("notification reminders recorded", "sessions", rep.Sessions, "notices_ending", rep.Notices, "purged", rep.Purged)
		}
		return err
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		m.runSearchIndexer(ctx) // keeps the search index in step with the store
	}()
	return &wg
}
