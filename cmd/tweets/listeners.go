package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"time"

	"github.com/tweetsdev/tweets/cache"
	"github.com/tweetsdev/tweets/config"
	"github.com/tweetsdev/tweets/metrics"
	"github.com/tweetsdev/tweets/middleware"
	"github.com/tweetsdev/tweets/web"
)

// The listeners: the public one for pages and probes, and the private
// admin one for metrics and profiles.

// newProgram binds the listeners. The database is connected by Run, in
// the background, so that the server answers health checks (not ready)
// while the database is still starting.
func newProgram(c *config.Config, log *slog.Logger) (_ *program, err error) {
	p := &program{cfg: c, log: log, metrics: metrics.New(buildVersion(), web.TweetRoutes), appReady: make(chan struct{})}
	p.dbLog = &dbHealthLog{log: log, database: c.Database(), interval: dbLogInterval}
	p.metrics.WatchDB(p.dbStats)
	p.metrics.DeclareCache(cache.Name)
	p.metrics.DeclareCache(cache.HomeName)
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
	// Live streams end when shutdown starts, rather than hold it up.
	stopping, stop := context.WithCancel(context.Background())
	p.mainSrv = &http.Server{
		Handler:           middleware.Observe(log, p.metrics, public),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       c.UploadReadTimeout, // the pages shorten it for forms
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		BaseContext: func(net.Listener) context.Context {
			return middleware.WithShutdown(context.Background(), stopping)
		},
	}
	p.mainSrv.RegisterOnShutdown(stop)
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

// startWait is how long a request that arrives while the server starts
// waits for the database before it is refused (migrations of a large
// database, or a busy machine, can take seconds). A replica restarted
// behind a proxy takes requests as soon as it listens, a moment before
// its database is connected: refusing those would fail requests that
// the proxy cannot send elsewhere (a POST it has sent already).
const startWait = 10 * time.Second

func (p *program) serveApp(w http.ResponseWriter, r *http.Request) {
	a := p.app.Load()
	if a == nil {
		t := time.NewTimer(startWait)
		select {
		case <-p.appReady:
		case <-t.C:
		case <-r.Context().Done():
		}
		t.Stop()
		a = p.app.Load()
	}
	if a == nil {
		w.Header().Set("Retry-After", "5")
		http.Error(w, "503 Service Unavailable: the server is starting and waiting for its database. Try again in a few seconds.", http.StatusServiceUnavailable)
		return
	}
	a.handler.ServeHTTP(w, r)
}
