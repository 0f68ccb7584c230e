package cache

import (
	"container/list"
	"context"
	"slices"
	"sync"

	"github.com/tweetsdev/tweets"
)

// Feeds keeps the items of readers' home timelines, newest first: in
// process memory (MemoryFeeds) or, shared by replicas, in Redis. A feed
// is filled from the database once (Start, then Fill), then kept current
// by Push as accounts post and repost, until Drop, DropAll or eviction.
type Feeds interface {
	// Start begins filling reader's feed: items pushed until Fill are
	// kept, and a Drop meanwhile makes Fill a no-op. It returns the
	// token Fill needs.
	Start(ctx context.Context, reader tweets.ID) (token string, err error)
	// Fill stores what was read since Start, unless the feed was dropped
	// since.
	Fill(ctx context.Context, reader tweets.ID, token string, f Feed) error
	// Read returns up to limit items below before (zero: the newest),
	// with the feed's facts; ok is false when reader's feed is not kept
	// (or not filled yet).
	Read(ctx context.Context, reader, before tweets.ID, limit int) (f Feed, ok bool, err error)
	// Push adds an item to the feeds of the readers that have one (or
	// are filling one); readers without one get it when theirs is
	// filled.
	Push(ctx context.Context, readers []tweets.ID, it tweets.HomeItem) error
	// Drop forgets readers' feeds; DropAll every feed.
	Drop(ctx context.Context, readers ...tweets.ID) error
	DropAll(ctx context.Context) error
}

// Feed is a reader's kept home timeline.
type Feed struct {
	Items []tweets.HomeItem // newest first
	// Complete says the items go back to the timeline's beginning: a
	// page past the oldest is empty, not a page to read from the
	// database.
	Complete bool
	// Heavy are the accounts the reader follows whose items are not
	// pushed (they have too many followers) but read with each page.
	Heavy []tweets.ID
}

// MemoryFeeds keeps feeds in process memory, the least recently read
// dropped first once Readers are kept. A replica of its own keeps its
// own, current through the events every replica receives.
type MemoryFeeds struct {
	Readers int // feeds kept
	Length  int // items kept per feed

	mu    sync.Mutex
	feeds map[tweets.ID]*list.Element // of *memFeed, most recently used first
	lru   list.List
	token uint64
}

type memFeed struct {
	reader  tweets.ID
	feed    Feed
	filling uint64 // the token of the fill under way; zero once filled
}

// NewMemoryFeeds keeps up to readers feeds of length items each.
func NewMemoryFeeds(readers, length int) *MemoryFeeds {
	return &MemoryFeeds{Readers: readers, Length: length, feeds: map[tweets.ID]*list.Element{}}
}

// Start implements Feeds.
func (m *MemoryFeeds) Start(_ context.Context, reader tweets.ID) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.token++
	if e, ok := m.feeds[reader]; ok {
		f := e.Value.(*memFeed)
		f.filling = m.token
		m.lru.MoveToFront(e)
	} else {
		m.feeds[reader] = m.lru.PushFront(&memFeed{reader: reader, filling: m.token})
		m.evict()
	}
	return tokenString(m.token), nil
}

// Fill implements Feeds.
func (m *MemoryFeeds) Fill(_ context.Context, reader tweets.ID, token string, f Feed) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.feeds[reader]
	if !ok {
		return nil
	}
	mf := e.Value.(*memFeed)
	if mf.filling == 0 || tokenString(mf.filling) != token {
		return nil
	}
	pushed := mf.feed.Items
	mf.feed = Feed{Items: slices.Clone(f.Items), Complete: f.Complete, Heavy: f.Heavy}
	for _, it := range pushed {
		m.insert(mf, it)
	}
	mf.filling = 0
	return nil
}

// Read implements Feeds.
func (m *MemoryFeeds) Read(_ context.Context, reader, before tweets.ID, limit int) (Feed, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.feeds[reader]
	if !ok || e.Value.(*memFeed).filling != 0 {
		return Feed{}, false, nil
	}
	m.lru.MoveToFront(e)
	f := e.Value.(*memFeed).feed
	from := 0
	if before != 0 {
		var at bool
		if from, at = slices.BinarySearchFunc(f.Items, before, newerThan); at {
			from++
		}
	}
	to := min(from+limit, len(f.Items))
	return Feed{Items: slices.Clone(f.Items[from:to]), Complete: f.Complete, Heavy: f.Heavy}, true, nil
}

// Push implements Feeds.
func (m *MemoryFeeds) Push(_ context.Context, readers []tweets.ID, it tweets.HomeItem) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, r := range readers {
		if e, ok := m.feeds[r]; ok {
			m.insert(e.Value.(*memFeed), it)
		}
	}
	return nil
}

// Drop implements Feeds.
func (m *MemoryFeeds) Drop(_ context.Context, readers ...tweets.ID) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, r := range readers {
		if e, ok := m.feeds[r]; ok {
			m.lru.Remove(e)
			delete(m.feeds, r)
		}
	}
	return nil
}

// DropAll implements Feeds.
func (m *MemoryFeeds) DropAll(context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	clear(m.feeds)
	m.lru.Init()
	return nil
}

// insert puts it in its place, newest first, once; the oldest item goes
// when the feed is full, and the feed no longer reaches the beginning.
func (m *MemoryFeeds) insert(f *memFeed, it tweets.HomeItem) {
	i, found := slices.BinarySearchFunc(f.feed.Items, it.ID, newerThan)
	if found {
		return
	}
	f.feed.Items = slices.Insert(f.feed.Items, i, it)
	if len(f.feed.Items) > m.Length {
		f.feed.Items = f.feed.Items[:m.Length]
		f.feed.Complete = false
	}
}

func (m *MemoryFeeds) evict() {
	for m.lru.Len() > m.Readers {
		e := m.lru.Back()
		m.lru.Remove(e)
		delete(m.feeds, e.Value.(*memFeed).reader)
	}
}

// newerThan orders items newest first for binary search: an item sorts
// before id when it is newer.
func newerThan(it tweets.HomeItem, id tweets.ID) int {
	switch {
	case it.ID > id:
		return -1
	case it.ID < id:
		return 1
	}
	return 0
}

func tokenString(t uint64) string { return tweets.ID(t).String() }
