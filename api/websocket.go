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

// wsError answers a client message that could not be done.
type wsError struct {
	Error  string `json:"error"`
	Status int    `json:"status"`
}

// wsRequest is a client's message: {"type": "subscribe", "stream":
// "hashtag", "tag": "go"}, or unsubscribe.
type wsRequest struct {
	Type   string `json:"type"`
	Stream string `json:"stream"`
	Tag    string `json:"tag"`
}

// websocketStream is GET /api/v1/streaming with an upgrade. The
// connection starts with the stream named by ?stream= (and &tag=), if
// any; the client adds and drops streams with subscribe and
// unsubscribe messages. Any origin may connect: the token, not a
// cookie, says who it is.
func (s *Server) websocketStream(w http.ResponseWriter, r *http.Request, g grant) error {
	st, err := s.svc.OpenStreams(g.viewer())
	if err != nil {
		return err
	}
	defer st.Close()
	if name := r.URL.Query().Get("stream"); name != "" {
		ch, err := channel(name, r.URL.Query().Get("tag"))
		if err != nil {
			return err
		}
		if err := subscribe(st, g, ch); err != nil {
			return err
		}
	}
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
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	r = r.WithContext(ctx)
	write := func(m any) error {
		wctx, cancel := context.WithTimeout(ctx, middleware.StreamWriteWindow)
		defer cancel()
		b, err := json.Marshal(m)
		if err != nil {
			return err
		}
		return conn.Write(wctx, websocket.MessageText, b)
	}
	// The client's messages are read beside the pump, for as long as the
	// connection lasts; when it ends, so does the pump.
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer cancel()
		s.readRequests(ctx, conn, st, g, write)
	}()
	s.pump(r, g, st, func(ch tweets.StreamChannel, event, payload string) error {
		stream := []string{ch.Name}
		if ch.Kind == tweets.StreamHashtag {
			stream = append(stream, ch.Tag)
		}
		return write(wsMessage{Stream: stream, Event: event, Payload: payload})
	}, func() error {
		pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		return conn.Ping(pctx)
	})
	cancel()
	conn.Close(websocket.StatusNormalClosure, "")
	<-done
	return nil
}

// readRequests reads the client's subscribe and unsubscribe messages
// until the connection ends; what cannot be done is answered with an
// error message, as Mastodon does.
func (s *Server) readRequests(ctx context.Context, conn *websocket.Conn, st *tweets.Stream, g grant, write func(any) error) {
	for {
		typ, b, err := conn.Read(ctx)
		if err != nil {
			return
		}
		var req wsRequest
		if typ != websocket.MessageText || json.Unmarshal(b, &req) != nil {
			_ = write(wsError{Error: "Send JSON: {\"type\": \"subscribe\", \"stream\": \"public\"}.", Status: http.StatusBadRequest})
			continue
		}
		ch, err := channel(req.Stream, req.Tag)
		if err == nil {
			switch req.Type {
			case "subscribe":
				err = subscribe(st, g, ch)
			case "unsubscribe":
				err = st.Unsubscribe(ch)
			default:
				err = tweets.Invalid("type", "The type must be subscribe or unsubscribe.")
			}
		}
		if err != nil {
			_ = write(wsError{Error: tweets.ErrorMessage(err), Status: middleware.Status(err)})
		}
	}
}
