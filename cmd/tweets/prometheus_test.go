package main

import (
	"fmt"
	"testing"
	"time"

	"github.com/tweetsdev/tweets/internal/promtest"
	"github.com/tweetsdev/tweets/internal/webtest"
)

// TestPrometheusScrapes has a real Prometheus scrape a running server and
// finds every metric the operations issue asks for.
func TestPrometheusScrapes(t *testing.T) {
	admin := freePort(t)
	s := startServer(t, map[string]string{"TWEETS_DATA_DIR": t.TempDir(), "TWEETS_DEMO": "0", "TWEETS_ADMIN_ADDR": admin})
	b := webtest.New(t, s.URL)
	b.SignUp("scraped", "password123")
	b.PostTweet("for prometheus", "", nil)
	b.Get("/")

	prom := promtest.Start(t, fmt.Sprintf(`global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: tweets
    static_configs:
      - targets: ["%s"]
`, admin))
	waitFor(t, 60*time.Second, func() bool {
		n, err := promtest.Query(prom, `up{job="tweets"} == 1`)
		return err == nil && n == 1
	})
	for _, q := range []string{
		`tweets_http_requests_total{route="GET /{$}",method="GET",status="200"}`,
		`tweets_http_request_duration_seconds_bucket{route="POST /tweets"}`,
		`tweets_created_total == 1`,
		`tweet_request_duration_seconds_count`,
		`tweets_db_up == 1`,
		`tweets_db_open_connections`, `tweets_db_in_use_connections`, `tweets_db_idle_connections`, `tweets_db_wait_count_total`,
		`tweets_cache_hits_total{cache="timeline"}`, `tweets_cache_misses_total{cache="timeline"}`,
		`tweets_event_subscribers_dropped_total`,
		`go_goroutines`, `process_resident_memory_bytes`,
	} {
		n, err := promtest.Query(prom, q)
		if err != nil || n == 0 {
			t.Errorf("Prometheus has no series for %s (%v)", q, err)
		}
	}
}
