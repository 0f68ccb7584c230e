// Package testapp builds a complete tweets.Service on a fresh database of
// each backend, for tests that must hold on SQLite and PostgreSQL alike.
package testapp

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/internal/pgtest"
	"github.com/tweetsdev/tweets/internal/s3test"
	"github.com/tweetsdev/tweets/media"
	"github.com/tweetsdev/tweets/password"
	"github.com/tweetsdev/tweets/postgres"
	"github.com/tweetsdev/tweets/ratelimit"
	"github.com/tweetsdev/tweets/sqlite"
	"github.com/tweetsdev/tweets/sqlstore"
)

// Backend opens a new, empty, migrated store.
type Backend struct {
	Name string
	Open func(t testing.TB) *sqlstore.Store
}

// Backends are every database the product supports.
func Backends() []Backend {
	return []Backend{
		{"sqlite", func(t testing.TB) *sqlstore.Store {
			s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "tweets.db"))
			return migrated(t, s, err)
		}},
		{"postgres", func(t testing.TB) *sqlstore.Store {
			s, err := postgres.Open(context.Background(), pgtest.URL(t), postgres.Options{})
			return migrated(t, s, err)
		}},
	}
}

// ByName returns the backend called name ("sqlite" or "postgres").
func ByName(name string) Backend {
	for _, b := range Backends() {
		if b.Name == name {
			return b
		}
	}
	panic("testapp: no backend " + name)
}

func migrated(t testing.TB, s *sqlstore.Store, err error) *sqlstore.Store {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	return s
}

// FastPasswords are argon2id settings cheap enough for tests.
var FastPasswords = password.Params{Memory: 1024, Time: 1, Threads: 1}

// Option changes the service that Service builds.
type Option func(t testing.TB, svc *tweets.Service)

// OnS3 keeps the media in a fresh bucket of the test S3 server (see
// internal/s3test) instead of a temporary directory.
func OnS3(t testing.TB, svc *tweets.Service) { svc.Blobs = s3test.Store(t) }

// Service returns a service on store with media in a temporary
// directory (or where an option puts them) and a controllable clock
// (nil: the real one).
func Service(t testing.TB, store tweets.Store, now func() time.Time, opts ...Option) *tweets.Service {
	t.Helper()
	blobs, err := media.NewDisk(filepath.Join(t.TempDir(), "media"))
	if err != nil {
		t.Fatal(err)
	}
	svc := &tweets.Service{
		Store:     store,
		Blobs:     blobs,
		Images:    media.Inspector{},
		Passwords: password.Hasher{Params: FastPasswords},
		Limits: tweets.NewLimits(nil, func(_ string, r tweets.LimitRule) tweets.Limiter {
			return &ratelimit.Window{Limit: r.Limit, Per: r.Per, Now: now}
		}),
		Hashing:        tweets.NewGate(2, 10*time.Second),
		Decoding:       tweets.NewGate(2, 30*time.Second),
		DeviceKey:      []byte("device-key-for-tests"),
		IDs:            tweets.NewIDGenerator(now),
		Now:            now,
		MaxUploadBytes: 8 << 20,
		SessionTTL:     24 * time.Hour,
	}
	for _, o := range opts {
		o(t, svc)
	}
	return svc
}
