package cache_test

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/cache"
	"github.com/tweetsdev/tweets/internal/redistest"
	"github.com/tweetsdev/tweets/internal/testapp"
	"github.com/tweetsdev/tweets/redis"
	"github.com/tweetsdev/tweets/sqlstore"
)

// feedKinds are where feeds can be kept: each test runs on every one.
// newFeeds returns the feeds of one replica; replicas sharing Redis
// share them.
type feedKind struct {
	name     string
	newFeeds func(t *testing.T) func() cache.Feeds
}

var feedKinds = []feedKind{
	{"memory", func(*testing.T) func() cache.Feeds {
		return func() cache.Feeds { return cache.NewMemoryFeeds(100, 10, time.Minute) }
	}},
	{"redis", func(t *testing.T) func() cache.Feeds {
		srv := redistest.Start(t)
		return func() cache.Feeds {
			c, err := redis.Open(context.Background(), srv.URL(), slog.New(slog.DiscardHandler))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { c.Close() })
			return c.Feeds(10, time.Minute)
		}
	}},
}

// replicas are two servers on one database, each with its home feeds;
// every event reaches both, as the relay carries them.
type replicas struct {
	store *sqlstore.Store
	homes []*cache.Home
	rec   *counter
	svc   *tweets.Service
	admin tweets.User
}

func newReplicas(t *testing.T, b testapp.Backend, fk feedKind) *replicas {
	store := b.Open(t)
	feeds := fk.newFeeds(t)
	r := &replicas{store: store, rec: &counter{}}
	for range 2 {
		h := cache.NewHome(store, store, feeds(), r.rec)
		h.Heavy, h.Length = 3, 10 // small, so pages run past the feeds and some accounts are heavy
		r.homes = append(r.homes, h)
	}
	r.svc = testapp.Service(t, r.homes[0], nil)
	r.svc.Limits = tweets.Limits{}
	r.svc.Events = events(func(e tweets.Event) {
		if cache.HomeAffects(e) {
			for _, h := range r.homes {
				h.OnEvent(e)
			}
		}
	})
	ctx := context.Background()
	var err error
	if r.admin, err = r.svc.CreateAccount(ctx, "admin", "password1"); err != nil {
		t.Fatal(err)
	}
	if err := store.SetAdmin(ctx, r.admin.ID, true); err != nil {
		t.Fatal(err)
	}
	r.admin.IsAdmin = true
	return r
}

// forEachReplicas runs f on two fresh replicas of each database, with
// each kind of feeds.
func forEachReplicas(t *testing.T, f func(t *testing.T, r *replicas)) {
	for _, b := range testapp.Backends() {
		for _, fk := range feedKinds {
			t.Run(b.Name+"/"+fk.name, func(t *testing.T) { f(t, newReplicas(t, b, fk)) })
		}
	}
}

// page is a home timeline page as it is compared: what a reader sees.
func page(ts []tweets.Tweet) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = fmt.Sprintf("%d:%d:%s:%q:%d", t.Item, t.ID, t.RepostedBy, t.Text, t.Likes)
	}
	return out
}

// check compares every replica's home timeline of reader with the
// database's, page by page.
func (r *replicas) check(t *testing.T, reader tweets.ID, limit, pages int) {
	t.Helper()
	ctx := context.Background()
	for i, h := range r.homes {
		var before tweets.ID
		for p := range pages {
			q := tweets.TimelineQuery{Home: reader, Viewer: reader, HideMuted: true, Before: before, Limit: limit}
			want, err := r.store.Timeline(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			got, err := h.Timeline(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(page(got), page(want)) {
				t.Fatalf("replica %d, reader %d, page %d below %d:\n got %v\nwant %v", i, reader, p, before, page(got), page(want))
			}
			if len(want) < limit {
				break
			}
			before = want[len(want)-1].Item
		}
	}
}

func (r *replicas) shows(t *testing.T, reader tweets.ID, text string) bool {
	t.Helper()
	found := false
	for i, h := range r.homes {
		ts, err := h.Timeline(context.Background(), tweets.TimelineQuery{Home: reader, Viewer: reader, HideMuted: true, Limit: 20})
		if err != nil {
			t.Fatal(err)
		}
		has := slices.ContainsFunc(ts, func(t tweets.Tweet) bool { return t.Text == text })
		if i > 0 && has != found {
			t.Fatalf("the replicas disagree on whether %q shows", text)
		}
		found = has
	}
	return found
}

// TestHomeFeedsNeverShowStaleTweets reads a home timeline on two
// replicas, each with feeds already filled, after each change that must
// show at once: a deleted tweet, an edited one, a block, a mute and a
// suspension.
func TestHomeFeedsNeverShowStaleTweets(t *testing.T) {
	forEachReplicas(t, func(t *testing.T, r *replicas) {
		ctx := context.Background()
		svc := r.svc
		alice, _ := svc.CreateAccount(ctx, "alice", "password1")
		bob, _ := svc.CreateAccount(ctx, "bob", "password1")
		carol, _ := svc.CreateAccount(ctx, "carol", "password1")
		for _, n := range []string{"bob", "carol"} {
			if _, err := svc.Follow(ctx, alice, n); err != nil {
				t.Fatal(err)
			}
		}
		tw, err := svc.PostTweet(ctx, bob, "first text", nil)
		if err != nil {
			t.Fatal(err)
		}
		svc.PostTweet(ctx, carol, "carol speaks", nil)
		if !r.shows(t, alice.ID, "first text") || !r.shows(t, alice.ID, "carol speaks") {
			t.Fatal("new tweets are not on the home timeline")
		}
		if _, err := svc.EditTweet(ctx, bob, tw.ID, "second text"); err != nil {
			t.Fatal(err)
		}
		if r.shows(t, alice.ID, "first text") || !r.shows(t, alice.ID, "second text") {
			t.Fatal("an edited tweet shows its old text")
		}
		if err := svc.DeleteTweet(ctx, bob, tw.ID); err != nil {
			t.Fatal(err)
		}
		if r.shows(t, alice.ID, "second text") {
			t.Fatal("a deleted tweet shows")
		}
		svc.Mute(ctx, alice, "carol")
		if r.shows(t, alice.ID, "carol speaks") {
			t.Fatal("a muted account shows")
		}
		svc.Unmute(ctx, alice, "carol")
		if !r.shows(t, alice.ID, "carol speaks") {
			t.Fatal("an unmuted account stays hidden")
		}
		svc.Block(ctx, carol, "alice")
		if r.shows(t, alice.ID, "carol speaks") {
			t.Fatal("an account that blocks the reader shows")
		}
		svc.PostTweet(ctx, bob, "bob again", nil)
		if !r.shows(t, alice.ID, "bob again") {
			t.Fatal("a new tweet does not show")
		}
		if err := svc.SetSuspended(ctx, r.admin, bob.ID, true); err != nil {
			t.Fatal(err)
		}
		if r.shows(t, alice.ID, "bob again") {
			t.Fatal("a suspended account shows")
		}
		if err := svc.SetSuspended(ctx, r.admin, bob.ID, false); err != nil {
			t.Fatal(err)
		}
		if !r.shows(t, alice.ID, "bob again") {
			t.Fatal("an account back from suspension stays hidden")
		}
	})
}

// TestHomeFeedsMatchTheDatabase runs random follows, posts, reposts,
// edits, deletes, blocks, mutes and suspensions, and after each few
// compares every reader's home timeline on both replicas, page by page,
// with the database's own query.
func TestHomeFeedsMatchTheDatabase(t *testing.T) {
	forEachReplicas(t, func(t *testing.T, r *replicas) {
		ctx := context.Background()
		svc := r.svc
		rng := rand.New(rand.NewPCG(1, 2))
		var users []tweets.User
		for i := range 7 {
			u, err := svc.CreateAccount(ctx, fmt.Sprintf("user%d", i), "password1")
			if err != nil {
				t.Fatal(err)
			}
			users = append(users, u)
		}
		var posted []tweets.Tweet
		pick := func() tweets.User { return users[rng.IntN(len(users))] }
		suspended := map[tweets.ID]bool{}
		for step := range 240 {
			u, other := pick(), pick()
			if suspended[u.ID] {
				u = users[0]
			}
			var err error
			switch n := rng.IntN(100); {
			case n < 30:
				var tw tweets.Tweet
				if tw, err = svc.PostTweet(ctx, u, fmt.Sprintf("tweet %d by %s", step, u.Username), nil); err == nil {
					posted = append(posted, tw)
				}
			case n < 45 && len(posted) > 0:
				err = svc.Repost(ctx, u, posted[rng.IntN(len(posted))].ID)
			case n < 50 && len(posted) > 0:
				err = svc.Unrepost(ctx, u, posted[rng.IntN(len(posted))].ID)
			case n < 52 && len(posted) > 0:
				err = svc.Like(ctx, u, posted[rng.IntN(len(posted))].ID)
			case n < 70:
				_, err = svc.Follow(ctx, u, other.Username)
			case n < 76:
				_, err = svc.Unfollow(ctx, u, other.Username)
			case n < 79:
				_, err = svc.Block(ctx, u, other.Username)
			case n < 82:
				_, err = svc.Unblock(ctx, u, other.Username)
			case n < 85:
				_, err = svc.Mute(ctx, u, other.Username)
			case n < 88:
				_, err = svc.Unmute(ctx, u, other.Username)
			case n < 92 && len(posted) > 0:
				tw := posted[rng.IntN(len(posted))]
				_, err = svc.EditTweet(ctx, tweets.User{ID: tw.AuthorID}, tw.ID, tw.Text+" (edited)")
			case n < 95 && len(posted) > 0:
				tw := posted[rng.IntN(len(posted))]
				err = svc.DeleteTweet(ctx, tweets.User{ID: tw.AuthorID}, tw.ID)
			case n < 100:
				suspended[u.ID] = !suspended[u.ID]
				err = svc.SetSuspended(ctx, r.admin, u.ID, suspended[u.ID])
			}
			if err != nil && !expected(err) {
				t.Fatalf("step %d: %v", step, err)
			}
			if step%12 == 11 {
				for _, u := range users {
					r.check(t, u.ID, 4, 6)
				}
			}
		}
		// Feeds were read more often than filled, though every
		// follow, block and suspension drops some.
		if hits, misses := r.rec.hits.Load(), r.rec.misses.Load(); hits < misses {
			t.Errorf("%d pages from the feeds, %d fills", hits, misses)
		}
	})
}

// expected are the refusals random actions meet: following oneself or
// someone who blocks you, acting on a deleted tweet or a suspended
// account's, editing what is not one's own.
func expected(err error) bool {
	return tweets.ErrorCode(err) != tweets.CodeInternal
}

// TestHomeFeedsInRedisFallBack cuts Redis off between two replicas'
// reads and posts: pages come from the database meanwhile, and once
// Redis answers again no feed lacks what was pushed while it did not.
func TestHomeFeedsInRedisFallBack(t *testing.T) {
	srv := redistest.Start(t)
	proxy := testapp.NewProxy(t, srv.Addr, true)
	store := testapp.ByName("sqlite").Open(t)
	c, err := redis.Open(context.Background(), "redis://"+proxy.Addr+"/0", slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	h := cache.NewHome(store, store, c.Feeds(10, time.Minute), nil)
	svc := testapp.Service(t, h, nil)
	svc.Events = events(func(e tweets.Event) {
		if cache.HomeAffects(e) {
			h.OnEvent(e)
		}
	})
	ctx := context.Background()
	alice, _ := svc.CreateAccount(ctx, "alice", "password1")
	bob, _ := svc.CreateAccount(ctx, "bob", "password1")
	svc.Follow(ctx, alice, "bob")
	svc.PostTweet(ctx, bob, "before", nil)
	q := tweets.TimelineQuery{Home: alice.ID, Viewer: alice.ID, HideMuted: true, Limit: 20}
	texts := func() []string {
		ts, err := h.Timeline(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, t := range ts {
			out = append(out, t.Text)
		}
		return out
	}
	if got := texts(); !slices.Equal(got, []string{"before"}) {
		t.Fatalf("with Redis: %v", got)
	}
	proxy.SetUp(false)
	svc.PostTweet(ctx, bob, "during", nil)
	if got := texts(); !slices.Equal(got, []string{"during", "before"}) {
		t.Fatalf("without Redis: %v", got)
	}
	proxy.SetUp(true)
	svc.PostTweet(ctx, bob, "after", nil)
	if got := texts(); !slices.Equal(got, []string{"after", "during", "before"}) {
		t.Fatalf("with Redis back: %v", got)
	}
}
