package faulttest

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tweetsdev/tweets/internal/redistest"
	"github.com/tweetsdev/tweets/internal/testapp"
	"github.com/tweetsdev/tweets/internal/testserver"
)

// TestRedisOutage cuts Redis off under load (a proxy in front of it
// drops every connection) and lets it back: Redis is optional state that
// fails open, so not one request may fail while it is gone, the server
// must count the calls that fell back, and stop failing once it is back.
// On PostgreSQL a second replica shares Redis: events posted on one
// replica must reach the other's streams again after the outage (the
// relay resubscribes by itself).
func TestRedisOutage(t *testing.T) {
	need(t, "redis-server")
	for _, name := range backends {
		t.Run(name, func(t *testing.T) {
			t.Parallel() // the two databases at once: the short version stays short
			d := duration(t)
			rs := redistest.Start(t)
			proxy := testapp.NewProxy(t, rs.Addr, true)
			db := newBackend(t, name, false)
			redisEnv := map[string]string{"TWEETS_REDIS_URL": "redis://" + proxy.Addr + "/0"}
			a := newNode(t, db, redisEnv).start(t)
			var b *testserver.Server
			if name == "postgres" {
				b = newNode(t, db, redisEnv).start(t)
			}
			users := signUp(t, a.URL, "redis", 6)
			l := newLoad(t, a.URL, users, defaultMix)
			ctx, cancel := context.WithTimeout(context.Background(), d)
			defer cancel()
			wait := l.run(ctx, len(users), 2)

			outages := max(1, int(d/(20*time.Second)))
			before := metric(t, a.URL, "tweets_redis_errors_total")
			for range outages {
				time.Sleep(d / time.Duration(2*outages+1))
				proxy.SetUp(false)
				time.Sleep(max(time.Second, d/time.Duration(4*outages)))
				proxy.SetUp(true)
			}
			during := metric(t, a.URL, "tweets_redis_errors_total")
			// Calls fail until the pool has dialled again: wait until the
			// count holds still for a second (bounded).
			settled := during
			for range 10 {
				time.Sleep(time.Second)
				now := metric(t, a.URL, "tweets_redis_errors_total")
				if now == settled {
					break
				}
				settled = now
			}
			time.Sleep(time.Until(deadline(ctx)))
			wait()
			after := metric(t, a.URL, "tweets_redis_errors_total")
			l.checkNoUnexpected(t)
			if during == before {
				t.Errorf("tweets_redis_errors_total stayed at %.0f through the outage: the load did not reach Redis", before)
			}
			if after != settled {
				t.Errorf("Redis calls still fail after it came back: tweets_redis_errors_total %.0f → %.0f", settled, after)
			}
			relayed := "n/a"
			if b != nil {
				took := relay(t, a.URL, b.URL, users[0])
				relayed = fmt.Sprint(took.Milliseconds())
			}

			sdb := openDB(t, newNodeView(db, a))
			o := checkPosts(t, sdb, l)
			f := l.figures()
			o.add(f)
			f["duration"], f["faults"], f["redis_errors_fallen_back"] = d, outages, int(during-before)
			f["relay_after_outage_ms"] = relayed
			f.log(t, "redis-outage", name)
		})
	}
}

// newNodeView is enough of a node to open its database.
func newNodeView(db backend, s *testserver.Server) *node {
	return &node{db: db, dataDir: envOf(s, "TWEETS_DATA_DIR")}
}

// envOf reads a variable from a server's environment.
func envOf(s *testserver.Server, name string) string {
	for _, kv := range s.Cmd.Env {
		if v, ok := strings.CutPrefix(kv, name+"="); ok {
			return v
		}
	}
	return ""
}

// relay posts on one replica and waits for the post on the other's
// public stream, which only Redis carries across; it returns how long the
// event took.
func relay(t *testing.T, from, to string, u *user) time.Duration {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", to+"/api/v1/streaming/public", nil)
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("stream on the second replica: %v", err)
	}
	defer resp.Body.Close()
	text := fmt.Sprintf("relayed after the outage %d", time.Now().UnixNano())
	got := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if strings.Contains(sc.Text(), text) {
				close(got)
				return
			}
		}
	}()
	// The stream is subscribed once its headers are sent.
	start := time.Now()
	if st, body, err := apiCall(ctx, http.DefaultTransport, "POST", from+"/api/v1/statuses", u.token, url.Values{"status": {text}}, ""); err != nil || st != 200 {
		t.Fatalf("post on the first replica: %d %v %s", st, err, body)
	}
	select {
	case <-got:
		return time.Since(start)
	case <-ctx.Done():
		t.Errorf("a post on one replica never reached the other's stream after the Redis outage")
		return 0
	}
}
