package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/inmem"
	"github.com/tweetsdev/tweets/internal/testapp"
	"github.com/tweetsdev/tweets/internal/webtest"
)

// withLive wires the in-process event hub, as the binary does.
func withLive(_ testing.TB, svc *tweets.Service) {
	hub := &inmem.Hub{}
	svc.Events, svc.Live = hub, hub
}

// liveEvents is an open /live stream: each event as "name data".
type liveEvents struct {
	t      *testing.T
	events chan string
}

// openLive opens path with b's cookies and returns once the server has
// answered, that is once the stream is subscribed.
func openLive(t *testing.T, b *webtest.Browser, path string) *liveEvents {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", b.Base+path, nil)
	resp, err := b.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream; charset=utf-8" || resp.Header.Get("X-Accel-Buffering") != "no" {
		t.Fatalf("%s: %d %v", path, resp.StatusCode, resp.Header)
	}
	l := &liveEvents{t: t, events: make(chan string, 16)}
	go func() {
		defer resp.Body.Close()
		defer close(l.events)
		for name, data := range webtest.Events(resp.Body) {
			l.events <- name + " " + data
		}
	}()
	return l
}

// next is the next event, or "" when none comes within a few seconds.
func (l *liveEvents) next() string {
	l.t.Helper()
	select {
	case e := <-l.events:
		return e
	case <-time.After(5 * time.Second):
		return ""
	}
}

var permalinkRE = regexp.MustCompile(`href="/@[a-z0-9_]+/(\d+)"`)

// newest is the id of the newest tweet on b's page at path.
func newest(t *testing.T, b *webtest.Browser, path string) string {
	t.Helper()
	m := permalinkRE.FindStringSubmatch(b.Get(path).Body)
	if m == nil {
		t.Fatalf("no tweet on %s", path)
	}
	return m[1]
}

// TestLiveUpdates: a reader's home stream carries the new tweets of the
// accounts followed, not those of others or of an account blocked, and
// the unread count when a notification arrives; the public stream works
// without a session; the home stream and the notifications need one.
func TestLiveUpdates(t *testing.T) {
	for _, b := range testapp.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := newSiteWith(t, b, []testapp.Option{withLive})
			alice, bob, carol, dave := s.browser(), s.browser(), s.browser(), s.browser()
			alice.SignUp("alice", "password1")
			bob.SignUp("bob", "password1")
			carol.SignUp("carol", "password1")
			dave.SignUp("dave", "password1")
			alice.Post("/users/bob/follow", url.Values{})
			alice.Post("/users/dave/follow", url.Values{})
			alice.Post("/users/dave/block", url.Values{})
			alice.PostTweet("hello from alice", "", nil)
			mine := newest(t, alice, "/@alice")

			expect(t, alice.Get("/"), 200, `data-live="home" data-after="`+mine+`"`, `<script src="/static/live.`)
			expect(t, s.browser().Get("/public"), 200, `data-live="public"`)
			expect(t, s.browser().Get("/tags/news"), 200, `data-live="tag:news">`)
			if p := alice.Get("/?before=" + mine); strings.Contains(p.Body, "data-live") {
				t.Error("an older page of the timeline is marked for live updates")
			}
			if p := s.browser().Get("/login"); strings.Contains(p.Body, "<script") {
				t.Error("a page without a timeline loads the script for an anonymous reader")
			}

			home := openLive(t, alice, "/live?timeline=home&after="+mine)
			public := openLive(t, s.browser(), "/live?timeline=public")
			tag := openLive(t, s.browser(), "/live?timeline=tag:News")
			// Alice's public page, as of a moment to come: its tweets are
			// not new to it, her notifications still are.
			later := tweets.MinIDAt(time.Now().Add(time.Hour)).String()
			alicePublic := openLive(t, alice, "/live?timeline=public&after="+later)
			// Any other page of hers: notifications only.
			aliceNotes := openLive(t, alice, "/live")

			carol.PostTweet("not followed", "", nil)
			dave.PostTweet("blocked", "", nil)
			bob.PostTweet("followed #news", "", nil)
			carolID, daveID, bobID := newest(t, carol, "/@carol"), newest(t, dave, "/@dave"), newest(t, bob, "/@bob")
			if got := home.next(); got != "tweet "+bobID {
				t.Errorf("home: the first event is %q, want bob's tweet %s (not carol's %s nor dave's %s)", got, bobID, carolID, daveID)
			}
			for _, want := range []string{"tweet " + carolID, "tweet " + daveID, "tweet " + bobID} {
				if got := public.next(); got != want {
					t.Errorf("public: %q, want %q", got, want)
				}
			}
			if got := tag.next(); got != "tweet "+bobID {
				t.Errorf("hashtag: %q, want bob's tweet", got)
			}

			bob.Post("/tweets/"+mine+"/like", url.Values{})
			if got := home.next(); got != "unread 1" {
				t.Errorf("home after bob's like: %q, want unread 1", got)
			}
			if got := alicePublic.next(); got != "unread 1" {
				t.Errorf("alice's public stream after the like: %q, want unread 1 and no older tweet", got)
			}
			if got := aliceNotes.next(); got != "unread 1" {
				t.Errorf("alice's notifications after the like: %q, want unread 1 and no tweet", got)
			}
			bob.Post("/tweets/"+bobID+"/delete", url.Values{})
			if got := home.next(); got != "delete "+bobID {
				t.Errorf("home after bob's delete: %q", got)
			}

			anon := s.browser()
			for _, path := range []string{"/live?timeline=home", "/live"} {
				if r := anon.Get(path); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
					t.Errorf("%s without a session: %d %s", path, r.StatusCode, r.Header.Get("Location"))
				}
			}
			expect(t, anon.Get("/live?timeline=everything"), 422)
			expect(t, anon.Get("/live?timeline=public&after=soon"), 422)
		})
	}
}

// TestLiveWithoutEvents: a server wired without live updates says so,
// and its pages still work.
func TestLiveWithoutEvents(t *testing.T) {
	s := newSite(t, sqliteBackend())
	b := s.browser()
	b.SignUp("alice", "password1")
	expect(t, b.Get("/live?timeline=home"), 404)
	expect(t, b.Get("/"), 200, `data-live="home"`)
}
