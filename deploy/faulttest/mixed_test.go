package faulttest

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// Bounds of "memory flat, no goroutine growth" under a steady load.
const (
	// goroutineSlack is how many more goroutines than before the load the
	// idle server may have once the load has stopped and its streams
	// have closed (pooled connections' readers, timers).
	goroutineSlack = 10
	// rssGrowth and rssSlack bound the resident memory at the end of the
	// load against the memory after warm-up: end ≤ warm × rssGrowth +
	// rssSlack.
	rssGrowth = 1.5
	rssSlack  = 32 << 20
)

// TestMixedLoad runs reads, posts (forms, images, the API), likes,
// follows and streaming clients for the set time: no request may fail,
// every acknowledged post must be stored once, no media file orphaned
// or missing, the resident memory flat after warm-up and the goroutines
// back to their idle count once the load stops.
func TestMixedLoad(t *testing.T) {
	for _, name := range backends {
		t.Run(name, func(t *testing.T) {
			t.Parallel() // the two databases at once: the short version stays short
			d := duration(t)
			n := newNode(t, newBackend(t, name, false), nil)
			srv := n.start(t)
			users := signUp(t, srv.URL, "mixed", 8)
			l := newLoad(t, srv.URL, users, defaultMix)

			l.closeIdle()
			time.Sleep(200 * time.Millisecond)
			idle := metric(t, srv.URL, "go_goroutines")
			ctx, cancel := context.WithTimeout(context.Background(), d)
			defer cancel()
			wait := l.run(ctx, len(users), 4)
			time.Sleep(d / 4)
			warmRSS := metric(t, srv.URL, "process_resident_memory_bytes")
			warmG := metric(t, srv.URL, "go_goroutines")
			time.Sleep(time.Until(deadline(ctx)) - 300*time.Millisecond)
			endRSS := metric(t, srv.URL, "process_resident_memory_bytes")
			endG := metric(t, srv.URL, "go_goroutines")
			wait()
			l.closeIdle()

			// The streams' handlers end when they notice their clients
			// left: give them a moment.
			var after float64
			start := time.Now()
			for time.Since(start) < 10*time.Second {
				if after = metric(t, srv.URL, "go_goroutines"); after <= idle+goroutineSlack {
					break
				}
				time.Sleep(200 * time.Millisecond)
			}
			l.checkNoUnexpected(t)
			db := openDB(t, n)
			o := checkPosts(t, db, l)
			m := compareMedia(t, db, diskMedia(t, n.mediaDir))
			m.check(t)
			if after > idle+goroutineSlack {
				t.Errorf("goroutines: %.0f idle before the load, %.0f after it (bound: +%d)", idle, after, goroutineSlack)
			}
			if endRSS > warmRSS*rssGrowth+rssSlack {
				t.Errorf("resident memory grew from %.0f MiB after warm-up to %.0f MiB (bound: ×%.1f + %d MiB)",
					warmRSS/(1<<20), endRSS/(1<<20), rssGrowth, rssSlack>>20)
			}
			f := l.figures()
			o.add(f)
			m.add(f)
			f["duration"] = d
			f["faults"] = 0
			f["goroutines"] = fmt.Sprintf("%.0f/%.0f/%.0f/%.0f", idle, warmG, endG, after)
			f["rss_mib"] = fmt.Sprintf("%.0f/%.0f", warmRSS/(1<<20), endRSS/(1<<20))
			f.log(t, "mixed-load", name)
		})
	}
}

// deadline is ctx's deadline.
func deadline(ctx context.Context) time.Time {
	d, _ := ctx.Deadline()
	return d
}
