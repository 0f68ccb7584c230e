package web

import (
	"net/http"
	"strconv"
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
	kind, tag, err := liveTimeline(r.URL.Query().Get("timeline"))
	if err != nil {
		return err
	}
	after, err := liveAfter(r.URL.Query().Get("after"))
	if err != nil {
		return err
	}
	u := currentUser(r)
	if u == nil && (kind == tweets.StreamUser || kind == tweets.StreamNotifications) {
		return tweets.Errorf(tweets.CodeUnauthorized, "Log in first.")
	}
	st, err := s.svc.OpenPageStream(u, kind, tag)
	if err != nil {
		return err
	}
	defer st.Close()
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
			return es.Send("unread", strconv.Itoa(n))
		}
		return nil
	}, es.Beat)
	if err != nil {
		s.log.WarnContext(ctx, "live updates ended on an error", "err", err)
	}
	return nil
}

// liveTimeline reads which timeline a page shows: home, public, tag:NAME
// or none (notifications only).
func liveTimeline(v string) (tweets.StreamKind, string, error) {
	switch {
	case v == "":
		return tweets.StreamNotifications, "", nil
	case v == "home":
		return tweets.StreamUser, "", nil
	case v == "public":
		return tweets.StreamPublic, "", nil
	case strings.HasPrefix(v, "tag:"):
		return tweets.StreamHashtag, strings.TrimPrefix(v, "tag:"), nil
	}
	return "", "", tweets.Invalid("timeline", "Name a timeline: home, public or tag:NAME.")
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
