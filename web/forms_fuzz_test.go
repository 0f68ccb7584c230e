package web

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/tweetsdev/tweets"
)

// formServer is the part of a Server that reads forms, with a browser
// seed cookie and the token signed for it.
func formServer() (s *Server, seed, token string) {
	s = &Server{csrfKey: []byte("csrf:fuzz"), opt: Options{MaxUploadBytes: 64 << 10}}
	seed = strings.Repeat("A", csrfSeedLen)
	return s, seed, s.signCSRF(seed, "")
}

// checkFormError fails unless err is how a form is refused: a domain
// error saying why, or the body limit.
func checkFormError(t *testing.T, what string, err error) {
	t.Helper()
	var e *tweets.Error
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
	case !errors.As(err, &e):
		t.Fatalf("%s: %#v, want a domain error", what, err)
	case e.Code != tweets.CodeInvalid && e.Code != tweets.CodeTooLarge && e.Code != tweets.CodeForbidden:
		t.Fatalf("%s: code %d: %v", what, e.Code, err)
	}
}

// checkStorable fails unless every name and value is text the
// databases store (tweets.CheckText).
func checkStorable(t *testing.T, what string, vs url.Values) {
	t.Helper()
	for k, list := range vs {
		if tweets.CheckText(k, k) != nil {
			t.Fatalf("%s: accepted the name %q", what, k)
		}
		for _, v := range list {
			if tweets.CheckText(k, v) != nil {
				t.Fatalf("%s: accepted %s=%q", what, k, v)
			}
		}
	}
}

// FuzzParseForm checks the decoding of a page's url-encoded form: with
// the right CSRF token, a form that parses, fits and holds only storable
// text is accepted, and anything else is refused with a domain error;
// what is accepted holds only storable names and values; and the same
// body without the token is refused as forged.
func FuzzParseForm(f *testing.F) {
	for _, s := range []string{"", "text=hello&next=%2F", "a=%zz", "text=%00", "t%ffx=1", "text=%ff", "a=1;b=2",
		"csrf=forged", "text=" + strings.Repeat("x", maxFormBytes), "&&&=&=", "a+b=c+d&a=%2B"} {
		f.Add(s)
	}
	s, seed, token := formServer()
	f.Fuzz(func(t *testing.T, body string) {
		post := func(body string) (*http.Request, error) {
			r := httptest.NewRequest(http.MethodPost, "/tweets", strings.NewReader(body))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			r.AddCookie(&http.Cookie{Name: csrfCookie, Value: seed})
			return r, s.parseForm(httptest.NewRecorder(), r)
		}
		full := "csrf=" + token + "&" + body
		r, err := post(full)
		vs, parseErr := url.ParseQuery(full)
		if err != nil {
			checkFormError(t, "parseForm("+full+")", err)
			if parseErr == nil && len(full) <= maxFormBytes && storable(vs) {
				t.Fatalf("parseForm(%q) refused a good form: %v", full, err)
			}
		} else {
			if parseErr != nil {
				t.Fatalf("parseForm(%q) accepted a form that does not parse: %v", full, parseErr)
			}
			checkStorable(t, "parseForm("+full+")", r.PostForm)
		}
		if _, err := post(body); err == nil && r.PostForm.Get("csrf") != token {
			t.Fatalf("parseForm(%q) accepted a form without the CSRF token", body)
		}
	})
}

func storable(vs url.Values) bool {
	for k, list := range vs {
		if tweets.CheckText(k, k) != nil {
			return false
		}
		for _, v := range list {
			if tweets.CheckText(k, v) != nil {
				return false
			}
		}
	}
	return true
}

// FuzzParseUploads checks the decoding of the compose form's multipart
// body, whatever its parts: it never panics, a refusal is a domain error
// or the body limit, what is accepted holds only storable text, each
// image returned reads as exactly as many bytes as it claims, and the
// clean-up can always run.
func FuzzParseUploads(f *testing.F) {
	part := func(name, filename, body string) string {
		disp := `form-data; name="` + name + `"`
		if filename != "" {
			disp += `; filename="` + filename + `"`
		}
		return "--B\r\nContent-Disposition: " + disp + "\r\n\r\n" + body + "\r\n"
	}
	for _, s := range []string{
		"--B--\r\n",
		part("text", "", "hello") + part("image", "a.png", "\x89PNG\r\n\x1a\nxx") + part("alt", "", "an image") + "--B--\r\n",
		part("image", "a.png", "1") + part("image", "b.png", "2") + part("image2", "", "") + "--B--\r\n",
		part("text", "", "\x00") + "--B--\r\n",
		part("te\xffxt", "", "x") + "--B--\r\n",
		part("image", "../../etc/passwd", "x") + "--B--\r\n",
		part("image", "a", "x"),
		"--B\r\nContent-Disposition: form-data\r\n\r\nx\r\n--B--\r\n",
		"garbage",
	} {
		f.Add(s)
	}
	s, seed, token := formServer()
	f.Fuzz(func(t *testing.T, body string) {
		full := "--B\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + token + "\r\n" + body
		r := httptest.NewRequest(http.MethodPost, "/tweets", strings.NewReader(full))
		r.Header.Set("Content-Type", mime.FormatMediaType("multipart/form-data", map[string]string{"boundary": "B"}))
		r.AddCookie(&http.Cookie{Name: csrfCookie, Value: seed})
		atts, done, err := s.parseUploads(httptest.NewRecorder(), r)
		defer done()
		if err != nil {
			checkFormError(t, "parseUploads", err)
			return
		}
		checkStorable(t, "parseUploads", r.PostForm)
		files := 0
		if r.MultipartForm != nil {
			for _, hs := range r.MultipartForm.File {
				files += len(hs)
			}
		}
		if len(atts) > files {
			t.Fatalf("%d attachments from %d files", len(atts), files)
		}
		for _, a := range atts {
			b, err := io.ReadAll(a.Upload.Content)
			if err != nil || int64(len(b)) != a.Upload.Size {
				t.Fatalf("an upload of %d bytes reads as %d: %v", a.Upload.Size, len(b), err)
			}
		}
	})
}

// FuzzLocalPath checks the ?next= redirect target of the log-in form:
// whatever is sent, the result is a path on this site, never an address
// a browser reads as another host (//host, /\host) or scheme.
func FuzzLocalPath(f *testing.F) {
	for _, s := range []string{"", "/", "/settings?tab=1#x", "//evil.example", "/\\evil.example", "https://evil.example/",
		"/%2F/evil.example", "/%2f%2fevil.example", "/.//evil.example", "/%5Cevil.example", "/\t/evil.example",
		"/a/../..//evil.example", "/%zz", "javascript:alert(1)", "/@alice/123?x=%2F%2Fy"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, next string) {
		p := localPath(next)
		if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
			t.Fatalf("localPath(%q) = %q, not a path on this site", next, p)
		}
		u, err := url.Parse(p)
		if err != nil || u.Scheme != "" || u.Host != "" || u.Opaque != "" {
			t.Fatalf("localPath(%q) = %q, which reads as %#v (%v)", next, p, u, err)
		}
		if strings.ContainsAny(p, "\\\t\r\n") {
			t.Fatalf("localPath(%q) = %q holds a character browsers drop or read as /", next, p)
		}
		if again := localPath(p); again != p {
			t.Fatalf("localPath(%q) = %q, then %q", next, p, again)
		}
	})
}
