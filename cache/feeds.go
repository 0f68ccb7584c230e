package cache

import (
	"container/list"
	"context"
	"slices"
	"strconv"
	"sync"
	"time"

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
	Fill(ctx context.Context, reader tweets.ID, token string, f tweets.HomeFeed) error
	// Read returns up to limit items below before (zero: the newest),
	// with the feed's facts; ok is false when reader's feed is not kept
	// (or not filled yet).
	Read(ctx context.Context, reader, before tweets.ID, limit int) (f tweets.HomeFeed, ok bool, err error)
	// Push adds an item to the feeds of the readers that have one (or
	// are filling one); readers without one get it when theirs is
	// filled.
	Push(ctx context.Context, readers []tweets.ID, it tweets.HomeItem) error
	// Drop forgets readers' feeds; DropAll every feed.
	Drop(ctx context.Context, readers ...tweets.ID) error
	DropAll(ctx context.Context) error
}

// MemoryFeeds keeps feeds in process memory, the least recently read
// dropped first once Readers are kept. A replica of its own keeps its
// own, current through the events every replica receives.
type MemoryFeeds struct {
	Readers int // feeds kept
	Length  int // items kept per feed
	// TTL bounds how long a feed is kept after it is filled: should the
	// relay lose an event of another replica, it is read again after
	// that. Zero keeps feeds until they are dropped.
	TTL time.Duration
	Now func() time.Time

	mu    sync.Mutex
	feeds map[tweets.ID]*list.Element // of *memFeed, most recently used first
	lru   list.List
	token uint64
}

type memFeed struct {
	reader  tweets.ID
	feed    tweets.HomeFeed
	filling uint64 // the token of the fill under way; zero once filled
	expires time.Time
}

// NewMemoryFeeds keeps up to readers feeds of length items each, each
// for ttl (zero: until dropped).
func NewMemoryFeeds(readers, length int, ttl time.Duration) *MemoryFeeds {
	return &MemoryFeeds{Readers: readers, Length: length, TTL: ttl, Now: time.Now, feeds: map[tweets.ID]*list.Element{}}
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
func (m *MemoryFeeds) Fill(_ context.Context, reader tweets.ID, token string, f tweets.HomeFeed) error {
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
	mf.feed = tweets.HomeFeed{Items: slices.Clone(f.Items), Complete: f.Complete, Heavy: f.Heavy}
	for _, it := range pushed {
		m.insert(mf, it)
	}
	mf.filling = 0
	if m.TTL > 0 {
		mf.expires = m.Now().Add(m.TTL)
	}
	return nil
}

// Read implements Feeds.
func (m *MemoryFeeds) Read(_ context.Context, reader, before tweets.ID, limit int) (tweets.HomeFeed, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.feeds[reader]
	if !ok || e.Value.(*memFeed).filling != 0 {
		return tweets.HomeFeed{}, false, nil
	}
	mf := e.Value.(*memFeed)
	if !mf.expires.IsZero() && !m.Now().Before(mf.expires) {
		m.lru.Remove(e)
		delete(m.feeds, reader)
		return tweets.HomeFeed{}, false, nil
	}
	m.lru.MoveToFront(e)
	f := mf.feed
	from := 0
	if before != 0 {
		var at bool
		if from, at = slices.BinarySearchFunc(f.Items, before, newerThan); at {
			from++
		}
	}
	to := min(from+limit, len(f.Items))
	return tweets.HomeFeed{Items: slices.Clone(f.Items[from:to]), Complete: f.Complete, Heavy: f.Heavy}, true, nil
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

func tokenString(t uint64) string { return strconv.FormatUint(t, 10) }
