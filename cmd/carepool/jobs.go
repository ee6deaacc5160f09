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
	every("mail", mailInterval, func(ctx context.Context) error {
		_, err := m.mail.run(ctx)
		return err
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		m.runSearchIndexer(ctx) // keeps the search index in step with the store
	}()
	return &wg
}
