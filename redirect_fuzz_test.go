package tweets

import (
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// FuzzParseRedirectURIs checks the redirect URIs an app registers: what
// is accepted is the list as given, at most maxRedirectURIs of them,
// each the out-of-band URI or an absolute URI without a fragment whose
// scheme is not one that runs code in a browser (javascript:, data:);
// anything else is a domain error about redirect_uris.
func FuzzParseRedirectURIs(f *testing.F) {
	for _, s := range []string{"", "https://app.example/cb", OutOfBand, "myapp://oauth\nhttps://a.example/x?y=z",
		"/relative", "https://a.example/#frag", "JavaScript:alert(1)", "data:text/html,x", " vbscript:x ",
		"java\tscript:alert(1)", "\x01javascript:alert(1)", "https://a.example/%zz", "http://[::1", strings.Repeat("a:b ", 11)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		uris, err := parseRedirectURIs(s)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Code != CodeInvalid || e.Field != "redirect_uris" {
				t.Fatalf("parseRedirectURIs(%q) = %#v, want an invalid redirect_uris error", s, err)
			}
			return
		}
		if !slices.Equal(uris, strings.Fields(s)) || len(uris) == 0 || len(uris) > maxRedirectURIs {
			t.Fatalf("parseRedirectURIs(%q) = %q", s, uris)
		}
		for _, uri := range uris {
			if uri == OutOfBand {
				continue
			}
			u, err := url.Parse(uri)
			if err != nil || u.Scheme == "" || u.Fragment != "" || strings.Contains(uri, "#") {
				t.Fatalf("accepted %q: not an absolute URI without a fragment (%v)", uri, err)
			}
			if scheme := strings.ToLower(u.Scheme); scheme == "javascript" || scheme == "data" {
				t.Fatalf("accepted %q: a %s: URI", uri, scheme)
			}
		}
	})
}
