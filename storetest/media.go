package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/tweetsdev/tweets"
)

// testMediaByKey: a media key leads to its tweet and author, says whether
// the author is suspended, and leads nowhere once the tweet is deleted.
func testMediaByKey(t *testing.T, s tweets.Store) {
	ctx := context.Background()
	alice := mustUser(t, s, "alice")
	m := tweets.Media{Key: "k1.png", ContentType: "image/png", Width: 3, Height: 2, Size: 99}
	tw := tweets.Tweet{ID: ids.New(), AuthorID: alice.ID, Text: "photo ☀", CreatedAt: at, Media: []tweets.Media{m}}
	if err := s.CreateTweet(ctx, tw); err != nil {
		t.Fatal(err)
	}
	want := tweets.AttachedMedia{Media: m, TweetID: tw.ID, AuthorID: alice.ID}
	if got, err := s.MediaByKey(ctx, m.Key); err != nil || got != want {
		t.Errorf("MediaByKey = %+v, %v; want %+v", got, err, want)
	}

	if err := s.SetSuspended(ctx, alice.ID, at); err != nil {
		t.Fatal(err)
	}
	if got, err := s.MediaByKey(ctx, m.Key); err != nil || !got.AuthorSuspended {
		t.Errorf("MediaByKey with the author suspended = %+v, %v; want AuthorSuspended", got, err)
	}
	if err := s.SetSuspended(ctx, alice.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if got, err := s.MediaByKey(ctx, m.Key); err != nil || got.AuthorSuspended {
		t.Errorf("MediaByKey after the suspension was lifted = %+v, %v", got, err)
	}

	if _, err := s.MediaByKey(ctx, "nothing.png"); !errors.Is(err, tweets.ErrNotFound) {
		t.Errorf("MediaByKey of an unknown key: err = %v, want ErrNotFound", err)
	}
	if err := s.DeleteTweet(ctx, tw.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MediaByKey(ctx, m.Key); !errors.Is(err, tweets.ErrNotFound) {
		t.Errorf("MediaByKey after its tweet was deleted: err = %v, want ErrNotFound", err)
	}
}
