package main

import (
	"context"
	"fmt"
	"time"
)

// connect opens and migrates the database, retrying with backoff, then
// makes the pages live and keeps checking the database.
func (p *program) connect(ctx context.Context) error {
	deadline := time.Now().Add(p.cfg.DBWait)
	delay := 500 * time.Millisecond
	for attempt := 1; ; attempt++ {
		a, err := p.openApp(ctx)
		if err == nil {
			p.app.Store(a)
			p.metrics.SetDBUp(true)
			p.log.Info("ready", "database", a.store.Dialect(), "attempts", attempt)
			go p.sweepSessions(ctx, a.store)
			go p.sweepMedia(ctx, a.svc, p.cfg.MediaSweep)
			if a.relay != nil {
				go p.relayEvents(ctx, a.relay, a.hub)
			}
			p.watchDB(ctx, a.store)
			return nil
		}
		p.metrics.SetDBUp(false)
		if ctx.Err() != nil {
			return nil
		}
		if p.cfg.DBWait > 0 && time.Now().Add(delay).After(deadline) {
			return fmt.Errorf("the %s is still unreachable after %s: %v", waitingFor(err), p.cfg.DBWait, err)
		}
		p.log.Warn(waitingFor(err)+" not ready; retrying", "err", err, "retry_in", delay.String(), "attempt", attempt)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(delay):
		}
		delay = min(delay*2, 15*time.Second)
	}
}
