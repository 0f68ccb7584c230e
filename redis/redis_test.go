package redis_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/internal/burst"
	"github.com/tweetsdev/tweets/internal/redistest"
	"github.com/tweetsdev/tweets/internal/relaytest"
	"github.com/tweetsdev/tweets/redis"
)

func open(t *testing.T, url string) *redis.Client {
	c, err := redis.Open(context.Background(), url, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestLimiterIsShared(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	rule := tweets.LimitRule{Limit: 3, Per: time.Minute}
	// Two clients: two replicas.
	a := open(t, srv.URL()).Limiter("login", rule)
	b := open(t, srv.URL()).Limiter("login", rule)
	for i, l := range []tweets.Limiter{a, b, a} {
		if _, ok := l.Take(ctx, "alice"); !ok {
			t.Fatalf("refused after %d of 3", i)
		}
	}
	wait, ok := b.Take(ctx, "alice")
	if ok || wait <= 0 || wait > time.Minute {
		t.Fatalf("the other replica does not see the limit: ok=%v wait=%v", ok, wait)
	}
	if _, ok := b.Take(ctx, "bob"); !ok {
		t.Error("another key is refused")
	}
	a.Return(ctx, "alice")
	if _, ok := b.Take(ctx, "alice"); !ok {
		t.Error("Return on one replica did not free a token for the other")
	}
	b.Reset(ctx, "alice")
	if _, ok := a.Take(ctx, "alice"); !ok {
		t.Error("still refused after Reset")
	}
}

// TestTakeIsAtomic: 50 parallel takes through two replicas of a limit of
// 10 get exactly 10 tokens.
func TestTakeIsAtomic(t *testing.T) {
	srv := redistest.Start(t)
	rule := tweets.LimitRule{Limit: 10, Per: time.Minute}
	replicas := []tweets.Limiter{open(t, srv.URL()).Limiter("post", rule), open(t, srv.URL()).Limiter("post", rule)}
	granted := burst.Count(50, func(i int) bool {
		_, ok := replicas[i%2].Take(context.Background(), "k")
		return ok
	})
	if granted != 10 {
		t.Fatalf("%d of 50 parallel takes granted, want exactly 10", granted)
	}
}

func TestFailsOpen(t *testing.T) {
	srv := redistest.Start(t)
	c := open(t, srv.URL())
	l := c.Limiter("login", tweets.LimitRule{Limit: 2, Per: time.Minute})
	srv.Stop()
	ctx := context.Background()
	start := time.Now()
	l.Take(ctx, "k")
	l.Take(ctx, "k")
	if _, ok := l.Take(ctx, "k"); ok {
		t.Error("with Redis down the in-process fallback does not count")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("calls with Redis down took %v: they must time out fast", d)
	}
	if c.Errors.Load() == 0 {
		t.Error("no errors counted")
	}
}

// TestRelayCarriesEventsBetweenReplicas: what one replica sends, the
// other receives; nobody receives its own.
func TestRelayCarriesEventsBetweenReplicas(t *testing.T) {
	srv := redistest.Start(t)
	relaytest.Check(t, open(t, srv.URL()).Relay(), open(t, srv.URL()).Relay())
}
