package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/tweetsdev/tweets/config"
	"github.com/tweetsdev/tweets/web"
)

func serve(ctx context.Context, e env, args []string) error {
	fs := flagSet(e, "serve", "serve [flags]")
	c, err := loadConfig(e, fs, args)
	if err != nil {
		return err
	}
	log := newLogger(c, e.stderr)
	p, err := newProgram(ctx, c, log)
	if err != nil {
		return err
	}
	defer p.Close()
	return p.Run(ctx)
}

// program is the running server. Tests start it on port 0 with a
// temporary database, exactly as main does.
type program struct {
	cfg      *config.Config
	log      *slog.Logger
	closers  []func() error
	listener net.Listener
	http     *http.Server
}

func newProgram(ctx context.Context, c *config.Config, log *slog.Logger) (_ *program, err error) {
	p := &program{cfg: c, log: log}
	defer func() {
		if err != nil {
			p.Close()
		}
	}()
	log.Info("starting", "version", buildVersion(), "config", c)
	store, err := openStore(ctx, c, 30*time.Second)
	if err != nil {
		return nil, err
	}
	p.closers = append(p.closers, store.Close)
	if c.MigrateOnStart {
		if err := store.Migrate(ctx, log); err != nil {
			return nil, err
		}
	}
	svc, err := newService(c, store)
	if err != nil {
		return nil, err
	}
	if err := ensureDemo(ctx, c, svc, log); err != nil {
		return nil, err
	}
	pages, err := web.New(svc, log, web.Options{
		SecretKey: c.SecretKey, AllowedHosts: c.AllowedHosts, TrustedProxies: c.TrustedProxies,
		CookieSecure: c.CookieSecure, MaxUploadBytes: c.MaxUploadBytes, Debug: c.Debug,
	})
	if err != nil {
		return nil, err
	}
	if c.SecretKey == config.DefaultSecretKey && !c.Debug {
		log.Warn("TWEETS_SECRET_KEY is not set: using an insecure default; run 'tweets check --deploy' before going live")
	}
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", c.Addr, err)
	}
	p.listener = ln
	p.http = &http.Server{
		Handler:           pages.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute, // uploads on slow links
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	go p.sweepSessions(ctx, svc.Store.DeleteExpiredSessions)
	return p, nil
}

// Addr is where the server listens (useful with port 0).
func (p *program) Addr() string { return p.listener.Addr().String() }

// Run serves until ctx is cancelled, then stops accepting connections and
// lets in-flight requests finish within the shutdown timeout.
func (p *program) Run(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() { errc <- p.http.Serve(p.listener) }()
	p.log.Info("listening", "addr", "http://"+p.Addr())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	p.log.Info("shutting down", "timeout", p.cfg.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), p.cfg.ShutdownTimeout)
	defer cancel()
	if err := p.http.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	p.log.Info("stopped")
	return nil
}

// Close releases the database and other resources.
func (p *program) Close() {
	for i := len(p.closers) - 1; i >= 0; i-- {
		_ = p.closers[i]()
	}
	p.closers = nil
}

func (p *program) sweepSessions(ctx context.Context, sweep func(context.Context, time.Time) (int, error)) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			if n, err := sweep(ctx, now); err != nil {
				p.log.Warn("deleting expired sessions failed", "err", err)
			} else if n > 0 {
				p.log.Info("deleted expired sessions", "count", n)
			}
		}
	}
}
