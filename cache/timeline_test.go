package cache_test

import (
	"context"
	"errors"
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

// TestAtomic: inside a transaction the cached page stays what is
// committed, while the transaction reads its own writes; the page is
// dropped when a transaction that changed it commits, and kept when it
// rolls back or changed nothing shown on it.
func TestAtomic(t *testing.T) {
	rec := &counter{}
	c := cache.New(testapp.ByName("sqlite").Open(t), time.Hour, rec)
	svc := testapp.Service(t, c, nil)
	ctx := context.Background()
	alice, _ := svc.CreateAccount(ctx, "alice", "password1")
	one, _ := svc.PostTweet(ctx, alice, "one", nil)
	svc.PostTweet(ctx, alice, "two", nil)
	home := tweets.TimelineQuery{Limit: 20}
	c.Timeline(ctx, home)
	cached := func(when string, want int) {
		t.Helper()
		hits := rec.hits
		ts, err := c.Timeline(ctx, home)
		if err != nil || len(ts) != want || rec.hits != hits+1 {
			t.Errorf("%s: %d tweets, %v, hit %v; want %d from the cache", when, len(ts), err, rec.hits != hits, want)
		}
	}
	refused := errors.New("refused")

	err := c.Atomic(ctx, func(tx tweets.Store) error {
		if err := tx.DeleteTweet(ctx, one.ID); err != nil {
			return err
		}
		return refused
	})
	if !errors.Is(err, refused) {
		t.Fatalf("Atomic = %v, want fn's error", err)
	}
	cached("after a rolled-back delete", 2)

	if err := c.Atomic(ctx, func(tx tweets.Store) error { return tx.SetAdmin(ctx, alice.ID, true) }); err != nil {
		t.Fatal(err)
	}
	cached("after a transaction that changed no tweet", 2)

	err = c.Atomic(ctx, func(tx tweets.Store) error {
		err := tx.Atomic(ctx, func(inner tweets.Store) error { return inner.DeleteTweet(ctx, one.ID) })
		if err != nil {
			return err
		}
		if ts, err := tx.Timeline(ctx, home); err != nil || len(ts) != 1 {
			t.Errorf("the transaction's own timeline: %d tweets, %v; want 1", len(ts), err)
		}
		cached("before the commit", 2)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	misses := rec.misses
	if ts, _ := c.Timeline(ctx, home); len(ts) != 1 || rec.misses != misses+1 {
		t.Errorf("after the commit: %d tweets, %d new misses; want 1 read from the store", len(ts), rec.misses-misses)
	}
}
