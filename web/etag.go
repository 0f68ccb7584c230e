package web

import (
	"encoding/hex"
	"hash/fnv"
	"net/http"
	"strings"
)

// conditional answers a GET or HEAD of a page with 304 Not Modified
// when the browser already holds this exact body, named by its ETag (a
// hash of the body, the same on every replica). The page is still
// made: what saves is the transfer, and the browser's work. Pages that
// must not be kept (Cache-Control: no-store) get no ETag. It reports
// whether it answered.
func conditional(w http.ResponseWriter, r *http.Request, status int, body []byte) bool {
	h := w.Header()
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", cachePolicy(r.URL.Path))
	}
	// A response that sets a cookie (a new CSRF token, a flash read) is
	// not one the browser may take from its copy.
	if status != http.StatusOK || (r.Method != http.MethodGet && r.Method != http.MethodHead) ||
		strings.Contains(h.Get("Cache-Control"), "no-store") || h.Get("Set-Cookie") != "" {
		return false
	}
	sum := fnv.New128a()
	_, _ = sum.Write(body)
	etag := `"` + hex.EncodeToString(sum.Sum(nil)) + `"`
	h.Set("ETag", etag)
	if !matches(r.Header.Get("If-None-Match"), etag) {
		return false
	}
	h.Del("Content-Type")
	w.WriteHeader(http.StatusNotModified)
	return true
}

// matches reports whether an If-None-Match header names etag (weakly,
// as RFC 9110 has it for GET).
func matches(header, etag string) bool {
	for tag := range strings.SplitSeq(header, ",") {
		tag = strings.TrimSpace(tag)
		if tag == "*" || strings.TrimPrefix(tag, "W/") == etag {
			return true
		}
	}
	return false
}

// cachePolicy is a page's Cache-Control. The browser must not keep
// settings (tokens, sessions), the admin area or OAuth (a code to copy)
// at all; other pages it keeps for itself and asks for again each time
// (with their ETag).
func cachePolicy(path string) string {
	for _, p := range []string{"/settings", "/admin", "/oauth"} {
		if path == p || strings.HasPrefix(path, p+"/") {
			return "no-store"
		}
	}
	return "private, no-cache"
}
