package api

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/middleware"
)

// streamHealth is GET /api/v1/streaming/health.
func (s *Server) streamHealth(w http.ResponseWriter, _ *http.Request, _ grant) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, err := w.Write([]byte("OK"))
	return err
}

// channel reads a stream's name as Mastodon's clients send it (user,
// user:notification, public, public:local, hashtag, hashtag:local) into
// the channel it is here. Local and federated are one here: every
// account is local.
func channel(name, tag string) (tweets.StreamChannel, error) {
	ch := tweets.StreamChannel{Name: name, Tag: tag}
	switch name {
	case "user":
		ch.Kind = tweets.StreamUser
	case "user:notification":
		ch.Kind, ch.OnlyNotifications = tweets.StreamUser, true
	case "public", "public:local":
		ch.Kind = tweets.StreamPublic
	case "hashtag", "hashtag:local":
		ch.Kind = tweets.StreamHashtag
	default:
		return ch, tweets.Invalid("stream", "Name a stream: user, user:notification, public, public:local, hashtag or hashtag:local.")
	}
	return ch, nil
}

// sse serves one of Mastodon's server-sent event streams, named as the
// path after /api/v1/streaming/ says (public/local is public:local).
// The events are this replica's and, through the relay, every other
// replica's.
func (s *Server) sse(name string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, g grant) error {
		ch, err := channel(name, r.URL.Query().Get("tag"))
		if err != nil {
			return err
		}
		st, err := s.svc.OpenStreams(g.viewer())
		if err != nil {
			return err
		}
		defer st.Close()
		if err := subscribe(st, g, ch); err != nil {
			return err
		}
		es, err := middleware.OpenEventStream(w)
		if err != nil {
			return nil // the client has gone already
		}
		s.pump(r, g, st, func(_ tweets.StreamChannel, event, payload string) error {
			return es.Send(event, payload)
		}, es.Beat)
		return nil
	}
}

// subscribe adds a channel to a stream; user channels need a user's
// token with the read scope.
func subscribe(st *tweets.Stream, g grant, ch tweets.StreamChannel) error {
	if ch.Kind == tweets.StreamUser && (g.User == nil || !allows(g.Scopes, "read:statuses")) {
		return tweets.Errorf(tweets.CodeUnauthorized, "The %s stream needs a user's access token with the read scope.", ch.Name)
	}
	return st.Subscribe(ch)
}

// pump sends a stream's items until the client leaves, falls behind, a
// send fails, the server shuts down or the stream's token stops being
// valid (checked at each heartbeat).
func (s *Server) pump(r *http.Request, g grant, st *tweets.Stream, send func(ch tweets.StreamChannel, event, payload string) error, beat func() error) {
	rd := s.renderer(r)
	err := middleware.Pump(r.Context(), st, func(e tweets.StreamEvent) error {
		if event, payload, ok := s.streamPayload(r, rd, g, e); ok {
			return send(e.Channel, event, payload)
		}
		return nil
	}, func() error {
		if !s.stillValid(r, g) {
			return errRevoked
		}
		return beat()
	})
	if err != nil {
		s.log.Warn("stream ended on an error", "err", err)
	}
}

// errRevoked ends the streams of a token no longer valid.
var errRevoked = errors.New("the stream's token was revoked")

// stillValid checks a stream's token again: revoking it, or suspending
// its account, ends the streams it holds open on every replica within a
// heartbeat.
func (s *Server) stillValid(r *http.Request, g grant) bool {
	if !g.ok {
		return true
	}
	tok, _ := bearer(r)
	_, err := s.svc.Grant(r.Context(), tok)
	return err == nil
}

// streamPayload renders an event as Mastodon sends it: a status (new or
// edited), a status id, or a notification, as JSON text.
func (s *Server) streamPayload(r *http.Request, rd render, g grant, e tweets.StreamEvent) (string, string, bool) {
	var v any
	switch e.Kind {
	case "update", "status.update":
		v = rd.status(e.Tweet, nil)
	case "delete":
		return "delete", e.TweetID.String(), true
	case "notification":
		n, ok, err := s.notification(r, rd, g, e.Notification, notificationTypes[e.Notification.Kind])
		if err != nil || !ok {
			return "", "", false
		}
		v = n
	default:
		return "", "", false
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", "", false
	}
	return e.Kind, string(b), true
}

// ssePaths are the server-sent event streams, by path under
// /api/v1/streaming/, and the stream name each is.
var ssePaths = map[string]string{
	"user": "user", "user/notification": "user:notification", "public": "public",
	"public/local": "public:local", "hashtag": "hashtag", "hashtag/local": "hashtag:local",
}
