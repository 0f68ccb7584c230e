// Package config builds the server's configuration, one typed value, from
// command-line flags and TWEETS_* environment variables (secrets also
// from NAME_FILE), and validates it before anything starts.
package config

import (
	"log/slog"
	"net/netip"
	"path/filepath"
	"time"
)

// DefaultSecretKey is used when no key is configured. It lets the server
// start on a laptop; `tweets check --deploy` refuses it for production.
const DefaultSecretKey = "insecure-default-key-set-TWEETS_SECRET_KEY"

// defaultMaxImagePixels admits an 8K photo (7680×4320). The image
// checker has the same default; config imports nothing of this module,
// so it keeps its own copy.
const defaultMaxImagePixels = 7680 * 4320

// DefaultAllowedHosts are the Host names served when TWEETS_ALLOWED_HOSTS
// is not set: this machine only.
const DefaultAllowedHosts = "localhost,127.0.0.1,::1"

// Config is the whole configuration.
type Config struct {
	Addr         string
	AdminAddr    string // empty: /metrics on the main listener
	SecretKey    string
	Debug        bool
	AllowedHosts []string
	DataDir      string
	MediaDir     string
	MediaAccel   string // X-Accel-Redirect prefix: nginx sends media files; empty: the server does
	MediaStore   string // disk or s3
	S3           S3     // with MediaStore s3
	// SecretsInEnv names the secret settings given in the environment
	// rather than in NAME_FILE, which check --deploy reports.
	SecretsInEnv      []string
	DatabaseURL       string // empty: SQLite under DataDir
	DBMaxConns        int
	DBWait            time.Duration // how long serve retries the database at start; 0: forever
	Replicas          int           // processes sharing the database, for check --deploy
	RedisURL          string
	TrustedProxies    []netip.Prefix
	CookieSecure      string // auto, true or false
	LogFormat         string // auto, json or text
	LogLevel          slog.Level
	ShutdownTimeout   time.Duration
	FormReadTimeout   time.Duration
	UploadReadTimeout time.Duration
	MaxUploadBytes    int64
	MaxImagePixels    int
	MaxDecodeBytes    int64
	ImageWorkers      int
	MaxImageSide      int
	MaxImageFrames    int
	// APIRateLimit and PostRateLimit size the "api" and "post" limits
	// (tweets.DefaultLimitRules); 0 turns one off.
	APIRateLimit   int
	PostRateLimit  int
	MediaSweep     time.Duration
	CacheTTL       time.Duration
	Demo           bool
	MigrateOnStart bool
	CheckWaive     []string // settings whose check --deploy problems are deliberate, lower case
}

// UsesPostgres reports whether a PostgreSQL database is configured.
func (c *Config) UsesPostgres() bool { return c.DatabaseURL != "" }

// SQLitePath is where the embedded database lives.
func (c *Config) SQLitePath() string { return filepath.Join(c.DataDir, "tweets.db") }

// Database says which database is configured, for logs: the SQLite file,
// or the PostgreSQL URL with its password redacted.
func (c *Config) Database() string {
	if c.UsesPostgres() {
		return redactURL(c.DatabaseURL)
	}
	return "sqlite:" + c.SQLitePath()
}

// LogValue prints the configuration for the start-up log with every
// secret redacted.
func (c *Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("addr", c.Addr),
		slog.String("admin_addr", c.AdminAddr),
		slog.Bool("debug", c.Debug),
		slog.Any("allowed_hosts", c.AllowedHosts),
		slog.String("data_dir", c.DataDir),
		slog.String("media_dir", c.MediaDir),
		slog.String("media_accel_prefix", c.MediaAccel),
		slog.String("media_store", c.MediaStore),
		slog.Any("s3", c.S3),
		slog.String("database", c.Database()),
		slog.String("redis", redactURL(c.RedisURL)),
		slog.Any("trusted_proxies", c.TrustedProxies),
		slog.String("cookie_secure", c.CookieSecure),
		slog.Bool("default_secret_key", c.SecretKey == DefaultSecretKey),
		slog.Duration("form_read_timeout", c.FormReadTimeout),
		slog.Duration("upload_read_timeout", c.UploadReadTimeout),
		slog.Int64("max_upload_bytes", c.MaxUploadBytes),
		slog.Int("max_image_pixels", c.MaxImagePixels),
		slog.Int64("max_decode_bytes", c.MaxDecodeBytes),
		slog.Int("max_image_side", c.MaxImageSide),
		slog.Int("max_image_frames", c.MaxImageFrames),
		slog.Int("api_rate_limit", c.APIRateLimit),
		slog.Int("post_rate_limit", c.PostRateLimit),
		slog.Int("image_workers", c.ImageWorkers),
		slog.Duration("cache_ttl", c.CacheTTL),
		slog.Bool("demo", c.Demo),
	)
}

// BaseMemory is what the server needs besides image uploads: its code,
// connection buffers, caches and concurrent page renders.
const BaseMemory = 192 << 20

// MemoryBound is the most memory the server is meant to use: each image
// worker holds at most one upload and one decode, on top of BaseMemory.
// docs/limits.md explains it; a test holds the server to it.
func (c *Config) MemoryBound() int64 {
	return int64(c.ImageWorkers)*(c.MaxUploadBytes+c.MaxDecodeBytes) + BaseMemory
}
