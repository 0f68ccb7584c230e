package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"time"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/config"
	"github.com/tweetsdev/tweets/media"
	"github.com/tweetsdev/tweets/password"
	"github.com/tweetsdev/tweets/postgres"
	"github.com/tweetsdev/tweets/ratelimit"
	"github.com/tweetsdev/tweets/sqlite"
	"github.com/tweetsdev/tweets/sqlstore"
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
func newService(c *config.Config, store tweets.Store) (*tweets.Service, error) {
	blobs, err := media.NewDisk(c.MediaDir)
	if err != nil {
		return nil, err
	}
	return &tweets.Service{
		Store:     store,
		Blobs:     blobs,
		Images:    media.Inspector{MaxPixels: c.MaxImagePixels, MaxDecodeBytes: c.MaxDecodeBytes},
		Passwords: password.Hasher{Params: password.Default},
		Limits: tweets.NewLimits(nil, func(_ string, r tweets.LimitRule) tweets.Limiter {
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

// Demo account of the original design, for a first look on a laptop.
const (
	demoUsername = "demo"
	demoPassword = "demo12345"
)

// ensureDemo creates the demo account on the first run of the embedded
// database: never on PostgreSQL, never once anyone has signed up.
func ensureDemo(ctx context.Context, c *config.Config, svc *tweets.Service, log *slog.Logger) error {
	if !c.Demo || c.UsesPostgres() {
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
