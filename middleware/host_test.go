package middleware

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHostAllowed(t *testing.T) {
	allowed := []string{"tweets.example.com", ".example.org", "127.0.0.1", "::1"}
	for host, want := range map[string]bool{
		"tweets.example.com":      true,
		"TWEETS.example.com:8443": true,
		"example.org":             true,
		"a.b.example.org":         true,
		"127.0.0.1:8000":          true,
		"[::1]:8000":              true,
		"[::1]":                   true,
		"example.com":             false,
		"evil.example":            false,
		"tweets.example.com.evil": false,
		"badexample.org":          false,
		"127.0.0.2":               false,
		"":                        false,
	} {
		if got := HostAllowed(host, allowed); got != want {
			t.Errorf("HostAllowed(%q) = %v, want %v", host, got, want)
		}
	}
	if !HostAllowed("anything.example", []string{"*"}) {
		t.Error(`"*" must allow any host`)
	}
	if HostAllowed("", []string{"*"}) {
		t.Error("an empty Host must be refused even with *")
	}
}

func TestCheckHost(t *testing.T) {
	h := CheckHost(slog.New(slog.NewTextHandler(io.Discard, nil)), []string{"tweets.example.com"},
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ok")) }))
	for host, want := range map[string]int{"tweets.example.com": 200, "evil.example": 400, "127.0.0.1:8000": 400} {
		req := httptest.NewRequest("GET", "/healthz", nil)
		req.Host = host
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != want {
			t.Errorf("Host %q: %d, want %d", host, rec.Code, want)
		}
		if want == 400 && !strings.Contains(rec.Body.String(), "TWEETS_ALLOWED_HOSTS") {
			t.Errorf("Host %q: the refusal does not say what to do: %q", host, rec.Body.String())
		}
	}
}
