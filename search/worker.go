package search

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// The index follows the store through an outbox: every write to an offer or a
// provider records, in the same transaction, a task naming what changed
// ("offer:<id>", "provider:<id>"). The Worker claims tasks with a lease,
// reads the current state of what each names from the store (never the
// state at the time of the write, so tasks may be applied in any order, more
// than once), upserts the documents the public may find and deletes the
// others, and only then marks the tasks done. A worker killed midway leaves
// its tasks leased; when the lease runs out they are claimed again, and
// applying them again converges the index on the store.

// Task is one index update from the outbox.
type Task struct {
	ID       string
	Ref      string // "offer:<id>" or "provider:<id>"
	Attempts int    // failed attempts so far
}

// Outbox is the queue of index updates (topic "search" of the store's
// outbox, adapted by infra/store). Its methods return the store's errors.
type Outbox interface {
	// Claim leases up to n due tasks, oldest first, for the lease duration.
	// A task whose lease ran out (its worker died) is due again.
	Claim(ctx context.Context, n int, lease time.Duration) ([]Task, error)
	// Done removes a task the worker finished.
	Done(ctx context.Context, t Task) error
	// Retry releases a failed task, to be claimed again after backoff, and
	// records the cause.
	Retry(ctx context.Context, t Task, cause error, backoff time.Duration) error
}

// Source reads from the store what the index needs. Its methods return the
// store's errors; a missing offer or provider is not an error.
type Source interface {
	// OfferDocument returns the search document of an offer and whether the
	// public may find it: published, and its provider active. An offer that
	// does not exist is not visible.
	OfferDocument(ctx context.Context, id string) (doc Document, visible bool, err error)
	// ProviderOfferIDs lists the ids of every offer of a provider, in any
	// status (their documents change with the provider's name, verification
	// and suspension).
	ProviderOfferIDs(ctx context.Context, providerID string) ([]string, error)
}

// Resolve turns the id of an outbox ref of another kind than offer or
// provider ("pool:<id>") into the documents to write and the ids of the
// documents to remove, read from the store as it is now.
type Resolve func(ctx context.Context, id string) (upsert []Document, remove []string, err error)

// Worker applies outbox tasks to an index. Its zero durations take the
// defaults in brackets.
type Worker struct {
	Index  Index
	Outbox Outbox
	Source Source
	// More resolves refs of other kinds, by kind ("pool" for "pool:<id>"). A
	// task of a kind nobody resolves stays in the outbox, tried again every
	// MaxBackoff and logged as an error, until a resolver is added.
	More   map[string]Resolve
	Logger *slog.Logger // nil: no logs

	Batch      int           // tasks claimed at once [100]
	Lease      time.Duration // how long a claimed task is ours [30s]
	Poll       time.Duration // wait when no task is due [1s]
	MinBackoff time.Duration // first retry of a failed task [1s]
	MaxBackoff time.Duration // longest wait before a retry [10m]
}

// WorkerStats counts what the worker did.
type WorkerStats struct {
	Tasks    int // tasks done
	Retried  int // tasks released for a retry
	Upserted int // documents written
	Deleted  int // documents removed (or absent already)
}

func (s *WorkerStats) add(o WorkerStats) {
	s.Tasks += o.Tasks
	s.Retried += o.Retried
	s.Upserted += o.Upserted
	s.Deleted += o.Deleted
}

func (w *Worker) batch() int             { return cmp0(w.Batch, 100) }
func (w *Worker) lease() time.Duration   { return cmp0(w.Lease, 30*time.Second) }
func (w *Worker) poll() time.Duration    { return cmp0(w.Poll, time.Second) }
func (w *Worker) minBack() time.Duration { return cmp0(w.MinBackoff, time.Second) }
func (w *Worker) maxBack() time.Duration { return cmp0(w.MaxBackoff, 10*time.Minute) }

func cmp0[T int | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// Backoff is how long a task that failed attempts times (1 or more) waits
// before it is tried again: MinBackoff doubled at each failure, at most
// MaxBackoff.
func (w *Worker) Backoff(attempts int) time.Duration {
	d := w.minBack()
	for i := 1; i < attempts && d < w.maxBack(); i++ {
		d *= 2
	}
	return min(d, w.maxBack())
}

// Run applies tasks until ctx ends, then returns nil; it waits Poll when no
// task is due. An error claiming tasks or writing the index is logged and
// tried again after a growing pause, so Run only returns when ctx ends.
func (w *Worker) Run(ctx context.Context) error {
	failures := 0
	for {
		n, _, err := w.Step(ctx)
		if ctx.Err() != nil {
			return nil
		}
		wait := time.Duration(0)
		switch {
		case err != nil:
			failures++
			wait = w.Backoff(failures)
			w.log(ctx, slog.LevelError, "search indexer failed; trying again", "error", err, "retry_in", wait.String())
		case n == 0:
			failures, wait = 0, w.poll()
		default:
			failures = 0
		}
		if wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return nil
			case <-t.C:
			}
		}
	}
}

// Drain applies tasks until none is due (tasks waiting for a retry are left),
// and returns what it did.
func (w *Worker) Drain(ctx context.Context) (WorkerStats, error) {
	var total WorkerStats
	for {
		n, st, err := w.Step(ctx)
		total.add(st)
		if err != nil || n == 0 {
			return total, err
		}
	}
}

// Step claims one batch of tasks and applies it. It returns how many tasks
// it claimed. A task whose documents cannot be read, or written, is released
// for a retry with backoff; an error is returned only when claiming fails or
// the index cannot be written at all (every claimed task is released then).
func (w *Worker) Step(ctx context.Context) (int, WorkerStats, error) {
	var st WorkerStats
	tasks, err := w.Outbox.Claim(ctx, w.batch(), w.lease())
	if err != nil {
		return 0, st, fmt.Errorf("claim search tasks: %w", err)
	}
	if len(tasks) == 0 {
		return 0, st, nil
	}
	// Read what each task names, as the store has it now.
	var ready []resolved
	for _, t := range tasks {
		r, err := w.resolve(ctx, t)
		if ctx.Err() != nil {
			return len(tasks), st, nil // shutting down: the leases run out
		}
		if err != nil {
			w.retry(ctx, t, err, &st)
			continue
		}
		ready = append(ready, r)
	}
	// One write for the batch; should it be refused, one per task, so that
	// a task whose document is invalid does not hold back the others.
	if err := w.apply(ctx, ready, &st); err != nil {
		if ctx.Err() != nil {
			return len(tasks), st, nil
		}
		var ve *ValidationError
		if !errors.As(err, &ve) {
			for _, r := range ready {
				w.retry(ctx, r.task, err, &st)
			}
			return len(tasks), st, fmt.Errorf("write search index: %w", err)
		}
		for _, r := range ready {
			if err := w.apply(ctx, []resolved{r}, &st); err != nil {
				w.retry(ctx, r.task, err, &st)
				continue
			}
			w.done(ctx, r.task, &st)
		}
		return len(tasks), st, nil
	}
	for _, r := range ready {
		w.done(ctx, r.task, &st)
	}
	return len(tasks), st, nil
}

// resolved is a task with the documents to write and the ids to delete.
type resolved struct {
	task   Task
	upsert []Document
	delete []string
}

func (w *Worker) resolve(ctx context.Context, t Task) (resolved, error) {
	r := resolved{task: t}
	kind, id, ok := strings.Cut(t.Ref, ":")
	var ids []string
	switch {
	case !ok || id == "":
		return r, fmt.Errorf("search task %s: malformed ref %q", t.ID, t.Ref)
	case kind == "offer":
		ids = []string{id}
	case kind == "provider":
		var err error
		if ids, err = w.Source.ProviderOfferIDs(ctx, id); err != nil {
			return r, fmt.Errorf("offers of provider %s: %w", id, err)
		}
	case w.More[kind] != nil:
		var err error
		if r.upsert, r.delete, err = w.More[kind](ctx, id); err != nil {
			return r, fmt.Errorf("%s %s: %w", kind, id, err)
		}
		return r, nil
	default:
		return r, &unknownRefError{fmt.Sprintf("search task %s: no resolver for ref %q", t.ID, t.Ref)}
	}
	for _, id := range ids {
		d, visible, err := w.Source.OfferDocument(ctx, id)
		if err != nil {
			return r, fmt.Errorf("offer %s: %w", id, err)
		}
		if visible {
			r.upsert = append(r.upsert, d)
		} else {
			r.delete = append(r.delete, id)
		}
	}
	return r, nil
}

// apply writes the documents of rs to the index. Where two tasks name the
// same offer, the later read wins.
func (w *Worker) apply(ctx context.Context, rs []resolved, st *WorkerStats) error {
	final := map[string]*Document{} // nil: delete
	var order []string
	set := func(id string, d *Document) {
		if _, seen := final[id]; !seen {
			order = append(order, id)
		}
		final[id] = d
	}
	for _, r := range rs {
		for i := range r.upsert {
			set(r.upsert[i].ID, &r.upsert[i])
		}
		for _, id := range r.delete {
			set(id, nil)
		}
	}
	var docs []Document
	var gone []string
	for _, id := range order {
		if d := final[id]; d != nil {
			docs = append(docs, *d)
		} else {
			gone = append(gone, id)
		}
	}
	if len(docs) > 0 {
		if err := w.Index.Upsert(ctx, docs...); err != nil {
			return err
		}
	}
	if len(gone) > 0 {
		if err := w.Index.Delete(ctx, gone...); err != nil {
			return err
		}
	}
	st.Upserted += len(docs)
	st.Deleted += len(gone)
	return nil
}

func (w *Worker) done(ctx context.Context, t Task, st *WorkerStats) {
	if err := w.Outbox.Done(ctx, t); err != nil {
		// Applied but not marked done: it runs again when its lease ends,
		// which changes nothing.
		w.log(ctx, slog.LevelWarn, "search task applied but not marked done", "task", t.ID, "ref", t.Ref, "error", err)
		return
	}
	st.Tasks++
}

// unknownRefError is a ref of a kind the worker has no resolver for.
type unknownRefError struct{ msg string }

func (e *unknownRefError) Error() string { return e.msg }

func (w *Worker) retry(ctx context.Context, t Task, cause error, st *WorkerStats) {
	backoff := w.Backoff(t.Attempts + 1)
	level := slog.LevelWarn
	if t.Attempts+1 >= 5 {
		level = slog.LevelError // failing for a while: someone should look
	}
	var unknown *unknownRefError
	if errors.As(cause, &unknown) {
		backoff, level = w.maxBack(), slog.LevelError // retrying soon will not help
	}
	w.log(ctx, level, "search task failed; will retry", "task", t.ID, "ref", t.Ref, "attempts", t.Attempts+1,
		"retry_in", backoff.String(), "error", cause)
	if err := w.Outbox.Retry(ctx, t, cause, backoff); err != nil {
		w.log(ctx, slog.LevelWarn, "search task not released; it is retried when its lease ends", "task", t.ID, "error", err)
		return
	}
	st.Retried++
}

func (w *Worker) log(ctx context.Context, level slog.Level, msg string, args ...any) {
	if w.Logger != nil {
		w.Logger.Log(ctx, level, msg, args...)
	}
}
