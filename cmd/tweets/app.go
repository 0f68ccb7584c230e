package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"runtime"
	"time"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/api"
	"github.com/tweetsdev/tweets/cache"
	"github.com/tweetsdev/tweets/config"
	"github.com/tweetsdev/tweets/inmem"
	"github.com/tweetsdev/tweets/media"
	"github.com/tweetsdev/tweets/password"
	"github.com/tweetsdev/tweets/postgres"
	"github.com/tweetsdev/tweets/ratelimit"
	"github.com/tweetsdev/tweets/redis"
	"github.com/tweetsdev/tweets/sqlite"
	"github.com/tweetsdev/tweets/sqlstore"
	"github.com/tweetsdev/tweets/web"
)

// openStore opens the configured database: PostgreSQL when a URL is
// set, the embedded SQLite file otherwise. It gives up after timeout.
func openStore(ctx context.Context, c *config.Config, timeout time.Duration) (*sqlstore.Store, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if c.UsesPostgres() {
		return postgres.Open(ctx, c.DatabaseURL, postgres.Options{MaxOpenConns: c.DBMaxConns})
	}
	return sqlite.Open(ctx, c.SQLitePath())
}

// newService wires the domain service to its adapters.
func newService(ctx context.Context, c *config.Config, store tweets.Store) (*tweets.Service, error) {
	blobs, err := openBlobs(ctx, c)
	if err != nil {
		return nil, err
	}
	return &tweets.Service{
		Store: store,
		Blobs: blobs,
		Images: media.Inspector{MaxPixels: c.MaxImagePixels, MaxDecodeBytes: c.MaxDecodeBytes,
			MaxSide: c.MaxImageSide, MaxFrames: c.MaxImageFrames},
		Passwords: password.Hasher{Params: password.Default},
		Limits: tweets.NewLimits(limitRules(c), func(_ string, r tweets.LimitRule) tweets.Limiter {
			return &ratelimit.Window{Limit: r.Limit, Per: r.Per}
		}),
		// One hash per core: more at once would only queue for the CPU
		// while holding 19 MiB each.
		Hashing:        tweets.NewGate(runtime.GOMAXPROCS(0), 10*time.Second),
		Decoding:       tweets.NewGate(c.ImageWorkers, 30*time.Second),
		DeviceKey:      []byte("device:" + c.SecretKey),
		IDs:            tweets.NewIDGenerator(nil),
		MaxUploadBytes: c.MaxUploadBytes,
		SessionTTL:     30 * 24 * time.Hour,
	}, nil
}

// The demo account, for a first look on a laptop.
const (
	demoUsername = "demo"
	demoPassword = "demo12345"
)

// ensureDemo creates the demo account when TWEETS_DEMO is on (by default
// only on SQLite) and nobody has signed up yet. Replicas starting together
// may race to create it: the loser sees ErrConflict.
func ensureDemo(ctx context.Context, c *config.Config, svc *tweets.Service, log *slog.Logger) error {
	if !c.Demo {
		return nil
	}
	n, err := svc.Store.CountUsers(ctx)
	if err != nil || n > 0 {
		return err
	}
	if _, err := svc.CreateAccount(ctx, demoUsername, demoPassword); err != nil && !errors.Is(err, tweets.ErrConflict) {
		return fmt.Errorf("create the demo account: %w", err)
	}
	log.Warn("created the demo account: log in as demo / demo12345; set TWEETS_DEMO=0 to stop this", "username", demoUsername)
	return nil
}

// app is what exists once the database is reachable and migrated.
type app struct {
	store   *sqlstore.Store
	redis   *redis.Client // nil without TWEETS_REDIS_URL
	svc     *tweets.Service
	handler http.Handler
	hub     *inmem.Hub
	relay   tweets.Relay // nil on SQLite: one replica only
	media   mediaChecker // nil for media on disk
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
	var rc *redis.Client
	if p.cfg.RedisURL != "" {
		if rc, err = redis.Open(ctx, p.cfg.RedisURL, p.log); err != nil {
			return nil, err
		}
		p.redisErrors.Store(&rc.Errors)
	}
	defer func() {
		if err != nil && rc != nil {
			rc.Close()
		}
	}()
	// The first timeline page is cached: it is what most visitors load,
	// and it is the same for all of them. Events drop it when it changes.
	cached := cache.New(store, p.cfg.CacheTTL, p.metrics)
	// Home timelines come from feeds kept per reader: in Redis, shared by
	// the replicas, when there is one; otherwise in this process.
	var feeds cache.Feeds = cache.NewMemoryFeeds(homeFeedReaders, cache.DefaultFeedLength, homeFeedTTL)
	if rc != nil {
		feeds = rc.Feeds(cache.DefaultFeedLength, time.Hour)
	}
	home := cache.NewHome(cached, store, feeds, p.metrics)
	svc, err := newService(ctx, p.cfg, home)
	if err != nil {
		return nil, err
	}
	hub := &inmem.Hub{OnDrop: p.metrics.SubscriberDropped}
	p.metrics.WatchStreams(hub.Subscribers)
	hub.Handle(cache.Affects, cached.OnEvent)
	hub.Handle(cache.HomeAffects, home.OnEvent)
	events := &publisher{hub: hub, metrics: p.metrics, log: p.log}
	switch {
	case rc != nil:
		// With Redis, limits hold across replicas instead of per process,
		// and events reach the other replicas through it.
		svc.Limits = tweets.NewLimits(limitRules(p.cfg), rc.Limiter)
		events.relay = rc.Relay()
	case p.cfg.UsesPostgres():
		if events.relay, err = postgres.NewRelay(p.cfg.DatabaseURL, store.DB, p.log); err != nil {
			return nil, err
		}
	}
	svc.Events, svc.Live = events, hub
	if err := ensureDemo(ctx, p.cfg, svc, p.log); err != nil {
		return nil, err
	}
	opts := web.Options{
		SecretKey: p.cfg.SecretKey, AllowedHosts: p.cfg.AllowedHosts, TrustedProxies: p.cfg.TrustedProxies,
		CookieSecure: p.cfg.CookieSecure, MaxUploadBytes: p.cfg.MaxUploadBytes, Debug: p.cfg.Debug,
		FormReadTimeout: p.cfg.FormReadTimeout, UploadReadTimeout: p.cfg.UploadReadTimeout,
		MediaAccelPrefix: p.cfg.MediaAccel, MediaPublicURL: p.cfg.S3.PublicURL,
	}
	pages, err := web.New(svc, p.log, opts)
	if err != nil {
		return nil, err
	}
	if p.cfg.SecretKey == config.DefaultSecretKey && !p.cfg.Debug {
		p.log.Warn("TWEETS_SECRET_KEY is not set: using an insecure default; run 'tweets check --deploy' before going live")
	}
	clients := api.New(svc, p.log, api.Options{AllowedHosts: p.cfg.AllowedHosts, TrustedProxies: p.cfg.TrustedProxies,
		MaxUploadBytes: p.cfg.MaxUploadBytes, Version: buildVersion()})
	a := &app{store: store, redis: rc, svc: svc, handler: withAPI(clients.Handler(), pages.Handler()), hub: hub, relay: events.relay}
	a.media, _ = svc.Blobs.(mediaChecker)
	return a, nil
}

// In-process home feeds: the readers kept (about 10 MB at most) and for
// how long, which bounds how late another replica's post can show
// should the relay lose its event.
const (
	homeFeedReaders = 1000
	homeFeedTTL     = 5 * time.Minute
)

// withAPI sends the API's paths to it and everything else to the pages.
func withAPI(clients, pages http.Handler) http.Handler {
	mux := http.NewServeMux()
	for _, p := range api.Prefixes {
		mux.Handle(p, clients)
	}
	mux.Handle("/", pages)
	return mux
}

// limitRules are the default rate limits with the configured sizes.
func limitRules(c *config.Config) map[string]tweets.LimitRule {
	rules := maps.Clone(tweets.DefaultLimitRules)
	rules["api"] = tweets.LimitRule{Limit: c.APIRateLimit, Per: rules["api"].Per}
	rules["post"] = tweets.LimitRule{Limit: c.PostRateLimit, Per: rules["post"].Per}
	return rules
}
