package tweets

import (
	"context"
	"strings"
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
	// StreamNotifications is the viewer's notifications alone.
	StreamNotifications StreamKind = "user:notification"
)

// StreamEvent is one item of a live stream.
type StreamEvent struct {
	// Kind is "update" (a new tweet, in Tweet), "delete" (TweetID is
	// gone) or "notification" (Notification: someone liked, reposted or
	// followed).
	Kind         string
	Tweet        Tweet
	TweetID      ID
	Notification Notification
}

// Stream is one client's live stream. Its caller reads it with Next,
// from one goroutine, and closes it.
type Stream struct {
	svc    *Service
	sub    Subscription
	viewer *User
	kind   StreamKind
	tag    string
}

// errNoLive answers a stream request on a server wired without events.
var errNoLive = Errorf(CodeNotFound, "Live updates are not available on this server.")

// OpenStream starts a live stream of kind for viewer (nil: anonymous,
// for public streams only). tag names the hashtag of a StreamHashtag.
func (s *Service) OpenStream(viewer *User, kind StreamKind, tag string) (*Stream, error) {
	return s.openStream(viewer, kind, tag, kind == StreamUser || kind == StreamNotifications)
}

// OpenPageStream starts the live stream of a page: the tweets of kind,
// as OpenStream, and for a logged-in viewer their notifications too,
// whatever the kind (a page shows the unread count everywhere).
func (s *Service) OpenPageStream(viewer *User, kind StreamKind, tag string) (*Stream, error) {
	return s.openStream(viewer, kind, tag, viewer != nil)
}

func (s *Service) openStream(viewer *User, kind StreamKind, tag string, notify bool) (*Stream, error) {
	if s.Live == nil {
		return nil, errNoLive
	}
	switch kind {
	case StreamUser, StreamNotifications:
		if viewer == nil {
			return nil, Errorf(CodeUnauthorized, "The user stream needs an access token.")
		}
	case StreamPublic:
	case StreamHashtag:
		tag = strings.TrimPrefix(tag, "#")
		if !ValidHashtag(tag) {
			return nil, Invalid("tag", "Give a hashtag: letters, digits and underscores.")
		}
		tag = FoldHashtag(tag)
	default:
		return nil, Errorf(CodeNotFound, "There is no stream called %q.", Echo(string(kind), 30))
	}
	sub := s.Live.Subscribe(func(e Event) bool {
		switch e.Kind {
		case EventTweetPosted, EventTweetDeleted:
			return kind != StreamNotifications
		case EventLiked, EventReposted, EventFollowed:
			return notify
		}
		return false
	})
	return &Stream{svc: s, sub: sub, viewer: viewer, kind: kind, tag: tag}, nil
}

// Close ends the stream.
func (st *Stream) Close() { st.sub.Close() }

// Next returns the next item the viewer may see. ok is false when the
// stream ended: the hub dropped a subscriber that fell behind (the
// client reconnects and catches up with the timeline), or ctx ended.
func (st *Stream) Next(ctx context.Context) (StreamEvent, bool, error) {
	for {
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
		se, ok, err := st.visible(ctx, e)
		if err != nil || ok {
			return se, ok || err != nil, err
		}
	}
}

// visible turns an event into what this viewer's stream shows, if any:
// the rules of the timelines (blocks and mutes hide, the home stream
// holds followed accounts and one's own).
func (st *Stream) visible(ctx context.Context, e Event) (StreamEvent, bool, error) {
	s := st.svc
	var me ID
	if st.viewer != nil {
		me = st.viewer.ID
	}
	switch e.Kind {
	case EventTweetDeleted:
		return StreamEvent{Kind: "delete", TweetID: e.Tweet.ID}, true, nil
	case EventTweetPosted:
		t := e.Tweet
		if st.kind == StreamHashtag && !hasTag(t.Text, st.tag) {
			return StreamEvent{}, false, nil
		}
		if me != 0 && t.AuthorID != me {
			rel, err := s.Store.Relationship(ctx, me, t.AuthorID)
			if err != nil {
				return StreamEvent{}, false, err
			}
			if rel.Blocked() || rel.Muting || (st.kind == StreamUser && !rel.Following) {
				return StreamEvent{}, false, nil
			}
		}
		return StreamEvent{Kind: "update", Tweet: t}, true, nil
	default: // a like, repost or follow: a notification when it is the viewer's
		target := e.Account
		if e.Kind != EventFollowed {
			target = e.Tweet.AuthorID
		}
		if target != me || e.Actor == me {
			return StreamEvent{}, false, nil
		}
		kind := map[EventKind]NotificationKind{EventLiked: NotifyLike, EventReposted: NotifyRepost, EventFollowed: NotifyFollow}[e.Kind]
		return StreamEvent{Kind: "notification", Notification: Notification{UserID: me, Kind: kind, ActorID: e.Actor,
			TweetID: e.Tweet.ID, CreatedAt: s.now()}}, true, nil
	}
}

func hasTag(text, tag string) bool {
	for _, en := range ParseEntities(text) {
		if en.Kind == EntityHashtag && FoldHashtag(en.Value) == tag {
			return true
		}
	}
	return false
}
