package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"sync"
	"sync/atomic"

	"github.com/tweetsdev/tweets/config"
	"github.com/tweetsdev/tweets/metrics"
)

func serve(ctx context.Context, e env, args []string) error {
	fs := flagSet(e, "serve", "serve [flags]")
	c, err := loadConfig(e, fs, args)
	if err != nil {
		return err
	}
	log := newLogger(c, e.stderr)
	if e.getenv("GOMEMLIMIT") == "" {
		// A soft limit under the documented bound makes the collector
		// run before the garbage of finished decodes piles up on top of
		// the decodes in progress (docs/limits.md). The margin is for
		// what the Go heap does not count: stacks, the runtime, buffers.
		debug.SetMemoryLimit(c.MemoryBound() - config.BaseMemory/2)
	}
	p, err := newProgram(c, log)
	if err != nil {
		return err
	}
	return p.Run(ctx)
}

// program is the running server. Tests start it on port 0 with a
// temporary database, exactly as main does.
type program struct {
	cfg     *config.Config
	log     *slog.Logger
	metrics *metrics.Metrics

	mainLn, adminLn   net.Listener
	mainSrv, adminSrv *http.Server

	app          atomic.Pointer[app] // nil until the database is ready
	appReady     chan struct{}       // closed once app is set
	shuttingDown atomic.Bool
	redisErrors  atomic.Pointer[atomic.Int64]
	dbLog        *dbHealthLog
}

// Run serves until ctx is cancelled, then shuts down gracefully: it stops
// accepting, reports not-ready, lets in-flight requests finish within the
// shutdown timeout, and closes the database.
func (p *program) Run(ctx context.Context) error {
	p.log.Info("starting", "version", buildVersion(), "config", p.cfg)
	errc := make(chan error, 3)
	go func() { errc <- p.mainSrv.Serve(p.mainLn) }()
	p.log.Info("listening", "addr", "http://"+p.Addr())
	if p.adminSrv != nil {
		go func() { errc <- p.adminSrv.Serve(p.adminLn) }()
		p.log.Info("admin listening", "addr", "http://"+p.adminLn.Addr().String())
	}
	bg, stopBG := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := p.connect(bg); err != nil {
			errc <- err
		}
	}()

	var runErr error
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			runErr = err
		}
	case <-ctx.Done():
	}
	p.shuttingDown.Store(true)
	p.log.Info("shutting down", "timeout", p.cfg.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), p.cfg.ShutdownTimeout)
	defer cancel()
	if err := p.mainSrv.Shutdown(sctx); err != nil && runErr == nil {
		runErr = fmt.Errorf("shutdown: %w", err)
	}
	if p.adminSrv != nil {
		_ = p.adminSrv.Shutdown(sctx)
	}
	stopBG()
	wg.Wait()
	if a := p.app.Load(); a != nil {
		_ = a.store.Close()
		if a.redis != nil {
			_ = a.redis.Close()
		}
	}
	if runErr != nil {
		return runErr
	}
	p.log.Info("stopped")
	return nil
}
