package ratelimit

import (
	"context"
	"testing"
	"time"
)

func TestWindow(t *testing.T) {
	now := time.Unix(1000, 0)
	w := &Window{Limit: 3, Per: time.Minute, Now: func() time.Time { return now }}
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		if _, blocked := w.Blocked(ctx, "k"); blocked {
			t.Fatalf("blocked after %d failures", i)
		}
		w.Fail(ctx, "k")
		now = now.Add(10 * time.Second)
	}
	wait, blocked := w.Blocked(ctx, "k")
	if !blocked || wait != 30*time.Second {
		t.Fatalf("after 3 failures: blocked=%v wait=%v, want true 30s", blocked, wait)
	}
	if _, blocked := w.Blocked(ctx, "other"); blocked {
		t.Error("another key is blocked")
	}
	now = now.Add(30 * time.Second)
	if _, blocked := w.Blocked(ctx, "k"); blocked {
		t.Error("still blocked once the first failure left the window")
	}
	w.Fail(ctx, "k")
	w.Reset(ctx, "k")
	if _, blocked := w.Blocked(ctx, "k"); blocked {
		t.Error("blocked after Reset")
	}
}
