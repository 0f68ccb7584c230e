package main

import (
	"bufio"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestStreamsEndOnShutdown: open live streams, the pages' and the API's,
// end as soon as the server is told to stop, which then stops cleanly
// instead of waiting out its shutdown timeout.
func TestStreamsEndOnShutdown(t *testing.T) {
	s := startServer(t, map[string]string{"TWEETS_DATA_DIR": t.TempDir(), "TWEETS_DEMO": "0"})
	ended := make(chan string, 2)
	for _, path := range []string{"/live?timeline=public", "/api/v1/streaming/public"} {
		resp, err := http.Get(s.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		first, err := bufio.NewReader(resp.Body).ReadString('\n')
		if resp.StatusCode != 200 || err != nil || first != ":)\n" {
			t.Fatalf("%s: %d %q %v", path, resp.StatusCode, first, err)
		}
		go func() {
			_, _ = io.Copy(io.Discard, resp.Body)
			ended <- path
		}()
	}
	start := time.Now()
	s.Stop()
	took := time.Since(start)
	t.Logf("stopped in %s", took)
	if took > 5*time.Second {
		t.Errorf("shutting down with open streams took %s", took)
	}
	for range 2 {
		select {
		case <-ended:
		case <-time.After(5 * time.Second):
			t.Fatal("a stream is still open after the server stopped")
		}
	}
	if logs := s.Logs.String(); !strings.Contains(logs, `"msg":"stopped"`) {
		t.Errorf("the server did not stop cleanly:\n%s", logs)
	}
}
