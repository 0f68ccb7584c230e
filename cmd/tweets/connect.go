package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// connect opens and migrates the database, retrying with backoff, then
// makes the pages live and keeps checking the database.
func (p *program) connect(ctx context.Context) error {
	var a *app
	err := retryDatabase(ctx, p.cfg.DBWait, p.log, func(ctx context.Context) (err error) {
		a, err = p.openApp(ctx)
		p.metrics.SetDBUp(err == nil)
		return err
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	p.app.Store(a)
	close(p.appReady)
	p.log.Info("ready", "database", a.store.Dialect())
	go p.sweepSessions(ctx, a.store)
	go p.sweepMedia(ctx, a.svc, p.cfg.MediaSweep)
	if a.relay != nil {
		go p.relayEvents(ctx, a.relay, a.hub)
	}
	p.watchDB(ctx, a.store)
	return nil
}

// retryDatabase calls try until it succeeds, ctx ends or wait has passed
// (0: no limit), waiting from half a second up to 15 s between attempts.
// A database that starts along with the server (Compose, Terraform,
// Kubernetes) is often not accepting connections for the first seconds.
func retryDatabase(ctx context.Context, wait time.Duration, log *slog.Logger, try func(context.Context) error) error {
	deadline := time.Now().Add(wait)
	delay := 500 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := try(ctx)
		if err == nil {
			if attempt > 1 {
				log.Info("the database answers", "attempts", attempt)
			}
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if wait > 0 && time.Now().Add(delay).After(deadline) {
			return fmt.Errorf("the %s is still unreachable after %s (TWEETS_DB_WAIT): %v", waitingFor(err), wait, err)
		}
		log.Warn(waitingFor(err)+" not ready; retrying", "err", err, "retry_in", delay.String(), "attempt", attempt)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(delay):
		}
		delay = min(delay*2, 15*time.Second)
	}
}
