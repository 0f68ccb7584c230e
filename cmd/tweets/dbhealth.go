package main

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// dbDownMessage is the log message of a failed database check. The error
// it carries names the database's host, port, user and database, so it
// goes to the log and never into a public response.
const dbDownMessage = "the database check failed: /readyz reports not ready"

// dbLogInterval is how often a continuing database outage is logged again.
// Load balancers probe /readyz every few seconds; a line per probe would
// bury everything else in the log.
const dbLogInterval = 30 * time.Second

// dbHealthLog logs the outcome of database checks: a failure at once,
// then at most once every interval however many checks fail (a database
// that flaps up and down included), and the recovery from a logged
// failure once.
type dbHealthLog struct {
	log      *slog.Logger
	database string // which database, password redacted
	interval time.Duration

	mu       sync.Mutex
	loggedAt time.Time // when a failure was last logged
	logged   bool      // the failure going on now has been logged
	unlogged int       // failed checks since loggedAt that were not logged
}

// record notes the outcome of one check made at now.
func (d *dbHealthLog) record(ctx context.Context, err error, now time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err == nil {
		if d.logged {
			d.log.InfoContext(ctx, "the database answers again: /readyz reports ready")
		}
		d.logged = false
		return
	}
	if !d.loggedAt.IsZero() && now.Sub(d.loggedAt) < d.interval {
		d.unlogged++
		return
	}
	// The error alone can be as bare as "unexpected EOF" (a pooled
	// connection cut): name the database, so the line says where to look.
	d.log.WarnContext(ctx, dbDownMessage, "database", d.database, "err", oneLine(err), "unlogged_failures", d.unlogged)
	d.loggedAt, d.logged, d.unlogged = now, true, 0
}
