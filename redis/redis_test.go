package redis_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/tweetsdev/tweets/internal/redistest"
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

func TestThrottleIsShared(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	// Two clients: two replicas.
	a := open(t, srv.URL()).Throttle("login", 3, time.Minute)
	b := open(t, srv.URL()).Throttle("login", 3, time.Minute)
	a.Fail(ctx, "alice")
	b.Fail(ctx, "alice")
	if _, blocked := a.Blocked(ctx, "alice"); blocked {
		t.Fatal("blocked after 2 of 3")
	}
	a.Fail(ctx, "alice")
	wait, blocked := b.Blocked(ctx, "alice")
	if !blocked || wait <= 0 || wait > time.Minute {
		t.Fatalf("the other replica does not see the limit: blocked=%v wait=%v", blocked, wait)
	}
	if _, blocked := b.Blocked(ctx, "bob"); blocked {
		t.Error("another key is blocked")
	}
	b.Reset(ctx, "alice")
	if _, blocked := a.Blocked(ctx, "alice"); blocked {
		t.Error("still blocked after Reset")
	}
}

func TestFailsOpen(t *testing.T) {
	srv := redistest.Start(t)
	c := open(t, srv.URL())
	th := c.Throttle("login", 2, time.Minute)
	srv.Stop()
	ctx := context.Background()
	start := time.Now()
	th.Fail(ctx, "k")
	th.Fail(ctx, "k")
	_, blocked := th.Blocked(ctx, "k")
	if !blocked {
		t.Error("with Redis down the in-process fallback does not count")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("calls with Redis down took %v: they must time out fast", d)
	}
	if c.Errors.Load() == 0 {
		t.Error("no errors counted")
	}
}
