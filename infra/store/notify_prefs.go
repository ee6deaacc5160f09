package store

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/carepool/carepool/infra/apperr"
	"github.com/carepool/carepool/notify"
)

// prefsDoc is one owner's notification preferences: _id is the owner (a user id, or
// "address:<hash>" for an address without an account).
type prefsDoc struct {
	Owner     string            `bson:"_id"`
	Channels  map[string]string `bson:"channels"`
	Version   int64             `bson:"version"`
	UpdatedAt time.Time         `bson:"updated_at"`
}

func (d prefsDoc) preferences() notify.Preferences {
	p := notify.Preferences{Owner: d.Owner, Version: d.Version, UpdatedAt: d.UpdatedAt.UTC(), Channels: map[notify.Kind]notify.Channel{}}
	for k, ch := range d.Channels {
		p.Channels[notify.Kind(k)] = notify.Channel(ch)
	}
	return p
}

// Preferences implements notify.Store.
func (s *Notify) Preferences(ctx context.Context, owners []string) (map[string]notify.Preferences, error) {
	out := map[string]notify.Preferences{}
	if len(owners) == 0 {
		return out, nil
	}
	docs, err := findAll[prefsDoc](ctx, s.db, collNotifyPrefs, bson.M{"_id": bson.M{"$in": owners}}, nil)
	if err != nil {
		return nil, err
	}
	for _, d := range docs {
		out[d.Owner] = d.preferences()
	}
	return out, nil
}

// SavePreferences implements notify.Store: the first save inserts (a second first save
// fails on the primary key), later ones replace only the version read.
func (s *Notify) SavePreferences(ctx context.Context, p notify.Preferences, expectVersion int64) (notify.Preferences, error) {
	doc := prefsDoc{Owner: p.Owner, Channels: map[string]string{}, Version: expectVersion + 1, UpdatedAt: p.UpdatedAt.UTC()}
	for k, ch := range p.Channels {
		doc.Channels[string(k)] = string(ch)
	}
	coll := s.db.Collection(collNotifyPrefs)
	if expectVersion == 0 {
		if _, err := coll.InsertOne(ctx, doc); IsDuplicateKey(err) {
			return notify.Preferences{}, apperr.ErrVersionMismatch
		} else if err != nil {
			return notify.Preferences{}, fmt.Errorf("save preferences: %w", err)
		}
		return doc.preferences(), nil
	}
	res, err := coll.ReplaceOne(ctx, bson.M{"_id": p.Owner, "version": expectVersion}, doc)
	if err != nil {
		return notify.Preferences{}, fmt.Errorf("save preferences: %w", err)
	}
	if res.MatchedCount == 0 {
		return notify.Preferences{}, apperr.ErrVersionMismatch
	}
	return doc.preferences(), nil
}

// SetChannel implements notify.Store.
func (s *Notify) SetChannel(ctx context.Context, owner string, kind notify.Kind, ch notify.Channel, at time.Time) error {
	_, err := s.db.Collection(collNotifyPrefs).UpdateOne(ctx, bson.M{"_id": owner},
		bson.M{"$set": bson.M{"channels." + string(kind): string(ch), "updated_at": at.UTC()}, "$inc": bson.M{"version": 1}},
		options.Update().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("set notification channel: %w", err)
	}
	return nil
}

type secretDoc struct {
	Name  string `bson:"_id"`
	Value []byte `bson:"value"`
}

// Secret implements notify.Store: the first reader makes it, with an upsert that only
// sets the value on insert, so two server copies starting at once agree on one secret.
func (s *Notify) Secret(ctx context.Context, name string) ([]byte, error) {
	coll := s.db.Collection(collSecrets)
	var d secretDoc
	err := coll.FindOne(ctx, bson.M{"_id": name}).Decode(&d)
	if err == nil {
		return d.Value, nil
	}
	if !errors.Is(err, mongo.ErrNoDocuments) {
		return nil, fmt.Errorf("read secret %s: %w", name, err)
	}
	value := make([]byte, 32)
	_, _ = rand.Read(value)
	if _, err := coll.UpdateOne(ctx, bson.M{"_id": name}, bson.M{"$setOnInsert": bson.M{"value": value}},
		options.Update().SetUpsert(true)); err != nil && !IsDuplicateKey(err) {
		return nil, fmt.Errorf("make secret %s: %w", name, err)
	}
	if err := coll.FindOne(ctx, bson.M{"_id": name}).Decode(&d); err != nil {
		return nil, fmt.Errorf("read secret %s: %w", name, err)
	}
	return d.Value, nil
}
