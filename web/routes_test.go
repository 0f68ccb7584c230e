package web_test

import (
	"io"
	"log/slog"
	"slices"
	"testing"

	"github.com/tweetsdev/tweets/web"
)

// TestRoutesListsEveryPattern: Routes gives each registered pattern
// once, the ones the metrics track among them.
func TestRoutesListsEveryPattern(t *testing.T) {
	s, err := web.New(nil, slog.New(slog.NewTextHandler(io.Discard, nil)), web.Options{SecretKey: testSecretKey})
	if err != nil {
		t.Fatal(err)
	}
	routes := s.Routes()
	if len(routes) < 50 {
		t.Fatalf("only %d routes listed", len(routes))
	}
	seen := map[string]bool{}
	for _, r := range routes {
		if seen[r] {
			t.Errorf("%s listed twice", r)
		}
		seen[r] = true
	}
	for _, want := range append(slices.Clone(web.TweetRoutes), "POST /settings/delete", "POST /admin/users/{id}/suspend") {
		if !seen[want] {
			t.Errorf("%s is not listed", want)
		}
	}
}
