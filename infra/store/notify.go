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

	"github.com/carepool/carepool/notify"
)

// NotifyTopic is the outbox topic of notifications.
const NotifyTopic = "notify"

// The collections of notifications. An inbox entry's _id is derived from (person, kind,
// reference), so the unique primary key is what stops a retry from writing it twice.
const (
	collNotifications = "notifications"
	collNotifyPrefs   = "notify_preferences"
	collPoolMessages  = "pool_messages"
	collInvitations   = "pool_invitations"
	collNotifyOnce    = "notify_once" // references the reminder job recorded, once each
	collSecrets       = "secrets"
)

func init() {
	registerIndexes(collNotifications,
		plain("notifications_inbox", bson.D{{Key: "user_id", Value: 1}, {Key: "created_at", Value: -1}, {Key: "_id", Value: -1}}),
		plain("notifications_unread", bson.D{{Key: "user_id", Value: 1}, {Key: "read_at", Value: 1}}),
		plain("notifications_age", bson.D{{Key: "created_at", Value: 1}}))
	registerIndexes(collPoolMessages, plain("pool_messages_pool", bson.D{{Key: "pool_id", Value: 1}, {Key: "created_at", Value: -1}}))
	registerIndexes(collInvitations, plain("pool_invitations_by", bson.D{{Key: "by", Value: 1}, {Key: "created_at", Value: 1}}))
}

// Notify implements notify.Store on the database.
type Notify struct{ db *DB }

var (
	_ notify.Store  = (*Notify)(nil)
	_ notify.Pools  = (*Pooling)(nil)
	_ notify.People = (*Accounts)(nil)
)

// NewNotify returns the notifications store on db.
func NewNotify(db *DB) *Notify { return &Notify{db: db} }

type notificationDoc struct {
	ID        string     `bson:"_id"`
	UserID    string     `bson:"user_id"`
	Kind      string     `bson:"kind"`
	Ref       string     `bson:"ref"`
	Title     string     `bson:"title"`
	Body      string     `bson:"body"`
	Link      string     `bson:"link"`
	CreatedAt time.Time  `bson:"created_at"`
	ReadAt    *time.Time `bson:"read_at"`
}

func (d notificationDoc) notification() notify.Notification {
	return notify.Notification{ID: d.ID, UserID: d.UserID, Kind: notify.Kind(d.Kind), Ref: d.Ref, Title: d.Title,
		Body: d.Body, Link: d.Link, CreatedAt: d.CreatedAt.UTC(), ReadAt: optionalUTC(d.ReadAt)}
}

// Deliver implements notify.Store. Inside one transaction it reads which keys exist
// already and inserts only the others, each email with its send task. On lungo writers
// take turns, so nothing can slip in between; on MongoDB a concurrent delivery of the
// same keys makes one transaction fail on the unique key, and its task is retried and
// then finds everything written.
func (s *Notify) Deliver(ctx context.Context, d notify.Delivery) (notify.Delivered, error) {
	var got notify.Delivered
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		got = notify.Delivered{}
		ids := make([]string, len(d.Notifications))
		for i, n := range d.Notifications {
			ids[i] = n.ID
		}
		have, err := s.db.existingIDs(ctx, collNotifications, ids)
		if err != nil {
			return err
		}
		var docs []any
		for _, n := range d.Notifications {
			if !have[n.ID] {
				have[n.ID] = true
				docs = append(docs, notificationDoc{ID: n.ID, UserID: n.UserID, Kind: string(n.Kind), Ref: n.Ref,
					Title: n.Title, Body: n.Body, Link: n.Link, CreatedAt: n.CreatedAt.UTC()})
			}
		}
		if err := s.db.insertMany(ctx, collNotifications, docs); err != nil {
			return err
		}
		got.Notifications = len(docs)
		got.Emails, err = s.db.queueNotificationMail(ctx, d.Emails)
		return err
	})
	return got, err
}

// existingIDs returns which of ids are the _id of a document of coll.
func (db *DB) existingIDs(ctx context.Context, coll string, ids []string) (map[string]bool, error) {
	have := map[string]bool{}
	if len(ids) == 0 {
		return have, nil
	}
	var found []struct {
		ID string `bson:"_id"`
	}
	cur, err := db.Collection(coll).Find(ctx, bson.M{"_id": bson.M{"$in": ids}}, options.Find().SetProjection(bson.M{"_id": 1}))
	if err != nil {
		return nil, fmt.Errorf("find in %s: %w", coll, err)
	}
	if err := cur.All(ctx, &found); err != nil {
		return nil, fmt.Errorf("read %s: %w", coll, err)
	}
	for _, f := range found {
		have[f.ID] = true
	}
	return have, nil
}

func (db *DB) insertMany(ctx context.Context, coll string, docs []any) error {
	if len(docs) == 0 {
		return nil
	}
	if _, err := db.Collection(coll).InsertMany(ctx, docs); err != nil {
		return fmt.Errorf("insert into %s: %w", coll, err)
	}
	return nil
}

// enqueueMany records one outbox task per ref in the transaction of ctx.
func (db *DB) enqueueMany(ctx context.Context, topic string, refs []string) error {
	now := time.Now().UTC()
	docs := make([]any, len(refs))
	for i, ref := range refs {
		docs[i] = Task{ID: uuid.NewString(), Topic: topic, Ref: ref, CreatedAt: now, DueAt: now}
	}
	return db.insertMany(ctx, outboxCollection, docs)
}

// Notifications implements notify.Store.
func (s *Notify) Notifications(ctx context.Context, userID string, after notify.Cursor, limit int) ([]notify.Notification, error) {
	filter := bson.M{"user_id": userID}
	if after.ID != "" {
		at := after.CreatedAt.UTC()
		filter["$or"] = bson.A{bson.M{"created_at": bson.M{"$lt": at}}, bson.M{"created_at": at, "_id": bson.M{"$lt": after.ID}}}
	}
	docs, err := findAll[notificationDoc](ctx, s.db, collNotifications, filter,
		options.Find().SetSort(bson.D{{Key: "created_at", Value: -1}, {Key: "_id", Value: -1}}).SetLimit(int64(limit)))
	if err != nil {
		return nil, err
	}
	out := make([]notify.Notification, len(docs))
	for i, d := range docs {
		out[i] = d.notification()
	}
	return out, nil
}

// UnreadCount implements notify.Store.
func (s *Notify) UnreadCount(ctx context.Context, userID string) (int64, error) {
	n, err := s.db.Collection(collNotifications).CountDocuments(ctx, bson.M{"user_id": userID, "read_at": nil})
	if err != nil {
		return 0, fmt.Errorf("count unread notifications: %w", err)
	}
	return n, nil
}

// MarkRead implements notify.Store: the first reading time is kept.
func (s *Notify) MarkRead(ctx context.Context, userID, id string, at time.Time) error {
	coll := s.db.Collection(collNotifications)
	res, err := coll.UpdateOne(ctx, bson.M{"_id": id, "user_id": userID, "read_at": nil}, bson.M{"$set": bson.M{"read_at": at.UTC()}})
	if err != nil {
		return fmt.Errorf("mark notification read: %w", err)
	}
	if res.MatchedCount == 1 {
		return nil
	}
	err = coll.FindOne(ctx, bson.M{"_id": id, "user_id": userID}).Err()
	if errors.Is(err, mongo.ErrNoDocuments) {
		return notify.ErrNotificationNotFound
	}
	return err
}

// MarkAllRead implements notify.Store.
func (s *Notify) MarkAllRead(ctx context.Context, userID string, at time.Time) (int64, error) {
	res, err := s.db.Collection(collNotifications).UpdateMany(ctx, bson.M{"user_id": userID, "read_at": nil},
		bson.M{"$set": bson.M{"read_at": at.UTC()}})
	if err != nil {
		return 0, fmt.Errorf("mark notifications read: %w", err)
	}
	return res.ModifiedCount, nil
}

// PurgeNotifications implements notify.Store.
func (s *Notify) PurgeNotifications(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.db.Collection(collNotifications).DeleteMany(ctx, bson.M{"created_at": bson.M{"$lt": before.UTC()}})
	if err != nil {
		return 0, fmt.Errorf("purge notifications: %w", err)
	}
	return res.DeletedCount, nil
}
