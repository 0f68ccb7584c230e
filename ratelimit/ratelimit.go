// Package ratelimit counts events per key in process memory. It
// implements tweets.Limiter; the redis package shares the counts between
// replicas and falls back to this one when Redis does not answer.
package ratelimit

import (
	"context"
	"sync"
	"time"

	"github.com/tweetsdev/tweets"
)

// Window allows Limit events per key in any period of length Per (a
// sliding window).
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

// Take implements tweets.Limiter: the check and the record happen under
// one lock.
func (w *Window) Take(_ context.Context, key string) (time.Duration, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.hits == nil {
		w.hits = map[string][]time.Time{}
	}
	now := w.now()
	hs := w.recent(key, now)
	if len(hs) >= w.Limit {
		// Free again when the oldest event that keeps it full leaves.
		return w.Per - now.Sub(hs[len(hs)-w.Limit]), false
	}
	w.hits[key] = append(hs, now)
	w.ops++
	if w.ops%1024 == 0 {
		w.sweep(now)
	}
	return 0, true
}

// Return implements tweets.Limiter: it forgets the newest event.
func (w *Window) Return(_ context.Context, key string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	hs := w.recent(key, w.now())
	if len(hs) > 0 {
		hs = hs[:len(hs)-1]
		if len(hs) == 0 {
			delete(w.hits, key)
		} else {
			w.hits[key] = hs
		}
	}
}

// Reset implements tweets.Limiter.
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

// TakeQuota implements tweets.Meter. In a sliding window the oldest
// recent event is the next to leave: Reset is when it does.
func (w *Window) TakeQuota(ctx context.Context, key string) (tweets.Quota, bool) {
	wait, ok := w.Take(ctx, key)
	w.mu.Lock()
	defer w.mu.Unlock()
	now := w.now()
	hs := w.recent(key, now)
	q := tweets.Quota{Limit: w.Limit, Remaining: max(w.Limit-len(hs), 0), Reset: wait}
	if ok && len(hs) > 0 {
		q.Reset = w.Per - now.Sub(hs[0])
	}
	return q, ok
}
