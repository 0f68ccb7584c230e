package cache_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/cache"
	"github.com/tweetsdev/tweets/internal/burst"
	"github.com/tweetsdev/tweets/internal/testapp"
)

type counter struct{ hits, misses atomic.Int32 }

func (c *counter) CacheHit(string)  { c.hits.Add(1) }
func (c *counter) CacheMiss(string) { c.misses.Add(1) }

// events hands the Service's events to the cache, as the wiring does.
type events func(tweets.Event)

func (f events) Publish(_ context.Context, e tweets.Event) { f(e) }

func TestTimelineCache(t *testing.T) {
	now := time.Unix(1000, 0)
	rec := &counter{}
	store := testapp.ByName("sqlite").Open(t)
	c := cache.New(store, 2*time.Second, rec)
	c.Now = func() time.Time { return now }
	svc := testapp.Service(t, c, nil)
	svc.Events = events(c.OnEvent)
	ctx := context.Background()
	alice, _ := svc.CreateAccount(ctx, "alice", "password1")
	home := tweets.TimelineQuery{Limit: 20}

	svc.PostTweet(ctx, alice, "one", nil)
	ts, _ := c.Timeline(ctx, home)
	c.Timeline(ctx, home)
	if len(ts) != 1 || rec.hits.Load() != 1 || rec.misses.Load() != 1 {
		t.Fatalf("after two reads: %d tweets, %d hits, %d misses", len(ts), rec.hits.Load(), rec.misses.Load())
	}
	// Posting here drops the page at once, through the event.
	svc.PostTweet(ctx, alice, "two", nil)
	if ts, _ := c.Timeline(ctx, home); len(ts) != 2 {
		t.Errorf("the new tweet is missing after posting: %d", len(ts))
	}
	// A change whose event is lost (made straight to the store) shows
	// once the TTL passes.
	other := testapp.Service(t, store, nil)
	other.PostTweet(ctx, alice, "three", nil)
	if ts, _ := c.Timeline(ctx, home); len(ts) != 2 {
		t.Errorf("within the TTL: %d tweets, want the cached 2", len(ts))
	}
	now = now.Add(3 * time.Second)
	if ts, _ := c.Timeline(ctx, home); len(ts) != 3 {
		t.Errorf("after the TTL: %d tweets, want 3", len(ts))
	}
	// A suspension, from its event.
	root, _ := svc.CreateAccount(ctx, "root", "password1")
	svc.Store.SetAdmin(ctx, root.ID, true)
	root.IsAdmin = true
	if err := svc.SetSuspended(ctx, root, alice.ID, true); err != nil {
		t.Fatal(err)
	}
	if ts, _ := c.Timeline(ctx, home); len(ts) != 0 {
		t.Errorf("after the author's suspension: %d tweets, want none", len(ts))
	}
	// Other queries are never cached.
	before := rec.hits.Load() + rec.misses.Load()
	c.Timeline(ctx, tweets.TimelineQuery{AuthorID: alice.ID, Limit: 20})
	if rec.hits.Load()+rec.misses.Load() != before {
		t.Error("a profile query went through the cache")
	}
}

// TestEventFromAnotherReplica: an event relayed from elsewhere drops the
// page long before its TTL.
func TestEventFromAnotherReplica(t *testing.T) {
	store := testapp.ByName("sqlite").Open(t)
	c := cache.New(store, time.Hour, nil)
	elsewhere := testapp.Service(t, store, nil)
	ctx := context.Background()
	alice, _ := elsewhere.CreateAccount(ctx, "alice", "password1")
	tw, _ := elsewhere.PostTweet(ctx, alice, "soon gone", nil)
	home := tweets.TimelineQuery{Limit: 20}
	if ts, _ := c.Timeline(ctx, home); len(ts) != 1 {
		t.Fatalf("%d tweets, want 1", len(ts))
	}
	if err := elsewhere.DeleteTweet(ctx, alice, tw.ID); err != nil {
		t.Fatal(err)
	}
	if ts, _ := c.Timeline(ctx, home); len(ts) != 1 {
		t.Fatalf("without the event the hour-long TTL holds: %d tweets, want the cached 1", len(ts))
	}
	c.OnEvent(tweets.Event{Kind: tweets.EventTweetDeleted, Tweet: tw})
	if ts, _ := c.Timeline(ctx, home); len(ts) != 0 {
		t.Errorf("after the relayed deletion: %d tweets, want none", len(ts))
	}
	c.OnEvent(tweets.Event{Kind: "something.else"})
	if _, err := c.Timeline(ctx, home); err != nil {
		t.Fatal(err)
	}
}

// slowStore counts timeline reads and makes each take a while, so that
// requests pile up behind a missing page.
type slowStore struct {
	tweets.Store
	reads atomic.Int32
}

func (s *slowStore) Timeline(ctx context.Context, q tweets.TimelineQuery) ([]tweets.Tweet, error) {
	s.reads.Add(1)
	time.Sleep(50 * time.Millisecond)
	return s.Store.Timeline(ctx, q)
}

// TestOneFillAtATime: 50 requests for a missing page make one read.
func TestOneFillAtATime(t *testing.T) {
	slow := &slowStore{Store: testapp.ByName("sqlite").Open(t)}
	c := cache.New(slow, time.Hour, nil)
	ok := burst.Count(50, func(int) bool {
		_, err := c.Timeline(context.Background(), tweets.TimelineQuery{Limit: 20})
		return err == nil
	})
	if ok != 50 || slow.reads.Load() != 1 {
		t.Errorf("50 requests for a missing page: %d answered, %d database reads; want 50 and 1", ok, slow.reads.Load())
	}
}
