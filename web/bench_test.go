package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/tweetsdev/tweets/internal/testapp"
	"github.com/tweetsdev/tweets/web"
)

// BenchmarkTimelinePage renders / with 20 tweets through the whole
// handler stack, beside a handler that writes a fixed body of the same
// size: the ratio of the two is the cost of the page over the cost of
// HTTP itself, comparable across machines.
func BenchmarkTimelinePage(b *testing.B) {
	for _, be := range testapp.Backends() {
		store := be.Open(b)
		svc := testapp.Service(b, store, nil)
		ctx := context.Background()
		u, _ := svc.CreateAccount(ctx, "bench", "password1")
		svc.Limits.Post = nil
		for i := 0; i < 40; i++ {
			if _, err := svc.PostTweet(ctx, u, fmt.Sprintf("Tweet number %d with some text to render, like a real one.", i), nil); err != nil {
				b.Fatal(err)
			}
		}
		s, err := web.New(svc, slog.New(slog.NewTextHandler(io.Discard, nil)), web.Options{
			SecretKey: "bench-key-0123456789-0123456789-01", AllowedHosts: []string{"*"}, CookieSecure: "auto", MaxUploadBytes: 8 << 20,
		})
		if err != nil {
			b.Fatal(err)
		}
		h := s.Handler()
		req := httptest.NewRequest("GET", "/", nil)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("GET /: %d", rec.Code)
		}
		body := rec.Body.Bytes()
		b.Run(be.Name+"/page", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
			}
			b.SetBytes(int64(len(body)))
		})
		b.Run(be.Name+"/static-same-size", func(b *testing.B) {
			static := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				_, _ = w.Write(body)
			})
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				static.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
			}
			b.SetBytes(int64(len(body)))
		})
	}
}
