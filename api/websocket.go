package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sync"
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

// wsRequest is what a client sends: subscribe or unsubscribe, for one
// stream (with its tag for a hashtag stream).
type wsRequest struct {
	Type   string `json:"type"`
	Stream string `json:"stream"`
	Tag    string `json:"tag"`
}

// wsError is how Mastodon refuses a subscription without closing the
// connection.
type wsError struct {
	Error  string `json:"error"`
	Status int    `json:"status"`
}

// wsStreams are the stream names a WebSocket may ask for.
var wsStreams = map[string]tweets.StreamKind{"user": tweets.StreamUser, "user:notification": tweets.StreamUser,
	"public": tweets.StreamPublic, "public:local": tweets.StreamPublic,
	"hashtag": tweets.StreamHashtag, "hashtag:local": tweets.StreamHashtag}

// maxSubscriptions bounds the streams one connection carries at once.
const maxSubscriptions = 8

// websocketStream is GET /api/v1/streaming with an upgrade. It carries
// the stream named by ?stream= (user, public, public:local, hashtag with
// &tag=), if any, and those the client subscribes to with messages, as
// Mastodon's does: clients such as masto.js open one connection and
// subscribe over it. Any origin may connect: the token, not a cookie,
// says who it is.
func (s *Server) websocketStream(w http.ResponseWriter, r *http.Request, g grant) error {
	q := r.URL.Query()
	name := q.Get("stream")
	var first *tweets.Stream
	if name != "" {
		kind, ok := wsStreams[name]
		if !ok {
			return tweets.Invalid("stream", "Name a stream: user, public or hashtag.")
		}
		st, err := s.openStream(g, kind, q.Get("tag"))
		if err != nil {
			return err
		}
		first = st
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
		if first != nil {
			first.Close()
		}
		return nil // Accept has answered
	}
	defer conn.CloseNow()
	conn.SetReadLimit(4 << 10)
	ctx, leave := context.WithCancel(r.Context())
	write := func(m any) error {
		wctx, cancel := context.WithTimeout(ctx, streamWriteWindow)
		defer cancel()
		b, err := json.Marshal(m)
		if err != nil {
			return err
		}
		return conn.Write(wctx, websocket.MessageText, b)
	}

	// Each subscription pumps its stream from its own goroutine, all of
	// them gone before the handler returns. One that ends by itself (a
	// failed write, a client fallen behind) ends the connection, so that
	// the client reconnects and subscribes again.
	var wg sync.WaitGroup
	subs := map[wsRequest]context.CancelFunc{}
	defer func() {
		leave()
		wg.Wait()
	}()
	subscribe := func(req wsRequest, st *tweets.Stream) {
		sctx, stop := context.WithCancel(ctx)
		subs[req] = stop
		names := []string{req.Stream}
		if req.Tag != "" {
			names = append(names, req.Tag)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer st.Close()
			s.pump(r.WithContext(sctx), g, st, func(event, payload string) error {
				if req.Stream == "user:notification" && event != "notification" {
					return nil
				}
				return write(wsMessage{Stream: names, Event: event, Payload: payload})
			}, func() error {
				pctx, cancel := context.WithTimeout(sctx, 10*time.Second)
				defer cancel()
				return conn.Ping(pctx)
			})
			if sctx.Err() == nil {
				leave()
			}
			stop()
		}()
	}
	if first != nil {
		subscribe(wsRequest{Stream: name, Tag: q.Get("tag")}, first)
	}
	for {
		_, data, err := conn.Read(ctx)
		if err != nil {
			break // the client left, or a subscription ended the connection
		}
		var req wsRequest
		if json.Unmarshal(data, &req) != nil {
			continue
		}
		t := req.Type
		req.Type = ""
		switch {
		case t == "unsubscribe" && subs[req] != nil:
			subs[req]()
			delete(subs, req)
		case t != "subscribe" || subs[req] != nil:
		case len(subs) >= maxSubscriptions:
			_ = write(wsError{Error: "Too many subscriptions on one connection.", Status: http.StatusTooManyRequests})
		default:
			kind, ok := wsStreams[req.Stream]
			if !ok {
				_ = write(wsError{Error: "Unknown stream type.", Status: http.StatusBadRequest})
				continue
			}
			st, err := s.openStream(g, kind, req.Tag)
			if err != nil {
				_ = write(s.wsRefusal(err))
				continue
			}
			subscribe(req, st)
		}
	}
	conn.Close(websocket.StatusNormalClosure, "")
	return nil
}

// wsRefusal says why a subscription was refused: the domain's message,
// or a generic one for anything else (which is logged).
func (s *Server) wsRefusal(err error) wsError {
	var e *tweets.Error
	if errors.As(err, &e) {
		return wsError{Error: e.Message, Status: middleware.Status(err)}
	}
	s.log.Error("opening a stream", "err", err)
	return wsError{Error: "The stream could not be opened.", Status: http.StatusInternalServerError}
}
