package cache

import (
	"context"
	"slices"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/tweetsdev/tweets"
)

// HomeSource is what Home reads from the database (sqlstore provides it).
type HomeSource interface {
	HomeItems(ctx context.Context, q tweets.TimelineQuery) ([]tweets.HomeItem, error)
	TweetsByID(ctx context.Context, viewer tweets.ID, ids []tweets.ID) (map[tweets.ID]tweets.Tweet, error)
	FollowerIDs(ctx context.Context, id tweets.ID, limit int) ([]tweets.ID, error)
	RepostAudience(ctx context.Context, r tweets.Repost, author tweets.ID, limit int) ([]tweets.ID, error)
	HeavyFollowees(ctx context.Context, id tweets.ID, min int) ([]tweets.ID, error)
	AuthorHomeItems(ctx context.Context, reader, author, before tweets.ID, limit int) ([]tweets.HomeItem, error)
	HiddenAmong(ctx context.Context, viewer tweets.ID, accounts []tweets.ID) (map[tweets.ID]bool, error)
}

// Home serves home timelines from feeds kept per reader, as the large
// services do: a new tweet or repost is pushed to its audience's feeds
// when it is posted (fan-out on write), except for accounts with Heavy
// followers or more, whose items each page reads instead (merge on
// read), so one post never writes to a million feeds. A page is then a
// few index lookups, however many accounts the reader follows.
//
// A feed holds item ids only. The tweets are read, as the viewer sees
// them, when a page is shown, and accounts suspended, blocking or
// blocked, or muted are left out then: a deleted tweet, an edited text
// or a block shows at once, on every replica, without an event. Events
// keep the feeds' membership current: who follows whom, who reposted.
//
// Pages past what a feed keeps, and any page when the feeds cannot be
// read, come from the database (the wrapped Store).
type Home struct {
	tweets.Store
	Source HomeSource
	Feeds  Feeds
	Heavy  int // followers from which an account's items are merged on read
	Length int // items a feed is filled with from the database
	Rec    Recorder

	fills singleflight.Group
	mu    sync.Mutex
	heavy map[tweets.ID]bool // accounts this replica found heavy when fanning out
}

// HomeName labels the home feeds' hits and misses.
const HomeName = "home"

// Feed sizes by default: the items kept per reader, and the followers
// from which an account is merged on read.
const (
	DefaultFeedLength = 200
	DefaultHeavy      = 1000
)

// NewHome serves home timelines of s from feeds.
func NewHome(s tweets.Store, src HomeSource, feeds Feeds, rec Recorder) *Home {
	return &Home{Store: s, Source: src, Feeds: feeds, Heavy: DefaultHeavy, Length: DefaultFeedLength, Rec: rec}
}

// Timeline implements tweets.TweetStore.
func (h *Home) Timeline(ctx context.Context, q tweets.TimelineQuery) ([]tweets.Tweet, error) {
	// A client catching up from a cursor reads the database: rare, and
	// its page may lie past what the feed keeps.
	if q.Home == 0 || q.Oldest || q.After != 0 || q.Search != "" || q.AuthorID != 0 || q.Limit <= 0 {
		return h.Store.Timeline(ctx, q)
	}
	ts, ok, err := h.page(ctx, q)
	if err != nil || !ok {
		return h.Store.Timeline(ctx, q)
	}
	return ts, nil
}

// page reads a page from the reader's feed; ok is false when the feed
// does not reach as deep as the page.
func (h *Home) page(ctx context.Context, q tweets.TimelineQuery) ([]tweets.Tweet, bool, error) {
	reader := q.Home
	// Read more than a page: some items may be left out.
	n := 2*q.Limit + 10
	f, ok, err := h.Feeds.Read(ctx, reader, q.Before, n)
	if err != nil {
		return nil, false, err
	}
	h.record(ok)
	if !ok {
		if err := h.fill(ctx, reader); err != nil {
			return nil, false, err
		}
		if f, ok, err = h.Feeds.Read(ctx, reader, q.Before, n); err != nil || !ok {
			return nil, false, err
		}
	}
	// Past the oldest item read, the feed holds more (or, when it is
	// not complete, the database does): only items above it are sure
	// to be in their place.
	exhausted := len(f.Items) < n && f.Complete
	var floor tweets.ID
	if !exhausted {
		if len(f.Items) == 0 {
			return nil, false, nil
		}
		floor = f.Items[len(f.Items)-1].ID
	}
	items := f.Items
	for _, a := range f.Heavy {
		more, err := h.Source.AuthorHomeItems(ctx, reader, a, q.Before, q.Limit)
		if err != nil {
			return nil, false, err
		}
		for _, it := range more {
			if it.ID >= floor {
				items = append(items, it)
			}
		}
	}
	items = shown(items)
	ts, err := h.tweets(ctx, q, items)
	if err != nil {
		return nil, false, err
	}
	if len(ts) < q.Limit && !exhausted {
		return nil, false, nil
	}
	return ts, true, nil
}

// shown sorts items newest first and keeps one per tweet, as Timeline
// does: the tweet's own item, or else its earliest repost.
func shown(items []tweets.HomeItem) []tweets.HomeItem {
	slices.SortFunc(items, func(a, b tweets.HomeItem) int { return newerThan(a, b.ID) })
	items = slices.CompactFunc(items, func(a, b tweets.HomeItem) bool { return a.ID == b.ID })
	first := map[tweets.ID]tweets.ID{} // tweet → the item that shows it
	for _, it := range items {
		if cur, ok := first[it.Tweet]; !ok || it.ID < cur {
			first[it.Tweet] = it.ID
		}
	}
	return slices.DeleteFunc(items, func(it tweets.HomeItem) bool { return first[it.Tweet] != it.ID })
}

// tweets reads the items' tweets as the viewer sees them, a few more
// than a page at a time, leaving out what the timeline must not show
// now: deleted tweets, suspended, blocked and muted accounts.
func (h *Home) tweets(ctx context.Context, q tweets.TimelineQuery, items []tweets.HomeItem) ([]tweets.Tweet, error) {
	out := make([]tweets.Tweet, 0, q.Limit)
	for len(items) > 0 && len(out) < q.Limit {
		chunk := items[:min(len(items), q.Limit-len(out)+4)]
		items = items[len(chunk):]
		ids := make([]tweets.ID, len(chunk))
		for i, it := range chunk {
			ids[i] = it.Tweet
		}
		byID, err := h.Source.TweetsByID(ctx, q.Viewer, ids)
		if err != nil {
			return nil, err
		}
		var accounts []tweets.ID
		for _, it := range chunk {
			if t, ok := byID[it.Tweet]; ok {
				accounts = append(accounts, t.AuthorID)
			}
			if it.Repost() {
				accounts = append(accounts, it.Reposter)
			}
		}
		slices.Sort(accounts)
		hidden, err := h.Source.HiddenAmong(ctx, q.Home, slices.Compact(accounts))
		if err != nil {
			return nil, err
		}
		for _, it := range chunk {
			t, ok := byID[it.Tweet]
			if !ok || t.AuthorSuspended || hidden[t.AuthorID] || (it.Repost() && (hidden[it.Reposter] || t.AuthorID == q.Home)) {
				continue
			}
			t.Item, t.RepostedBy = it.ID, it.Name
			if out = append(out, t); len(out) == q.Limit {
				break
			}
		}
	}
	return out, nil
}

// fill reads a reader's feed from the database, once however many
// requests wait for it.
func (h *Home) fill(ctx context.Context, reader tweets.ID) error {
	_, err, _ := h.fills.Do(reader.String(), func() (any, error) {
		ctx := context.WithoutCancel(ctx) // it serves every waiter
		token, err := h.Feeds.Start(ctx, reader)
		if err != nil {
			return nil, err
		}
		heavy, err := h.Source.HeavyFollowees(ctx, reader, h.Heavy)
		if err != nil {
			return nil, err
		}
		items, err := h.Source.HomeItems(ctx, tweets.TimelineQuery{Home: reader, Viewer: reader, Limit: h.Length})
		if err != nil {
			return nil, err
		}
		return nil, h.Feeds.Fill(ctx, reader, token, tweets.HomeFeed{Items: items, Complete: len(items) < h.Length, Heavy: heavy})
	})
	return err
}

// HomeAffects reports whether an event changes which items feeds hold.
func HomeAffects(e tweets.Event) bool {
	switch e.Kind {
	case tweets.EventTweetPosted, tweets.EventReposted, tweets.EventUnreposted, tweets.EventFollowed, tweets.EventUnfollowed,
		tweets.EventRelationship, tweets.EventUserSuspended, tweets.EventUserUnsuspended, tweets.EventUserDeleted:
		return true
	}
	return false
}

// OnEvent keeps the feeds current: it pushes a new tweet or repost to
// its audience, and drops the feeds whose membership an event changes
// (they are read again from the database when next shown). Should that
// fail, every feed is dropped: a feed may lack an item, never keep a
// wrong one.
func (h *Home) OnEvent(e tweets.Event) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := h.apply(ctx, e); err != nil {
		h.Feeds.DropAll(ctx)
	}
}

func (h *Home) apply(ctx context.Context, e tweets.Event) error {
	switch e.Kind {
	case tweets.EventTweetPosted:
		t := e.Tweet
		followers, heavy, err := h.followers(ctx, t.AuthorID)
		if err != nil {
			return err
		}
		if heavy {
			followers = nil
		}
		return h.Feeds.Push(ctx, append(followers, t.AuthorID), tweets.HomeItem{ID: t.ID, Tweet: t.ID})
	case tweets.EventReposted:
		if _, heavy, err := h.followers(ctx, e.Actor); err != nil || heavy {
			return err
		}
		r := tweets.Repost{ID: e.Repost, UserID: e.Actor, TweetID: e.Tweet.ID}
		readers, err := h.Source.RepostAudience(ctx, r, e.Tweet.AuthorID, h.Heavy)
		if err != nil || len(readers) == 0 {
			return err
		}
		u, err := h.Store.UserByID(ctx, e.Actor)
		if err != nil {
			return err
		}
		return h.Feeds.Push(ctx, readers, tweets.HomeItem{ID: r.ID, Tweet: r.TweetID, Reposter: u.ID, Name: u.Username})
	case tweets.EventUnreposted:
		// The repost may have hidden a later one from the same readers:
		// their feeds are read again.
		followers, heavy, err := h.followers(ctx, e.Actor)
		if err != nil {
			return err
		}
		if heavy {
			return h.Feeds.DropAll(ctx)
		}
		return h.Feeds.Drop(ctx, followers...)
	case tweets.EventFollowed, tweets.EventUnfollowed, tweets.EventRelationship:
		return h.Feeds.Drop(ctx, e.Actor, e.Account)
	case tweets.EventUserSuspended, tweets.EventUserUnsuspended, tweets.EventUserDeleted:
		// The accounts' reposts hide others': rare enough to start over.
		return h.Feeds.DropAll(ctx)
	}
	return nil
}

// followers lists an account's followers, and whether it is heavy: its
// items are then merged on read rather than pushed. The first time this
// replica finds an account heavy, every feed is dropped: one filled
// before may not know to merge it.
func (h *Home) followers(ctx context.Context, account tweets.ID) ([]tweets.ID, bool, error) {
	followers, err := h.Source.FollowerIDs(ctx, account, h.Heavy)
	if err != nil {
		return nil, false, err
	}
	heavy := len(followers) >= h.Heavy
	h.mu.Lock()
	if h.heavy == nil {
		h.heavy = map[tweets.ID]bool{}
	}
	was := h.heavy[account]
	if heavy {
		h.heavy[account] = true
	} else {
		delete(h.heavy, account)
	}
	h.mu.Unlock()
	if heavy && !was {
		return followers, true, h.Feeds.DropAll(ctx)
	}
	return followers, heavy, nil
}

func (h *Home) record(hit bool) {
	if h.Rec == nil {
		return
	}
	if hit {
		h.Rec.CacheHit(HomeName)
	} else {
		h.Rec.CacheMiss(HomeName)
	}
}
