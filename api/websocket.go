package api

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/coder/websocket"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/middleware"
)

// wsMessage is what Mastodon's WebSocket streaming sends: the payload is
// itself JSON, as text.
type wsMessage struct {
	Stream  []string `json:"stream"`
	Event   string   `json:"event"`
	Payload string   `json:"payload"`
}

// websocketStream is GET /api/v1/streaming with an upgrade: one stream,
// named by ?stream= (user, public, public:local, hashtag with &tag=).
// Any origin may connect: the token, not a cookie, says who it is.
func (s *Server) websocketStream(w http.ResponseWriter, r *http.Request, g grant) error {
	name := r.URL.Query().Get("stream")
	kind := map[string]tweets.StreamKind{"user": tweets.StreamUser, "user:notification": tweets.StreamUser,
		"public": tweets.StreamPublic, "public:local": tweets.StreamPublic,
		"hashtag": tweets.StreamHashtag, "hashtag:local": tweets.StreamHashtag}[name]
	if kind == "" {
		return tweets.Invalid("stream", "Name a stream: user, public or hashtag.")
	}
	st, err := s.openStream(r, g, kind)
	if err != nil {
		return err
	}
	defer st.Close()
	// The server's read and write timeouts are for requests; a stream
	// lives on, with its own per-write window and pings.
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Time{})
	_ = rc.SetWriteDeadline(time.Time{})
	opts := &websocket.AcceptOptions{InsecureSkipVerify: true}
	if p := r.Header.Get("Sec-WebSocket-Protocol"); p != "" {
		opts.Subprotocols = []string{p} // the token, as some clients send it
	}
	conn, err := websocket.Accept(w, r, opts)
	if err != nil {
		return nil // Accept has answered
	}
	defer conn.CloseNow()
	conn.SetReadLimit(4 << 10)
	// The client's messages (subscribe requests for more streams, pings)
	// are read and let go; reading also notices when it leaves.
	ctx := conn.CloseRead(r.Context())
	r = r.WithContext(ctx)
	only := ""
	if name == "user:notification" {
		only = "notification"
	}
	write := func(m any) error {
		wctx, cancel := context.WithTimeout(ctx, middleware.StreamWriteWindow)
		defer cancel()
		b, err := json.Marshal(m)
		if err != nil {
			return err
		}
		return conn.Write(wctx, websocket.MessageText, b)
	}
	s.pump(r, g, st, func(event, payload string) error {
		if only != "" && event != only {
			return nil
		}
		return write(wsMessage{Stream: []string{name}, Event: event, Payload: payload})
	}, func() error {
		pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		return conn.Ping(pctx)
	})
	conn.Close(websocket.StatusNormalClosure, "")
	return nil
}
