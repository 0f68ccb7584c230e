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
// proxies and clients do not take it for dead.
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

// stream serves one of Mastodon's server-sent event streams: user,
// public or hashtag (?tag=). The events are this replica's and, through
// the relay, every other replica's.
func (s *Server) stream(kind tweets.StreamKind) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, g grant) error {
		st, err := s.openStream(g, kind, r.URL.Query().Get("tag"))
		if err != nil {
			return err
		}
		defer st.Close()
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
		s.pump(r, g, st, func(name, payload string) error {
			return send("event: " + name + "\ndata: " + payload + "\n\n")
		}, func() error { return send(":thump\n\n") })
		return nil
	}
}

// openStream opens a stream (tag names a hashtag stream's tag); the user
// stream takes a user's token with the read scope.
func (s *Server) openStream(g grant, kind tweets.StreamKind, tag string) (*tweets.Stream, error) {
	if kind == tweets.StreamUser && (g.User == nil || !allows(g.Scopes, "read:statuses")) {
		return nil, tweets.Errorf(tweets.CodeUnauthorized, "The user stream needs a user's access token with the read scope.")
	}
	return s.svc.OpenStream(g.viewer(), kind, tag)
}

// pump sends a stream's items until the client leaves, falls behind or
// a send fails, with a heartbeat when it is idle.
func (s *Server) pump(r *http.Request, g grant, st *tweets.Stream, send func(name, payload string) error, beat func() error) {
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
			if beat() != nil {
				return
			}
			continue
		}
		name, payload, ok := s.streamPayload(r, rd, g, e)
		if ok && send(name, payload) != nil {
			return
		}
	}
}

// streamPayload renders an event as Mastodon sends it: a status, a
// status id, or a notification, as JSON text.
func (s *Server) streamPayload(r *http.Request, rd render, g grant, e tweets.StreamEvent) (string, string, bool) {
	var v any
	switch e.Kind {
	case "update":
		v = rd.status(e.Tweet, nil)
	case "delete":
		return "delete", e.TweetID.String(), true
	case "notification":
		n, ok, err := s.notification(r, rd, g, e.Notification, notificationTypes[e.Notification.Kind])
		if err != nil || !ok {
			return "", "", false
		}
		n.ID = e.Notification.CreatedAt.Format("20060102150405.000000000")
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
