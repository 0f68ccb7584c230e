package inmem

import (
	"context"
	"testing"
	"time"

	"github.com/tweetsdev/tweets"
)

func posted(id tweets.ID) tweets.Event {
	return tweets.Event{Kind: tweets.EventTweetPosted, Tweet: tweets.Tweet{ID: id}}
}

func TestSubscribersGetWhatTheyFilterFor(t *testing.T) {
	h := &Hub{}
	ctx := context.Background()
	var handled []tweets.EventKind
	h.Handle(func(e tweets.Event) bool { return e.Kind == tweets.EventTweetPosted }, func(e tweets.Event) { handled = append(handled, e.Kind) })
	all := h.Subscribe(nil)
	deletes := h.Subscribe(func(e tweets.Event) bool { return e.Kind == tweets.EventTweetDeleted })
	h.Publish(ctx, posted(1))
	h.Publish(ctx, tweets.Event{Kind: tweets.EventTweetDeleted, Tweet: tweets.Tweet{ID: 1}})
	if len(handled) != 1 {
		t.Errorf("the handler ran %d times before Publish returned, want 1 (posted only)", len(handled))
	}
	if e := <-all.Events(); e.Kind != tweets.EventTweetPosted {
		t.Errorf("first event: %v", e)
	}
	if e := <-all.Events(); e.Kind != tweets.EventTweetDeleted {
		t.Errorf("second event: %v", e)
	}
	select {
	case e := <-deletes.Events():
		if e.Kind != tweets.EventTweetDeleted {
			t.Errorf("filtered subscriber got %v", e)
		}
	case <-time.After(time.Second):
		t.Fatal("filtered subscriber got nothing")
	}
	if len(deletes.Events()) != 0 {
		t.Error("filtered subscriber got more than it asked for")
	}
	all.Close()
	if _, open := <-all.Events(); open {
		t.Error("channel still open after Close")
	}
	if all.Dropped() {
		t.Error("a closed subscription reports dropped")
	}
	h.Publish(ctx, posted(2)) // must not panic on the closed one
	if h.Subscribers() != 1 {
		t.Errorf("%d subscribers, want 1", h.Subscribers())
	}
}

// TestSlowSubscriberIsDropped: a subscriber that does not read is cut off
// when its buffer is full; the publisher never blocks and the others
// keep getting events.
func TestSlowSubscriberIsDropped(t *testing.T) {
	drops := 0
	h := &Hub{Buffer: 4, OnDrop: func() { drops++ }}
	ctx := context.Background()
	slow := h.Subscribe(nil)
	fast := h.Subscribe(nil)
	done := make(chan int)
	go func() {
		n := 0
		for range fast.Events() {
			n++
			if n == 100 {
				break
			}
		}
		done <- n
	}()
	start := time.Now()
	for i := range 100 {
		h.Publish(ctx, posted(tweets.ID(i+1)))
		time.Sleep(100 * time.Microsecond) // let the fast reader keep up
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("publishing took %v: it blocked on the slow subscriber", d)
	}
	if n := <-done; n != 100 {
		t.Errorf("the fast subscriber got %d events, want 100", n)
	}
	if !slow.Dropped() || drops != 1 {
		t.Errorf("slow subscriber: dropped=%v, drops counted %d; want true, 1", slow.Dropped(), drops)
	}
	n := 0
	for range slow.Events() { // the buffered ones, then closed
		n++
	}
	if n != 4 {
		t.Errorf("the dropped subscriber drained %d events, want its buffer of 4", n)
	}
}
