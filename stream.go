package tweets

import (
	"context"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// StreamKind names what a live stream carries, as Mastodon's streaming
// API does.
type StreamKind string

const (
	// StreamUser is the viewer's home timeline as it grows, and what
	// happens to the viewer's tweets and account (notifications).
	StreamUser StreamKind = "user"
	// StreamPublic is every new tweet.
	StreamPublic StreamKind = "public"
	// StreamHashtag is every new tweet with one hashtag.
	StreamHashtag StreamKind = "hashtag"
)

// StreamChannel is one feed of a stream. A WebSocket client may hold
// several on one connection, and add and drop them as it goes.
type StreamChannel struct {
	Kind StreamKind
	// Tag is a StreamHashtag's hashtag.
	Tag string
	// OnlyNotifications keeps a user channel to its notifications.
	OnlyNotifications bool
	// Name is what the client calls it ("public:local"); it comes back
	// with each item.
	Name string
}

// StreamEvent is one item of a live stream.
type StreamEvent struct {
	// Channel is the feed the item is for.
	Channel StreamChannel
	// Kind is "update" (a new tweet, in Tweet), "status.update" (an
	// edited tweet, in Tweet), "delete" (TweetID is gone) or
	// "notification" (Notification, as stored: someone liked, reposted,
	// followed, answered, mentioned or quoted the viewer).
	Kind         string
	Tweet        Tweet
	TweetID      ID
	Notification Notification
}

// Stream is one client's live stream. Its caller reads it with Next,
// from one goroutine, and closes it; Subscribe and Unsubscribe may come
// from another.
type Stream struct {
	svc    *Service
	sub    Subscription
	viewer *User

	mu       sync.Mutex
	channels []StreamChannel
	// personal is set while a user channel is open: only then does the
	// stream take likes, reposts and follows from the hub.
	personal atomic.Bool

	pending []StreamEvent // what one event gave beyond its first item
}

// errNoLive answers a stream request on a server wired without events.
var errNoLive = Errorf(CodeNotFound, "Live updates are not available on this server.")

// OpenStreams starts a live stream for viewer (nil: anonymous, for
// public channels only), with no channel yet: Subscribe adds them.
func (s *Service) OpenStreams(viewer *User) (*Stream, error) {
	if s.Live == nil {
		return nil, errNoLive
	}
	st := &Stream{svc: s, viewer: viewer}
	st.sub = s.Live.Subscribe(func(e Event) bool {
		switch e.Kind {
		case EventTweetPosted, EventTweetDeleted, EventTweetEdited:
			return true
		case EventLiked, EventReposted, EventFollowed:
			return st.personal.Load()
		}
		return false
	})
	return st, nil
}

// maxStreamChannels bounds what one connection holds.
const maxStreamChannels = 32

// Subscribe adds a channel; adding one the stream has does nothing.
func (st *Stream) Subscribe(ch StreamChannel) error {
	ch, err := st.check(ch)
	if err != nil {
		return err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if slices.Contains(st.channels, ch) {
		return nil
	}
	if len(st.channels) >= maxStreamChannels {
		return Errorf(CodeTooMany, "A connection may hold %d streams: drop one first.", maxStreamChannels)
	}
	st.channels = append(st.channels, ch)
	if ch.Kind == StreamUser {
		st.personal.Store(true)
	}
	return nil
}

// Unsubscribe drops a channel.
func (st *Stream) Unsubscribe(ch StreamChannel) error {
	ch, err := st.check(ch)
	if err != nil {
		return err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	st.channels = slices.DeleteFunc(st.channels, func(c StreamChannel) bool { return c == ch })
	st.personal.Store(slices.ContainsFunc(st.channels, func(c StreamChannel) bool { return c.Kind == StreamUser }))
	return nil
}

// check validates a channel for this stream's viewer and folds its tag.
func (st *Stream) check(ch StreamChannel) (StreamChannel, error) {
	switch ch.Kind {
	case StreamUser:
		if st.viewer == nil {
			return ch, Errorf(CodeUnauthorized, "The user stream needs an access token.")
		}
		ch.Tag = ""
	case StreamPublic:
		ch.Tag, ch.OnlyNotifications = "", false
	case StreamHashtag:
		tag := strings.TrimPrefix(ch.Tag, "#")
		if !ValidHashtag(tag) {
			return ch, Invalid("tag", "Give a hashtag: letters, digits and underscores.")
		}
		ch.Tag, ch.OnlyNotifications = FoldHashtag(tag), false
	default:
		return ch, Errorf(CodeNotFound, "There is no stream called %q.", Echo(string(ch.Kind), 30))
	}
	return ch, nil
}

// Close ends the stream.
func (st *Stream) Close() { st.sub.Close() }

// Next returns the next item the viewer may see. ok is false when the
// stream ended: the hub dropped a subscriber that fell behind (the
// client reconnects and catches up with the timeline), or ctx ended.
func (st *Stream) Next(ctx context.Context) (StreamEvent, bool, error) {
	for {
		if len(st.pending) > 0 {
			se := st.pending[0]
			st.pending = st.pending[1:]
			return se, true, nil
		}
		var e Event
		select {
		case <-ctx.Done():
			return StreamEvent{}, false, nil
		case ev, open := <-st.sub.Events():
			if !open {
				return StreamEvent{}, false, nil
			}
			e = ev
		}
		st.mu.Lock()
		channels := slices.Clone(st.channels)
		st.mu.Unlock()
		// The viewer's relationship to the author is read once per event,
		// whatever the number of channels that need it.
		var rel *Relationship
		relation := func(author ID) (Relationship, error) {
			if rel == nil {
				r, err := st.svc.Store.Relationship(ctx, st.viewer.ID, author)
				if err != nil {
					return r, err
				}
				rel = &r
			}
			return *rel, nil
		}
		for _, ch := range channels {
			items, err := st.visible(ctx, ch, e, relation)
			if err != nil {
				return StreamEvent{}, true, err
			}
			st.pending = append(st.pending, items...)
		}
	}
}

// visible turns an event into what one channel shows its viewer: the
// rules of the timelines (blocks and mutes hide, the home stream holds
// followed accounts and one's own), and on a user channel the
// notification the event left for the viewer, if any.
func (st *Stream) visible(ctx context.Context, ch StreamChannel, e Event, relation func(author ID) (Relationship, error)) ([]StreamEvent, error) {
	var me ID
	if st.viewer != nil {
		me = st.viewer.ID
	}
	switch e.Kind {
	case EventTweetDeleted:
		if ch.OnlyNotifications {
			return nil, nil
		}
		return []StreamEvent{{Channel: ch, Kind: "delete", TweetID: e.Tweet.ID}}, nil
	case EventTweetPosted, EventTweetEdited:
		t := e.Tweet
		var out []StreamEvent
		if !ch.OnlyNotifications {
			shown, err := st.shows(ch, t, relation)
			if err != nil {
				return nil, err
			}
			if shown {
				kind := "update"
				if e.Kind == EventTweetEdited {
					kind = "status.update"
				}
				out = append(out, StreamEvent{Channel: ch, Kind: kind, Tweet: t})
			}
		}
		if e.Kind == EventTweetPosted && ch.Kind == StreamUser && t.AuthorID != me && st.concerns(t) {
			n, ok, err := st.stored(ctx, func(n Notification) bool { return n.TweetID == t.ID && n.ActorID == t.AuthorID })
			if err != nil || !ok {
				return out, err
			}
			out = append(out, StreamEvent{Channel: ch, Kind: "notification", Notification: n})
		}
		return out, nil
	default: // a like, repost or follow: a notification when it is the viewer's
		target := e.Account
		if e.Kind != EventFollowed {
			target = e.Tweet.AuthorID
		}
		if ch.Kind != StreamUser || target != me || e.Actor == me {
			return nil, nil
		}
		kind := map[EventKind]NotificationKind{EventLiked: NotifyLike, EventReposted: NotifyRepost, EventFollowed: NotifyFollow}[e.Kind]
		n, ok, err := st.stored(ctx, func(n Notification) bool {
			return n.Kind == kind && n.ActorID == e.Actor && n.TweetID == e.Tweet.ID
		})
		if err != nil || !ok {
			return nil, err
		}
		return []StreamEvent{{Channel: ch, Kind: "notification", Notification: n}}, nil
	}
}

// shows reports whether t belongs on this stream for its viewer.
func (st *Stream) shows(ch StreamChannel, t Tweet, relation func(author ID) (Relationship, error)) (bool, error) {
	if ch.Kind == StreamHashtag && !hasTag(t.Text, ch.Tag) {
		return false, nil
	}
	if st.viewer == nil || t.AuthorID == st.viewer.ID {
		return true, nil
	}
	rel, err := relation(t.AuthorID)
	if err != nil {
		return false, err
	}
	return !rel.Blocked() && !rel.Muting && (ch.Kind != StreamUser || rel.Following), nil
}

// concerns reports whether a new tweet answers, quotes or mentions the
// viewer: whether it may have left them a notification. It looks only
// at the tweet, so that other tweets cost the stream no query.
func (st *Stream) concerns(t Tweet) bool {
	name := st.viewer.Username
	if t.ReplyToAuthor == name || (t.Quoted != nil && t.Quoted.Author == name) {
		return true
	}
	return slices.Contains(Mentions(t.Text), NormalizeUsername(name))
}

// streamLookback is how far down its newest notifications a stream
// looks for the one an event left; anything further was dismissed or
// overtaken.
const streamLookback = 20

// stored finds, among the viewer's newest notifications, the one an
// event left: with its id, as the notification list gives it, and gone
// when the store hides it (a muted or suspended actor, a dismissal).
func (st *Stream) stored(ctx context.Context, match func(Notification) bool) (Notification, bool, error) {
	ns, err := st.svc.Store.Notifications(ctx, st.viewer.ID, 0, streamLookback)
	if err != nil {
		return Notification{}, false, err
	}
	for _, n := range ns {
		if match(n) {
			return n, true, nil
		}
	}
	return Notification{}, false, nil
}

func hasTag(text, tag string) bool {
	for _, en := range ParseEntities(text) {
		if en.Kind == EntityHashtag && FoldHashtag(en.Value) == tag {
			return true
		}
	}
	return false
}
