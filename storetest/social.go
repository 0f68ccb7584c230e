package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/internal/burst"
)

func mustTweet(t *testing.T, s tweets.Store, author tweets.User, text string, replyTo tweets.ID) tweets.Tweet {
	t.Helper()
	tw := tweets.Tweet{ID: ids.New(), AuthorID: author.ID, Text: text, CreatedAt: at, ReplyTo: replyTo}
	if err := s.CreateTweet(context.Background(), tw); err != nil {
		t.Fatalf("CreateTweet(%q): %v", text, err)
	}
	return tw
}

func follow(t *testing.T, s tweets.Store, a, b tweets.User) {
	t.Helper()
	if err := s.Follow(context.Background(), tweets.Follow{ID: ids.New(), FollowerID: a.ID, FolloweeID: b.ID, CreatedAt: at}); err != nil {
		t.Fatalf("%s follows %s: %v", a.Username, b.Username, err)
	}
}

func testFollows(t *testing.T, s tweets.Store) {
	ctx := context.Background()
	alice, bob, carol := mustUser(t, s, "alice"), mustUser(t, s, "bob"), mustUser(t, s, "carol")
	follow(t, s, alice, bob)
	follow(t, s, carol, bob)
	follow(t, s, bob, alice)
	if err := s.Follow(ctx, tweets.Follow{ID: ids.New(), FollowerID: alice.ID, FolloweeID: bob.ID, CreatedAt: at}); !errors.Is(err, tweets.ErrConflict) {
		t.Errorf("following twice: %v, want ErrConflict", err)
	}
	if r, err := s.Relationship(ctx, alice.ID, bob.ID); err != nil || !r.Following || !r.FollowedBy {
		t.Errorf("alice and bob: %+v %v, want mutual", r, err)
	}
	if r, _ := s.Relationship(ctx, carol.ID, alice.ID); r.Following || r.FollowedBy {
		t.Errorf("carol and alice: %+v, want none", r)
	}
	mustTweet(t, s, bob, "one", 0)
	if c, err := s.ProfileCounts(ctx, bob.ID); err != nil || c != (tweets.ProfileCounts{Tweets: 1, Followers: 2, Following: 1}) {
		t.Errorf("bob's counts: %+v %v", c, err)
	}
	es, err := s.Follows(ctx, tweets.FollowQuery{Account: bob.ID, Followers: true, Limit: 10})
	if err != nil || len(es) != 2 || es[0].User.Username != "carol" || es[1].User.Username != "alice" {
		t.Fatalf("bob's followers, newest first: %+v %v", es, err)
	}
	page2, _ := s.Follows(ctx, tweets.FollowQuery{Account: bob.ID, Followers: true, Before: es[0].FollowID, Limit: 10})
	if len(page2) != 1 || page2[0].User.Username != "alice" {
		t.Errorf("second page: %+v", page2)
	}
	if es, _ := s.Follows(ctx, tweets.FollowQuery{Account: alice.ID, Limit: 10}); len(es) != 1 || es[0].User.Username != "bob" {
		t.Errorf("alice follows: %+v", es)
	}
	// A suspended follower is neither listed nor counted.
	if err := s.SetSuspended(ctx, carol.ID, at); err != nil {
		t.Fatal(err)
	}
	if c, _ := s.ProfileCounts(ctx, bob.ID); c.Followers != 1 {
		t.Errorf("followers with carol suspended: %d, want 1", c.Followers)
	}
	if es, _ := s.Follows(ctx, tweets.FollowQuery{Account: bob.ID, Followers: true, Limit: 10}); len(es) != 1 {
		t.Errorf("listed followers with carol suspended: %d, want 1", len(es))
	}
	if err := s.Unfollow(ctx, alice.ID, bob.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.Unfollow(ctx, alice.ID, bob.ID); !errors.Is(err, tweets.ErrNotFound) {
		t.Errorf("unfollowing twice: %v, want ErrNotFound", err)
	}
}

func testLikesAndReposts(t *testing.T, s tweets.Store) {
	ctx := context.Background()
	alice, bob := mustUser(t, s, "alice"), mustUser(t, s, "bob")
	tw := mustTweet(t, s, alice, "likeable ✓", 0)
	if err := s.Like(ctx, tweets.Like{ID: ids.New(), UserID: bob.ID, TweetID: tw.ID, CreatedAt: at}); err != nil {
		t.Fatal(err)
	}
	if err := s.Like(ctx, tweets.Like{ID: ids.New(), UserID: bob.ID, TweetID: tw.ID, CreatedAt: at}); !errors.Is(err, tweets.ErrConflict) {
		t.Errorf("liking twice: %v, want ErrConflict", err)
	}
	if err := s.Repost(ctx, tweets.Repost{ID: ids.New(), UserID: bob.ID, TweetID: tw.ID, CreatedAt: at}); err != nil {
		t.Fatal(err)
	}
	if err := s.Repost(ctx, tweets.Repost{ID: ids.New(), UserID: bob.ID, TweetID: tw.ID, CreatedAt: at}); !errors.Is(err, tweets.ErrConflict) {
		t.Errorf("reposting twice: %v, want ErrConflict", err)
	}
	mustTweet(t, s, bob, "a reply", tw.ID)
	ts, err := s.Timeline(ctx, tweets.TimelineQuery{AuthorID: alice.ID, Viewer: bob.ID, Limit: 10})
	if err != nil || len(ts) != 1 {
		t.Fatalf("alice's tweets as bob sees them: %v %v", ts, err)
	}
	if got := ts[0]; got.Likes != 1 || got.Reposts != 1 || got.Replies != 1 || !got.Liked || !got.Reposted {
		t.Errorf("figures as bob: likes %d reposts %d replies %d liked %v reposted %v", got.Likes, got.Reposts, got.Replies, got.Liked, got.Reposted)
	}
	ts, _ = s.Timeline(ctx, tweets.TimelineQuery{AuthorID: alice.ID, Viewer: alice.ID, Limit: 10})
	if ts[0].Liked || ts[0].Reposted || ts[0].Likes != 1 {
		t.Errorf("as alice: %+v", ts[0])
	}
	if err := s.Unlike(ctx, bob.ID, tw.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.Unlike(ctx, bob.ID, tw.ID); !errors.Is(err, tweets.ErrNotFound) {
		t.Errorf("unliking twice: %v", err)
	}
	if err := s.Unrepost(ctx, bob.ID, tw.ID); err != nil {
		t.Fatal(err)
	}
	// Deleting the tweet takes its likes and reposts along.
	s.Like(ctx, tweets.Like{ID: ids.New(), UserID: bob.ID, TweetID: tw.ID, CreatedAt: at})
	if err := s.DeleteTweet(ctx, tw.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.Unlike(ctx, bob.ID, tw.ID); !errors.Is(err, tweets.ErrNotFound) {
		t.Errorf("a like outlived its tweet: %v", err)
	}
}

// testExactCounts: storms of likes, unlikes, follows and unfollows from
// many connections end with exact counts.
func testExactCounts(t *testing.T, s tweets.Store) {
	ctx := context.Background()
	author := mustUser(t, s, "author")
	tw := mustTweet(t, s, author, "popular", 0)
	const n = 40
	fans := make([]tweets.User, n)
	for i := range fans {
		fans[i] = mustUser(t, s, fmt.Sprintf("fan%d", i))
	}
	// Every fan likes twice and follows twice at once; then the odd ones
	// take both back, twice, at once.
	burst.Count(4*n, func(i int) bool {
		f := fans[i%n]
		if i/n < 2 {
			_ = s.Like(ctx, tweets.Like{ID: ids.New(), UserID: f.ID, TweetID: tw.ID, CreatedAt: at})
		} else {
			_ = s.Follow(ctx, tweets.Follow{ID: ids.New(), FollowerID: f.ID, FolloweeID: author.ID, CreatedAt: at})
		}
		return true
	})
	burst.Count(4*n, func(i int) bool {
		f := fans[i%n]
		if (i%n)%2 == 0 {
			return true
		}
		if i/n < 2 {
			_ = s.Unlike(ctx, f.ID, tw.ID)
		} else {
			_ = s.Unfollow(ctx, f.ID, author.ID)
		}
		return true
	})
	ts, err := s.Timeline(ctx, tweets.TimelineQuery{AuthorID: author.ID, Limit: 1})
	if err != nil || len(ts) != 1 || ts[0].Likes != n/2 {
		t.Errorf("likes after the storm: %v %v, want %d", ts, err, n/2)
	}
	if c, err := s.ProfileCounts(ctx, author.ID); err != nil || c.Followers != n/2 {
		t.Errorf("followers after the storm: %+v %v, want %d", c, err, n/2)
	}
}

func testHomeTimeline(t *testing.T, s tweets.Store) {
	ctx := context.Background()
	me, friend, other, stranger := mustUser(t, s, "me"), mustUser(t, s, "friend"), mustUser(t, s, "other"), mustUser(t, s, "stranger")
	follow(t, s, me, friend)
	follow(t, s, me, other)
	mine := mustTweet(t, s, me, "mine", 0)
	theirs := mustTweet(t, s, friend, "friend's", 0)
	strangers := mustTweet(t, s, stranger, "stranger's", 0)
	mustTweet(t, s, stranger, "unseen", 0)
	repost := func(u tweets.User, tw tweets.Tweet) tweets.ID {
		id := ids.New()
		if err := s.Repost(ctx, tweets.Repost{ID: id, UserID: u.ID, TweetID: tw.ID, CreatedAt: at}); err != nil {
			t.Fatal(err)
		}
		return id
	}
	first := repost(friend, strangers) // brings the stranger's tweet in
	repost(other, strangers)           // the same tweet again: shown once
	repost(other, theirs)              // already there as friend's own
	home := func(before tweets.ID) []tweets.Tweet {
		ts, err := s.Timeline(ctx, tweets.TimelineQuery{Home: me.ID, Viewer: me.ID, Before: before, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		return ts
	}
	var got []string
	for page, before := 0, tweets.ID(0); page < 10; page++ {
		ts := home(before)
		for _, tw := range ts {
			label := tw.Text
			if tw.RepostedBy != "" {
				label += " by " + tw.RepostedBy
			}
			got = append(got, label)
		}
		if len(ts) < 2 {
			break
		}
		before = ts[len(ts)-1].Item
	}
	want := "stranger's by friend,friend's,mine"
	if fmt.Sprint(got) != fmt.Sprint([]string{"stranger's by friend", "friend's", "mine"}) {
		t.Errorf("home timeline: %q, want %s", got, want)
	}
	if ts := home(0); len(ts) > 0 && ts[0].Item != first {
		t.Errorf("the repost's place is %d, want the repost's id %d", ts[0].Item, first)
	}
	// Suspending the reposter hides the repost.
	if err := s.SetSuspended(ctx, friend.ID, at); err != nil {
		t.Fatal(err)
	}
	ts := home(0)
	if len(ts) != 2 || ts[0].Text != "stranger's" || ts[0].RepostedBy != "other" {
		t.Errorf("with friend suspended, the other repost takes its place: %+v", ts)
	}
	_ = mine
}

// testHomeTimelineUnderPosting: paging down while new tweets arrive at
// the top never skips nor repeats one.
func testHomeTimelineUnderPosting(t *testing.T, s tweets.Store) {
	ctx := context.Background()
	me, friend := mustUser(t, s, "reader"), mustUser(t, s, "writer")
	follow(t, s, me, friend)
	var old []tweets.ID
	for i := range 30 {
		old = append(old, mustTweet(t, s, friend, fmt.Sprintf("old %d", i), 0).ID)
	}
	seen := map[tweets.ID]bool{}
	before := tweets.ID(0)
	for page := 0; page < 20; page++ {
		ts, err := s.Timeline(ctx, tweets.TimelineQuery{Home: me.ID, Before: before, Limit: 7})
		if err != nil {
			t.Fatal(err)
		}
		for _, tw := range ts {
			if seen[tw.ID] {
				t.Errorf("tweet %q seen twice", tw.Text)
			}
			seen[tw.ID] = true
		}
		mustTweet(t, s, friend, fmt.Sprintf("new %d", page), 0) // arrives meanwhile
		if len(ts) < 7 {
			break
		}
		before = ts[len(ts)-1].Item
	}
	for _, id := range old {
		if !seen[id] {
			t.Errorf("tweet %d was skipped", id)
		}
	}
}

func testThread(t *testing.T, s tweets.Store) {
	ctx := context.Background()
	a, b := mustUser(t, s, "ann"), mustUser(t, s, "ben")
	root := mustTweet(t, s, a, "root", 0)
	mid := mustTweet(t, s, b, "mid", root.ID)
	leaf := mustTweet(t, s, a, "leaf", mid.ID)
	mustTweet(t, s, b, "another answer", root.ID)
	th, err := s.Thread(ctx, leaf.ID, b.ID, 50)
	if err != nil || len(th.Ancestors) != 2 || th.Ancestors[0].Text != "root" || th.Ancestors[1].Text != "mid" || th.Tweet.ReplyToAuthor != "ben" {
		t.Fatalf("leaf's thread: %+v %v", th, err)
	}
	th, _ = s.Thread(ctx, root.ID, b.ID, 50)
	if len(th.Replies) != 2 || th.Replies[0].Text != "mid" || th.Tweet.Replies != 2 {
		t.Errorf("root's replies: %+v", th)
	}
	// Deleting the middle tweet leaves the leaf readable, answering a
	// deleted tweet, with nothing above it.
	if err := s.DeleteTweet(ctx, mid.ID); err != nil {
		t.Fatal(err)
	}
	th, err = s.Thread(ctx, leaf.ID, 0, 50)
	if err != nil || th.Tweet.ReplyTo != mid.ID || th.Tweet.ReplyToAuthor != "" || len(th.Ancestors) != 0 {
		t.Errorf("after the parent's deletion: %+v %v", th, err)
	}
	// The reply policy is kept, and the default is everyone.
	ctl := tweets.Tweet{ID: ids.New(), AuthorID: a.ID, Text: "just @ben", CreatedAt: at, ReplyPolicy: tweets.ReplyMentioned}
	if err := s.CreateTweet(ctx, ctl); err != nil {
		t.Fatal(err)
	}
	if got, err := s.TweetByID(ctx, ctl.ID); err != nil || got.ReplyPolicy != tweets.ReplyMentioned {
		t.Errorf("reply policy: %q %v", got.ReplyPolicy, err)
	}
	if got, _ := s.TweetByID(ctx, root.ID); got.ReplyPolicy != tweets.ReplyEveryone {
		t.Errorf("default reply policy: %q", got.ReplyPolicy)
	}
	_ = time.Second
}

func testNotifications(t *testing.T, s tweets.Store) {
	ctx := context.Background()
	bob, ann, eve := mustUser(t, s, "bob"), mustUser(t, s, "ann"), mustUser(t, s, "eve")
	tw := mustTweet(t, s, bob, "noticed ✓", 0)
	add := func(actor tweets.User, kind tweets.NotificationKind, tweet tweets.ID) {
		t.Helper()
		n := tweets.Notification{ID: ids.New(), UserID: bob.ID, Kind: kind, ActorID: actor.ID, TweetID: tweet, CreatedAt: at}
		if err := s.AddNotification(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	add(ann, tweets.NotifyLike, tw.ID)
	add(ann, tweets.NotifyLike, tw.ID) // the same again: kept once
	add(eve, tweets.NotifyLike, tw.ID)
	add(ann, tweets.NotifyFollow, 0)
	ns, err := s.Notifications(ctx, bob.ID, 0, 10)
	if err != nil || len(ns) != 3 || ns[0].Kind != tweets.NotifyFollow || ns[1].Actor != "eve" || ns[2].TweetText != "noticed ✓" {
		t.Fatalf("notifications: %+v %v", ns, err)
	}
	if n, err := s.CountUnseenNotifications(ctx, bob.ID); err != nil || n != 3 {
		t.Errorf("unseen: %d %v, want 3", n, err)
	}
	// A suspended actor's notifications are hidden.
	if err := s.SetSuspended(ctx, eve.ID, at); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.CountUnseenNotifications(ctx, bob.ID); n != 2 {
		t.Errorf("unseen with eve suspended: %d, want 2", n)
	}
	if err := s.MarkNotificationsSeen(ctx, bob.ID, ns[1].ID); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.CountUnseenNotifications(ctx, bob.ID); n != 1 {
		t.Errorf("unseen after marking up to the second: %d, want 1 (the oldest)", n)
	}
	if err := s.RemoveNotification(ctx, bob.ID, tweets.NotifyFollow, ann.ID, 0); err != nil {
		t.Fatal(err)
	}
	// Dismissing: only the recipient's own, once.
	if err := s.DismissNotification(ctx, ann.ID, ns[2].ID); !errors.Is(err, tweets.ErrNotFound) {
		t.Errorf("ann dismissed bob's notification: %v", err)
	}
	if err := s.DismissNotification(ctx, bob.ID, ns[2].ID); err != nil {
		t.Fatal(err)
	}
	if err := s.DismissNotification(ctx, bob.ID, ns[2].ID); !errors.Is(err, tweets.ErrNotFound) {
		t.Errorf("dismissing twice: %v", err)
	}
	if err := s.SetSuspended(ctx, eve.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if ns, _ := s.Notifications(ctx, bob.ID, 0, 10); len(ns) != 1 || ns[0].Actor != "eve" {
		t.Fatalf("after dismissing ann's like, with eve back: %+v", ns)
	}
	if err := s.ClearNotifications(ctx, bob.ID); err != nil {
		t.Fatal(err)
	}
	if ns, _ := s.Notifications(ctx, bob.ID, 0, 10); len(ns) != 0 {
		t.Errorf("left after clearing: %+v", ns)
	}
	add(ann, tweets.NotifyLike, tw.ID)
	// Deleting the tweet takes its notifications along.
	if err := s.DeleteTweet(ctx, tw.ID); err != nil {
		t.Fatal(err)
	}
	if ns, _ := s.Notifications(ctx, bob.ID, 0, 10); len(ns) != 0 {
		t.Errorf("notifications left: %+v", ns)
	}
	if ns, _ := s.Notifications(ctx, ann.ID, 0, 10); len(ns) != 0 {
		t.Errorf("ann was told something: %+v", ns)
	}
}

func testBlocksAndMutes(t *testing.T, s tweets.Store) {
	ctx := context.Background()
	bob, mal, ann := mustUser(t, s, "bob"), mustUser(t, s, "mal"), mustUser(t, s, "ann")
	mustTweet(t, s, bob, "bob's", 0)
	mustTweet(t, s, mal, "mal's", 0)
	if err := s.Block(ctx, ids.New(), bob.ID, mal.ID, at); err != nil {
		t.Fatal(err)
	}
	if err := s.Block(ctx, ids.New(), bob.ID, mal.ID, at); !errors.Is(err, tweets.ErrConflict) {
		t.Errorf("blocking twice: %v", err)
	}
	if err := s.Mute(ctx, ids.New(), ann.ID, bob.ID, at); err != nil {
		t.Fatal(err)
	}
	if r, _ := s.Relationship(ctx, mal.ID, bob.ID); !r.BlockedBy || r.Blocking {
		t.Errorf("mal and bob: %+v", r)
	}
	if r, _ := s.Relationship(ctx, ann.ID, bob.ID); !r.Muting || r.Blocked() {
		t.Errorf("ann and bob: %+v", r)
	}
	texts := func(q tweets.TimelineQuery) string {
		t.Helper()
		q.Limit = 10
		ts, err := s.Timeline(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, tw := range ts {
			out = append(out, tw.Text)
		}
		return fmt.Sprint(out)
	}
	for _, tc := range []struct {
		q    tweets.TimelineQuery
		want string
	}{
		{tweets.TimelineQuery{}, "[mal's bob's]"},
		{tweets.TimelineQuery{Viewer: mal.ID}, "[mal's]"},
		{tweets.TimelineQuery{Viewer: bob.ID}, "[bob's]"},
		{tweets.TimelineQuery{Viewer: ann.ID}, "[mal's bob's]"},
		{tweets.TimelineQuery{Viewer: ann.ID, HideMuted: true}, "[mal's]"},
		{tweets.TimelineQuery{Viewer: mal.ID, AuthorID: bob.ID}, "[]"},
	} {
		if got := texts(tc.q); got != tc.want {
			t.Errorf("%+v: %s, want %s", tc.q, got, tc.want)
		}
	}
	if err := s.Unblock(ctx, bob.ID, mal.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.Unmute(ctx, ann.ID, bob.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.Unmute(ctx, ann.ID, bob.ID); !errors.Is(err, tweets.ErrNotFound) {
		t.Errorf("unmuting twice: %v", err)
	}
	if got := texts(tweets.TimelineQuery{Viewer: mal.ID}); got != "[mal's bob's]" {
		t.Errorf("after the unblock: %s", got)
	}
}

func testEdits(t *testing.T, s tweets.Store) {
	ctx := context.Background()
	a := mustUser(t, s, "editor")
	tw := mustTweet(t, s, a, "café v1", 0)
	later := at.Add(time.Hour)
	if err := s.EditTweet(ctx, tw.ID, "café v2 🙂", later); err != nil {
		t.Fatal(err)
	}
	if err := s.EditTweet(ctx, tw.ID, "café v3", later.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, err := s.TweetByID(ctx, tw.ID)
	if err != nil || got.Text != "café v3" || !got.EditedAt.Equal(later.Add(time.Hour)) {
		t.Fatalf("after two edits: %q %v %v", got.Text, got.EditedAt, err)
	}
	vs, err := s.Versions(ctx, tw.ID)
	if err != nil || len(vs) != 2 || vs[0].Number != 1 || vs[0].Text != "café v1" || !vs[0].WrittenAt.Equal(at) ||
		vs[1].Text != "café v2 🙂" || !vs[1].WrittenAt.Equal(later) {
		t.Errorf("versions: %+v %v", vs, err)
	}
	if err := s.EditTweet(ctx, ids.New(), "nothing there", later); !errors.Is(err, tweets.ErrNotFound) {
		t.Errorf("editing a missing tweet: %v", err)
	}
	if err := s.DeleteTweet(ctx, tw.ID); err != nil {
		t.Fatal(err)
	}
	if vs, _ := s.Versions(ctx, tw.ID); len(vs) != 0 {
		t.Errorf("versions outlived their tweet: %+v", vs)
	}
}

func testQuotes(t *testing.T, s tweets.Store) {
	ctx := context.Background()
	bob, ann, mal := mustUser(t, s, "bob"), mustUser(t, s, "ann"), mustUser(t, s, "mal")
	orig := mustTweet(t, s, bob, "origînal", 0)
	q := tweets.Tweet{ID: ids.New(), AuthorID: ann.ID, Text: "quoting", CreatedAt: at, Quote: orig.ID}
	if err := s.CreateTweet(ctx, q); err != nil {
		t.Fatal(err)
	}
	got, err := s.TweetByID(ctx, q.ID)
	if err != nil || got.Quote != orig.ID || got.Quoted == nil || got.Quoted.Text != "origînal" || got.Quoted.Author != "bob" {
		t.Fatalf("the quote: %+v %v", got, err)
	}
	if o, _ := s.TweetByID(ctx, orig.ID); o.Quotes != 1 {
		t.Errorf("quotes of the original: %d, want 1", o.Quotes)
	}
	// Hidden from a reader blocked by the quoted author.
	if err := s.Block(ctx, ids.New(), bob.ID, mal.ID, at); err != nil {
		t.Fatal(err)
	}
	ts, _ := s.Timeline(ctx, tweets.TimelineQuery{AuthorID: ann.ID, Viewer: mal.ID, Limit: 5})
	if len(ts) != 1 || ts[0].Quoted != nil || ts[0].Quote != orig.ID {
		t.Errorf("as mal: %+v", ts)
	}
	if err := s.DeleteTweet(ctx, orig.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.TweetByID(ctx, q.ID); got.Quote != orig.ID || got.Quoted != nil {
		t.Errorf("after the original's deletion: %+v", got)
	}
}

// testCursorsAbove: a timeline read above a cursor, as clients catch up:
// After alone gives the newest page down to it; with Oldest, the page
// just above it. Either comes newest first, on the public, profile and
// home timelines, reposts included.
func testCursorsAbove(t *testing.T, s tweets.Store) {
	ctx := context.Background()
	me, friend := mustUser(t, s, "reader"), mustUser(t, s, "writer")
	follow(t, s, me, friend)
	var items []tweets.ID // oldest first
	for i := range 5 {
		items = append(items, mustTweet(t, s, friend, fmt.Sprintf("nº %d", i), 0).ID)
	}
	own := mustTweet(t, s, me, "my own ✓", 0)
	boost := ids.New()
	if err := s.Repost(ctx, tweets.Repost{ID: boost, UserID: friend.ID, TweetID: own.ID, CreatedAt: at}); err != nil {
		t.Fatal(err)
	}
	items = append(items, own.ID) // the reader's own tweet: home shows it, not the repost
	for _, c := range []struct {
		name string
		q    tweets.TimelineQuery
		want []tweets.ID
	}{
		{"public since", tweets.TimelineQuery{After: items[1], Limit: 2}, []tweets.ID{items[5], items[4]}},
		{"public min", tweets.TimelineQuery{After: items[1], Oldest: true, Limit: 2}, []tweets.ID{items[3], items[2]}},
		{"public between", tweets.TimelineQuery{After: items[0], Before: items[3], Oldest: true, Limit: 5}, []tweets.ID{items[2], items[1]}},
		{"profile min", tweets.TimelineQuery{AuthorID: friend.ID, After: items[2], Oldest: true, Limit: 1}, []tweets.ID{items[3]}},
		{"home since", tweets.TimelineQuery{Home: me.ID, Viewer: me.ID, After: items[2], Limit: 2}, []tweets.ID{items[5], items[4]}},
		{"home min", tweets.TimelineQuery{Home: me.ID, Viewer: me.ID, After: items[0], Oldest: true, Limit: 3}, []tweets.ID{items[3], items[2], items[1]}},
		{"home above all", tweets.TimelineQuery{Home: me.ID, Viewer: me.ID, After: items[5], Oldest: true, Limit: 3}, nil},
	} {
		ts, err := s.Timeline(ctx, c.q)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := itemIDs(ts); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// testHomeTimelineBoundedMerge: a page reads at most a page's worth of
// items per account followed, so an account whose newest reposts are
// all of tweets already on the timeline (not shown) must still bring
// its older reposts that are shown, and a busy account must not crowd
// out a quiet one's older tweets: paging a page of two at a time, in
// both directions, gives every item once, in order.
func testHomeTimelineBoundedMerge(t *testing.T, s tweets.Store) {
	ctx := context.Background()
	me, busy, booster, quiet, stranger := mustUser(t, s, "reader"), mustUser(t, s, "busy"), mustUser(t, s, "booster"), mustUser(t, s, "quiet"), mustUser(t, s, "stranger")
	follow(t, s, me, busy)
	follow(t, s, me, booster)
	follow(t, s, me, quiet)
	repost := func(u tweets.User, tw tweets.Tweet) tweets.ID {
		id := ids.New()
		if err := s.Repost(ctx, tweets.Repost{ID: id, UserID: u.ID, TweetID: tw.ID, CreatedAt: at}); err != nil {
			t.Fatal(err)
		}
		return id
	}
	var want []tweets.ID // newest last, while building
	want = append(want, mustTweet(t, s, quiet, "quiet, long ago", 0).ID)
	var busyTweets []tweets.Tweet
	for i := range 6 {
		tw := mustTweet(t, s, busy, fmt.Sprintf("busy %d", i), 0)
		busyTweets, want = append(busyTweets, tw), append(want, tw.ID)
	}
	for i := range 3 { // reposts the page shows: of a stranger's tweets
		want = append(want, repost(booster, mustTweet(t, s, stranger, fmt.Sprintf("stranger %d", i), 0)))
	}
	// The booster's newest reposts are of tweets already on the timeline:
	// not shown, they must not hide the booster's older ones.
	for _, tw := range busyTweets {
		repost(booster, tw)
	}
	slices.Reverse(want) // newest first
	var down []tweets.ID
	for page, before := 0, tweets.ID(0); page < 20; page++ {
		ts, err := s.Timeline(ctx, tweets.TimelineQuery{Home: me.ID, Viewer: me.ID, Before: before, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		if len(ts) == 0 {
			break
		}
		down = append(down, itemIDs(ts)...)
		before = ts[len(ts)-1].Item
	}
	if !slices.Equal(down, want) {
		t.Errorf("paging down: %v\nwant %v", down, want)
	}
	var up []tweets.ID
	for page, after := 0, tweets.ID(0); page < 20; page++ {
		ts, err := s.Timeline(ctx, tweets.TimelineQuery{Home: me.ID, Viewer: me.ID, After: after, Oldest: true, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		if len(ts) == 0 {
			break
		}
		up = append(itemIDs(ts), up...)
		after = ts[0].Item
	}
	if !slices.Equal(up, want) {
		t.Errorf("paging up: %v\nwant %v", up, want)
	}
}

func itemIDs(ts []tweets.Tweet) []tweets.ID {
	var out []tweets.ID
	for _, tw := range ts {
		out = append(out, tw.Item)
	}
	return out
}

// testUnseenCap: the unseen count stops at tweets.UnseenCap, so that a
// page of an account with thousands unseen costs the same as any other.
func testUnseenCap(t *testing.T, s tweets.Store) {
	ctx := context.Background()
	star, fan := mustUser(t, s, "star"), mustUser(t, s, "fän")
	for range tweets.UnseenCap + 5 {
		tw := mustTweet(t, s, star, "liked", 0)
		n := tweets.Notification{ID: ids.New(), UserID: star.ID, Kind: tweets.NotifyLike, ActorID: fan.ID, TweetID: tw.ID, CreatedAt: at}
		if err := s.AddNotification(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := s.CountUnseenNotifications(ctx, star.ID); err != nil || n != tweets.UnseenCap {
		t.Errorf("unseen: %d %v, want the cap, %d", n, err, tweets.UnseenCap)
	}
}
