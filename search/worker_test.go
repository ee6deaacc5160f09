package search_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/carepool/carepool/search"
	"github.com/carepool/carepool/search/searchtest"
)

// fakeOutbox is an outbox in memory with its own clock: a task is due when
// its due time has come and it is not leased.
type fakeOutbox struct {
	mu       sync.Mutex
	now      time.Time
	tasks    map[string]*fakeTask
	backoffs []time.Duration // every Retry's backoff, in order
	causes   []string
}

type fakeTask struct {
	search.Task
	due, leased time.Time
}

func newFakeOutbox(refs ...string) *fakeOutbox {
	o := &fakeOutbox{now: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC), tasks: map[string]*fakeTask{}}
	for i, ref := range refs {
		o.add(fmt.Sprintf("t%02d", i), ref)
	}
	return o
}

func (o *fakeOutbox) add(id, ref string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.tasks[id] = &fakeTask{Task: search.Task{ID: id, Ref: ref}, due: o.now}
}

func (o *fakeOutbox) advance(d time.Duration) {
	o.mu.Lock()
	o.now = o.now.Add(d)
	o.mu.Unlock()
}

func (o *fakeOutbox) pending() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.Sorted(maps.Keys(o.tasks))
}

func (o *fakeOutbox) Claim(ctx context.Context, n int, lease time.Duration) ([]search.Task, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []search.Task
	for _, id := range slices.Sorted(maps.Keys(o.tasks)) {
		t := o.tasks[id]
		if len(out) == n || t.due.After(o.now) || t.leased.After(o.now) {
			continue
		}
		t.leased = o.now.Add(lease)
		out = append(out, t.Task)
	}
	return out, nil
}

func (o *fakeOutbox) Done(ctx context.Context, t search.Task) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	delete(o.tasks, t.ID)
	return nil
}

func (o *fakeOutbox) Retry(ctx context.Context, t search.Task, cause error, backoff time.Duration) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	ft := o.tasks[t.ID]
	ft.Attempts++
	ft.due, ft.leased = o.now.Add(backoff), time.Time{}
	o.backoffs = append(o.backoffs, backoff)
	o.causes = append(o.causes, cause.Error())
	return nil
}

// fakeSource is a store of offers; fail makes its next reads of an offer fail.
type fakeSource struct {
	mu      sync.Mutex
	offers  map[string]fakeOffer
	fail    map[string]int // offer id → reads still to fail
	block   chan struct{}  // when set, reads wait for it or for the context
	reading chan struct{}  // when set, told of each read
}

type fakeOffer struct {
	doc      search.Document
	visible  bool
	provider string
}

func (s *fakeSource) OfferDocument(ctx context.Context, id string) (search.Document, bool, error) {
	if s.reading != nil {
		s.reading <- struct{}{}
	}
	if s.block != nil {
		select {
		case <-s.block:
		case <-ctx.Done():
			return search.Document{}, false, ctx.Err()
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail[id] > 0 {
		s.fail[id]--
		return search.Document{}, false, errors.New("store unavailable")
	}
	o, ok := s.offers[id]
	return o.doc, ok && o.visible, nil
}

func (s *fakeSource) ProviderOfferIDs(ctx context.Context, providerID string) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []string
	for id, o := range s.offers {
		if o.provider == providerID {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids, nil
}

// fakeIndex keeps documents in a map; fail makes its next writes fail.
type fakeIndex struct {
	search.Index // unused methods panic
	mu           sync.Mutex
	docs         map[string]search.Document
	writes       int
	fail         int
}

func newFakeIndex() *fakeIndex { return &fakeIndex{docs: map[string]search.Document{}} }

func (x *fakeIndex) Upsert(ctx context.Context, docs ...search.Document) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.fail > 0 {
		x.fail--
		return errors.New("disk full")
	}
	var v search.ValidationError
	for _, d := range docs {
		if err := d.Validate(); err != nil {
			v.Add(d.ID, err.Error())
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	for _, d := range docs {
		x.docs[d.ID] = d
	}
	x.writes++
	return nil
}

func (x *fakeIndex) Delete(ctx context.Context, ids ...string) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, id := range ids {
		delete(x.docs, id)
	}
	x.writes++
	return nil
}

func (x *fakeIndex) ids() []string {
	x.mu.Lock()
	defer x.mu.Unlock()
	return slices.Sorted(maps.Keys(x.docs))
}

// fixtureSource holds the suite's fixture as visible offers, each of its
// provider.
func fixtureSource() *fakeSource {
	s := &fakeSource{offers: map[string]fakeOffer{}, fail: map[string]int{}}
	for _, d := range searchtest.Fixture() {
		s.offers[d.ID] = fakeOffer{doc: d, visible: true, provider: d.ProviderID}
	}
	return s
}

func TestWorkerAppliesTasksAndMarksThemDone(t *testing.T) {
	t.Parallel()
	src := fixtureSource()
	hidden := src.offers["choir"]
	hidden.visible = false // paused since it was indexed
	src.offers["choir"] = hidden
	idx := newFakeIndex()
	idx.docs["choir"] = hidden.doc
	idx.docs["gone"] = searchtest.Fixture()[0] // deleted from the store
	ob := newFakeOutbox("offer:swim-ls6", "provider:p-hydepark", "offer:choir", "offer:gone", "offer:swim-ls6")
	w := &search.Worker{Index: idx, Outbox: ob, Source: src}
	st, err := w.Drain(context.Background())
	if err != nil {
		t.Fatalf("Drain: %v", err)
	}
	if diff := cmp.Diff([]string{"art-lunch", "art-pool", "swim-ls6"}, idx.ids()); diff != "" {
		t.Errorf("indexed ids (-want +got):\n%s", diff)
	}
	if want := (search.WorkerStats{Tasks: 5, Upserted: 3, Deleted: 2}); st != want {
		t.Errorf("stats = %+v, want %+v", st, want)
	}
	if got := ob.pending(); len(got) != 0 {
		t.Errorf("tasks left = %v, want none", got)
	}
	if idx.writes != 2 {
		t.Errorf("index writes = %d, want one upsert and one delete for the batch", idx.writes)
	}
}

func TestWorkerRetriesAFailingSourceWithBackoff(t *testing.T) {
	t.Parallel()
	src := fixtureSource()
	src.fail["swim-ls6"] = 2 // the store fails twice, then answers
	idx := newFakeIndex()
	ob := newFakeOutbox("offer:swim-ls6", "offer:choir")
	w := &search.Worker{Index: idx, Outbox: ob, Source: src, MinBackoff: time.Second, MaxBackoff: time.Minute}
	ctx := context.Background()

	if _, err := w.Drain(ctx); err != nil {
		t.Fatalf("Drain: %v", err)
	}
	if diff := cmp.Diff([]string{"choir"}, idx.ids()); diff != "" {
		t.Errorf("after the first failure, indexed (-want +got):\n%s", diff)
	}
	if got := ob.pending(); !slices.Equal(got, []string{"t00"}) {
		t.Fatalf("pending = %v, want the failed task waiting", got)
	}
	ob.advance(999 * time.Millisecond) // not due yet
	if n, _, err := w.Step(ctx); err != nil || n != 0 {
		t.Fatalf("Step before the backoff = %d, %v; want nothing claimed", n, err)
	}
	ob.advance(time.Millisecond)
	w.Drain(ctx) // fails again
	ob.advance(2 * time.Second)
	if _, err := w.Drain(ctx); err != nil {
		t.Fatalf("Drain: %v", err)
	}
	if diff := cmp.Diff([]string{"choir", "swim-ls6"}, idx.ids()); diff != "" {
		t.Errorf("after the retries, indexed (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]time.Duration{time.Second, 2 * time.Second}, ob.backoffs); diff != "" {
		t.Errorf("backoffs (-want +got):\n%s", diff)
	}
	if len(ob.pending()) != 0 {
		t.Errorf("tasks left = %v", ob.pending())
	}
}

func TestWorkerBackoffDoublesUpToTheMaximum(t *testing.T) {
	t.Parallel()
	w := &search.Worker{MinBackoff: time.Second, MaxBackoff: 10 * time.Second}
	var got []time.Duration
	for attempts := 1; attempts <= 6; attempts++ {
		got = append(got, w.Backoff(attempts))
	}
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 10 * time.Second, 10 * time.Second}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("backoffs (-want +got):\n%s", diff)
	}
	if d := (&search.Worker{}).Backoff(100); d != 10*time.Minute {
		t.Errorf("default maximum backoff = %v, want 10m", d)
	}
}

func TestWorkerRetriesEveryTaskWhenTheIndexCannotBeWritten(t *testing.T) {
	t.Parallel()
	idx := newFakeIndex()
	idx.fail = 1
	ob := newFakeOutbox("offer:swim-ls6", "offer:choir")
	w := &search.Worker{Index: idx, Outbox: ob, Source: fixtureSource()}
	if _, _, err := w.Step(context.Background()); err == nil {
		t.Fatal("Step with the index failing: no error")
	}
	if len(ob.backoffs) != 2 || len(ob.pending()) != 2 {
		t.Fatalf("retries = %v, pending = %v; want both tasks released for a retry", ob.backoffs, ob.pending())
	}
	ob.advance(time.Minute)
	if _, err := w.Drain(context.Background()); err != nil {
		t.Fatalf("Drain: %v", err)
	}
	if diff := cmp.Diff([]string{"choir", "swim-ls6"}, idx.ids()); diff != "" {
		t.Errorf("indexed (-want +got):\n%s", diff)
	}
}

func TestWorkerHoldsBackOnlyTheTaskWithAnInvalidDocument(t *testing.T) {
	t.Parallel()
	src := fixtureSource()
	bad := src.offers["choir"]
	bad.doc.Days = []string{"caturday"}
	src.offers["choir"] = bad
	idx := newFakeIndex()
	ob := newFakeOutbox("offer:swim-ls6", "offer:choir", "offer:bsl-club", "nonsense")
	w := &search.Worker{Index: idx, Outbox: ob, Source: src}
	if _, err := w.Drain(context.Background()); err != nil {
		t.Fatalf("Drain: %v", err)
	}
	if diff := cmp.Diff([]string{"bsl-club", "swim-ls6"}, idx.ids()); diff != "" {
		t.Errorf("indexed (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"t01", "t03"}, ob.pending()); diff != "" {
		t.Errorf("pending (-want +got):\n%s", diff)
	}
}

func TestWorkerStopsWhenItsContextEnds(t *testing.T) {
	t.Parallel()
	t.Run("idle", func(t *testing.T) {
		t.Parallel()
		w := &search.Worker{Index: newFakeIndex(), Outbox: newFakeOutbox(), Source: fixtureSource(), Poll: time.Hour}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error)
		go func() { done <- w.Run(ctx) }()
		time.Sleep(20 * time.Millisecond)
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run = %v, want nil", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("Run did not return after its context ended")
		}
	})
	t.Run("midway through a batch", func(t *testing.T) {
		t.Parallel()
		src := fixtureSource()
		src.block, src.reading = make(chan struct{}), make(chan struct{}, 10)
		idx := newFakeIndex()
		ob := newFakeOutbox("offer:swim-ls6", "offer:choir")
		w := &search.Worker{Index: idx, Outbox: ob, Source: src}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error)
		go func() { done <- w.Run(ctx) }()
		<-src.reading // the worker holds the tasks and is reading the store
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run = %v, want nil", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("Run did not return after its context ended")
		}
		// Nothing written, nothing marked done: the tasks come back when
		// their lease runs out.
		if len(idx.ids()) != 0 || len(ob.pending()) != 2 || len(ob.backoffs) != 0 {
			t.Fatalf("indexed %v, pending %v, retries %v; want the batch untouched", idx.ids(), ob.pending(), ob.backoffs)
		}
		close(src.block)
		src.reading = nil
		if n, _, _ := (&search.Worker{Index: idx, Outbox: ob, Source: src}).Step(context.Background()); n != 0 {
			t.Errorf("claimed %d tasks still leased", n)
		}
		ob.advance(31 * time.Second) // the default lease
		if _, err := (&search.Worker{Index: idx, Outbox: ob, Source: src}).Drain(context.Background()); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"choir", "swim-ls6"}, idx.ids()); diff != "" {
			t.Errorf("after the lease, indexed (-want +got):\n%s", diff)
		}
	})
}

func TestWorkerResolvesOtherKindsThroughMoreAndKeepsUnknownOnes(t *testing.T) {
	t.Parallel()
	fx := searchtest.Fixture()
	pool := fx[slices.IndexFunc(fx, func(d search.Document) bool { return d.Type == search.TypePool })]
	idx := newFakeIndex()
	idx.docs["pool-gone"] = pool
	ob := newFakeOutbox("pool:p1", "pool:p2", "robot:r1")
	w := &search.Worker{Index: idx, Outbox: ob, Source: fixtureSource(), MaxBackoff: time.Hour,
		More: map[string]search.Resolve{"pool": func(ctx context.Context, id string) ([]search.Document, []string, error) {
			if id == "p1" {
				return []search.Document{pool}, nil, nil
			}
			return nil, []string{"pool-gone"}, nil
		}}}
	if _, err := w.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{pool.ID}, idx.ids()); diff != "" {
		t.Errorf("indexed (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"t02"}, ob.pending()); diff != "" {
		t.Errorf("pending (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]time.Duration{time.Hour}, ob.backoffs); diff != "" {
		t.Errorf("a kind nobody resolves waits the longest backoff (-want +got):\n%s", diff)
	}
}
