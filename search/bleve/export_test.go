package bleveindex

import (
	"time"

	"github.com/carepool/carepool/search"
)

func init() { lockTimeout = 100 * time.Millisecond } // the tests that meet a held lock need not wait long

// Segments counts the segments of the index's current snapshot.
func Segments(idx search.Index) int {
	x := idx.(*Index)
	x.mu.RLock()
	defer x.mu.RUnlock()
	snap, release, err := x.snapshot()
	if err != nil {
		return -1
	}
	defer release()
	return len(snap.Segments())
}
