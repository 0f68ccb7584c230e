package cache_test

import (
	"context"
	"testing"
	"time"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/cache"
	"github.com/tweetsdev/tweets/internal/testapp"
)

type counter struct{ hits, misses int }

func (c *counter) CacheHit(string)  { c.hits++ }
func (c *counter) CacheMiss(string) { c.misses++ }

func TestTimelineCache(t *testing.T) {
	now := time.Unix(1000, 0)
	rec := &counter{}
	store := testapp.ByName("sqlite").Open(t)
	c := cache.New(store, 2*time.Second, rec)
	c.Now = func() time.Time { return now }
	svc := testapp.Service(t, c, nil)
	ctx := context.Background()
	alice, _ := svc.CreateAccount(ctx, "alice", "password1")
	home := tweets.TimelineQuery{Limit: 20}

	svc.PostTweet(ctx, alice, "one", nil)
	ts, _ := c.Timeline(ctx, home)
	c.Timeline(ctx, home)
	if len(ts) != 1 || rec.hits != 1 || rec.misses != 1 {
		t.Fatalf("after two reads: %d tweets, %d hits, %d misses", len(ts), rec.hits, rec.misses)
	}
	// Posting here drops the page at once.
	svc.PostTweet(ctx, alice, "two", nil)
	if ts, _ := c.Timeline(ctx, home); len(ts) != 2 {
		t.Errorf("the new tweet is missing after posting: %d", len(ts))
	}
	// A change made elsewhere (another replica: straight to the store)
	// shows once the TTL passes.
	other := testapp.Service(t, store, nil)
	other.PostTweet(ctx, alice, "three", nil)
	if ts, _ := c.Timeline(ctx, home); len(ts) != 2 {
		t.Errorf("within the TTL: %d tweets, want the cached 2", len(ts))
	}
	now = now.Add(3 * time.Second)
	if ts, _ := c.Timeline(ctx, home); len(ts) != 3 {
		t.Errorf("after the TTL: %d tweets, want 3", len(ts))
	}
	// Other queries are never cached.
	before := rec.hits + rec.misses
	c.Timeline(ctx, tweets.TimelineQuery{AuthorID: alice.ID, Limit: 20})
	if rec.hits+rec.misses != before {
		t.Error("a profile query went through the cache")
	}
}
