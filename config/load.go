package config

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// setting is one configuration value: a flag, its environment variable
// and its default.
type setting struct {
	flag, env, def, help string
	secret               bool // may come from env+"_FILE"; never printed
	value                *string
}

func settings() []*setting {
	return []*setting{
		{flag: "addr", env: "TWEETS_ADDR", def: ":8000", help: "listen address of the web server"},
		{flag: "admin-addr", env: "TWEETS_ADMIN_ADDR", help: "listen address for /metrics and /debug/pprof (empty: /metrics on the main address, no pprof)"},
		{flag: "secret-key", env: "TWEETS_SECRET_KEY", help: "key that signs CSRF tokens; at least 32 characters in production", secret: true},
		{flag: "debug", env: "TWEETS_DEBUG", def: "false", help: "show debug logs and detailed error pages; never in production"},
		{flag: "allowed-hosts", env: "TWEETS_ALLOWED_HOSTS", def: DefaultAllowedHosts, help: "comma-separated Host names to serve; .example.com allows subdomains, * allows any"},
		{flag: "data-dir", env: "TWEETS_DATA_DIR", def: "./data", help: "directory for the SQLite database and media"},
		{flag: "media-dir", env: "TWEETS_MEDIA_DIR", help: "directory for uploaded media (default DATA_DIR/media)"},
		{flag: "media-store", env: "TWEETS_MEDIA_STORE", def: "disk", help: "where uploaded media are kept: disk (TWEETS_MEDIA_DIR) or s3 (a bucket, TWEETS_S3_*)"},
		{flag: "s3-endpoint", env: "TWEETS_S3_ENDPOINT", help: "URL of the S3-compatible server, https://s3.eu-west-1.amazonaws.com or http://seaweedfs:8333 (with TWEETS_MEDIA_STORE=s3)"},
		{flag: "s3-bucket", env: "TWEETS_S3_BUCKET", help: "bucket holding the media; it must exist, and hold nothing else"},
		{flag: "s3-region", env: "TWEETS_S3_REGION", help: "region of the bucket (empty: us-east-1, what most self-hosted servers expect)"},
		{flag: "s3-access-key-id", env: "TWEETS_S3_ACCESS_KEY_ID", help: "access key id for the bucket", secret: true},
		{flag: "s3-secret-access-key", env: "TWEETS_S3_SECRET_ACCESS_KEY", help: "secret access key for the bucket", secret: true},
		{flag: "s3-path-style", env: "TWEETS_S3_PATH_STYLE", def: "false", help: "address the bucket in the path (host/bucket/key), as most self-hosted servers need, rather than in the host name"},
		{flag: "s3-public-url", env: "TWEETS_S3_PUBLIC_URL", help: "URL where the bucket's files are public, https://media.example.com: pages then link media there instead of /media/ (the files of suspended accounts stay public too; empty: the server sends every file)"},
		{flag: "media-accel-prefix", env: "TWEETS_MEDIA_ACCEL_PREFIX", help: "nginx's internal location of the media directory, /_media/ with deploy/nginx: allowed media requests get an X-Accel-Redirect there and nginx sends the file (empty: the server sends it)"},
		{flag: "database-url", env: "DATABASE_URL", help: "PostgreSQL URL, postgres://user:password@host:5432/db (empty: SQLite)", secret: true}, // #nosec G101 -- the help text's example
		{flag: "postgres-host", env: "POSTGRES_HOST", help: "PostgreSQL host, when DATABASE_URL is not set"},
		{flag: "postgres-port", env: "POSTGRES_PORT", def: "5432", help: "PostgreSQL port"},
		{flag: "postgres-db", env: "POSTGRES_DB", def: "tweets", help: "PostgreSQL database name"},
		{flag: "postgres-user", env: "POSTGRES_USER", def: "tweets", help: "PostgreSQL user"},
		{flag: "postgres-password", env: "POSTGRES_PASSWORD", help: "PostgreSQL password", secret: true},
		{flag: "postgres-sslmode", env: "POSTGRES_SSLMODE", help: "PostgreSQL sslmode: disable, require, verify-ca or verify-full (empty: the driver's default, prefer)"},
		{flag: "postgres-sslrootcert", env: "POSTGRES_SSLROOTCERT", help: "file with the CA certificate(s) that verify-ca and verify-full check the server against"},
		{flag: "db-max-conns", env: "TWEETS_DB_MAX_CONNS", def: "20", help: "most open PostgreSQL connections per process"},
		{flag: "db-wait", env: "TWEETS_DB_WAIT", def: "5m", help: "how long serve and migrate retry an unreachable database at start before giving up (0: forever)"},
		{flag: "replicas", env: "TWEETS_REPLICAS", def: "1", help: "how many server processes share this database (checked by check --deploy: SQLite allows one)"},
		{flag: "redis-url", env: "TWEETS_REDIS_URL", help: "Redis URL, redis://host:6379/0 (empty: in-process equivalents)", secret: true},
		{flag: "trusted-proxies", env: "TWEETS_TRUSTED_PROXIES", help: "comma-separated CIDRs of reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed"},
		{flag: "cookie-secure", env: "TWEETS_COOKIE_SECURE", def: "auto", help: "mark cookies Secure: auto (when the request came over TLS), true or false"},
		{flag: "log-format", env: "TWEETS_LOG_FORMAT", def: "auto", help: "log format: json, text, or auto (text on a terminal, JSON otherwise)"},
		{flag: "log-level", env: "TWEETS_LOG_LEVEL", def: "info", help: "log level: debug, info, warn or error"},
		{flag: "shutdown-timeout", env: "TWEETS_SHUTDOWN_TIMEOUT", def: "25s", help: "how long in-flight requests may run on after SIGTERM"},
		{flag: "form-read-timeout", env: "TWEETS_FORM_READ_TIMEOUT", def: "10s", help: "how long the body of a form without a file may take to arrive"},
		{flag: "upload-read-timeout", env: "TWEETS_UPLOAD_READ_TIMEOUT", def: "2m", help: "how long a request with an upload may take to arrive (slow links)"},
		{flag: "max-upload-bytes", env: "TWEETS_MAX_UPLOAD_BYTES", def: "8MiB", help: "largest accepted image file (bytes, or with KiB/MiB)"},
		{flag: "max-image-pixels", env: "TWEETS_MAX_IMAGE_PIXELS", def: strconv.Itoa(defaultMaxImagePixels), help: "largest accepted image in pixels (width × height)"},
		{flag: "max-decode-bytes", env: "TWEETS_MAX_DECODE_BYTES", def: "144MiB", help: "most memory one image may need to decode and write anew (width × height × bytes per pixel, its scaled copies, and the encoders); larger images are refused before decoding"},
		{flag: "max-image-side", env: "TWEETS_MAX_IMAGE_SIDE", def: "2048", help: "longest side an attached image is stored at, in pixels; larger ones are scaled down (animated GIFs, which are not scaled, are refused)"},
		{flag: "api-rate-limit", env: "TWEETS_API_RATE_LIMIT", def: "300", help: "client API requests allowed per account (per address without a user's token) in five minutes (0: no limit)"},
		{flag: "post-rate-limit", env: "TWEETS_POST_RATE_LIMIT", def: "30", help: "posts and uploads allowed per account in a minute (0: no limit)"},
		{flag: "max-image-frames", env: "TWEETS_MAX_IMAGE_FRAMES", def: "300", help: "most frames an animated GIF may have"},
		{flag: "media-sweep-interval", env: "TWEETS_MEDIA_SWEEP_INTERVAL", def: "10s", help: "how often the files of deleted tweets and replaced pictures are deleted from storage (failures are retried, backing off to an hour)"},
		{flag: "image-workers", env: "TWEETS_IMAGE_WORKERS", def: "2", help: "how many uploads are read and decoded at once; others wait (peak image memory ≈ workers × (max-upload-bytes + max-decode-bytes))"},
		{flag: "cache-ttl", env: "TWEETS_CACHE_TTL", def: "10s", help: "how long the first timeline page is cached at most; events from every replica drop it as soon as it changes"},
		{flag: "demo", env: "TWEETS_DEMO", def: "auto", help: "create the demo account (demo / demo12345) when the database has no account yet: true, false, or auto (on SQLite only)"},
		{flag: "check-waive", env: "TWEETS_CHECK_WAIVE", help: "comma-separated settings whose check --deploy problems are deliberate (say why next to it, in the deployment's configuration): listed as waived, not failed"},
		{flag: "migrate-on-start", env: "TWEETS_MIGRATE_ON_START", def: "true", help: "apply database migrations when the server starts"},
	}
}

// Loader registers the settings on a flag set and reads them back.
type Loader struct {
	fs       *flag.FlagSet
	getenv   func(string) string
	readFile func(string) ([]byte, error)
	set      []*setting
	// inEnv records the secret settings given in the environment itself
	// rather than in a NAME_FILE, for check --deploy.
	inEnv []string
}

// NewLoader adds every setting to fs as a flag. Call fs.Parse, then Load.
// getenv is os.Getenv in production and a map in tests.
func NewLoader(fs *flag.FlagSet, getenv func(string) string) *Loader {
	l := &Loader{fs: fs, getenv: getenv, readFile: os.ReadFile, set: settings()}
	for _, s := range l.set {
		s.value = new(string)
		help := s.help + " (env " + s.env
		if s.secret {
			help += ", or " + s.env + "_FILE"
		}
		help += ")"
		fs.StringVar(s.value, s.flag, s.def, help)
	}
	return l
}

// raw returns a setting's text: the flag when given, else the environment
// variable, else the file named by NAME_FILE, else the default.
func (l *Loader) raw(given map[string]bool, s *setting) (string, error) {
	if given[s.flag] {
		return *s.value, nil
	}
	env := l.getenv(s.env)
	if s.secret {
		if path := l.getenv(s.env + "_FILE"); path != "" {
			if env != "" {
				return "", fmt.Errorf("%s and %s_FILE are both set: keep one", s.env, s.env)
			}
			b, err := l.readFile(path)
			if err != nil {
				return "", fmt.Errorf("%s_FILE: cannot read %s: %v", s.env, path, errors.Unwrap(err))
			}
			return strings.TrimRight(string(b), "\r\n"), nil
		}
	}
	if env != "" {
		if s.secret {
			l.inEnv = append(l.inEnv, s.env)
		}
		return env, nil
	}
	return s.def, nil
}

// Load builds and validates the configuration. The error names the
// setting at fault and what it accepts.
func (l *Loader) Load() (*Config, error) {
	given := map[string]bool{}
	l.fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	v := map[string]string{}
	for _, s := range l.set {
		val, err := l.raw(given, s)
		if err != nil {
			return nil, err
		}
		v[s.flag] = strings.TrimSpace(val)
	}
	p := parser{}
	c := &Config{
		Addr:         p.addr(v, "addr", false),
		AdminAddr:    p.addr(v, "admin-addr", true),
		SecretKey:    v["secret-key"],
		Debug:        p.bool(v, "debug"),
		AllowedHosts: p.list(v, "allowed-hosts"),
		DataDir:      v["data-dir"],
		MediaDir:     v["media-dir"],
		MediaAccel:   v["media-accel-prefix"],
		MediaStore:   p.oneOf(v, "media-store", "disk", "s3"),
		S3: S3{
			Endpoint:        strings.TrimRight(v["s3-endpoint"], "/"),
			Bucket:          v["s3-bucket"],
			Region:          v["s3-region"],
			AccessKeyID:     v["s3-access-key-id"],
			SecretAccessKey: v["s3-secret-access-key"],
			PathStyle:       p.bool(v, "s3-path-style"),
			PublicURL:       strings.TrimRight(v["s3-public-url"], "/"),
		},
		SecretsInEnv:      l.inEnv,
		DatabaseURL:       v["database-url"],
		DBMaxConns:        p.intRange(v, "db-max-conns", 1, 1000),
		DBWait:            p.duration(v, "db-wait"),
		Replicas:          p.intRange(v, "replicas", 1, 1000),
		RedisURL:          v["redis-url"],
		TrustedProxies:    p.prefixes(v, "trusted-proxies"),
		CookieSecure:      p.oneOf(v, "cookie-secure", "auto", "true", "false"),
		LogFormat:         p.oneOf(v, "log-format", "auto", "json", "text"),
		LogLevel:          p.level(v, "log-level"),
		ShutdownTimeout:   p.duration(v, "shutdown-timeout"),
		FormReadTimeout:   p.duration(v, "form-read-timeout"),
		UploadReadTimeout: p.duration(v, "upload-read-timeout"),
		MaxUploadBytes:    p.size(v, "max-upload-bytes"),
		MaxImagePixels:    p.intRange(v, "max-image-pixels", 1, 1<<30),
		MaxDecodeBytes:    p.size(v, "max-decode-bytes"),
		ImageWorkers:      p.intRange(v, "image-workers", 1, 64),
		MaxImageSide:      p.intRange(v, "max-image-side", 64, 16384),
		MaxImageFrames:    p.intRange(v, "max-image-frames", 1, 100000),
		APIRateLimit:      p.intRange(v, "api-rate-limit", 0, 1<<30),
		PostRateLimit:     p.intRange(v, "post-rate-limit", 0, 1<<30),
		MediaSweep:        p.duration(v, "media-sweep-interval"),
		CacheTTL:          p.duration(v, "cache-ttl"),
		MigrateOnStart:    p.bool(v, "migrate-on-start"),
		CheckWaive:        p.list(v, "check-waive"),
	}
	if p.err != nil {
		return nil, p.err
	}
	if c.MediaSweep <= 0 {
		return nil, errors.New("TWEETS_MEDIA_SWEEP_INTERVAL must be above zero: it is how often deleted files are removed from storage")
	}
	if c.FormReadTimeout <= 0 || c.UploadReadTimeout <= 0 {
		return nil, errors.New("TWEETS_FORM_READ_TIMEOUT and TWEETS_UPLOAD_READ_TIMEOUT must be above zero: a client must not hold a connection for ever")
	}
	if c.SecretKey == "" {
		c.SecretKey = DefaultSecretKey
	}
	if c.DataDir == "" {
		return nil, errors.New("TWEETS_DATA_DIR is empty: give a directory for the database and media")
	}
	if c.MediaDir == "" {
		c.MediaDir = filepath.Join(c.DataDir, "media")
	}
	if c.DatabaseURL == "" && v["postgres-host"] != "" {
		c.DatabaseURL = postgresURL(v["postgres-host"], v["postgres-port"], v["postgres-db"], v["postgres-user"], v["postgres-password"],
			p.sslmode(v, "postgres-sslmode"), v["postgres-sslrootcert"])
	}
	// The demo account's published password must never reach a
	// PostgreSQL database by default: there, only TWEETS_DEMO=true asks
	// for it.
	if v["demo"] == "auto" {
		c.Demo = !c.UsesPostgres()
	} else {
		c.Demo = p.bool(v, "demo")
	}
	if p.err != nil {
		return nil, p.err
	}
	if c.DatabaseURL != "" {
		u, err := url.Parse(c.DatabaseURL)
		if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			return nil, errors.New("DATABASE_URL must look like postgres://user:password@host:5432/dbname")
		}
	}
	if c.RedisURL != "" {
		u, err := url.Parse(c.RedisURL)
		if err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") {
			return nil, errors.New("TWEETS_REDIS_URL must look like redis://host:6379/0")
		}
	}
	if err := c.S3.validate(c.MediaStore == "s3"); err != nil {
		return nil, err
	}
	if c.MediaAccel != "" && c.MediaStore == "s3" {
		return nil, errors.New("TWEETS_MEDIA_ACCEL_PREFIX hands files on disk to nginx, but TWEETS_MEDIA_STORE is s3: leave the prefix empty, or use TWEETS_S3_PUBLIC_URL to serve media from the bucket")
	}
	if c.MediaAccel != "" && !validAccelPrefix(c.MediaAccel) {
		return nil, fmt.Errorf("TWEETS_MEDIA_ACCEL_PREFIX %q is not an internal location: use the one nginx serves the media directory from, "+
			"/_media/ with deploy/nginx (a path that starts and ends with /, not /media/), or leave it empty", c.MediaAccel)
	}
	if len(c.AllowedHosts) == 0 {
		return nil, errors.New("TWEETS_ALLOWED_HOSTS is empty: list the host names the server answers to, e.g. tweets.example.com")
	}
	return c, nil
}

// validAccelPrefix reports whether p can name nginx's internal media
// location. /media/ itself would send nginx back to the application for
// every file, in a loop.
func validAccelPrefix(p string) bool {
	if len(p) < 3 || p[0] != '/' || p[len(p)-1] != '/' || p == "/media/" || strings.Contains(p, "//") || strings.Contains(p, "/../") {
		return false
	}
	for _, c := range p {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("/_-.", c)) {
			return false
		}
	}
	return true
}

func postgresURL(host, port, db, user, password, sslmode, sslrootcert string) string {
	u := url.URL{Scheme: "postgres", Host: host, Path: "/" + db}
	q := url.Values{}
	if sslmode != "" {
		q.Set("sslmode", sslmode)
	}
	if sslrootcert != "" {
		q.Set("sslrootcert", sslrootcert)
	}
	u.RawQuery = q.Encode()
	if port != "" {
		u.Host = host + ":" + port
	}
	if password != "" {
		u.User = url.UserPassword(user, password)
	} else if user != "" {
		u.User = url.User(user)
	}
	return u.String()
}

func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable)"
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// parser converts values, keeping the first error.
type parser struct{ err error }

func (p *parser) fail(name, format string, args ...any) {
	if p.err == nil {
		p.err = fmt.Errorf("--%s: "+format, append([]any{name}, args...)...)
	}
}

func (p *parser) bool(v map[string]string, name string) bool {
	switch strings.ToLower(v[name]) {
	case "1", "true", "yes", "on":
		return true
	case "0", "false", "no", "off", "":
		return false
	}
	p.fail(name, "%q is not a boolean: use true or false", v[name])
	return false
}

func (p *parser) addr(v map[string]string, name string, optional bool) string {
	a := v[name]
	if a == "" && optional {
		return ""
	}
	_, port, err := net.SplitHostPort(a)
	if err != nil {
		p.fail(name, "%q is not a listen address: use host:port or :port, e.g. :8000", a)
		return ""
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		p.fail(name, "port %q is not a number from 0 to 65535", port)
	}
	return a
}

func (p *parser) intRange(v map[string]string, name string, lo, hi int) int {
	n, err := strconv.Atoi(v[name])
	if err != nil || n < lo || n > hi {
		p.fail(name, "%q is not a whole number from %d to %d", v[name], lo, hi)
	}
	return n
}

func (p *parser) duration(v map[string]string, name string) time.Duration {
	d, err := time.ParseDuration(v[name])
	if err != nil || d < 0 {
		p.fail(name, "%q is not a duration: use e.g. 25s or 1m", v[name])
	}
	return d
}

func (p *parser) size(v map[string]string, name string) int64 {
	s := v[name]
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1000}, {"MB", 1000_000}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 || n > (1<<40)/mult {
		p.fail(name, "%q is not a size: use bytes or a number with KiB or MiB, e.g. 8MiB", v[name])
	}
	return n * mult
}

// sslmode accepts the sslmode values that pgx understands, or nothing.
func (p *parser) sslmode(v map[string]string, name string) string {
	if v[name] == "" {
		return ""
	}
	return p.oneOf(v, name, "disable", "allow", "prefer", "require", "verify-ca", "verify-full")
}

func (p *parser) oneOf(v map[string]string, name string, allowed ...string) string {
	for _, a := range allowed {
		if strings.EqualFold(v[name], a) {
			return a
		}
	}
	p.fail(name, "%q is not one of %s", v[name], strings.Join(allowed, ", "))
	return ""
}

func (p *parser) level(v map[string]string, name string) slog.Level {
	var l slog.Level
	if err := l.UnmarshalText([]byte(v[name])); err != nil {
		p.fail(name, "%q is not a log level: use debug, info, warn or error", v[name])
	}
	return l
}

func (p *parser) list(v map[string]string, name string) []string {
	var out []string
	for _, item := range strings.Split(v[name], ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, strings.ToLower(item))
		}
	}
	return out
}

func (p *parser) prefixes(v map[string]string, name string) []netip.Prefix {
	var out []netip.Prefix
	for _, item := range p.list(v, name) {
		pf, err := netip.ParsePrefix(item)
		if err != nil {
			a, aerr := netip.ParseAddr(item)
			if aerr != nil {
				p.fail(name, "%q is not an address or CIDR such as 10.0.0.0/8", item)
				continue
			}
			pf = netip.PrefixFrom(a, a.BitLen())
		}
		out = append(out, pf.Masked())
	}
	return out
}
