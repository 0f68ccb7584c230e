package web_test

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/internal/testapp"
	"github.com/tweetsdev/tweets/internal/webtest"
	"github.com/tweetsdev/tweets/middleware"
	"github.com/tweetsdev/tweets/web"
)

// site is the real router on one backend, behind a real HTTP server.
type site struct {
	t   *testing.T
	svc *tweets.Service
	srv *httptest.Server
}

func forEachBackend(t *testing.T, f func(t *testing.T, s *site)) {
	for _, b := range testapp.Backends() {
		t.Run(b.Name, func(t *testing.T) { f(t, newSite(t, b)) })
	}
}

// newSite builds the site; each change adjusts its options.
const testSecretKey = "test-secret-key-0123456789-0123456789"

func newSite(t *testing.T, b testapp.Backend, changes ...func(*web.Options)) *site {
	return newSiteWith(t, b, nil, changes...)
}

// newSiteWith builds the site on a service that options change (media
// on S3, say).
func newSiteWith(t *testing.T, b testapp.Backend, opts []testapp.Option, changes ...func(*web.Options)) *site {
	svc := testapp.Service(t, b.Open(t), nil, opts...)
	opt := web.Options{
		SecretKey:      testSecretKey,
		AllowedHosts:   []string{"127.0.0.1", "localhost"},
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")},
		CookieSecure:   "auto",
		MaxUploadBytes: 8 << 20,
	}
	for _, change := range changes {
		change(&opt)
	}
	h, err := web.New(svc, slog.New(slog.NewTextHandler(io.Discard, nil)), opt)
	if err != nil {
		t.Fatal(err)
	}
	// As in production, requests get ids and access lines around the pages.
	srv := httptest.NewServer(middleware.Observe(slog.New(slog.NewTextHandler(io.Discard, nil)), nil, h.Handler()))
	t.Cleanup(srv.Close)
	return &site{t: t, svc: svc, srv: srv}
}

func (s *site) browser() *webtest.Browser { return webtest.New(s.t, s.srv.URL) }

var expect = webtest.Expect

func sqliteBackend() testapp.Backend { return testapp.ByName("sqlite") }
