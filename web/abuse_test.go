package web_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tweetsdev/tweets"
)

// TestTextThatCannotBeStored: a NUL byte or bytes that are not UTF-8 in
// any field get a 422 with a clear message (PostgreSQL answered 500; SQLite
// stored them, and the backup could not be restored), and nothing is
// stored.
func TestTextThatCannotBeStored(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *site) {
		ctx := context.Background()
		b := s.browser()
		b.SignUp("alice", "password1")
		admin, _ := s.svc.Store.UserByUsername(ctx, "alice")
		s.svc.Store.SetAdmin(ctx, admin.ID, true)
		b.PostTweet("fine", "", nil)
		ts, _ := s.svc.Timeline(ctx, tweets.TimelineQuery{})
		before := s.count()

		const msg = "cannot be stored"
		for _, bad := range []string{"nul\x00byte", "bad\xffbyte"} {
			expect(t, b.PostTweet(bad, "", nil), 422, msg)
			expect(t, b.Post("/tweets", url.Values{"text": {bad}}), 422, msg)
			expect(t, b.Get("/admin/tweets?q="+url.QueryEscape(bad)), 422, msg)
			expect(t, b.Get("/admin/users?q="+url.QueryEscape(bad)), 422, msg)

			other := s.browser()
			other.Get("/signup")
			expect(t, other.Post("/signup", url.Values{"username": {bad}, "password": {"password1"}}), 422, msg)
			other.Get("/login")
			expect(t, other.Post("/login", url.Values{"username": {"alice"}, "password": {bad}}), 422, msg)

			bob := s.browser()
			bob.SignUp("bob"+strings.Map(func(r rune) rune {
				if r >= 'a' && r <= 'z' {
					return r
				}
				return -1
			}, bad), "password1")
			report := "/tweets/" + ts[0].ID.String() + "/report"
			bob.Get(report)
			expect(t, bob.Post(report, url.Values{"reason": {"Spam"}, "note": {bad}}), 422, msg)
		}
		if n := s.count(); n != before {
			t.Errorf("%d tweets after refused ones, want %d", n, before)
		}
		if n, _ := s.svc.Store.CountOpenReports(ctx); n != 0 {
			t.Errorf("%d reports stored from refused forms", n)
		}
		if n, _ := s.svc.Store.CountUsers(ctx); n != 3 {
			t.Errorf("%d users, want 3", n)
		}
	})
}

// TestTooLongTextNotSentBackInFull: a refused text comes back in the form
// cut to a little over the limit, not megabytes of it.
func TestTooLongTextNotSentBackInFull(t *testing.T) {
	s := newSite(t, sqliteBackend())
	b := s.browser()
	b.SignUp("alice", "password1")
	r := b.PostTweet(strings.Repeat("x", 1<<20), "", nil)
	expect(t, r, 422, "too long")
	if len(r.Body) > 20<<10 {
		t.Errorf("the refusal page is %d bytes: it sends the text back in full", len(r.Body))
	}
}

func csrfFor(seed, session string) string {
	m := hmac.New(sha256.New, []byte("csrf:"+testSecretKey))
	m.Write([]byte(seed))
	m.Write([]byte{0})
	m.Write([]byte(session))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// TestCSRFBoundToSession: a seed planted in a browser (by a sibling
// subdomain, say) is worth nothing: a short one is refused outright, a
// full one is replaced at log-in, and once logged in a token must match
// the session as well.
func TestCSRFBoundToSession(t *testing.T) {
	s := newSite(t, sqliteBackend())
	u, _ := url.Parse(s.srv.URL)
	cookie := func(b interface{ Cookies(*url.URL) []*http.Cookie }, name string) string {
		for _, c := range b.Cookies(u) {
			if c.Name == name {
				return c.Value
			}
		}
		return ""
	}
	b := s.browser()
	plant := func(seed string) {
		b.Client.Jar.SetCookies(u, []*http.Cookie{{Name: "tweets_csrf", Value: seed, Path: "/"}})
	}

	// A one-character seed with its correct token.
	plant("a")
	expect(t, b.Post("/signup", url.Values{"username": {"alice"}, "password": {"password1"}, "csrf": {csrfFor("a", "")}}), 403)

	// A full-length planted seed works before log-in (nothing to steal),
	// but is replaced at log-in...
	planted := strings.Repeat("A", 32)
	plant(planted)
	r := b.Post("/signup", url.Values{"username": {"alice"}, "password": {"password1"}, "csrf": {csrfFor(planted, "")}})
	expect(t, r, 303)
	if got := cookie(b.Client.Jar, "tweets_csrf"); got == planted || len(got) != 32 {
		t.Errorf("the CSRF seed was not renewed at sign-up: %q", got)
	}
	// ...and planted again afterwards, its token without the session
	// does not work.
	plant(planted)
	expect(t, b.Post("/tweets", url.Values{"text": {"forged"}, "csrf": {csrfFor(planted, "")}}), 403)
	// The page's own token does.
	b.Get("/")
	expect(t, b.Post("/tweets", url.Values{"text": {"mine"}}), 303)

	// A token from before log-in is refused after it.
	other := s.browser()
	other.Get("/login")
	stale := other.CSRF
	other.LogIn("alice", "password1")
	expect(t, other.Post("/tweets", url.Values{"text": {"stale"}, "csrf": {stale}}), 403)

	// Log-out renews the seed.
	seed := cookie(other.Client.Jar, "tweets_csrf")
	other.Post("/logout", nil)
	if got := cookie(other.Client.Jar, "tweets_csrf"); got == seed || got == "" {
		t.Errorf("the CSRF seed was not renewed at log-out")
	}
	if n := s.count(); n != 1 {
		t.Errorf("%d tweets, want only the one with a good token", n)
	}
}
