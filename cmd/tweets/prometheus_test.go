package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/tweetsdev/tweets/internal/testserver"
	"github.com/tweetsdev/tweets/internal/webtest"
)

// startPrometheus runs the real Prometheus server on loopback with the
// given configuration and returns its URL.
func startPrometheus(t *testing.T, configYAML string) string {
	t.Helper()
	bin, err := exec.LookPath("prometheus")
	if err != nil {
		t.Fatal("prometheus is not installed: run the tests with 'make test', which installs it from Debian packages")
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(cfg, []byte(configYAML), 0o644); err != nil {
		t.Fatal(err)
	}
	addr := freePort(t)
	cmd := exec.Command(bin, "--config.file="+cfg, "--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+addr, "--log.level=warn")
	logs := &testserver.SyncBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("prometheus log:\n%s", logs.String())
		}
	})
	return "http://" + addr
}

// promQuery runs an instant query and returns the number of series.
func promQuery(base, q string) (int, error) {
	resp, err := http.Get(base + "/api/v1/query?query=" + url.QueryEscape(q))
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var r struct {
		Status string
		Data   struct {
			Result []json.RawMessage
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return 0, err
	}
	if r.Status != "success" {
		return 0, fmt.Errorf("query %s: status %s", q, r.Status)
	}
	return len(r.Data.Result), nil
}

// TestPrometheusScrapes has a real Prometheus scrape a running server and
// finds every metric the operations issue asks for.
func TestPrometheusScrapes(t *testing.T) {
	admin := freePort(t)
	s := startServer(t, map[string]string{"TWEETS_DATA_DIR": t.TempDir(), "TWEETS_DEMO": "0", "TWEETS_ADMIN_ADDR": admin})
	b := webtest.New(t, s.URL)
	b.SignUp("scraped", "password123")
	b.PostTweet("for prometheus", "", nil)
	b.Get("/")

	prom := startPrometheus(t, fmt.Sprintf(`global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: tweets
    static_configs:
      - targets: ["%s"]
`, admin))
	waitFor(t, 60*time.Second, func() bool {
		n, err := promQuery(prom, `up{job="tweets"} == 1`)
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
		`tweets_stream_connections`,
		`go_goroutines`, `process_resident_memory_bytes`,
	} {
		n, err := promQuery(prom, q)
		if err != nil || n == 0 {
			t.Errorf("Prometheus has no series for %s (%v)", q, err)
		}
	}
}
