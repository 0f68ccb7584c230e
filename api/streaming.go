package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/tweetsdev/tweets"
)

// heartbeat is how often an idle stream sends a comment, so that
// proxies and clients do not take it for dead. At each, the stream's
// token is checked again: a revoked token, or a suspended account, ends
// it.
const heartbeat = 15 * time.Second

// streamWriteWindow is how long one write to a stream may take; a
// client that does not read for that long is dropped.
const streamWriteWindow = 30 * time.Second

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
		rc := http.NewResponseController(w)
		h := w.Header()
		h.Set("Content-Type", "text/event-stream; charset=utf-8")
		h.Set("Cache-Control", "no-store")
		h.Set("X-Accel-Buffering", "no") // nginx: pass each event on at once
		w.WriteHeader(http.StatusOK)
		send := func(chunk string) error {
			_ = rc.SetWriteDeadline(time.Now().Add(streamWriteWindow))
			if _, err := fmt.Fprint(w, chunk); err != nil { // #nosec G705 -- text/event-stream of JSON made by encoding/json, which escapes HTML
				return err
			}
			return rc.Flush()
		}
		if err := send(":)\n\n"); err != nil {
			return nil
		}
		s.pump(r, g, st, func(_ tweets.StreamChannel, event, payload string) error {
			return send("event: " + event + "\ndata: " + payload + "\n\n")
		}, func() error { return send(":thump\n\n") })
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
// send fails or its token stops being valid, with a heartbeat when it
// is idle.
func (s *Server) pump(r *http.Request, g grant, st *tweets.Stream, send func(ch tweets.StreamChannel, event, payload string) error, beat func() error) {
	rd := s.renderer(r)
	ctx := r.Context()
	for {
		next, cancel := context.WithTimeout(ctx, heartbeat)
		e, ok, err := st.Next(next)
		cancel()
		if err != nil {
			s.log.Warn("stream ended on an error", "err", err)
			return
		}
		if !ok {
			if ctx.Err() != nil || next.Err() == nil {
				return // the client left, or fell behind and must reconnect
			}
			if !s.stillValid(r, g) || beat() != nil {
				return
			}
			continue
		}
		event, payload, ok := s.streamPayload(r, rd, g, e)
		if ok && send(e.Channel, event, payload) != nil {
			return
		}
	}
}

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
