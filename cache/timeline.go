// Package cache keeps hot reads in process memory. Today that is the
// first page of the public timeline, the most requested list, which every
// visitor sees alike. Posting or deleting on this replica drops it at
// once; other replicas see the change when their short TTL runs out.
package cache

import (
	"context"
	"sync"
	"time"

	"github.com/tweetsdev/tweets"
)

// Recorder counts hits and misses (the metrics package implements it).
type Recorder interface {
	CacheHit(cache string)
	CacheMiss(cache string)
}

// Store wraps a tweets.Store, caching the first public timeline page.
type Store struct {
	tweets.Store
	TTL time.Duration
	Rec Recorder
	Now func() time.Time

	mu      sync.Mutex
	page    []tweets.Tweet
	limit   int
	expires time.Time
	gen     uint64 // bumped by every invalidation
}

// Name labels this cache's hits and misses.
const Name = "timeline"

// New returns the caching store.
func New(s tweets.Store, ttl time.Duration, rec Recorder) *Store {
	return &Store{Store: s, TTL: ttl, Rec: rec, Now: time.Now}
}

func cacheable(q tweets.TimelineQuery) bool {
	return q.AuthorID == 0 && q.Before == 0 && q.Search == "" && !q.IncludeSuspended
}

// Timeline implements tweets.TweetStore.
func (c *Store) Timeline(ctx context.Context, q tweets.TimelineQuery) ([]tweets.Tweet, error) {
	if !cacheable(q) {
		return c.Store.Timeline(ctx, q)
	}
	c.mu.Lock()
	if c.page != nil && c.limit == q.Limit && c.Now().Before(c.expires) {
		page := c.page
		c.mu.Unlock()
		c.record(true)
		return page, nil
	}
	gen := c.gen
	c.mu.Unlock()
	c.record(false)
	page, err := c.Store.Timeline(ctx, q)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if gen == c.gen { // nothing changed while we read
		c.page, c.limit, c.expires = page, q.Limit, c.Now().Add(c.TTL)
	}
	c.mu.Unlock()
	return page, nil
}

// Invalidate drops the cached page.
func (c *Store) Invalidate() {
	c.mu.Lock()
	c.page = nil
	c.gen++
	c.mu.Unlock()
}

// SetSuspended implements tweets.AdminStore, dropping the page since a
// suspension hides or shows tweets.
func (c *Store) SetSuspended(ctx context.Context, id tweets.ID, at time.Time) error {
	defer c.Invalidate()
	return c.Store.SetSuspended(ctx, id, at)
}

// DeleteTweet implements tweets.TweetStore.
func (c *Store) DeleteTweet(ctx context.Context, id tweets.ID) error {
	defer c.Invalidate()
	return c.Store.DeleteTweet(ctx, id)
}

// CreateTweet implements tweets.TweetStore.
func (c *Store) CreateTweet(ctx context.Context, t tweets.Tweet) error {
	defer c.Invalidate()
	return c.Store.CreateTweet(ctx, t)
}

// Atomic implements tweets.Store. fn writes to the underlying store's
// transaction through a txView, which notes the writes that change the
// cached page; the page is dropped once the transaction has committed.
// Dropped earlier, a concurrent read could cache the page again before
// the commit; dropped on a rollback, it would cost a read for nothing.
func (c *Store) Atomic(ctx context.Context, fn func(tx tweets.Store) error) error {
	var changed bool
	err := c.Store.Atomic(ctx, func(tx tweets.Store) error {
		changed = false // fn may run again: only the attempt that commits counts
		return fn(&txView{Store: tx, changed: &changed})
	})
	if err == nil && changed {
		c.Invalidate()
	}
	return err
}

// txView is the store that fn gets inside a transaction. Its reads go to
// the transaction, which sees its own writes, never to the cache, which
// holds only committed data. It makes the same writes as Store, and
// notes the ones that Store follows with Invalidate.
type txView struct {
	tweets.Store
	changed *bool
}

// Atomic implements tweets.Store: a nested transaction notes its writes
// for the same commit.
func (v *txView) Atomic(ctx context.Context, fn func(tx tweets.Store) error) error {
	return v.Store.Atomic(ctx, func(tx tweets.Store) error {
		return fn(&txView{Store: tx, changed: v.changed})
	})
}

// SetSuspended implements tweets.AdminStore.
func (v *txView) SetSuspended(ctx context.Context, id tweets.ID, at time.Time) error {
	*v.changed = true
	return v.Store.SetSuspended(ctx, id, at)
}

// DeleteTweet implements tweets.TweetStore.
func (v *txView) DeleteTweet(ctx context.Context, id tweets.ID) error {
	*v.changed = true
	return v.Store.DeleteTweet(ctx, id)
}

// CreateTweet implements tweets.TweetStore.
func (v *txView) CreateTweet(ctx context.Context, t tweets.Tweet) error {
	*v.changed = true
	return v.Store.CreateTweet(ctx, t)
}

func (c *Store) record(hit bool) {
	if c.Rec == nil {
		return
	}
	if hit {
		c.Rec.CacheHit(Name)
	} else {
		c.Rec.CacheMiss(Name)
	}
}
