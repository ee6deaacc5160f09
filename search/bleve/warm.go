package bleveindex

import (
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// The first query to meet a segment reads its columns and vocabulary
// (about 100 ms for 100,000 offers). So that no query waits for that, a
// warmer goroutine reads them as soon as a segment appears: when the index
// opens, and when Bleve introduces a batch or a merged segment (it reports
// both through its event callback).

const eventCallbackName = "carepool_search"

// following maps each open Bleve index to ours, for the event callback.
var following sync.Map // *scorch.Scorch → *Index

func init() {
	scorch.RegistryEventCallbacks[eventCallbackName] = func(e scorch.Event) bool {
		switch e.Kind {
		case scorch.EventKindBatchIntroduction, scorch.EventKindMergeTaskIntroduction:
			if x, ok := following.Load(e.Scorch); ok {
				x.(*Index).warmSoon()
			}
		}
		return true
	}
}

// follow registers idx for events and asks for a warm-up.
func (x *Index) follow(idx bleve.Index) {
	if adv, err := idx.Advanced(); err == nil {
		if s, ok := adv.(*scorch.Scorch); ok {
			following.Store(s, x)
		}
	}
	x.warmSoon()
}

func (x *Index) unfollow(idx bleve.Index) {
	if adv, err := idx.Advanced(); err == nil {
		following.Delete(adv)
	}
}

// warmSoon asks the warmer to run; it never blocks (Bleve calls it from its
// own goroutines).
func (x *Index) warmSoon() {
	select {
	case x.warm <- struct{}{}:
	default:
	}
}

// start starts the warmer; Close stops it.
func (x *Index) start() {
	go func() {
		for {
			select {
			case <-x.done:
				return
			case <-x.warm:
			}
			x.warmSegments()
		}
	}()
}

// warmSegments reads the data of the current snapshot's segments. It holds
// mu only to take the snapshot (whose reference keeps the segments open), so
// that writers never wait for it. Errors are left for the next query to
// report.
func (x *Index) warmSegments() {
	x.mu.RLock()
	if x.closed {
		x.mu.RUnlock()
		return
	}
	snap, release, err := x.snapshot()
	x.mu.RUnlock()
	if err != nil {
		return
	}
	defer release()
	live := make([]segment.Segment, 0, len(snap.Segments()))
	for _, ss := range snap.Segments() {
		live = append(live, ss.Segment())
		x.segs.get(ss.Segment())
	}
	x.segs.retain(live)
}
