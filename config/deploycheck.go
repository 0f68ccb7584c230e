package config

import (
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
)

// Problem is an unsafe production setting and how to fix it.
type Problem struct {
	Setting string
	Problem string
	Fix     string
}

// MinSecretKeyLength is the shortest key check --deploy accepts.
const MinSecretKeyLength = 32

// DeployProblems lists the settings that are unsafe in production, in the
// spirit of Django's check --deploy. Checks that need the database (the
// demo account) are made by the caller.
func (c *Config) DeployProblems() []Problem {
	var ps []Problem
	add := func(setting, problem, fix string) { ps = append(ps, Problem{setting, problem, fix}) }
	switch {
	case c.SecretKey == DefaultSecretKey:
		add("TWEETS_SECRET_KEY", "is the built-in default, known to everyone", "set it to 32+ random characters, e.g. from `openssl rand -base64 48`")
	case len(c.SecretKey) < MinSecretKeyLength:
		add("TWEETS_SECRET_KEY", "is shorter than 32 characters", "set it to 32+ random characters, e.g. from `openssl rand -base64 48`")
	}
	if c.Debug {
		add("TWEETS_DEBUG", "is on: error pages show internal details", "set TWEETS_DEBUG=false")
	}
	for _, h := range c.AllowedHosts {
		if h == "*" {
			add("TWEETS_ALLOWED_HOSTS", "allows any Host header", "list your public host names, e.g. tweets.example.com")
		}
	}
	onlyLocal := true
	for _, h := range c.AllowedHosts {
		onlyLocal = onlyLocal && (h == "localhost" || h == "127.0.0.1" || h == "::1" || h == "[::1]")
	}
	if onlyLocal {
		add("TWEETS_ALLOWED_HOSTS", "allows only localhost", "list your public host names, e.g. tweets.example.com")
	}
	switch {
	case c.CookieSecure == "false":
		add("TWEETS_COOKIE_SECURE", "is false: session cookies may travel without TLS", "set TWEETS_COOKIE_SECURE=true")
	case c.CookieSecure == "auto" && len(c.TrustedProxies) == 0:
		add("TWEETS_COOKIE_SECURE", "is auto with no trusted proxy: behind a TLS-terminating proxy cookies are not marked Secure",
			"set TWEETS_COOKIE_SECURE=true, or TWEETS_TRUSTED_PROXIES to the proxy's addresses")
	}
	if !c.UsesPostgres() && c.Replicas > 1 {
		add("TWEETS_REPLICAS", "says several replicas share the embedded SQLite database, which only one process may use",
			"use PostgreSQL (DATABASE_URL) or run one replica")
	}
	if c.UsesPostgres() && !postgresTLS(c.DatabaseURL) {
		add("DATABASE_URL", "reaches a remote PostgreSQL without requiring TLS", "add sslmode=verify-full (or sslmode=require) to the URL")
	}
	if c.MediaStore == "s3" {
		ps = append(ps, c.s3Problems()...)
	}
	if c.AdminAddr == "" {
		add("TWEETS_ADMIN_ADDR", "is empty: /metrics is served on the public listener", "set TWEETS_ADMIN_ADDR=:9000 and keep that port private")
	}
	if c.LogLevel < 0 {
		add("TWEETS_LOG_LEVEL", "is debug: logs grow fast", "set TWEETS_LOG_LEVEL=info")
	}
	return ps
}

// postgresTLS reports whether the URL insists on TLS, or points at this
// machine or a Unix socket, where TLS adds nothing.
func postgresTLS(dsn string) bool {
	u, err := url.Parse(dsn)
	if err != nil {
		return false
	}
	switch u.Query().Get("sslmode") {
	case "require", "verify-ca", "verify-full":
		return true
	}
	host := u.Hostname()
	if host == "" || host == "localhost" || strings.HasPrefix(host, "/") || strings.HasPrefix(u.Query().Get("host"), "/") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// s3Problems lists what is unsafe about the S3 media store: keys in the
// environment, where `docker inspect` and /proc/PID/environ show them,
// and keys and files sent without TLS.
func (c *Config) s3Problems() []Problem {
	var ps []Problem
	for _, name := range c.SecretsInEnv {
		if name == "TWEETS_S3_ACCESS_KEY_ID" || name == "TWEETS_S3_SECRET_ACCESS_KEY" {
			ps = append(ps, Problem{name, "is given in the environment, which `docker inspect` and /proc show",
				"put it in a file readable by the server only and set " + name + "_FILE to its path"})
		}
	}
	if !httpsOrLocal(c.S3.Endpoint) {
		ps = append(ps, Problem{"TWEETS_S3_ENDPOINT", "reaches a remote S3 server over plain http: keys are signed but the files travel in clear",
			"use the server's https:// URL"})
	}
	if c.S3.PublicURL != "" && !httpsOrLocal(c.S3.PublicURL) {
		ps = append(ps, Problem{"TWEETS_S3_PUBLIC_URL", "is plain http: browsers block such images on https pages",
			"use an https:// URL (a CDN or the bucket's own)"})
	}
	return ps
}

// httpsOrLocal reports whether a URL is https, or http to this machine.
func httpsOrLocal(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	if u.Scheme == "https" {
		return true
	}
	host := u.Hostname()
	ip := net.ParseIP(host)
	return host == "localhost" || ip != nil && ip.IsLoopback()
}

// PostgresConnections is the most PostgreSQL connections one server
// process opens: its pool, plus the connection the event relay listens on
// when no Redis carries the events between replicas.
func (c *Config) PostgresConnections() int {
	if c.RedisURL == "" {
		return c.DBMaxConns + 1
	}
	return c.DBMaxConns
}

// ConnectionBudget reports a problem when every replica opening all of
// its connections would exceed available, the connections the server
// accepts from ordinary users (max_connections less the reserved ones).
// The migrate job and maintenance need one more each.
func (c *Config) ConnectionBudget(available int) *Problem {
	need := c.Replicas*c.PostgresConnections() + 2
	if !c.UsesPostgres() || need <= available {
		return nil
	}
	return &Problem{
		Setting: "TWEETS_DB_MAX_CONNS",
		Problem: fmt.Sprintf("lets %d replica(s) open %d connections each (%d with the migrate job and a maintenance session), but PostgreSQL accepts %d",
			c.Replicas, c.PostgresConnections(), need, available),
		Fix: fmt.Sprintf("lower TWEETS_DB_MAX_CONNS to %d or less, raise PostgreSQL's max_connections, or put a pooler such as PgBouncer in front",
			max(1, (available-2)/c.Replicas-(c.PostgresConnections()-c.DBMaxConns))),
	}
}

// Waived splits problems into those to fix and those that the deployment
// waives deliberately (TWEETS_CHECK_WAIVE names their setting).
func (c *Config) Waived(problems []Problem) (fix, waived []Problem) {
	for _, p := range problems {
		if slices.Contains(c.CheckWaive, strings.ToLower(p.Setting)) {
			waived = append(waived, p)
		} else {
			fix = append(fix, p)
		}
	}
	return fix, waived
}
