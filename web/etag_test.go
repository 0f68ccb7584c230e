package web_test

import (
	"net/http"
	"testing"

	"github.com/tweetsdev/tweets/internal/testapp"
)

// TestConditionalGET: a page the browser holds already is answered 304
// with no body until it changes; settings pages are never kept.
func TestConditionalGET(t *testing.T) {
	s := newSite(t, testapp.ByName("sqlite"))
	b := s.browser()
	b.SignUp("alice", "password1")
	get := func(path, etag string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest("GET", s.srv.URL+path, nil)
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		return b.Do(req).Response
	}
	b.PostTweet("first", "", nil)
	b.Get("/") // shows, and so ends, the flash of the post
	for _, path := range []string{"/", "/@alice", "/@alice.atom"} {
		r := get(path, "")
		etag := r.Header.Get("ETag")
		if r.StatusCode != 200 || etag == "" || r.Header.Get("Cache-Control") != "private, no-cache" && r.Header.Get("Cache-Control") != "no-cache" {
			t.Fatalf("%s: %d, ETag %q, Cache-Control %q", path, r.StatusCode, etag, r.Header.Get("Cache-Control"))
		}
		if r := get(path, `"other", W/`+etag); r.StatusCode != http.StatusNotModified {
			t.Errorf("%s with its ETag: %d, want 304", path, r.StatusCode)
		}
		if r := get(path, `"other"`); r.StatusCode != 200 {
			t.Errorf("%s with another ETag: %d, want 200", path, r.StatusCode)
		}
	}
	etag := get("/@alice", "").Header.Get("ETag")
	b.PostTweet("second", "", nil)
	b.Get("/")
	if r := get("/@alice", etag); r.StatusCode != 200 || r.Header.Get("ETag") == etag {
		t.Errorf("a changed page: %d, ETag %q (was %q)", r.StatusCode, r.Header.Get("ETag"), etag)
	}
	if r := get("/settings/profile", ""); r.Header.Get("ETag") != "" || r.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("settings: ETag %q, Cache-Control %q; want none, no-store", r.Header.Get("ETag"), r.Header.Get("Cache-Control"))
	}
}
