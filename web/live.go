package web

import (
	"net/http"
	"strings"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/middleware"
)

// live is GET /live, the live updates of an open page as server-sent
// events, for static/live.js. ?timeline= names the page's timeline (home,
// public or tag:NAME; none on pages without one) and ?after= the newest
// tweet the page shows. It sends "tweet" with the id of each newer tweet
// that timeline gains for this reader, "delete" with the id of a tweet
// removed, and, to a logged-in reader, "unread" with the count of unseen
// notifications whenever a new one arrives. It changes nothing.
func (s *Server) live(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	channels, err := liveChannels(r.URL.Query().Get("timeline"), u)
	if err != nil {
		return err
	}
	after, err := liveAfter(r.URL.Query().Get("after"))
	if err != nil {
		return err
	}
	st, err := s.svc.OpenStreams(u)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, ch := range channels {
		if err := st.Subscribe(ch); err != nil {
			return err
		}
	}
	es, err := middleware.OpenEventStream(w)
	if err != nil {
		return nil // the reader has gone already
	}
	ctx := r.Context()
	err = middleware.Pump(ctx, st, func(e tweets.StreamEvent) error {
		switch e.Kind {
		case "update":
			if e.Tweet.ID > after {
				return es.Send("tweet", e.Tweet.ID.String())
			}
		case "delete":
			if e.TweetID > after {
				return es.Send("delete", e.TweetID.String())
			}
		case "notification":
			n, err := s.svc.UnseenNotifications(ctx, *u)
			if err != nil {
				return err
			}
			return es.Send("unread", unseenLabel(n))
		}
		return nil
	}, es.Beat)
	if err != nil {
		s.log.WarnContext(ctx, "live updates ended on an error", "err", err)
	}
	return nil
}

// liveChannels reads which timeline a page shows (home, public,
// tag:NAME, or none) into the stream channels it follows: that
// timeline's and, for a logged-in reader, their notifications (the home
// channel carries them; a page shows the unread count everywhere).
func liveChannels(v string, u *tweets.User) ([]tweets.StreamChannel, error) {
	notifications := tweets.StreamChannel{Kind: tweets.StreamUser, OnlyNotifications: true}
	var chans []tweets.StreamChannel
	switch {
	case v == "":
	case v == "home":
		notifications.OnlyNotifications = false
	case v == "public":
		chans = append(chans, tweets.StreamChannel{Kind: tweets.StreamPublic})
	case strings.HasPrefix(v, "tag:"):
		chans = append(chans, tweets.StreamChannel{Kind: tweets.StreamHashtag, Tag: strings.TrimPrefix(v, "tag:")})
	default:
		return nil, tweets.Invalid("timeline", "Name a timeline: home, public or tag:NAME.")
	}
	if u == nil {
		if len(chans) == 0 {
			return nil, tweets.Errorf(tweets.CodeUnauthorized, "Log in first.")
		}
		return chans, nil
	}
	return append(chans, notifications), nil
}

// liveAfter reads the id of the newest tweet a page shows (none on an
// empty page: 0).
func liveAfter(v string) (tweets.ID, error) {
	if v == "" {
		return 0, nil
	}
	id, err := tweets.ParseID(v)
	if err != nil {
		return 0, tweets.Invalid("after", "Give the id of a tweet.")
	}
	return id, nil
}

// liveMarker is what a timeline's first page tells static/live.js: its
// timeline and the newest item it shows. Older pages get none: what is
// new shows on the first.
func liveMarker(timeline string, cursor tweets.ID, ts []tweets.Tweet) liveInfo {
	if cursor != 0 {
		return liveInfo{}
	}
	l := liveInfo{Timeline: timeline}
	for _, t := range ts {
		l.After = max(l.After, t.ID, t.Item)
	}
	return l
}

// liveInfo marks a timeline for live updates.
type liveInfo struct {
	Timeline string // home, public or tag:NAME; empty: not live
	After    tweets.ID
}
