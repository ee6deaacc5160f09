package store

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/carepool/carepool/notify"
)

// PersonalData implements notify.Store.
func (s *Notify) PersonalData(ctx context.Context, userID string) (notify.PersonalData, error) {
	var d notify.PersonalData
	docs, err := findAll[notificationDoc](ctx, s.db, collNotifications, bson.M{"user_id": userID},
		options.Find().SetSort(bson.D{{Key: "created_at", Value: -1}, {Key: "_id", Value: -1}}))
	if err != nil {
		return d, err
	}
	d.Notifications = make([]notify.Notification, len(docs))
	for i, doc := range docs {
		d.Notifications[i] = doc.notification()
	}
	prefs, err := s.Preferences(ctx, []string{userID})
	if err != nil {
		return d, err
	}
	d.Preferences = prefs[userID].Channels
	msgs, err := findAll[messageDoc](ctx, s.db, collPoolMessages, bson.M{"author_id": userID},
		options.Find().SetSort(bson.D{{Key: "created_at", Value: -1}}))
	if err != nil {
		return d, err
	}
	d.Messages = make([]notify.PoolMessage, len(msgs))
	for i, m := range msgs {
		d.Messages[i] = m.message()
	}
	return d, nil
}

// ErasePersonalData implements notify.Store. The messages keep their place in their
// pool's list, so the others' replies still make sense, without their words or author.
func (s *Notify) ErasePersonalData(ctx context.Context, userID, removed string) error {
	if _, err := s.db.Collection(collNotifications).DeleteMany(ctx, bson.M{"user_id": userID}); err != nil {
		return fmt.Errorf("delete notifications: %w", err)
	}
	if _, err := s.db.Collection(collNotifyPrefs).DeleteOne(ctx, bson.M{"_id": userID}); err != nil {
		return fmt.Errorf("delete notification preferences: %w", err)
	}
	if _, err := s.db.Collection(collPoolMessages).UpdateMany(ctx, bson.M{"author_id": userID},
		bson.M{"$set": bson.M{"author_id": "", "body": removed}}); err != nil {
		return fmt.Errorf("remove pool messages: %w", err)
	}
	return nil
}
