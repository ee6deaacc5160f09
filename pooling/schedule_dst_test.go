package pooling_test

import (
	"testing"
	"time"

	"github.com/carepool/carepool/pooling"
)

// A weekly session keeps its time on UK clocks when the clocks go back.
func TestWeeklySessionsKeepTheirUKTimeAcrossTheClockChange(t *testing.T) {
	t.Parallel()
	w := newWorld(t, pooling.Config{})
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Skip("no time zone database")
	}
	first := time.Date(2026, 10, 16, 10, 0, 0, 0, london) // 10:00 BST, ten days before the clocks go back
	pool := w.openPool(t, 3, func(in *pooling.PoolInput) {
		in.Schedule.FirstSession = first.UTC()
		in.Deadline = first.AddDate(0, 0, -7).UTC()
	})
	for i, s := range pool.Sessions {
		if got := s.StartsAt.In(london); got.Hour() != 10 || got.Minute() != 0 {
			t.Errorf("session %d starts at %s in London, want 10:00", i+1, got.Format("Mon 2 Jan 15:04 MST"))
		}
	}
}
