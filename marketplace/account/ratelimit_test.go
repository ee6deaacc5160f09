package account

import (
	"testing"
	"time"
)

func TestMemoryLimiterAllowsAttemptsPerWindowPerKey(t *testing.T) {
	t.Parallel()
	l := NewMemoryLimiter(2, time.Minute)
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	l.Fail("k", t0)
	l.Fail("k", t0.Add(time.Second))
	if wait, ok := l.Allow("k", t0.Add(10*time.Second)); ok || wait != 50*time.Second {
		t.Errorf("after 2 failures: Allow = %v, %v; want refused for 50s", wait, ok)
	}
	if _, ok := l.Allow("other", t0); !ok {
		t.Error("another key is limited")
	}
	if _, ok := l.Allow("k", t0.Add(time.Minute)); !ok {
		t.Error("still limited after the window")
	}
	l.Fail("k", t0)
	l.Succeed("k")
	l.Fail("k", t0)
	if _, ok := l.Allow("k", t0); !ok {
		t.Error("a success did not forget earlier failures")
	}
}

func TestMemoryLimiterStaysBoundedUnderAFloodOfKeys(t *testing.T) {
	t.Parallel()
	l := NewMemoryLimiter(1, time.Minute)
	l.maxEntries = 100
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 1000 {
		l.Fail(string(rune(i+0x100)), t0)
	}
	if n := len(l.entries); n > 100 {
		t.Errorf("limiter holds %d keys, want at most 100", n)
	}
}
