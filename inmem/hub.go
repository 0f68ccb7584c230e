// Package inmem is the in-process event hub: what the Service publishes
// reaches every subscriber on this replica (caches, and live updates to
// come). Each subscriber has a bounded buffer; one that falls behind is
// dropped rather than slowing the publisher or growing memory.
package inmem

import (
	"context"
	"sync"

	"github.com/tweetsdev/tweets"
)

// DefaultBuffer is how many events a subscriber may have waiting.
const DefaultBuffer = 256

// Hub implements tweets.Publisher and tweets.Subscriber.
type Hub struct {
	// Buffer is each subscriber's queue length (DefaultBuffer if zero).
	Buffer int
	// OnDrop, if set, is called when a slow subscriber is dropped (a
	// metric counts them).
	OnDrop func()

	mu       sync.Mutex
	subs     map[*subscription]struct{}
	handlers []handler
}

// handler is a function called inline by Publish.
type handler struct {
	filter tweets.EventFilter
	fn     func(tweets.Event)
}

// Handle calls fn with every event that filter takes, inline in Publish,
// before Publish returns: for in-process work that must be done by then
// and is quick (a cache dropping a page, so that whoever posted sees the
// post on the next page they load). fn must not block or publish.
func (h *Hub) Handle(filter tweets.EventFilter, fn func(tweets.Event)) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.handlers = append(h.handlers, handler{filter, fn})
}

// Publish implements tweets.Publisher. It never blocks: a subscriber
// whose buffer is full is dropped, and learns it from Dropped.
func (h *Hub) Publish(_ context.Context, e tweets.Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, hd := range h.handlers {
		if hd.filter == nil || hd.filter(e) {
			hd.fn(e)
		}
	}
	for s := range h.subs {
		if s.filter != nil && !s.filter(e) {
			continue
		}
		select {
		case s.ch <- e:
		default:
			s.dropped = true
			h.remove(s)
			if h.OnDrop != nil {
				h.OnDrop()
			}
		}
	}
}

// Subscribe implements tweets.Subscriber.
func (h *Hub) Subscribe(filter tweets.EventFilter) tweets.Subscription {
	n := h.Buffer
	if n <= 0 {
		n = DefaultBuffer
	}
	s := &subscription{hub: h, filter: filter, ch: make(chan tweets.Event, n)}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.subs == nil {
		h.subs = map[*subscription]struct{}{}
	}
	h.subs[s] = struct{}{}
	return s
}

// Subscribers is how many subscriptions are live.
func (h *Hub) Subscribers() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs)
}

// remove ends s; the caller holds h.mu, so no Publish is sending to it.
func (h *Hub) remove(s *subscription) {
	if _, ok := h.subs[s]; ok {
		delete(h.subs, s)
		close(s.ch)
	}
}

type subscription struct {
	hub     *Hub
	filter  tweets.EventFilter
	ch      chan tweets.Event
	dropped bool // under hub.mu
}

func (s *subscription) Events() <-chan tweets.Event { return s.ch }

func (s *subscription) Dropped() bool {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	return s.dropped
}

func (s *subscription) Close() {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	s.hub.remove(s)
}
