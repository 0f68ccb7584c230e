package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/internal/testimage"
)

func (s *site) count() int {
	ts, err := s.svc.Timeline(context.Background(), tweets.TimelineQuery{Limit: 100})
	if err != nil {
		s.t.Fatal(err)
	}
	return len(ts)
}

func TestPostAndRead(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *site) {
		b := s.browser()
		home := b.SignUp("alice", "password1")
		expect(t, home, 200, "Welcome to tweets, @alice!", `action="/tweets"`, `<label for="text">`)

		r := b.PostTweet("Hello <world> & friends", "cat.png", testimage.PNG(40, 30))
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/" {
			t.Fatalf("post: %d %s\n%s", r.StatusCode, r.Header.Get("Location"), r.Body)
		}
		home = b.Get("/")
		expect(t, home, 200, "Tweet posted successfully!", "Hello &lt;world&gt; &amp; friends", `<img src="/media/`)
		// The flash shows once.
		expect(t, b.Get("/"), 200)
		if strings.Contains(b.Get("/").Body, "Tweet posted successfully!") {
			t.Error("the flash message shows twice")
		}

		img := regexp.MustCompile(`<img src="(/media/[a-z0-9]+\.png)"`).FindStringSubmatch(home.Body)
		if img == nil {
			t.Fatal("no image on the timeline")
		}
		m := b.Get(img[1])
		if m.StatusCode != 200 || m.Header.Get("Content-Type") != "image/png" || !strings.Contains(m.Header.Get("Cache-Control"), "immutable") {
			t.Errorf("media: %d %v", m.StatusCode, m.Header)
		}
		expect(t, s.browser().Get("/@alice"), 200, "Hello &lt;world&gt;")

		link := regexp.MustCompile(`href="(/@alice/\d+)"`).FindStringSubmatch(home.Body)
		if link == nil {
			t.Fatal("no permalink")
		}
		expect(t, s.browser().Get(link[1]), 200, "Hello &lt;world&gt;", "More from @alice")
		expect(t, s.browser().Get(strings.Replace(link[1], "alice", "bob", 1)), 404)
		// Logged out: no compose form, no delete button.
		anon := s.browser().Get("/")
		if strings.Contains(anon.Body, `action="/tweets"`) || strings.Contains(anon.Body, "/delete") {
			t.Error("an anonymous visitor sees the compose form or a delete button")
		}
	})
}

func TestRefusals(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *site) {
		b := s.browser()
		b.SignUp("alice", "password1")
		b.PostTweet("keep me", "", nil)
		before := s.count()

		long := strings.Repeat("x", 281)
		r := b.PostTweet(long, "", nil)
		expect(t, r, 422, "Your tweet is 1 character too long", long) // the text is kept in the form
		expect(t, b.PostTweet("", "", nil), 422, "Write something, or attach an image.")
		expect(t, b.PostTweet("look", "notes.png", []byte("just some text\n")), 422, "not an image we accept")
		expect(t, b.PostTweet("bomb", "big.png", testimage.BombPNG(20000, 20000)), 413, "20000×20000")

		// Cross-site: a browser says so with Sec-Fetch-Site or Origin.
		r = b.Post("/tweets", url.Values{"text": {"forged"}}, "Sec-Fetch-Site", "cross-site")
		expect(t, r, 403, "came from another site")
		r = b.Post("/tweets", url.Values{"text": {"forged"}}, "Origin", "https://evil.example")
		expect(t, r, 403)
		// No token: refused even without browser headers.
		r = b.Post("/tweets", url.Values{"text": {"forged"}, "csrf": {"wrong"}})
		expect(t, r, 403, "did not come from this site")

		req, _ := http.NewRequest("GET", s.srv.URL+"/", nil)
		req.Host = "evil.example"
		expect(t, b.Do(req), 400, "host name")

		if n := s.count(); n != before {
			t.Errorf("refused requests changed the tweets: %d, want %d", n, before)
		}

		// Someone else's tweet cannot be deleted.
		ts, _ := s.svc.Timeline(context.Background(), tweets.TimelineQuery{})
		mallory := s.browser()
		mallory.SignUp("mallory", "password1")
		r = mallory.Post("/tweets/"+ts[0].ID.String()+"/delete", nil)
		expect(t, r, 403, "only your own tweets")
		if s.count() != before {
			t.Error("mallory deleted alice's tweet")
		}
		// Anonymous: sent to log in, nothing deleted.
		r = s.browser().Post("/tweets/"+ts[0].ID.String()+"/delete", nil)
		expect(t, r, 401)

		// A username taken in another case.
		other := s.browser()
		other.Get("/signup")
		r = other.Post("/signup", url.Values{"username": {"ALICE"}, "password": {"password2"}})
		expect(t, r, 422, "The username &#34;ALICE&#34; is taken")
		u, _ := s.svc.Store.UserByUsername(context.Background(), "alice")
		if u.Username != "alice" {
			t.Errorf("the original account changed: %+v", u)
		}
	})
}

func TestDeleteOwnTweet(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *site) {
		b := s.browser()
		b.SignUp("alice", "password1")
		b.PostTweet("short-lived", "", nil)
		home := b.Get("/")
		m := regexp.MustCompile(`action="(/tweets/\d+/delete)"`).FindStringSubmatch(home.Body)
		if m == nil {
			t.Fatal("no delete button on my own tweet")
		}
		r := b.Post(m[1], nil)
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("delete: %d %s", r.StatusCode, r.Body)
		}
		expect(t, b.Get("/"), 200, "Tweet deleted.", "No tweets yet.")
	})
}

func TestPagination(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *site) {
		ctx := context.Background()
		u, _ := s.svc.CreateAccount(ctx, "alice", "password1")
		s.svc.Limits.Post = nil // setup posts faster than people may
		for i := 1; i <= 25; i++ {
			if _, err := s.svc.PostTweet(ctx, u, fmt.Sprintf("number %d.", i), nil); err != nil {
				t.Fatal(err)
			}
		}
		b := s.browser()
		first := b.Get("/")
		if n := strings.Count(first.Body, `<article class="tweet"`); n != 20 {
			t.Errorf("first page has %d tweets, want 20", n)
		}
		if !strings.Contains(first.Body, "number 25.") || strings.Contains(first.Body, "number 5.") {
			t.Error("first page is not the newest 20")
		}
		older := regexp.MustCompile(`href="(/\?before=\d+)" rel="next"`).FindStringSubmatch(first.Body)
		if older == nil {
			t.Fatal("no link to older tweets")
		}
		second := b.Get(html.UnescapeString(older[1]))
		if n := strings.Count(second.Body, `<article class="tweet"`); n != 5 {
			t.Errorf("second page has %d tweets, want 5", n)
		}
		if !strings.Contains(second.Body, "number 1.") || strings.Contains(second.Body, `rel="next"`) {
			t.Error("second page is wrong")
		}
		expect(t, b.Get("/?before=abc"), 422)
	})
}

func TestLoginLogout(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *site) {
		s.browser().SignUp("alice", "password1")
		b := s.browser()
		b.Get("/login")
		r := b.Post("/login", url.Values{"username": {"alice"}, "password": {"nope-nope"}})
		expect(t, r, 401, "Wrong username or password.", `value="alice"`)
		r = b.Post("/login", url.Values{"username": {"Alice"}, "password": {"password1"}, "next": {"//evil.example/x"}})
		if r.StatusCode != 303 || r.Header.Get("Location") != "/" {
			t.Errorf("log-in: %d to %q (an off-site next must become /)", r.StatusCode, r.Header.Get("Location"))
		}
		var session *http.Cookie
		for _, c := range r.Cookies() {
			if c.Name == "tweets_session" {
				session = c
			}
		}
		if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Secure {
			t.Errorf("session cookie = %+v: want HttpOnly, SameSite=Lax, not Secure over plain HTTP", session)
		}
		expect(t, b.Get("/"), 200, "Welcome back, @alice!", "Log out")
		r = b.Post("/logout", nil)
		expect(t, r, 303)
		expect(t, b.Get("/"), 200, "You have logged out.", "Log in")
		// The old cookie is dead on the server too.
		replay := s.browser()
		u, _ := url.Parse(s.srv.URL)
		replay.Client.Jar.SetCookies(u, []*http.Cookie{session})
		if strings.Contains(replay.Get("/").Body, "Log out") {
			t.Error("a logged-out session still works")
		}
	})
}

// TestLoginThrottled: a guesser at one address is stopped, told when to
// come back, and locks no one else out.
func TestLoginThrottled(t *testing.T) {
	s := newSite(t, sqliteBackend())
	s.browser().SignUp("alice", "password1")
	guesser := s.browser()
	guesser.Get("/login")
	from := func(ip string) []string { return []string{"X-Forwarded-For", ip} }
	for i := 0; i < 10; i++ {
		expect(t, guesser.Post("/login", url.Values{"username": {"alice"}, "password": {"wrong-pass"}}, from("198.51.100.7")...), 401)
	}
	r := guesser.Post("/login", url.Values{"username": {"alice"}, "password": {"password1"}}, from("198.51.100.7")...)
	expect(t, r, 429, "Too many failed log-ins")
	if secs, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || secs < 1 || secs > 15*60 {
		t.Errorf("Retry-After = %q, want seconds up to 15 minutes", r.Header.Get("Retry-After"))
	}
	owner := s.browser()
	owner.Get("/login")
	expect(t, owner.Post("/login", url.Values{"username": {"alice"}, "password": {"password1"}}, from("203.0.113.9")...), 303)
}

func TestSecureCookieBehindTLSProxy(t *testing.T) {
	s := newSite(t, sqliteBackend())
	b := s.browser()
	b.Get("/signup")
	r := b.Post("/signup", url.Values{"username": {"alice"}, "password": {"password1"}}, "X-Forwarded-Proto", "https")
	found := false
	for _, c := range r.Cookies() {
		if c.Name == "tweets_session" {
			found = true
			if !c.Secure {
				t.Error("session cookie not Secure behind a TLS-terminating proxy")
			}
		}
	}
	if !found || r.Header.Get("Strict-Transport-Security") == "" {
		t.Errorf("no session cookie or no HSTS: %v", r.Header)
	}
}

func TestHeadersAndErrorPages(t *testing.T) {
	s := newSite(t, sqliteBackend())
	b := s.browser()
	r := b.Get("/")
	for name, want := range map[string]string{
		"Content-Security-Policy": "frame-ancestors 'none'",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "same-origin",
		"X-Frame-Options":         "DENY",
	} {
		if got := r.Header.Get(name); !strings.Contains(got, want) {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if strings.Contains(r.Header.Get("Content-Security-Policy"), "unsafe-inline") {
		t.Error("the CSP allows unsafe-inline")
	}
	css := regexp.MustCompile(`href="(/static/style\.[0-9a-f]+\.css)"`).FindStringSubmatch(r.Body)
	if css == nil {
		t.Fatal("no hashed stylesheet link")
	}
	st := b.Get(css[1])
	if st.StatusCode != 200 || !strings.Contains(st.Header.Get("Cache-Control"), "immutable") || !strings.HasPrefix(st.Header.Get("Content-Type"), "text/css") {
		t.Errorf("stylesheet: %d %v", st.StatusCode, st.Header)
	}
	expect(t, b.Get("/static/style.css"), 404)
	expect(t, b.Get("/no/such/page"), 404, "Page not found", `<main id="main"`)
	expect(t, b.Get("/@nobody"), 404, "There is no account called @nobody.")
	expect(t, b.Get("/media/..%2f..%2fetc%2fpasswd"), 404)
	expect(t, b.Get("/media/abc.png"), 404)
	// Pages that need an account send a visitor to log in.
	r = s.browser().Post("/tweets", url.Values{"text": {"hi"}})
	expect(t, r, 401)
}

// TestServerErrorPage breaks the database under a running site: the
// visitor gets a generic 500 page with a reference to quote, never the
// internal error.
func TestServerErrorPage(t *testing.T) {
	s := newSite(t, sqliteBackend())
	b := s.browser()
	b.Get("/")
	s.svc.Store.Close()
	r := b.Get("/")
	expect(t, r, 500, "Something went wrong", "Reference: <code>")
	if strings.Contains(r.Body, "sql:") || strings.Contains(r.Body, "database is closed") {
		t.Errorf("the 500 page shows the internal error:\n%s", r.Body)
	}
	if id := r.Header.Get("X-Request-ID"); id == "" || !strings.Contains(r.Body, id) {
		t.Errorf("the page does not quote the request id %s", id)
	}
}
