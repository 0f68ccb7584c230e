package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/sqlstore"
)

// testBulkLoad: rows written by a bulk load read back as if posted one
// by one (counts, hashtags, mentions, the full-text index, reply and
// quote, notifications), and the loaded accounts are told apart by
// their password hash and removed with all that is theirs.
func testBulkLoad(t *testing.T, s *sqlstore.Store) {
	ctx := context.Background()
	other := mustUser(t, s, "Other")
	l, err := s.BulkLoader(ctx)
	if err != nil {
		t.Fatal(err)
	}
	const hash = "bulk-hash"
	ann := tweets.User{ID: ids.New(), Username: "Ann_1", PasswordHash: hash, CreatedAt: at, DisplayName: "Ann Ö", Bio: "hi"}
	bob := tweets.User{ID: ids.New(), Username: "bob_2", PasswordHash: hash, CreatedAt: at}
	later := at.Add(time.Minute)
	first := tweets.Tweet{ID: ids.New(), AuthorID: ann.ID, Text: "Grüße an @bob_2 #Café", CreatedAt: at}
	reply := tweets.Tweet{ID: ids.New(), AuthorID: bob.ID, Text: "@Ann_1 danke", CreatedAt: later, ReplyTo: first.ID, Quote: first.ID}
	steps := []error{
		l.LoadUsers(ctx, []tweets.User{ann, bob}),
		l.LoadFollows(ctx, []tweets.Follow{{ID: ids.New(), FollowerID: bob.ID, FolloweeID: ann.ID, CreatedAt: later}}),
		l.LoadTweets(ctx, []tweets.PostedTweet{{Tweet: first, Mentioned: []tweets.ID{bob.ID}}, {Tweet: reply, Mentioned: []tweets.ID{ann.ID}}}),
		l.LoadLikes(ctx, []tweets.Like{{ID: ids.New(), UserID: bob.ID, TweetID: first.ID, CreatedAt: later}}),
		l.LoadReposts(ctx, []tweets.Repost{{ID: ids.New(), UserID: bob.ID, TweetID: first.ID, CreatedAt: later}}),
		l.LoadNotifications(ctx, []tweets.Notification{{ID: ids.New(), UserID: ann.ID, Kind: tweets.NotifyLike, ActorID: bob.ID, TweetID: first.ID, CreatedAt: later}}),
	}
	for i, err := range steps {
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	if seeded, others, err := l.CountAccounts(ctx, hash); err != nil || seeded != 2 || others != 1 {
		t.Errorf("CountAccounts: %d loaded, %d others, %v; want 2 and 1", seeded, others, err)
	}
	if err := l.Close(ctx); err != nil {
		t.Fatal(err)
	}

	got, err := s.TweetByID(ctx, first.ID)
	if err != nil || got.Likes != 1 || got.Reposts != 1 || got.Replies != 1 || got.Quotes != 1 || got.ReplyPolicy != tweets.ReplyEveryone || !got.CreatedAt.Equal(at) {
		t.Errorf("loaded tweet: %+v, %v", got, err)
	}
	if c, err := s.ProfileCounts(ctx, ann.ID); err != nil || c.Followers != 1 || c.Tweets != 1 {
		t.Errorf("ProfileCounts of the loaded account: %+v, %v", c, err)
	}
	names := map[tweets.ID]string{first.ID: "first", reply.ID: "reply"}
	for _, q := range []tweets.TweetSearch{{Tag: tweets.FoldHashtag("CAFÉ")}, {Mention: bob.ID}, {Words: "grüße"}} {
		if f := found(t, s, q, names); len(f) != 1 || f[0] != "first" {
			t.Errorf("FindTweets(%+v) = %v, want [first]", q, f)
		}
	}
	if ns, err := s.Notifications(ctx, ann.ID, 0, 10); err != nil || len(ns) != 1 || ns[0].Actor != "bob_2" {
		t.Errorf("notifications of the loaded account: %+v, %v", ns, err)
	}
	if u, err := s.UserByUsername(ctx, "ann_1"); err != nil || u.DisplayName != "Ann Ö" || u.PasswordHash != hash {
		t.Errorf("loaded account: %+v, %v", u, err)
	}

	l, err = s.BulkLoader(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := l.RemoveAccounts(ctx, hash); err != nil || n != 2 {
		t.Errorf("RemoveAccounts: %d, %v; want 2", n, err)
	}
	if err := l.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.TweetByID(ctx, first.ID); !errors.Is(err, tweets.ErrNotFound) {
		t.Errorf("a removed account's tweet: %v", err)
	}
	if _, err := s.UserByID(ctx, other.ID); err != nil {
		t.Errorf("the other account after RemoveAccounts: %v", err)
	}
}
