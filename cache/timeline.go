// Package cache keeps hot reads in process memory. Today that is the
// first page of the public timeline, the most requested list, which every
// visitor sees alike. It learns of changes from events (OnEvent): those
// of this replica at once, those of the others through a relay; the TTL
// bounds how stale the page can be should a relay lose an event.
package cache

import (
	"context"
	"strconv"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

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

	fills singleflight.Group
}

// Name labels this cache's hits and misses.
const Name = "timeline"

// New returns the caching store.
func New(s tweets.Store, ttl time.Duration, rec Recorder) *Store {
	return &Store{Store: s, TTL: ttl, Rec: rec, Now: time.Now}
}

func cacheable(q tweets.TimelineQuery) bool {
	return q.Home == 0 && q.Viewer == 0 && q.AuthorID == 0 && q.Before == 0 && q.After == 0 && q.Search == "" && !q.IncludeSuspended
}

// Timeline implements tweets.TweetStore. When the page is missing, one
// request reads it and every request that arrives meanwhile waits for
// that read, instead of all of them querying the database at once.
func (c *Store) Timeline(ctx context.Context, q tweets.TimelineQuery) ([]tweets.Tweet, error) {
	if !cacheable(q) {
		return c.Store.Timeline(ctx, q)
	}
	if page, ok := c.cached(q.Limit); ok {
		c.record(true)
		return page, nil
	}
	c.record(false)
	v, err, _ := c.fills.Do(strconv.Itoa(q.Limit), func() (any, error) {
		if page, ok := c.cached(q.Limit); ok { // filled just before
			return page, nil
		}
		c.mu.Lock()
		gen := c.gen
		c.mu.Unlock()
		// The read serves every waiter: one leaving must not cancel it.
		page, err := c.Store.Timeline(context.WithoutCancel(ctx), q)
		if err != nil {
			return nil, err
		}
		c.mu.Lock()
		if gen == c.gen { // nothing changed while we read
			c.page, c.limit, c.expires = page, q.Limit, c.Now().Add(c.TTL)
		}
		c.mu.Unlock()
		return page, nil
	})
	if err != nil {
		return nil, err
	}
	return v.([]tweets.Tweet), nil
}

func (c *Store) cached(limit int) ([]tweets.Tweet, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.page != nil && c.limit == limit && c.Now().Before(c.expires) {
		return c.page, true
	}
	return nil, false
}

// Affects reports whether an event can change the cached page.
func Affects(e tweets.Event) bool {
	switch e.Kind {
	case tweets.EventTweetPosted, tweets.EventTweetDeleted, tweets.EventTweetEdited, tweets.EventUserSuspended, tweets.EventUserUnsuspended, tweets.EventUserDeleted:
		return true
	}
	// Likes and reposts change only the counts: those may lag by the TTL
	// rather than empty the cache on every like.
	return false
}

// OnEvent drops the page when the event changes it. Events come after
// the change is committed, so a read that starts later sees it; a read
// already under way is not kept (the generation moved on).
func (c *Store) OnEvent(e tweets.Event) {
	if Affects(e) {
		c.Invalidate()
	}
}

// Invalidate drops the cached page.
func (c *Store) Invalidate() {
	c.mu.Lock()
	c.page = nil
	c.gen++
	c.mu.Unlock()
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
