package redis

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/tweetsdev/tweets"
)

// eventsChannel is the pub/sub channel that replicas share.
const eventsChannel = "tweets:events"

// Relay returns a tweets.Relay over Redis pub/sub. Events are best
// effort: a replica that misses some (Redis down, a reconnect) catches up
// when its caches expire.
func (c *Client) Relay() tweets.Relay {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return &relay{c: c, origin: hex.EncodeToString(b[:])}
}

type relay struct {
	c      *Client
	origin string
}

// Send implements tweets.Relay.
func (r *relay) Send(parent context.Context, e tweets.Event) error {
	msg, err := tweets.EncodeRelayEvent(r.origin, e)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(parent), r.c.timeout)
	defer cancel()
	if err := r.c.rdb.Publish(ctx, eventsChannel, msg).Err(); err != nil {
		r.c.failed("events.publish", err)
		return err
	}
	return nil
}

// Listen implements tweets.Relay. go-redis resubscribes by itself after
// a lost connection.
func (r *relay) Listen(ctx context.Context, deliver func(tweets.Event)) error {
	ps := r.c.rdb.Subscribe(ctx, eventsChannel)
	defer ps.Close()
	ch := ps.Channel(goredis.WithChannelHealthCheckInterval(30 * time.Second))
	for {
		select {
		case <-ctx.Done():
			return nil
		case m, ok := <-ch:
			if !ok {
				return nil
			}
			origin, e, err := tweets.DecodeRelayEvent([]byte(m.Payload))
			if err != nil {
				r.c.log.Warn("ignoring an event that does not decode", "err", err)
				continue
			}
			if origin != r.origin {
				deliver(e)
			}
		}
	}
}
