package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// Worker settings: tasks are claimed in batches under a lease longer than a batch can
// take; a failing task is retried after 30 s, doubling to at most an hour, and stays in
// the outbox (listed for administrators by Failures) until it succeeds.
const (
	workerBatch      = 20
	workerLease      = 5 * time.Minute
	failureThreshold = 3 // attempts after which a task is listed as failing
	maxFailuresShown = 200
	maxDrainBatches  = 50 // one Drain call handles at most this many batches
)

// backoff is how long a task that failed attempts times (1 or more) waits.
func backoff(attempts int) time.Duration {
	d := 30 * time.Second << min(max(attempts-1, 0), 7)
	return min(d, time.Hour)
}

// Report counts what the worker did.
type Report struct {
	Tasks         int // tasks done
	Retried       int // tasks released for a retry
	Notifications int // inbox entries written
	Emails        int // emails queued
}

// Drain delivers due "notify" tasks until none is due (those waiting for a retry are
// left), at most maxDrainBatches batches, and returns what it did. Every server copy
// may run it: the outbox lease keeps two copies off the same task, and the delivery
// keys make a task delivered twice (a lease that ran out) write everything once.
func (s *Service) Drain(ctx context.Context, out Outbox) (Report, error) {
	var total Report
	for range maxDrainBatches {
		n, rep, err := s.Step(ctx, out)
		total.Tasks += rep.Tasks
		total.Retried += rep.Retried
		total.Notifications += rep.Notifications
		total.Emails += rep.Emails
		if err != nil || n == 0 || ctx.Err() != nil {
			return total, err
		}
	}
	return total, nil
}

// Step claims one batch of tasks and delivers each in its own transaction; it returns
// how many it claimed. A task that fails is released for a retry; an error is returned
// only when claiming fails.
func (s *Service) Step(ctx context.Context, out Outbox) (int, Report, error) {
	var rep Report
	tasks, err := out.Claim(ctx, workerBatch, workerLease)
	if err != nil {
		return 0, rep, fmt.Errorf("claim notify tasks: %w", err)
	}
	for _, t := range tasks {
		if ctx.Err() != nil {
			return len(tasks), rep, nil // shutting down: the leases run out
		}
		got, err := s.deliverTask(ctx, t)
		if err != nil {
			s.retry(ctx, out, t, err, &rep)
			continue
		}
		rep.Notifications += got.Notifications
		rep.Emails += got.Emails
		// Done only after the delivery committed. Should this fail, the task runs again
		// when its lease ends, and finds everything delivered.
		if err := out.Done(ctx, t); err != nil {
			s.cfg.Logger.Warn("notify task delivered but not marked done", "task", t.ID, "ref", t.Ref, "error", err)
			continue
		}
		rep.Tasks++
	}
	return len(tasks), rep, nil
}

// Deliver delivers the event an outbox reference names, as the worker does (tests and
// benchmarks call it directly).
func (s *Service) Deliver(ctx context.Context, ref string) (Delivered, error) {
	return s.deliverTask(ctx, Task{Ref: ref})
}

func (s *Service) deliverTask(ctx context.Context, t Task) (Delivered, error) {
	ev, err := ParseRef(t.Ref)
	if err != nil {
		return Delivered{}, err
	}
	f, rs, err := s.resolve(ctx, ev)
	if err != nil {
		return Delivered{}, fmt.Errorf("who hears about %s: %w", t.Ref, err)
	}
	d, err := s.build(ctx, ev, f, rs)
	if err != nil {
		return Delivered{}, err
	}
	if len(d.Notifications) == 0 && len(d.Emails) == 0 {
		return Delivered{}, nil
	}
	got, err := s.store.Deliver(ctx, d)
	if err != nil {
		return got, fmt.Errorf("deliver %s: %w", t.Ref, err)
	}
	return got, nil
}

func (s *Service) retry(ctx context.Context, out Outbox, t Task, cause error, rep *Report) {
	wait := backoff(t.Attempts + 1)
	level := slog.LevelWarn
	if t.Attempts+1 >= failureThreshold || errors.Is(cause, errInvoicesNotWired) {
		level = slog.LevelError // failing for a while: administrators see it in Failures
	}
	s.cfg.Logger.Log(ctx, level, "notify task failed; will retry", "task", t.ID, "ref", t.Ref,
		"attempts", t.Attempts+1, "retry_in", wait.String(), "error", cause)
	if err := out.Retry(ctx, t, cause, wait); err != nil {
		s.cfg.Logger.Warn("notify task not released; it is retried when its lease ends", "task", t.ID, "error", err)
		return
	}
	rep.Retried++
}
