package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/tweetsdev/tweets"
)

// savedIDs returns the tweet ids and the item ids (cursors) of a page.
func savedIDs(ts []tweets.Tweet) (tweetIDs, items []tweets.ID) {
	for _, t := range ts {
		tweetIDs, items = append(tweetIDs, t.ID), append(items, t.Item)
	}
	return tweetIDs, items
}

func testBookmarks(t *testing.T, s tweets.Store) {
	ctx := context.Background()
	alice, bob, mal := mustUser(t, s, "alice"), mustUser(t, s, "bob"), mustUser(t, s, "mal")
	// Tweets made in one order, bookmarked in the other: the list follows
	// the bookmarks.
	var tws []tweets.Tweet
	for _, text := range []string{"eins ✓", "deux é", "三", "четыре"} {
		tws = append(tws, mustTweet(t, s, alice, text, 0))
	}
	var marks []tweets.ID
	for i := len(tws) - 1; i >= 0; i-- {
		b := tweets.Bookmark{ID: ids.New(), UserID: bob.ID, TweetID: tws[i].ID, CreatedAt: at}
		if err := s.Bookmark(ctx, b); err != nil {
			t.Fatal(err)
		}
		marks = append(marks, b.ID)
	}
	if err := s.Bookmark(ctx, tweets.Bookmark{ID: ids.New(), UserID: bob.ID, TweetID: tws[0].ID, CreatedAt: at}); !errors.Is(err, tweets.ErrConflict) {
		t.Errorf("bookmarking twice: %v, want ErrConflict", err)
	}

	page, err := s.Saved(ctx, tweets.SavedQuery{UserID: bob.ID, Limit: 3})
	got, items := savedIDs(page)
	if err != nil || len(got) != 3 || got[0] != tws[0].ID || got[2] != tws[2].ID || items[0] != marks[3] || items[2] != marks[1] {
		t.Fatalf("first page: %v %v %v", got, items, err)
	}
	if !page[0].Bookmarked || page[0].Text != "eins ✓" {
		t.Errorf("a bookmarked tweet as its reader sees it: %+v", page[0])
	}
	page, _ = s.Saved(ctx, tweets.SavedQuery{UserID: bob.ID, Before: items[2], Limit: 3})
	if got, _ := savedIDs(page); len(got) != 1 || got[0] != tws[3].ID {
		t.Errorf("second page: %v", got)
	}
	page, _ = s.Saved(ctx, tweets.SavedQuery{UserID: bob.ID, After: marks[1], Limit: 10})
	if got, _ := savedIDs(page); len(got) != 2 || got[0] != tws[0].ID || got[1] != tws[1].ID {
		t.Errorf("newer than a bookmark: %v", got)
	}
	page, _ = s.Saved(ctx, tweets.SavedQuery{UserID: bob.ID, After: marks[0], Oldest: true, Limit: 2})
	if got, _ := savedIDs(page); len(got) != 2 || got[0] != tws[1].ID || got[1] != tws[2].ID {
		t.Errorf("the oldest just after a bookmark, newest first: %v", got)
	}

	// Private: alice's own view of her tweets does not show bob's marks,
	// nor does her list.
	ts, _ := s.Timeline(ctx, tweets.TimelineQuery{AuthorID: alice.ID, Viewer: alice.ID, Limit: 10})
	for _, tw := range ts {
		if tw.Bookmarked {
			t.Errorf("alice sees bob's bookmark on %q", tw.Text)
		}
	}
	if page, _ := s.Saved(ctx, tweets.SavedQuery{UserID: alice.ID, Limit: 10}); len(page) != 0 {
		t.Errorf("alice's bookmarks: %v", page)
	}
	bs, err := s.BookmarksBy(ctx, bob.ID, 0, 10)
	if err != nil || len(bs) != 4 || bs[0].ID != marks[3] || bs[0].TweetID != tws[0].ID || !bs[0].CreatedAt.Equal(at) {
		t.Errorf("BookmarksBy: %+v %v", bs, err)
	}

	// Hidden authors drop out of the list; blocks and suspensions.
	malTweet := mustTweet(t, s, mal, "spam", 0)
	if err := s.Bookmark(ctx, tweets.Bookmark{ID: ids.New(), UserID: bob.ID, TweetID: malTweet.ID, CreatedAt: at}); err != nil {
		t.Fatal(err)
	}
	if err := s.Block(ctx, ids.New(), mal.ID, bob.ID, at); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSuspended(ctx, alice.ID, at); err != nil {
		t.Fatal(err)
	}
	if page, _ := s.Saved(ctx, tweets.SavedQuery{UserID: bob.ID, Limit: 10}); len(page) != 0 {
		t.Errorf("bookmarks of a blocker and a suspended account: %v", page)
	}
	if err := s.SetSuspended(ctx, alice.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}

	if err := s.Unbookmark(ctx, bob.ID, tws[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := s.Unbookmark(ctx, bob.ID, tws[0].ID); !errors.Is(err, tweets.ErrNotFound) {
		t.Errorf("unbookmarking twice: %v", err)
	}
	// Deleting a tweet, then its author, takes the bookmarks along.
	if err := s.DeleteTweet(ctx, tws[1].ID); err != nil {
		t.Fatal(err)
	}
	if bs, _ := s.BookmarksBy(ctx, bob.ID, 0, 10); len(bs) != 3 {
		t.Errorf("after deleting a tweet: %+v", bs)
	}
	if _, err := s.DeleteUser(ctx, alice.ID); err != nil {
		t.Fatal(err)
	}
	if bs, _ := s.BookmarksBy(ctx, bob.ID, 0, 10); len(bs) != 1 || bs[0].TweetID != malTweet.ID {
		t.Errorf("after deleting the author: %+v", bs)
	}
	if _, err := s.DeleteUser(ctx, bob.ID); err != nil {
		t.Fatal(err)
	}
	if bs, _ := s.BookmarksBy(ctx, bob.ID, 0, 10); len(bs) != 0 {
		t.Errorf("after deleting the reader: %+v", bs)
	}
}

func testFavouritesList(t *testing.T, s tweets.Store) {
	ctx := context.Background()
	alice, bob := mustUser(t, s, "alice"), mustUser(t, s, "bob")
	older, newer := mustTweet(t, s, alice, "older", 0), mustTweet(t, s, alice, "newer", 0)
	first, second := ids.New(), ids.New()
	// The newer tweet was liked first: the list follows the likes.
	for _, l := range []tweets.Like{{ID: first, UserID: bob.ID, TweetID: newer.ID, CreatedAt: at}, {ID: second, UserID: bob.ID, TweetID: older.ID, CreatedAt: at}} {
		if err := s.Like(ctx, l); err != nil {
			t.Fatal(err)
		}
	}
	page, err := s.Saved(ctx, tweets.SavedQuery{UserID: bob.ID, Likes: true, Limit: 1})
	if got, items := savedIDs(page); err != nil || len(got) != 1 || got[0] != older.ID || items[0] != second || !page[0].Liked {
		t.Fatalf("first page: %v %v %v", got, items, err)
	}
	page, _ = s.Saved(ctx, tweets.SavedQuery{UserID: bob.ID, Likes: true, Before: second, Limit: 1})
	if got, items := savedIDs(page); len(got) != 1 || got[0] != newer.ID || items[0] != first {
		t.Errorf("second page: %v %v", got, items)
	}
	if page, _ := s.Saved(ctx, tweets.SavedQuery{UserID: bob.ID, Limit: 10}); len(page) != 0 {
		t.Errorf("likes are not bookmarks: %v", page)
	}
}

func testMarkers(t *testing.T, s tweets.Store) {
	ctx := context.Background()
	alice, bob := mustUser(t, s, "alice"), mustUser(t, s, "bob")
	later := at.Add(time.Hour)
	m, err := s.SetMarker(ctx, tweets.Marker{UserID: alice.ID, Timeline: tweets.MarkHome, LastReadID: 100, UpdatedAt: at})
	if err != nil || m.LastReadID != 100 || m.Version != 0 || !m.UpdatedAt.Equal(at) {
		t.Fatalf("a new marker: %+v %v", m, err)
	}
	m, err = s.SetMarker(ctx, tweets.Marker{UserID: alice.ID, Timeline: tweets.MarkHome, LastReadID: 200, UpdatedAt: later})
	if err != nil || m.LastReadID != 200 || m.Version != 1 || !m.UpdatedAt.Equal(later) {
		t.Errorf("a moved marker: %+v %v", m, err)
	}
	m, _ = s.SetMarker(ctx, tweets.Marker{UserID: alice.ID, Timeline: tweets.MarkHome, LastReadID: 200, UpdatedAt: later.Add(time.Hour)})
	if m.Version != 1 || !m.UpdatedAt.Equal(later) {
		t.Errorf("a marker set where it is: %+v", m)
	}
	if _, err := s.SetMarker(ctx, tweets.Marker{UserID: alice.ID, Timeline: tweets.MarkNotifications, LastReadID: 7, UpdatedAt: at}); err != nil {
		t.Fatal(err)
	}
	ms, err := s.Markers(ctx, alice.ID)
	if err != nil || len(ms) != 2 || ms[0].Timeline != tweets.MarkHome || ms[0].Version != 1 || ms[1].Timeline != tweets.MarkNotifications || ms[1].LastReadID != 7 {
		t.Errorf("alice's markers: %+v %v", ms, err)
	}
	if ms, _ := s.Markers(ctx, bob.ID); len(ms) != 0 {
		t.Errorf("bob's markers: %+v", ms)
	}
}
