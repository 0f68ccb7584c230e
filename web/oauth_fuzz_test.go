package web

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/tweetsdev/tweets"
)

// FuzzAllowRedirectTo checks the Content-Security-Policy of the consent
// page for any redirect URI: it is the site's policy, or that policy
// with form-action widened by one source and nothing else (no new
// directive, no quote, no wildcard); the source is the redirect URI's
// own scheme, or for http and https its scheme and host, never every
// address of a scheme.
func FuzzAllowRedirectTo(f *testing.F) {
	for _, s := range []string{"https://app.example/cb?x=1", "myapp://oauth", "myapp:", tweets.OutOfBand,
		"https://app.example;script-src *", "https://a'b.example/", "https:opaque", "https://*/cb", "https://*.example/cb",
		"http://[::1]:8080/cb", "javascript:alert(1)", "HTTPS://APP.EXAMPLE/", "a,b:c", "https://app.example:99999/"} {
		f.Add(s)
	}
	s := &Server{csp: contentSecurityPolicy("https://media.example")}
	f.Fuzz(func(t *testing.T, uri string) {
		w := httptest.NewRecorder()
		s.allowRedirectTo(w, uri)
		got := w.Header().Get("Content-Security-Policy")
		if got == "" {
			return
		}
		const action = "form-action 'self' "
		before, after, ok := strings.Cut(s.csp, "form-action 'self'")
		if !ok || !strings.HasPrefix(got, before+action) || !strings.HasSuffix(got, after) {
			t.Fatalf("redirect URI %q: policy %q is not the site's with form-action widened", uri, got)
		}
		source := strings.TrimSuffix(strings.TrimPrefix(got, before+action), after)
		if source == "" || strings.ContainsAny(source, " \t\r\n;,'\"*") {
			t.Fatalf("redirect URI %q: form-action widened by %q", uri, source)
		}
		u, err := url.Parse(uri)
		if err != nil {
			t.Fatalf("redirect URI %q does not parse, yet widened form-action by %q", uri, source)
		}
		switch scheme, rest, _ := strings.Cut(source, ":"); {
		case scheme != u.Scheme:
			t.Fatalf("redirect URI %q: form-action widened by %q, another scheme", uri, source)
		case scheme == "http" || scheme == "https":
			if rest != "//"+u.Host || u.Host == "" {
				t.Fatalf("redirect URI %q: form-action widened by %q, not its host", uri, source)
			}
		case rest != "":
			t.Fatalf("redirect URI %q: form-action widened by %q", uri, source)
		}
	})
}

// FuzzPageCursors checks the pages' cursors (?before= on timelines and
// ?after= of the live updates) from any query string: a refusal is an
// invalid-input domain error that echoes at most a little of the input;
// what is read is zero (no cursor) or an id that, written back into the
// query, reads as itself.
func FuzzPageCursors(f *testing.F) {
	for _, s := range []string{"", "before=", "before=123", "before=0", "before=-1", "before=%2B5", "before=007",
		"before=9223372036854775808", "before=1&before=2", "before=%ff", "before=" + strings.Repeat("9", 400), "before=%zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, query string) {
		r := httptest.NewRequest("GET", "/", nil)
		r.URL.RawQuery = query
		id, err := before(r)
		check := func(what string, id tweets.ID, err error, again func(string) (tweets.ID, error)) {
			if err != nil {
				if tweets.ErrorCode(err) != tweets.CodeInvalid {
					t.Fatalf("%s of %q: %#v, want an invalid-input domain error", what, query, err)
				}
				if n := len(tweets.ErrorMessage(err)); n > 400 {
					t.Fatalf("%s of %q: a message of %d bytes echoes the input", what, query, n)
				}
				return
			}
			if id < 0 {
				t.Fatalf("%s of %q = %d", what, query, id)
			}
			if id > 0 {
				if back, err := again(id.String()); err != nil || back != id {
					t.Fatalf("%s of %q = %d, which reads back as %d, %v", what, query, id, back, err)
				}
			}
		}
		check("before", id, err, func(v string) (tweets.ID, error) {
			r.URL.RawQuery = url.Values{"before": {v}}.Encode()
			return before(r)
		})
		v := r.URL.Query().Get("before")
		id, err = liveAfter(v)
		check("liveAfter", id, err, liveAfter)
	})
}
