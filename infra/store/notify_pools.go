package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/carepool/carepool/notify"
	"github.com/carepool/carepool/pooling"
)

type messageDoc struct {
	ID        string    `bson:"_id"`
	PoolID    string    `bson:"pool_id"`
	AuthorID  string    `bson:"author_id"`
	Body      string    `bson:"body"`
	CreatedAt time.Time `bson:"created_at"`
}

func (d messageDoc) message() notify.PoolMessage {
	return notify.PoolMessage{ID: d.ID, PoolID: d.PoolID, AuthorID: d.AuthorID, Body: d.Body, CreatedAt: d.CreatedAt.UTC()}
}

// CreateMessage implements notify.Store.
func (s *Notify) CreateMessage(ctx context.Context, m notify.PoolMessage) error {
	return s.db.Tx(ctx, func(ctx context.Context) error {
		doc := messageDoc{ID: m.ID, PoolID: m.PoolID, AuthorID: m.AuthorID, Body: m.Body, CreatedAt: m.CreatedAt.UTC()}
		if _, err := s.db.Collection(collPoolMessages).InsertOne(ctx, doc); err != nil {
			return fmt.Errorf("insert pool message: %w", err)
		}
		return s.db.enqueue(ctx, NotifyTopic, "message:"+m.ID)
	})
}

// Message implements notify.Store.
func (s *Notify) Message(ctx context.Context, id string) (notify.PoolMessage, error) {
	d, err := findOne[messageDoc](ctx, s.db, collPoolMessages, bson.M{"_id": id}, notify.ErrMessageNotFound)
	return d.message(), err
}

// Messages implements notify.Store.
func (s *Notify) Messages(ctx context.Context, poolID string, limit int) ([]notify.PoolMessage, error) {
	docs, err := findAll[messageDoc](ctx, s.db, collPoolMessages, bson.M{"pool_id": poolID},
		options.Find().SetSort(bson.D{{Key: "created_at", Value: -1}, {Key: "_id", Value: -1}}).SetLimit(int64(limit)))
	if err != nil {
		return nil, err
	}
	out := make([]notify.PoolMessage, len(docs))
	for i, d := range docs {
		out[i] = d.message()
	}
	return out, nil
}

type invitationDoc struct {
	ID        string    `bson:"_id"`
	PoolID    string    `bson:"pool_id"`
	Email     string    `bson:"email"`
	By        string    `bson:"by"`
	CreatedAt time.Time `bson:"created_at"`
}

// CreateInvitations implements notify.Store.
func (s *Notify) CreateInvitations(ctx context.Context, invs []notify.Invitation) (int, error) {
	var n int
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		ids := make([]string, len(invs))
		for i, inv := range invs {
			ids[i] = inv.ID
		}
		have, err := s.db.existingIDs(ctx, collInvitations, ids)
		if err != nil {
			return err
		}
		var docs []any
		var refs []string
		for _, inv := range invs {
			if have[inv.ID] {
				continue
			}
			have[inv.ID] = true
			docs = append(docs, invitationDoc{ID: inv.ID, PoolID: inv.PoolID, Email: inv.Email, By: inv.By, CreatedAt: inv.CreatedAt.UTC()})
			refs = append(refs, "invitation:"+inv.ID)
		}
		if err := s.db.insertMany(ctx, collInvitations, docs); err != nil {
			return err
		}
		n = len(docs)
		return s.db.enqueueMany(ctx, NotifyTopic, refs)
	})
	return n, err
}

// Invitation implements notify.Store.
func (s *Notify) Invitation(ctx context.Context, id string) (notify.Invitation, error) {
	d, err := findOne[invitationDoc](ctx, s.db, collInvitations, bson.M{"_id": id}, notify.ErrInvitationNotFound)
	return notify.Invitation{ID: d.ID, PoolID: d.PoolID, Email: d.Email, By: d.By, CreatedAt: d.CreatedAt.UTC()}, err
}

// InvitationsSince implements notify.Store.
func (s *Notify) InvitationsSince(ctx context.Context, by string, since time.Time) (int64, error) {
	n, err := s.db.Collection(collInvitations).CountDocuments(ctx, bson.M{"by": by, "created_at": bson.M{"$gte": since.UTC()}})
	if err != nil {
		return 0, fmt.Errorf("count invitations: %w", err)
	}
	return n, nil
}

type onceDoc struct {
	Ref string    `bson:"_id"`
	At  time.Time `bson:"at"`
}

// EnqueueOnce implements notify.Store. A second server copy doing the same at the same
// moment fails on the primary key (MongoDB) or waits its turn and finds it (lungo).
func (s *Notify) EnqueueOnce(ctx context.Context, ref string, at time.Time) (bool, error) {
	var added bool
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		added = false
		have, err := s.db.existingIDs(ctx, collNotifyOnce, []string{ref})
		if err != nil || have[ref] {
			return err
		}
		if _, err := s.db.Collection(collNotifyOnce).InsertOne(ctx, onceDoc{Ref: ref, At: at.UTC()}); err != nil {
			return fmt.Errorf("remember %s: %w", ref, err)
		}
		added = true
		return s.db.enqueue(ctx, NotifyTopic, ref)
	})
	if IsDuplicateKey(err) {
		return false, nil
	}
	return added, err
}

// PoolsWithSessionsBetween implements notify.Store.
func (s *Notify) PoolsWithSessionsBetween(ctx context.Context, from, to time.Time) ([]pooling.Pool, error) {
	return findAll[pooling.Pool](ctx, s.db, poolsCollection, bson.M{"status": pooling.StatusConfirmed,
		"sessions": bson.M{"$elemMatch": bson.M{"status": pooling.SessionScheduled,
			"starts_at": bson.M{"$gte": from.UTC(), "$lt": to.UTC()}}}},
		options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
}
