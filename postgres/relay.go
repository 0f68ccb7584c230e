package postgres

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tweetsdev/tweets"
)

// eventsChannel is the NOTIFY channel that replicas share.
const eventsChannel = "tweets_events"

// Relay is a tweets.Relay over LISTEN/NOTIFY, for replicas that share a
// PostgreSQL database but no Redis. Notifications are sent on the store's
// pool and received on a connection of the relay's own.
type Relay struct {
	url    string
	db     *sql.DB
	log    *slog.Logger
	origin string
}

// NewRelay returns a relay for the database at url; db is the store's
// pool, used to send.
func NewRelay(url string, db *sql.DB, log *slog.Logger) (*Relay, error) {
	if _, err := pgxConfig(url); err != nil {
		return nil, err
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	return &Relay{url: url, db: db, log: log, origin: hex.EncodeToString(b[:])}, nil
}

// Send implements tweets.Relay. A notification is at most 8000 bytes;
// events are far smaller (a tweet is at most 280 characters).
func (r *Relay) Send(ctx context.Context, e tweets.Event) error {
	msg, err := tweets.EncodeRelayEvent(r.origin, e)
	if err != nil {
		return err
	}
	// The change is stored already: tell the others even if the client
	// that made it has gone.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	_, err = r.db.ExecContext(ctx, "SELECT pg_notify($1, $2)", eventsChannel, string(msg))
	return err
}

// Listen implements tweets.Relay: it listens on a connection of its own
// and opens a new one, with backoff, when it breaks.
func (r *Relay) Listen(ctx context.Context, deliver func(tweets.Event)) error {
	delay := 500 * time.Millisecond
	for ctx.Err() == nil {
		err := r.listenOnce(ctx, deliver)
		if ctx.Err() != nil {
			return nil
		}
		r.log.Warn("event relay lost its PostgreSQL connection; reconnecting", "err", err, "retry_in", delay.String())
		select {
		case <-ctx.Done():
		case <-time.After(delay):
		}
		delay = min(delay*2, 15*time.Second)
	}
	return nil
}

func (r *Relay) listenOnce(ctx context.Context, deliver func(tweets.Event)) error {
	cfg, err := pgxConfig(r.url)
	if err != nil {
		return err
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+eventsChannel); err != nil {
		return err
	}
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		origin, e, err := tweets.DecodeRelayEvent([]byte(n.Payload))
		if err != nil {
			r.log.Warn("ignoring an event that does not decode", "err", err)
			continue
		}
		if origin != r.origin {
			deliver(e)
		}
	}
}
