package store

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/carepool/carepool/notify"
)

// NotifyOutbox is the notify worker's view of the outbox (topic "notify").
type NotifyOutbox struct{ outbox *Outbox }

var _ notify.Outbox = (*NotifyOutbox)(nil)

// NewNotifyOutbox returns the notify outbox for a worker called owner (unique per
// server copy).
func (db *DB) NewNotifyOutbox(owner string) *NotifyOutbox {
	return &NotifyOutbox{outbox: db.NewOutbox(NotifyTopic, owner)}
}

// Claim implements notify.Outbox.
func (o *NotifyOutbox) Claim(ctx context.Context, n int, lease time.Duration) ([]notify.Task, error) {
	tasks, err := o.outbox.Claim(ctx, n, lease)
	out := make([]notify.Task, len(tasks))
	for i, t := range tasks {
		out[i] = notify.Task{ID: t.ID, Ref: t.Ref, Attempts: t.Attempts}
	}
	return out, err
}

// Done implements notify.Outbox.
func (o *NotifyOutbox) Done(ctx context.Context, t notify.Task) error {
	return o.outbox.Done(ctx, Task{ID: t.ID})
}

// Retry implements notify.Outbox.
func (o *NotifyOutbox) Retry(ctx context.Context, t notify.Task, cause error, backoff time.Duration) error {
	return o.outbox.Retry(ctx, Task{ID: t.ID}, cause, backoff)
}

// Pending counts the notify tasks not yet done.
func (o *NotifyOutbox) Pending(ctx context.Context) (int64, error) { return o.outbox.Pending(ctx) }

// Failures implements notify.Store: failing tasks stay in the outbox, retried, so they
// are listed from there.
func (s *Notify) Failures(ctx context.Context, minAttempts, limit int) ([]notify.Failure, error) {
	tasks, err := findAll[Task](ctx, s.db, outboxCollection,
		bson.M{"topic": NotifyTopic, "attempts": bson.M{"$gte": minAttempts}},
		options.Find().SetSort(bson.D{{Key: "attempts", Value: -1}, {Key: "created_at", Value: 1}}).SetLimit(int64(limit)))
	if err != nil {
		return nil, err
	}
	out := make([]notify.Failure, len(tasks))
	for i, t := range tasks {
		out[i] = notify.Failure{TaskID: t.ID, Ref: t.Ref, Attempts: t.Attempts, LastError: t.LastError,
			CreatedAt: t.CreatedAt.UTC(), NextTryAt: t.DueAt.UTC()}
	}
	return out, nil
}
