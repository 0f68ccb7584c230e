package middleware

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/tweetsdev/tweets"
)

// Heartbeat is how often an idle stream sends something (a comment, a
// ping), so that proxies and clients do not take it for dead.
const Heartbeat = 15 * time.Second

// StreamWriteWindow is how long one write to a stream may take; a
// client that does not read for that long is dropped.
const StreamWriteWindow = 30 * time.Second

// EventStream is a response of server-sent events (text/event-stream),
// for the API's streams and the pages' live updates alike.
type EventStream struct {
	w  http.ResponseWriter
	rc *http.ResponseController
}

// OpenEventStream answers 200 with the headers of an event stream and a
// first comment, so that the client knows at once it is connected.
func OpenEventStream(w http.ResponseWriter) (*EventStream, error) {
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: pass each event on at once
	w.WriteHeader(http.StatusOK)
	es := &EventStream{w: w, rc: http.NewResponseController(w)}
	return es, es.write(":)\n\n")
}

// Send writes one event. data must be one line.
func (es *EventStream) Send(name, data string) error {
	return es.write("event: " + name + "\ndata: " + data + "\n\n")
}

// Beat writes a comment, which clients ignore: the heartbeat.
func (es *EventStream) Beat() error { return es.write(":thump\n\n") }

// write sends chunk at once, lifting the server's write timeout for
// this write only: a stream outlives any one request's timeout.
func (es *EventStream) write(chunk string) error {
	_ = es.rc.SetWriteDeadline(time.Now().Add(StreamWriteWindow))
	if _, err := fmt.Fprint(es.w, chunk); err != nil { // #nosec G705 -- text/event-stream: event names and one-line data the callers make (ids, counts, JSON from encoding/json, which escapes HTML)
		return err
	}
	return es.rc.Flush()
}

type shutdownKey struct{}

// WithShutdown returns ctx carrying stopping, a context that ends when
// the server starts to shut down: the server's base context. Streams end
// then, since a graceful shutdown waits for every request to finish and a
// stream's client never leaves of its own accord.
func WithShutdown(ctx, stopping context.Context) context.Context {
	return context.WithValue(ctx, shutdownKey{}, stopping)
}

// Pump hands a stream's items to each until ctx ends, the server shuts
// down (see WithShutdown), the stream ends (its client fell behind and
// must reconnect) or each or beat fails (the client left), calling beat
// when the stream is idle for a Heartbeat. The error is the stream's own
// (a store that failed), for the log.
func Pump(ctx context.Context, st *tweets.Stream, each func(tweets.StreamEvent) error, beat func() error) error {
	if stopping, ok := ctx.Value(shutdownKey{}).(context.Context); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithCancel(ctx)
		defer cancel()
		defer context.AfterFunc(stopping, cancel)()
	}
	for {
		next, cancel := context.WithTimeout(ctx, Heartbeat)
		e, ok, err := st.Next(next)
		cancel()
		if err != nil {
			return err
		}
		if !ok {
			if ctx.Err() != nil || next.Err() == nil {
				return nil // the client left, or fell behind and must reconnect
			}
			if beat() != nil {
				return nil
			}
			continue
		}
		if each(e) != nil {
			return nil
		}
	}
}
