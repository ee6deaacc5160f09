package bleveindex_test

import (
	"testing"

	"github.com/carepool/carepool/search"
	bleveindex "github.com/carepool/carepool/search/bleve"
	"github.com/carepool/carepool/search/searchtest"
)

func mustOpenMemory(t *testing.T) search.Index {
	t.Helper()
	idx, err := bleveindex.OpenMemory()
	if err != nil {
		t.Fatalf("OpenMemory: %v", err)
	}
	t.Cleanup(func() { idx.Close() })
	return idx
}

func TestBehaviourSuite(t *testing.T) {
	t.Parallel()
	searchtest.Run(t, mustOpenMemory)
}
