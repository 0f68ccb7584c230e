// Package relaytest checks a tweets.Relay: the same test for every way
// replicas exchange events.
package relaytest

import (
	"context"
	"testing"
	"time"

	"github.com/tweetsdev/tweets"
)

// Check sends from replica a and expects replica b, and only b, to
// receive the event intact (non-ASCII text included).
func Check(t *testing.T, a, b tweets.Relay) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	gotA, gotB := make(chan tweets.Event, 64), make(chan tweets.Event, 64)
	go a.Listen(ctx, func(e tweets.Event) { gotA <- e })
	go b.Listen(ctx, func(e tweets.Event) { gotB <- e })
	sent := tweets.Event{Kind: tweets.EventTweetDeleted, Tweet: tweets.Tweet{ID: 42, AuthorID: 7, Author: "zoë", Text: "école 🙂 ΣΟΦΊΑ"}}
	// Listening starts asynchronously: send until an event arrives.
	deadline := time.Now().Add(5 * time.Second)
	var got tweets.Event
	for got.Kind == "" && time.Now().Before(deadline) {
		if err := a.Send(ctx, sent); err != nil {
			t.Fatal(err)
		}
		select {
		case got = <-gotB:
		case <-time.After(100 * time.Millisecond):
		}
	}
	if got.Kind != sent.Kind || got.Tweet.ID != sent.Tweet.ID || got.Tweet.Text != sent.Tweet.Text || got.Tweet.Author != sent.Tweet.Author {
		t.Fatalf("the other replica got %+v, want %+v", got, sent)
	}
	select {
	case e := <-gotA:
		t.Errorf("the sender received its own event: %+v", e)
	case <-time.After(200 * time.Millisecond):
	}
}
