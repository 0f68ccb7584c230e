package main

import (
	"context"
	"database/sql"
	"net/http"
	"time"

	"github.com/tweetsdev/tweets/sqlstore"
)

// Health: liveness, readiness and the database gauge.

// healthz says the process is alive; it does not touch the database, so
// a database outage never gets healthy replicas restarted.
func (p *program) healthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte("ok\n"))
}

// readyz says whether this replica should get traffic: the database is
// reachable and migrated, the media bucket (if any) answers, and the
// server is not shutting down.
func (p *program) readyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	notReady := func(why string) {
		http.Error(w, "not ready: "+why, http.StatusServiceUnavailable)
	}
	if p.shuttingDown.Load() {
		notReady("shutting down")
		return
	}
	a := p.app.Load()
	if a == nil {
		notReady("waiting for the database")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	err := a.store.Ping(ctx)
	if r.Context().Err() != nil {
		return // the prober hung up: the check says nothing about the database
	}
	p.metrics.SetDBUp(err == nil)
	p.dbLog.record(r.Context(), err, time.Now())
	if err != nil {
		// The error names the database's host, port, user and name: the
		// log gets it, anyone on the internet gets a reason naming nothing.
		notReady("database unavailable")
		return
	}
	if a.media != nil {
		// Without its bucket a replica can show pages but neither take
		// uploads nor send images: better to send traffic elsewhere.
		if err := a.media.Check(ctx); err != nil {
			if r.Context().Err() != nil {
				return
			}
			p.log.WarnContext(r.Context(), "media store unavailable", "err", err)
			notReady("media store unavailable")
			return
		}
	}
	_, _ = w.Write([]byte("ready\n"))
}

// watchDB keeps tweets_db_up current between readiness checks, and logs
// an outage even where nothing probes /readyz.
func (p *program) watchDB(ctx context.Context, store *sqlstore.Store) {
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			cctx, cancel := context.WithTimeout(ctx, 3*time.Second)
			err := store.Ping(cctx)
			cancel()
			if ctx.Err() != nil {
				return
			}
			p.metrics.SetDBUp(err == nil)
			p.dbLog.record(ctx, err, time.Now())
		}
	}
}

func (p *program) dbStats() sql.DBStats {
	if a := p.app.Load(); a != nil {
		return a.store.DB.Stats()
	}
	return sql.DBStats{}
}
