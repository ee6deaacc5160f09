package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.mongodb.org/mongo-driver/bson"

	"github.com/carepool/carepool/calendar"
)

func TestCalendarFeedNewSecretReplacesTheOld(t *testing.T) {
	t.Parallel()
	_, db := openAccountsForTest(t)
	s, ctx := NewCalendars(db), context.Background()
	first := calendar.Feed{UserID: "u1", TokenHash: "hash-1", CreatedAt: accountsT0}
	second := calendar.Feed{UserID: "u1", TokenHash: "hash-2", CreatedAt: accountsT0.Add(time.Hour)}
	for _, f := range []calendar.Feed{first, second} {
		if err := s.SaveFeed(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.FeedByHash(ctx, "hash-1"); !errors.Is(err, calendar.ErrFeedNotFound) {
		t.Errorf("the old secret: err = %v, want ErrFeedNotFound", err)
	}
	for name, get := range map[string]func() (calendar.Feed, error){
		"by hash":   func() (calendar.Feed, error) { return s.FeedByHash(ctx, "hash-2") },
		"by person": func() (calendar.Feed, error) { return s.FeedOf(ctx, "u1") },
	} {
		got, err := get()
		if diff := cmp.Diff(second, got); err != nil || diff != "" {
			t.Errorf("%s: err = %v (-want +got):\n%s", name, err, diff)
		}
	}
	if n, _ := db.Collection(collCalendarFeeds).CountDocuments(ctx, bson.M{}); n != 1 {
		t.Errorf("%d feed documents, want one per person", n)
	}
	// Two people can never share a secret: the hash is unique.
	if err := s.SaveFeed(ctx, calendar.Feed{UserID: "u2", TokenHash: "hash-2", CreatedAt: accountsT0}); err == nil {
		t.Error("a second person's feed took an existing hash")
	}
	for range 2 {
		if err := s.DeleteFeed(ctx, "u1"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.FeedOf(ctx, "u1"); !errors.Is(err, calendar.ErrFeedNotFound) {
		t.Errorf("after delete: err = %v", err)
	}
}

func TestPoolsUpdatedAtReadsOnlyTheAskedPools(t *testing.T) {
	t.Parallel()
	_, db := openAccountsForTest(t)
	ctx := context.Background()
	for i, id := range []string{"p1", "p2", "p3"} {
		if _, err := db.Collection(poolsCollection).InsertOne(ctx, bson.M{"_id": id, "updated_at": accountsT0.Add(time.Duration(i) * time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := NewCalendars(db).PoolsUpdatedAt(ctx, []string{"p1", "p3", "missing"})
	want := map[string]time.Time{"p1": accountsT0, "p3": accountsT0.Add(2 * time.Hour)}
	if diff := cmp.Diff(want, got); err != nil || diff != "" {
		t.Errorf("err = %v (-want +got):\n%s", err, diff)
	}
	if got, err := NewCalendars(db).PoolsUpdatedAt(ctx, nil); err != nil || len(got) != 0 {
		t.Errorf("no ids: %v %v", got, err)
	}
}
