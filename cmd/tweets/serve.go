package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/cache"
	"github.com/tweetsdev/tweets/config"
	"github.com/tweetsdev/tweets/metrics"
	"github.com/tweetsdev/tweets/middleware"
	"github.com/tweetsdev/tweets/redis"
	"github.com/tweetsdev/tweets/sqlstore"
	"github.com/tweetsdev/tweets/web"
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
	shuttingDown atomic.Bool
	redisErrors  atomic.Pointer[atomic.Int64]
	dbLog        *dbHealthLog
}

// app is what exists once the database is reachable and migrated.
type app struct {
	store   *sqlstore.Store
	redis   *redis.Client // nil without TWEETS_REDIS_URL
	svc     *tweets.Service
	handler http.Handler
}

// newProgram binds the listeners. The database is connected by Run, in
// the background, so that the server answers health checks (not ready)
// while the database is still starting.
func newProgram(c *config.Config, log *slog.Logger) (_ *program, err error) {
	p := &program{cfg: c, log: log, metrics: metrics.New(buildVersion(), web.TweetRoutes)}
	p.dbLog = &dbHealthLog{log: log, database: c.Database(), interval: dbLogInterval}
	p.metrics.WatchDB(p.dbStats)
	p.metrics.DeclareCache(cache.Name)
	p.metrics.WatchRedis(func() float64 {
		if n := p.redisErrors.Load(); n != nil {
			return float64(n.Load())
		}
		return 0
	})
	if p.mainLn, err = net.Listen("tcp", c.Addr); err != nil {
		return nil, fmt.Errorf("listen on %s: %w", c.Addr, err)
	}
	root := http.NewServeMux()
	root.HandleFunc("GET /healthz", p.healthz)
	root.HandleFunc("GET /readyz", p.readyz)
	if c.AdminAddr == "" {
		root.Handle("GET /metrics", p.metrics.Handler())
	} else {
		if p.adminLn, err = net.Listen("tcp", c.AdminAddr); err != nil {
			p.mainLn.Close()
			return nil, fmt.Errorf("listen on %s: %w", c.AdminAddr, err)
		}
		p.adminSrv = &http.Server{Handler: p.adminMux(), ReadHeaderTimeout: 10 * time.Second}
	}
	root.HandleFunc("/", p.serveApp)
	// The allowed hosts hold for everything on the public listener, the
	// health and metrics endpoints included; probes name an allowed host
	// or use the admin listener, which has no host check.
	public := middleware.CheckHost(log, c.AllowedHosts, middleware.Route(root))
	p.mainSrv = &http.Server{
		Handler:           middleware.Observe(log, p.metrics, public),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       c.UploadReadTimeout, // the pages shorten it for forms
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	return p, nil
}

// adminMux serves metrics, profiles and the health endpoints: for the
// private network only. It checks no Host, so that probes and scrapers
// can address it by any name or address.
func (p *program) adminMux() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", p.metrics.Handler())
	mux.HandleFunc("GET /healthz", p.healthz)
	mux.HandleFunc("GET /readyz", p.readyz)
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}

// Addr is where the server listens (useful with port 0).
func (p *program) Addr() string { return p.mainLn.Addr().String() }

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
			p.watchDB(ctx, a.store)
			return nil
		}
		p.metrics.SetDBUp(false)
		if ctx.Err() != nil {
			return nil
		}
		if p.cfg.DBWait > 0 && time.Now().Add(delay).After(deadline) {
			return fmt.Errorf("the database is still unreachable after %s: %v", p.cfg.DBWait, err)
		}
		p.log.Warn("database not ready; retrying", "err", err, "retry_in", delay.String(), "attempt", attempt)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(delay):
		}
		delay = min(delay*2, 15*time.Second)
	}
}

func (p *program) openApp(ctx context.Context) (_ *app, err error) {
	store, err := openStore(ctx, p.cfg, 10*time.Second)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			store.Close()
		}
	}()
	if p.cfg.MigrateOnStart {
		if err := store.Migrate(ctx, p.log); err != nil {
			return nil, err
		}
	}
	if err := store.Ping(ctx); err != nil {
		return nil, err
	}
	// The first timeline page is cached briefly: it is what most
	// visitors load, and it is the same for all of them.
	svc, err := newService(p.cfg, cache.New(store, 2*time.Second, p.metrics))
	if err != nil {
		return nil, err
	}
	svc.Events = p.metrics
	if err := ensureDemo(ctx, p.cfg, svc, p.log); err != nil {
		return nil, err
	}
	opts := web.Options{
		SecretKey: p.cfg.SecretKey, AllowedHosts: p.cfg.AllowedHosts, TrustedProxies: p.cfg.TrustedProxies,
		CookieSecure: p.cfg.CookieSecure, MaxUploadBytes: p.cfg.MaxUploadBytes, Debug: p.cfg.Debug,
		FormReadTimeout: p.cfg.FormReadTimeout, UploadReadTimeout: p.cfg.UploadReadTimeout,
		MediaAccelPrefix: p.cfg.MediaAccel,
	}
	var rc *redis.Client
	if p.cfg.RedisURL != "" {
		// With Redis, limits hold across replicas instead of per process.
		if rc, err = redis.Open(ctx, p.cfg.RedisURL, p.log); err != nil {
			return nil, err
		}
		svc.Limits = tweets.NewLimits(nil, rc.Limiter)
		p.redisErrors.Store(&rc.Errors)
	}
	pages, err := web.New(svc, p.log, opts)
	if err != nil {
		if rc != nil {
			rc.Close()
		}
		return nil, err
	}
	if p.cfg.SecretKey == config.DefaultSecretKey && !p.cfg.Debug {
		p.log.Warn("TWEETS_SECRET_KEY is not set: using an insecure default; run 'tweets check --deploy' before going live")
	}
	return &app{store: store, redis: rc, svc: svc, handler: pages.Handler()}, nil
}

func (p *program) serveApp(w http.ResponseWriter, r *http.Request) {
	a := p.app.Load()
	if a == nil {
		w.Header().Set("Retry-After", "5")
		http.Error(w, "503 Service Unavailable: the server is starting and waiting for its database. Try again in a few seconds.", http.StatusServiceUnavailable)
		return
	}
	a.handler.ServeHTTP(w, r)
}

// healthz says the process is alive; it does not touch the database, so
// a database outage never gets healthy replicas restarted.
func (p *program) healthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte("ok\n"))
}

// readyz says whether this replica should get traffic: the database is
// reachable and migrated, and the server is not shutting down.
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
