package ratelimit

import (
	"context"
	"testing"
	"time"

	"github.com/tweetsdev/tweets/internal/burst"
)

func TestWindow(t *testing.T) {
	now := time.Unix(1000, 0)
	w := &Window{Limit: 3, Per: time.Minute, Now: func() time.Time { return now }}
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		if _, ok := w.Take(ctx, "k"); !ok {
			t.Fatalf("refused after %d events", i)
		}
		now = now.Add(10 * time.Second)
	}
	wait, ok := w.Take(ctx, "k")
	if ok || wait != 30*time.Second {
		t.Fatalf("after 3 events: ok=%v wait=%v, want false 30s", ok, wait)
	}
	if _, ok := w.Take(ctx, "other"); !ok {
		t.Error("another key is refused")
	}
	now = now.Add(30 * time.Second)
	if _, ok := w.Take(ctx, "k"); !ok {
		t.Error("still refused once the first event left the window")
	}
	if _, ok := w.Take(ctx, "k"); ok {
		t.Error("a refused Take was recorded as free")
	}
	w.Return(ctx, "k")
	if _, ok := w.Take(ctx, "k"); !ok {
		t.Error("Return did not give the token back")
	}
	w.Reset(ctx, "k")
	for i := 0; i < 3; i++ {
		if _, ok := w.Take(ctx, "k"); !ok {
			t.Fatalf("refused after Reset and %d events", i)
		}
	}
}

// TestTakeIsAtomic: 50 parallel takers of a limit of 10 get exactly 10
// tokens; a check-then-record limiter lets most of them through.
func TestTakeIsAtomic(t *testing.T) {
	w := &Window{Limit: 10, Per: time.Minute}
	granted := burst.Count(50, func(int) bool {
		_, ok := w.Take(context.Background(), "k")
		return ok
	})
	if granted != 10 {
		t.Fatalf("%d of 50 parallel takes granted, want exactly 10", granted)
	}
}
