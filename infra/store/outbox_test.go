package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.mongodb.org/mongo-driver/bson"
)

// addTasks queues tasks of topic due at the given times, with refs t0, t1, ...
func addTasks(t *testing.T, db *DB, topic string, due ...time.Time) {
	t.Helper()
	for i, at := range due {
		task := Task{ID: fmt.Sprintf("%s-%02d", topic, i), Topic: topic, Ref: fmt.Sprintf("t%d", i), CreatedAt: at, DueAt: at}
		if _, err := db.Collection(outboxCollection).InsertOne(context.Background(), task); err != nil {
			t.Fatal(err)
		}
	}
}

// outboxAt returns the outbox of topic for owner, with its clock stopped at now.
func outboxAt(db *DB, topic, owner string, now time.Time) *Outbox {
	o := db.NewOutbox(topic, owner)
	o.now = func() time.Time { return now }
	return o
}

func mustClaim(t *testing.T, o *Outbox, n int, lease time.Duration) []string {
	t.Helper()
	tasks, err := o.Claim(context.Background(), n, lease)
	if err != nil {
		t.Fatalf("Claim: %v", err)
	}
	refs := []string{}
	for _, task := range tasks {
		if task.LeaseOwner != o.owner || !task.LeaseUntil.Equal(o.now().Add(lease)) {
			t.Errorf("claimed task %s has lease %s until %v, want %s until %v", task.Ref, task.LeaseOwner, task.LeaseUntil, o.owner, o.now().Add(lease))
		}
		refs = append(refs, task.Ref)
	}
	return refs
}

func storedTask(t *testing.T, db *DB, id string) Task {
	t.Helper()
	var task Task
	if err := db.Collection(outboxCollection).FindOne(context.Background(), bson.M{"_id": id}).Decode(&task); err != nil {
		t.Fatalf("task %s: %v", id, err)
	}
	return task
}

func TestOutboxClaimLeasesDueTasksOldestFirst(t *testing.T) {
	t.Parallel()
	db := mustOpenMarketDB(t)
	t0 := marketEpoch
	addTasks(t, db, SearchTopic, t0.Add(2*time.Second), t0, t0.Add(time.Second), t0.Add(time.Hour))
	addTasks(t, db, "mail", t0)

	steps := []struct {
		name  string
		owner string
		at    time.Time
		n     int
		want  []string
	}{
		{"oldest due first, up to n", "a", t0.Add(2 * time.Second), 2, []string{"t1", "t2"}},
		{"another owner gets the rest that is due", "b", t0.Add(2 * time.Second), 10, []string{"t0"}},
		{"leased tasks are not claimed again", "a", t0.Add(30 * time.Second), 10, []string{}},
		{"a lease holds until it runs out", "c", t0.Add(62 * time.Second), 10, []string{}},
		{"an expired lease frees the task, a task not yet due waits", "c", t0.Add(63 * time.Second), 10, []string{"t1", "t2", "t0"}},
		{"a later task falls due", "d", t0.Add(2 * time.Hour), 10, []string{"t1", "t2", "t0", "t3"}},
	}
	for _, s := range steps {
		got := mustClaim(t, outboxAt(db, SearchTopic, s.owner, s.at), s.n, time.Minute)
		if diff := cmp.Diff(s.want, got); diff != "" {
			t.Errorf("%s: claimed (-want +got):\n%s", s.name, diff)
		}
	}
	if got := storedTask(t, db, "mail-00"); got.LeaseOwner != "" {
		t.Errorf("a task of another topic was leased to %q", got.LeaseOwner)
	}
}

func TestOutboxClaimNeverGivesATaskToTwoOwners(t *testing.T) {
	t.Parallel()
	db := mustOpenMarketDB(t)
	due := make([]time.Time, 60)
	for i := range due {
		due[i] = marketEpoch.Add(time.Duration(i) * time.Millisecond)
	}
	addTasks(t, db, SearchTopic, due...)

	var mu sync.Mutex
	claimedBy := map[string][]string{}
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o := outboxAt(db, SearchTopic, fmt.Sprintf("worker-%d", w), marketEpoch.Add(time.Minute))
			for {
				tasks, err := o.Claim(context.Background(), 5, time.Hour)
				if err != nil {
					errs <- err
					return
				}
				if len(tasks) == 0 {
					return
				}
				mu.Lock()
				for _, task := range tasks {
					claimedBy[task.Ref] = append(claimedBy[task.Ref], o.owner)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if len(claimedBy) != len(due) {
		t.Errorf("%d of %d tasks were claimed", len(claimedBy), len(due))
	}
	for ref, owners := range claimedBy {
		if len(owners) != 1 {
			t.Errorf("task %s was leased to %v at once", ref, owners)
		}
	}
}

func TestOutboxRetryReleasesTheTaskAfterBackoff(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenMarketDB(t)
	t0 := marketEpoch
	addTasks(t, db, SearchTopic, t0)
	a := outboxAt(db, SearchTopic, "a", t0)
	tasks, err := a.Claim(ctx, 1, time.Minute)
	if err != nil || len(tasks) != 1 {
		t.Fatalf("Claim = %v, %v; want one task", tasks, err)
	}

	// Only the holder of the lease can release it.
	if err := outboxAt(db, SearchTopic, "b", t0).Retry(ctx, tasks[0], errors.New("not mine"), time.Second); err != nil {
		t.Fatal(err)
	}
	if got := storedTask(t, db, tasks[0].ID); got.LeaseOwner != "a" || got.Attempts != 0 {
		t.Fatalf("after another owner's Retry: lease %q, attempts %d; want a, 0", got.LeaseOwner, got.Attempts)
	}

	if err := a.Retry(ctx, tasks[0], errors.New("search index unavailable"), 5*time.Minute); err != nil {
		t.Fatal(err)
	}
	want := Task{ID: tasks[0].ID, Topic: SearchTopic, Ref: "t0", CreatedAt: t0, DueAt: t0.Add(5 * time.Minute),
		Attempts: 1, LastError: "search index unavailable", LeaseUntil: time.Time{}}
	got := storedTask(t, db, tasks[0].ID)
	got.LeaseUntil = got.LeaseUntil.UTC()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("task after Retry (-want +got):\n%s", diff)
	}

	if got := mustClaim(t, outboxAt(db, SearchTopic, "b", t0.Add(4*time.Minute)), 1, time.Minute); len(got) != 0 {
		t.Errorf("claimed %v during the backoff, want nothing", got)
	}
	if got := mustClaim(t, outboxAt(db, SearchTopic, "b", t0.Add(5*time.Minute)), 1, time.Minute); !slices.Equal(got, []string{"t0"}) {
		t.Errorf("claimed %v after the backoff, want [t0]", got)
	}

	// Attempts add up over retries.
	b := outboxAt(db, SearchTopic, "b", t0.Add(5*time.Minute))
	if err := b.Retry(ctx, tasks[0], errors.New("still down"), time.Minute); err != nil {
		t.Fatal(err)
	}
	if got := storedTask(t, db, tasks[0].ID); got.Attempts != 2 || got.LastError != "still down" {
		t.Errorf("after a second Retry: attempts %d, last error %q; want 2, still down", got.Attempts, got.LastError)
	}
}

func TestOutboxDoneRemovesOnlyTheHoldersTask(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenMarketDB(t)
	addTasks(t, db, SearchTopic, marketEpoch, marketEpoch.Add(time.Second))
	a := outboxAt(db, SearchTopic, "a", marketEpoch.Add(time.Minute))
	tasks, err := a.Claim(ctx, 2, time.Minute)
	if err != nil || len(tasks) != 2 {
		t.Fatalf("Claim = %v, %v; want two tasks", tasks, err)
	}

	if err := outboxAt(db, SearchTopic, "b", marketEpoch.Add(time.Minute)).Done(ctx, tasks[0]); err != nil {
		t.Fatal(err)
	}
	if n, err := a.Pending(ctx); err != nil || n != 2 {
		t.Errorf("after another owner's Done: Pending = %d, %v; want 2", n, err)
	}
	if err := a.Done(ctx, tasks[0]); err != nil {
		t.Fatal(err)
	}
	if n, err := a.Pending(ctx); err != nil || n != 1 {
		t.Errorf("after Done: Pending = %d, %v; want 1", n, err)
	}
	if n, err := db.NewOutbox("mail", "a").Pending(ctx); err != nil || n != 0 {
		t.Errorf("Pending of another topic = %d, %v; want 0", n, err)
	}
}

func TestOutboxEnqueueFollowsTheTransaction(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenMarketDB(t)
	boom := errors.New("the change failed")
	err := db.Tx(ctx, func(ctx context.Context) error {
		if err := db.enqueue(ctx, SearchTopic, "offer:rolled-back"); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Tx error = %v, want %v", err, boom)
	}
	if err := db.Tx(ctx, func(ctx context.Context) error { return db.enqueue(ctx, SearchTopic, "offer:kept") }); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"offer:kept"}, searchTaskRefs(t, db)); diff != "" {
		t.Errorf("search tasks (-want +got):\n%s", diff)
	}
}
