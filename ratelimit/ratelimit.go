// Package ratelimit counts events per key in process memory: log-in
// failures today. It implements tweets.Throttle; a Redis implementation
// can replace it when several replicas must share the counts.
package ratelimit

import (
	"context"
	"sync"
	"time"
)

// Window allows Limit events per key in any period of length Per.
type Window struct {
	Limit int
	Per   time.Duration
	Now   func() time.Time // time.Now when nil

	mu   sync.Mutex
	hits map[string][]time.Time // recent events, oldest first
	ops  int
}

func (w *Window) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now()
}

// recent drops events older than the window and returns the rest.
func (w *Window) recent(key string, now time.Time) []time.Time {
	hs := w.hits[key]
	cut := 0
	for cut < len(hs) && now.Sub(hs[cut]) >= w.Per {
		cut++
	}
	hs = hs[cut:]
	if len(hs) == 0 {
		delete(w.hits, key)
	} else {
		w.hits[key] = hs
	}
	return hs
}

// Blocked implements tweets.Throttle.
func (w *Window) Blocked(_ context.Context, key string) (time.Duration, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	now := w.now()
	hs := w.recent(key, now)
	if len(hs) < w.Limit {
		return 0, false
	}
	// Free again when the oldest event that keeps it over leaves.
	return w.Per - now.Sub(hs[len(hs)-w.Limit]), true
}

// Fail implements tweets.Throttle.
func (w *Window) Fail(_ context.Context, key string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.hits == nil {
		w.hits = map[string][]time.Time{}
	}
	now := w.now()
	hs := append(w.recent(key, now), now)
	if len(hs) > w.Limit*2 {
		hs = hs[len(hs)-w.Limit*2:] // bound memory per key
	}
	w.hits[key] = hs
	w.ops++
	if w.ops%1024 == 0 {
		w.sweep(now)
	}
}

// Reset implements tweets.Throttle.
func (w *Window) Reset(_ context.Context, key string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.hits, key)
}

// sweep forgets keys with no recent events, so an attacker cycling
// through addresses cannot grow the map without bound.
func (w *Window) sweep(now time.Time) {
	for k := range w.hits {
		w.recent(k, now)
	}
}
