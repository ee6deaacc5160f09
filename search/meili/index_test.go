package meili_test

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	meilisearch "github.com/meilisearch/meilisearch-go"

	"github.com/carepool/carepool/search"
	"github.com/carepool/carepool/search/meili"
	"github.com/carepool/carepool/search/meili/meilifake"
	"github.com/carepool/carepool/search/searchtest"
)

var indexSeq atomic.Int64

// mustOpen opens an index with a fresh prefix on the server at url and
// deletes it when the test ends.
func mustOpen(t *testing.T, url, key string) search.Index {
	t.Helper()
	ctx := context.Background()
	prefix := fmt.Sprintf("carepool_test_%d_%d", time.Now().UnixNano()%1e9, indexSeq.Add(1))
	idx, err := meili.Open(ctx, meili.Config{URL: url, APIKey: key, IndexPrefix: prefix, PollInterval: 5 * time.Millisecond})
	if err != nil {
		t.Fatalf("meili.Open: %v", err)
	}
	t.Cleanup(func() {
		idx.Close()
		c := meilisearch.New(url, meilisearch.WithAPIKey(key))
		c.DeleteIndexWithContext(ctx, idx.UID())
	})
	return idx
}

func TestBehaviourSuiteOnFake(t *testing.T) {
	t.Parallel()
	fake := meilifake.New("test-key")
	t.Cleanup(fake.Close)
	searchtest.Run(t, func(t *testing.T) search.Index { return mustOpen(t, fake.URL(), "test-key") })
}

// TestBehaviourSuiteOnMeilisearch runs the same suite against a real server
// when MEILI_URL is set (MEILI_API_KEY as its key).
func TestBehaviourSuiteOnMeilisearch(t *testing.T) {
	url := os.Getenv("MEILI_URL")
	if url == "" {
		t.Skip("MEILI_URL not set")
	}
	t.Parallel()
	key := os.Getenv("MEILI_API_KEY")
	searchtest.Run(t, func(t *testing.T) search.Index { return mustOpen(t, url, key) })
}

func TestOpenReportsCreatedOnlyForANewIndex(t *testing.T) {
	t.Parallel()
	fake := meilifake.New("")
	t.Cleanup(fake.Close)
	ctx := context.Background()
	cfg := meili.Config{URL: fake.URL(), IndexPrefix: "reuse", PollInterval: time.Millisecond}
	for i, want := range []bool{true, false} {
		idx, err := meili.Open(ctx, cfg)
		if err != nil {
			t.Fatalf("Open %d: %v", i, err)
		}
		st, err := idx.Status(ctx)
		if err != nil || st.Created != want || st.Schema != meili.Schema() {
			t.Errorf("Open %d: Status = %+v, %v; want Created %v, schema %s", i, st, err, want, meili.Schema())
		}
		idx.Close()
	}
}

func TestWrongAPIKeyIsAnError(t *testing.T) {
	t.Parallel()
	fake := meilifake.New("right")
	t.Cleanup(fake.Close)
	_, err := meili.Open(context.Background(), meili.Config{URL: fake.URL(), APIKey: "wrong"})
	if err == nil {
		t.Fatal("Open with a wrong key succeeded")
	}
	var me *meilisearch.Error
	if !asMeiliError(err, &me) || me.MeilisearchApiError.Code != "invalid_api_key" || me.StatusCode != 403 {
		t.Errorf("err = %v, want a 403 invalid_api_key", err)
	}
}
