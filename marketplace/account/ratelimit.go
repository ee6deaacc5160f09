package account

import (
	"sync"
	"time"
)

// LoginLimiter limits failed logins per key (an email and IP address together).
type LoginLimiter interface {
	// Allow reports whether an attempt may be made now and, if not, how long to wait.
	Allow(key string, now time.Time) (wait time.Duration, ok bool)
	// Fail records a failed attempt.
	Fail(key string, now time.Time)
	// Succeed forgets the key's failures.
	Succeed(key string)
}

// MemoryLimiter is a LoginLimiter held in this process's memory: a fixed window of
// Attempts failures per key. It is enough for one server; several servers behind a load
// balancer each keep their own count, so an attacker gets Attempts tries per server per
// window — still far too few to guess a password, but a shared limiter in the store
// would be needed for an exact limit.
type MemoryLimiter struct {
	attempts   int
	window     time.Duration
	maxEntries int

	mu      sync.Mutex
	entries map[string]*limiterEntry
}

type limiterEntry struct {
	failures int
	start    time.Time
}

// NewMemoryLimiter allows attempts failures per key within window.
func NewMemoryLimiter(attempts int, window time.Duration) *MemoryLimiter {
	return &MemoryLimiter{attempts: attempts, window: window, maxEntries: 100_000, entries: map[string]*limiterEntry{}}
}

// Allow implements LoginLimiter.
func (l *MemoryLimiter) Allow(key string, now time.Time) (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e, ok := l.entries[key]
	if !ok || now.Sub(e.start) >= l.window {
		return 0, true
	}
	if e.failures < l.attempts {
		return 0, true
	}
	return e.start.Add(l.window).Sub(now), false
}

// Fail implements LoginLimiter.
func (l *MemoryLimiter) Fail(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e, ok := l.entries[key]
	if !ok || now.Sub(e.start) >= l.window {
		if len(l.entries) >= l.maxEntries {
			l.sweep(now)
		}
		l.entries[key] = &limiterEntry{failures: 1, start: now}
		return
	}
	e.failures++
}

// Succeed implements LoginLimiter.
func (l *MemoryLimiter) Succeed(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.entries, key)
}

// sweep bounds memory under a flood of distinct keys: first it forgets expired windows;
// if that is not enough it forgets everything, which at worst gives an attacker who can
// make 100,000 distinct failing attempts a fresh allowance.
func (l *MemoryLimiter) sweep(now time.Time) {
	for k, e := range l.entries {
		if now.Sub(e.start) >= l.window {
			delete(l.entries, k)
		}
	}
	if len(l.entries) >= l.maxEntries {
		clear(l.entries)
	}
}
