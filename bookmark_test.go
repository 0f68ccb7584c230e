package tweets_test

import (
	"context"
	"testing"

	"github.com/tweetsdev/tweets"
)

// TestBookmarksAndMarkers: bookmarks are one's own, leave with a block,
// and the notifications marker marks what it passes as seen, so that the
// pages count the same unread notifications as the apps.
func TestBookmarksAndMarkers(t *testing.T) {
	forEachBackend(t, func(t *testing.T, svc *tweets.Service) {
		ctx := context.Background()
		alice, _ := svc.CreateAccount(ctx, "alice", "password1")
		bob, _ := svc.CreateAccount(ctx, "bob", "password1")
		tw, err := svc.PostTweet(ctx, alice, "worth keeping", nil)
		if err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if err := svc.Bookmark(ctx, bob, tw.ID); err != nil {
				t.Fatalf("bookmark: %v", err)
			}
		}
		if ts, err := svc.Bookmarks(ctx, bob, tweets.SavedQuery{}); err != nil || len(ts) != 1 || !ts[0].Bookmarked {
			t.Errorf("bob's bookmarks: %+v %v", ts, err)
		}
		if ts, _ := svc.Bookmarks(ctx, alice, tweets.SavedQuery{UserID: bob.ID}); len(ts) != 0 {
			t.Errorf("alice asking for bob's bookmarks got %+v", ts)
		}
		if _, err := svc.Block(ctx, alice, "bob"); err != nil {
			t.Fatal(err)
		}
		if err := svc.Bookmark(ctx, bob, tw.ID); tweets.ErrorCode(err) != tweets.CodeNotFound {
			t.Errorf("bookmarking a blocker's tweet: %v", err)
		}
		if ts, _ := svc.Bookmarks(ctx, bob, tweets.SavedQuery{}); len(ts) != 0 {
			t.Errorf("a blocker's tweet stays on the bookmarks: %+v", ts)
		}
		if err := svc.Unbookmark(ctx, bob, 12345); err != nil {
			t.Errorf("unbookmarking what was never bookmarked: %v", err)
		}

		carol, _ := svc.CreateAccount(ctx, "carol", "password1")
		mine, _ := svc.PostTweet(ctx, carol, "like me", nil)
		if err := svc.Like(ctx, alice, mine.ID); err != nil {
			t.Fatal(err)
		}
		ns, _ := svc.NotificationList(ctx, carol, 0, 10)
		if n, _ := svc.UnseenNotifications(ctx, carol); n != 1 || len(ns) != 1 {
			t.Fatalf("unseen before the marker: %d, %+v", n, ns)
		}
		ms, err := svc.SetMarkers(ctx, carol, map[string]tweets.ID{tweets.MarkNotifications: ns[0].ID, "lists": 1})
		if err != nil || len(ms) != 1 || ms[0].Timeline != tweets.MarkNotifications || ms[0].LastReadID != ns[0].ID {
			t.Errorf("SetMarkers: %+v %v", ms, err)
		}
		if n, _ := svc.UnseenNotifications(ctx, carol); n != 0 {
			t.Errorf("unseen after the marker: %d", n)
		}
		if ms, _ := svc.Markers(ctx, carol, []string{tweets.MarkHome, tweets.MarkNotifications}); len(ms) != 1 || ms[0].Version != 0 {
			t.Errorf("Markers: %+v", ms)
		}
	})
}
