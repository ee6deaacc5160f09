package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/carepool/carepool/pooling"
)

// outboxCollection holds tasks recorded in the same transaction as the change that
// causes them (index this offer, send this notification). Workers claim tasks with a
// lease, so two server copies never work on the same task at once, and delete them when
// done, so the collection stays small.
const outboxCollection = "outbox"

func init() {
	registerIndexes(outboxCollection, plain("topic_due", bson.D{{Key: "topic", Value: 1}, {Key: "due_at", Value: 1}}))
}

// Task is one unit of work in the outbox.
type Task struct {
	ID         string    `bson:"_id"`
	Topic      string    `bson:"topic"` // which worker handles it, e.g. "search"
	Ref        string    `bson:"ref"`   // what it is about, e.g. "offer:<id>"
	CreatedAt  time.Time `bson:"created_at"`
	DueAt      time.Time `bson:"due_at"`
	Attempts   int       `bson:"attempts"`
	LastError  string    `bson:"last_error,omitempty"`
	LeaseOwner string    `bson:"lease_owner,omitempty"`
	LeaseUntil time.Time `bson:"lease_until"`
}

// enqueue records a task; call it with the transaction's context so the task commits or
// aborts with the change it follows.
func (db *DB) enqueue(ctx context.Context, topic, ref string) error {
	now := time.Now().UTC()
	_, err := db.Collection(outboxCollection).InsertOne(ctx, Task{
		ID: uuid.NewString(), Topic: topic, Ref: ref, CreatedAt: now, DueAt: now,
	})
	if err != nil {
		return fmt.Errorf("enqueue %s task for %s: %w", topic, ref, err)
	}
	return nil
}

// Outbox lets workers claim and settle the tasks of one topic.
type Outbox struct {
	db    *DB
	topic string
	owner string // this worker's name, so a lease says who holds it
	now   func() time.Time
}

// NewOutbox returns the outbox of a topic for a worker called owner.
func (db *DB) NewOutbox(topic, owner string) *Outbox {
	return &Outbox{db: db, topic: topic, owner: owner, now: time.Now}
}

// Claim leases up to n due tasks for the given time, oldest first. A task whose lease ran
// out (its worker died) is due again.
func (o *Outbox) Claim(ctx context.Context, n int, lease time.Duration) ([]Task, error) {
	now := o.now().UTC()
	coll := o.db.Collection(outboxCollection)
	cur, err := coll.Find(ctx, bson.M{"topic": o.topic, "due_at": bson.M{"$lte": now}, "lease_until": bson.M{"$lt": now}},
		options.Find().SetSort(bson.D{{Key: "due_at", Value: 1}}).SetLimit(int64(n)))
	if err != nil {
		return nil, fmt.Errorf("find %s tasks: %w", o.topic, err)
	}
	var candidates []Task
	if err := cur.All(ctx, &candidates); err != nil {
		return nil, fmt.Errorf("read %s tasks: %w", o.topic, err)
	}
	claimed := candidates[:0]
	for _, t := range candidates {
		// The lease is taken by a conditional update, so of two workers that found the
		// same task only one gets it.
		res := coll.FindOneAndUpdate(ctx,
			bson.M{"_id": t.ID, "lease_until": t.LeaseUntil},
			bson.M{"$set": bson.M{"lease_owner": o.owner, "lease_until": now.Add(lease)}},
			options.FindOneAndUpdate().SetReturnDocument(options.After))
		var got Task
		if err := res.Decode(&got); errors.Is(err, mongo.ErrNoDocuments) {
			continue
		} else if err != nil {
			return claimed, fmt.Errorf("lease task %s: %w", t.ID, err)
		}
		claimed = append(claimed, got)
	}
	return claimed, nil
}

// Done removes a finished task.
func (o *Outbox) Done(ctx context.Context, t Task) error {
	_, err := o.db.Collection(outboxCollection).DeleteOne(ctx, bson.M{"_id": t.ID, "lease_owner": o.owner})
	return err
}

// Retry releases a failed task to be tried again after backoff, recording the error.
func (o *Outbox) Retry(ctx context.Context, t Task, cause error, backoff time.Duration) error {
	_, err := o.db.Collection(outboxCollection).UpdateOne(ctx,
		bson.M{"_id": t.ID, "lease_owner": o.owner},
		bson.M{"$set": bson.M{"due_at": o.now().UTC().Add(backoff), "last_error": cause.Error(), "lease_until": time.Time{}, "lease_owner": ""},
			"$inc": bson.M{"attempts": 1}})
	return err
}

// Pending counts the tasks of the topic not yet done.
func (o *Outbox) Pending(ctx context.Context) (int64, error) {
	return o.db.Collection(outboxCollection).CountDocuments(ctx, bson.M{"topic": o.topic})
}

// enqueuePoolsOf records a search task for every open pool whose field (offer_id or
// provider_id) is value: a pool's search document carries its offer's and provider's
// details, so a change to either, or a provider's suspension, must reach it too.
func (db *DB) enqueuePoolsOf(ctx context.Context, field, value string) error {
	cur, err := db.Collection(poolsCollection).Find(ctx, bson.M{field: value, "status": pooling.StatusOpen})
	if err != nil {
		return fmt.Errorf("find pools of %s %s: %w", field, value, err)
	}
	var pools []struct {
		ID string `bson:"_id"`
	}
	if err := cur.All(ctx, &pools); err != nil {
		return fmt.Errorf("read pools of %s %s: %w", field, value, err)
	}
	for _, p := range pools {
		if err := db.enqueue(ctx, SearchTopic, "pool:"+p.ID); err != nil {
			return err
		}
	}
	return nil
}
