// Package webtest is a small browser for tests: it keeps cookies, picks
// up the CSRF token from each page, and does not follow redirects, so a
// test sees every step of Post/Redirect/Get.
package webtest

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// Browser is one client with its own cookies.
type Browser struct {
	T      testing.TB
	Base   string // http://127.0.0.1:port
	Client *http.Client
	CSRF   string // the token of the last page that had one
}

// New returns a browser for the site at base.
func New(t testing.TB, base string) *Browser {
	jar, _ := cookiejar.New(nil)
	return &Browser{T: t, Base: base, Client: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// Response is a response with its body read.
type Response struct {
	*http.Response
	Body string
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// Do sends req.
func (b *Browser) Do(req *http.Request) Response {
	b.T.Helper()
	resp, err := b.Client.Do(req)
	if err != nil {
		b.T.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if m := csrfRE.FindSubmatch(body); m != nil {
		b.CSRF = string(m[1])
	}
	return Response{resp, string(body)}
}

// Get fetches path.
func (b *Browser) Get(path string) Response {
	b.T.Helper()
	req, _ := http.NewRequest("GET", b.Base+path, nil)
	return b.Do(req)
}

// Post sends a form with the CSRF token of the last page seen (fetching
// / first when none was seen). header holds name, value pairs.
func (b *Browser) Post(path string, form url.Values, header ...string) Response {
	b.T.Helper()
	if b.CSRF == "" {
		b.Get("/")
	}
	if form == nil {
		form = url.Values{}
	}
	if form.Get("csrf") == "" {
		form.Set("csrf", b.CSRF)
	}
	req, _ := http.NewRequest("POST", b.Base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return b.Do(req)
}

// PostTweet sends the compose form, with an image when data is not nil.
func (b *Browser) PostTweet(text, filename string, data []byte) Response {
	b.T.Helper()
	if b.CSRF == "" {
		b.Get("/")
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", b.CSRF)
	mw.WriteField("text", text)
	if data != nil {
		fw, _ := mw.CreateFormFile("image", filename)
		fw.Write(data)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", b.Base+"/tweets", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.Do(req)
}

// SignUp creates an account and stays logged in; it returns the page
// the sign-up led to.
func (b *Browser) SignUp(name, pw string) Response {
	b.T.Helper()
	b.Get("/signup")
	r := b.Post("/signup", url.Values{"username": {name}, "password": {pw}})
	if r.StatusCode != http.StatusSeeOther {
		b.T.Fatalf("sign-up of %s: %d\n%s", name, r.StatusCode, r.Body)
	}
	return b.follow(r)
}

// follow loads the page a redirect points to, as a browser would: forms
// on it carry the token of the new session.
func (b *Browser) follow(r Response) Response {
	b.T.Helper()
	if loc := r.Header.Get("Location"); strings.HasPrefix(loc, "/") {
		return b.Get(loc)
	}
	return r
}

// LogIn logs in.
func (b *Browser) LogIn(name, pw string) {
	b.T.Helper()
	b.Get("/login")
	r := b.Post("/login", url.Values{"username": {name}, "password": {pw}})
	if r.StatusCode != http.StatusSeeOther {
		b.T.Fatalf("log-in of %s: %d\n%s", name, r.StatusCode, r.Body)
	}
	b.follow(r)
}

// Expect checks a status and that the body contains each string.
func Expect(t testing.TB, r Response, status int, contains ...string) {
	t.Helper()
	if r.StatusCode != status {
		t.Errorf("%s %s: status %d, want %d", r.Request.Method, r.Request.URL.Path, r.StatusCode, status)
	}
	for _, c := range contains {
		if !strings.Contains(r.Body, c) {
			t.Errorf("%s %s: body lacks %q", r.Request.Method, r.Request.URL.Path, c)
		}
	}
}
