package main

import (
	"context"
	"time"

	"github.com/tweetsdev/tweets/sqlstore"
)

// Loops that run for the life of the server.

func (p *program) sweepSessions(ctx context.Context, store *sqlstore.Store) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			if n, err := store.DeleteExpiredSessions(ctx, now); err != nil {
				p.log.Warn("deleting expired sessions failed", "err", err)
			} else if n > 0 {
				p.log.Info("deleted expired sessions", "count", n)
			}
		}
	}
}
