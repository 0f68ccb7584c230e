// Package testsite serves the pages and the API of a service on one
// handler, as cmd/tweets composes them, behind a real HTTP server on
// loopback: for tests that walk both transports.
package testsite

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/api"
	"github.com/tweetsdev/tweets/web"
)

// SecretKey signs the test site's sessions.
const SecretKey = "test-secret-key-0123456789-0123456789"

// Site is the running site.
type Site struct {
	URL   string
	Pages *web.Server
	API   *api.Server
}

// Start serves svc until the test ends: the API's prefixes to the API,
// the rest to the pages.
func Start(t testing.TB, svc *tweets.Service) *Site {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	pages, err := web.New(svc, log, web.Options{SecretKey: SecretKey,
		AllowedHosts: []string{"127.0.0.1"}, CookieSecure: "auto", MaxUploadBytes: 8 << 20})
	if err != nil {
		t.Fatal(err)
	}
	clients := api.New(svc, log, api.Options{AllowedHosts: []string{"127.0.0.1"}, MaxUploadBytes: 8 << 20, Version: "test"})
	mux := http.NewServeMux()
	for _, p := range api.Prefixes {
		mux.Handle(p, clients.Handler())
	}
	mux.Handle("/", pages.Handler())
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &Site{URL: srv.URL, Pages: pages, API: clients}
}
