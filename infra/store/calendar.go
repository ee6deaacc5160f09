package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/carepool/carepool/calendar"
)

// collCalendarFeeds holds one document per person with a personal calendar feed, keyed
// by their user id, holding the SHA-256 of the feed's secret address (never the secret).
const collCalendarFeeds = "calendar_feeds"

func init() {
	registerIndexes(collCalendarFeeds, unique("calendar_feeds_token_hash", bson.D{{Key: "token_hash", Value: 1}}))
}

// Calendars implements calendar.Store on the database.
type Calendars struct {
	db *DB
}

var _ calendar.Store = (*Calendars)(nil)

// NewCalendars returns the calendar store on db.
func NewCalendars(db *DB) *Calendars { return &Calendars{db: db} }

type calendarFeedDoc struct {
	UserID    string    `bson:"_id"`
	TokenHash string    `bson:"token_hash"`
	CreatedAt time.Time `bson:"created_at"`
}

func (d calendarFeedDoc) feed() calendar.Feed {
	return calendar.Feed{UserID: d.UserID, TokenHash: d.TokenHash, CreatedAt: d.CreatedAt.UTC()}
}

// SaveFeed implements calendar.Store: one replace keyed by the person, so the new hash
// takes the old one's place in the same write and the old address stops working.
func (c *Calendars) SaveFeed(ctx context.Context, f calendar.Feed) error {
	doc := calendarFeedDoc{UserID: f.UserID, TokenHash: f.TokenHash, CreatedAt: f.CreatedAt.UTC()}
	_, err := c.db.Collection(collCalendarFeeds).ReplaceOne(ctx, bson.M{"_id": f.UserID}, doc, options.Replace().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("save calendar feed: %w", err)
	}
	return nil
}

// FeedByHash implements calendar.Store.
func (c *Calendars) FeedByHash(ctx context.Context, hash string) (calendar.Feed, error) {
	d, err := findOne[calendarFeedDoc](ctx, c.db, collCalendarFeeds, bson.M{"token_hash": hash}, calendar.ErrFeedNotFound)
	return d.feed(), err
}

// FeedOf implements calendar.Store.
func (c *Calendars) FeedOf(ctx context.Context, userID string) (calendar.Feed, error) {
	d, err := findOne[calendarFeedDoc](ctx, c.db, collCalendarFeeds, bson.M{"_id": userID}, calendar.ErrFeedNotFound)
	return d.feed(), err
}

// DeleteFeed implements calendar.Store.
func (c *Calendars) DeleteFeed(ctx context.Context, userID string) error {
	if _, err := c.db.Collection(collCalendarFeeds).DeleteOne(ctx, bson.M{"_id": userID}); err != nil {
		return fmt.Errorf("delete calendar feed: %w", err)
	}
	return nil
}

// PoolsUpdatedAt implements calendar.Store, reading only the pools' update times.
func (c *Calendars) PoolsUpdatedAt(ctx context.Context, ids []string) (map[string]time.Time, error) {
	out := make(map[string]time.Time, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	type stamp struct {
		ID        string    `bson:"_id"`
		UpdatedAt time.Time `bson:"updated_at"`
	}
	stamps, err := findAll[stamp](ctx, c.db, poolsCollection, bson.M{"_id": bson.M{"$in": ids}},
		options.Find().SetProjection(bson.M{"updated_at": 1}))
	if err != nil {
		return nil, err
	}
	for _, s := range stamps {
		out[s.ID] = s.UpdatedAt.UTC()
	}
	return out, nil
}
