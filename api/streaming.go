package api

import (
	"encoding/json"
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

// stream serves one of Mastodon's server-sent event streams: user,
// public or hashtag (?tag=). The events are this replica's and, through
// the relay, every other replica's.
func (s *Server) stream(kind tweets.StreamKind) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, g grant) error {
		st, err := s.openStream(r, g, kind)
		if err != nil {
			return err
		}
		defer st.Close()
		if es, err := middleware.OpenEventStream(w); err == nil {
			s.pump(r, g, st, es.Send, es.Beat) // a client gone at once has nothing to be told
		}
		return nil
	}
}

// openStream opens the stream a request asks for; the user stream takes
// a user's token with the read scope.
func (s *Server) openStream(r *http.Request, g grant, kind tweets.StreamKind) (*tweets.Stream, error) {
	if kind == tweets.StreamUser && (g.User == nil || !allows(g.Scopes, "read:statuses")) {
		return nil, tweets.Errorf(tweets.CodeUnauthorized, "The user stream needs a user's access token with the read scope.")
	}
	return s.svc.OpenStream(g.viewer(), kind, r.URL.Query().Get("tag"))
}

// pump sends a stream's items until the client leaves, falls behind or
// a send fails, with a heartbeat when it is idle.
func (s *Server) pump(r *http.Request, g grant, st *tweets.Stream, send func(name, payload string) error, beat func() error) {
	rd := s.renderer(r)
	err := middleware.Pump(r.Context(), st, func(e tweets.StreamEvent) error {
		name, payload, ok := s.streamPayload(r, rd, g, e)
		if !ok {
			return nil
		}
		return send(name, payload)
	}, beat)
	if err != nil {
		s.log.Warn("stream ended on an error", "err", err)
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
