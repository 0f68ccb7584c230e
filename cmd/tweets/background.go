package main

import (
	"context"
	"time"

	"github.com/tweetsdev/tweets"
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

// sweepMedia expires uploads no status took, then deletes the files of
// deleted tweets and accounts and of replaced pictures, in batches,
// every interval; failures stay queued for a later try (see
// Service.SweepMedia).
func (p *program) sweepMedia(ctx context.Context, svc *tweets.Service, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := svc.ExpirePendingMedia(ctx, 100); err != nil {
				p.log.Warn("expiring unattached uploads failed", "err", err)
			} else if n > 0 {
				p.log.Info("expired unattached uploads", "count", n)
			}
			for range 100 { // at most 100 batches a tick: others get their turn
				sw, err := svc.SweepMedia(ctx, 100)
				if err != nil {
					p.log.Warn("deleting media files failed", "err", err)
					break
				}
				if sw.Failed > 0 {
					p.log.Warn("some media files could not be deleted; they will be tried again", "failed", sw.Failed, "deleted", sw.Deleted, "err", sw.LastError)
				} else if sw.Deleted > 0 {
					p.log.Debug("deleted media files", "count", sw.Deleted)
				}
				if sw.Deleted+sw.Failed < 100 {
					break
				}
			}
		}
	}
}
