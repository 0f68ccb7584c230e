// Package redis shares state between replicas through Redis: failure
// counters for log-in throttling and rate limits. It fails open: when
// Redis does not answer within a short timeout, each replica falls back
// to its own in-process counters and keeps serving.
package redis

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/ratelimit"
)

// Client is a connection pool to one Redis server.
type Client struct {
	rdb     *goredis.Client
	log     *slog.Logger
	timeout time.Duration
	// Errors counts failed calls (exported as a metric by the caller).
	Errors atomic.Int64
	warned atomic.Int64 // unix seconds of the last warning, to rate-limit logs
}

// Open makes a client for url (redis://host:6379/0). A Redis that does not
// answer yet is logged, not fatal: calls fall back until it does.
func Open(ctx context.Context, url string, log *slog.Logger) (*Client, error) {
	opt, err := goredis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("TWEETS_REDIS_URL is not a Redis URL: write it as redis://host:6379/0")
	}
	opt.DialTimeout = 2 * time.Second
	opt.ReadTimeout = 300 * time.Millisecond
	opt.WriteTimeout = 300 * time.Millisecond
	opt.MaxRetries = 0 // a slow Redis must not slow requests: fail open instead
	c := &Client{rdb: goredis.NewClient(opt), log: log, timeout: 300 * time.Millisecond}
	pctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if err := c.rdb.Ping(pctx).Err(); err != nil {
		log.Warn("redis does not answer yet; using in-process counters until it does", "addr", opt.Addr, "err", err)
	}
	return c, nil
}

// Close closes the pool.
func (c *Client) Close() error { return c.rdb.Close() }

// Ping reports whether Redis answers.
func (c *Client) Ping(ctx context.Context) error { return c.rdb.Ping(ctx).Err() }

func (c *Client) failed(op string, err error) {
	c.Errors.Add(1)
	now := time.Now().Unix()
	if last := c.warned.Load(); now-last >= 10 && c.warned.CompareAndSwap(last, now) {
		c.log.Warn("redis unavailable; using in-process counters", "op", op, "err", err)
	}
}

// Limiter returns a tweets.Limiter allowing r.Limit events per key in
// each window of length r.Per, shared by every replica using this Redis.
// Keys are prefixed with name so that several limits can coexist.
func (c *Client) Limiter(name string, r tweets.LimitRule) tweets.Limiter {
	return &limiter{c: c, prefix: "tweets:limit:" + name + ":", limit: r.Limit, per: r.Per,
		fallback: &ratelimit.Window{Limit: r.Limit, Per: r.Per}}
}

// limiter counts in fixed windows: the first event starts a counter that
// expires after per. Simpler than a sliding window and, for abuse limits,
// as good.
type limiter struct {
	c        *Client
	prefix   string
	limit    int
	per      time.Duration
	fallback *ratelimit.Window
}

// takeScript increments the counter only while it is under the limit, in
// one step on the server, so replicas racing on one key cannot overshoot.
// It returns -1 when a token was taken, otherwise the milliseconds until
// the window ends.
var takeScript = goredis.NewScript(`
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n >= tonumber(ARGV[1]) then
	local ttl = redis.call('PTTL', KEYS[1])
	if ttl < 0 then
		redis.call('PEXPIRE', KEYS[1], ARGV[2])
		ttl = tonumber(ARGV[2])
	end
	return ttl
end
redis.call('INCR', KEYS[1])
if n == 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return -1
`)

// returnScript gives a token back without going below zero or creating
// a counter that never expires.
var returnScript = goredis.NewScript(`
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n > 0 then redis.call('DECR', KEYS[1]) end
return 0
`)

func (l *limiter) ctx(parent context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(parent), l.c.timeout)
}

// Take implements tweets.Limiter.
func (l *limiter) Take(parent context.Context, key string) (time.Duration, bool) {
	ctx, cancel := l.ctx(parent)
	defer cancel()
	ms, err := takeScript.Run(ctx, l.c.rdb, []string{l.prefix + key}, l.limit, l.per.Milliseconds()).Int64()
	if err != nil {
		l.c.failed("limit.take", err)
		return l.fallback.Take(parent, key)
	}
	if ms < 0 {
		return 0, true
	}
	return max(time.Duration(ms)*time.Millisecond, time.Second), false
}

// quotaScript is takeScript returning, too, the count after it and the
// milliseconds until the window ends: {taken (1 or 0), count, ttl}.
var quotaScript = goredis.NewScript(`
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
local taken = 0
if n < tonumber(ARGV[1]) then
	n = redis.call('INCR', KEYS[1])
	taken = 1
end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
	redis.call('PEXPIRE', KEYS[1], ARGV[2])
	ttl = tonumber(ARGV[2])
end
return {taken, n, ttl}
`)

// TakeQuota implements tweets.Meter.
func (l *limiter) TakeQuota(parent context.Context, key string) (tweets.Quota, bool) {
	ctx, cancel := l.ctx(parent)
	defer cancel()
	v, err := quotaScript.Run(ctx, l.c.rdb, []string{l.prefix + key}, l.limit, l.per.Milliseconds()).Int64Slice()
	if err == nil && len(v) != 3 {
		err = fmt.Errorf("the quota script answered %v", v)
	}
	if err != nil {
		l.c.failed("limit.quota", err)
		return l.fallback.TakeQuota(parent, key)
	}
	q := tweets.Quota{Limit: l.limit, Remaining: max(l.limit-int(v[1]), 0), Reset: time.Duration(v[2]) * time.Millisecond}
	return q, v[0] == 1
}

// Return implements tweets.Limiter.
func (l *limiter) Return(parent context.Context, key string) {
	ctx, cancel := l.ctx(parent)
	defer cancel()
	if err := returnScript.Run(ctx, l.c.rdb, []string{l.prefix + key}).Err(); err != nil {
		l.c.failed("limit.return", err)
		l.fallback.Return(parent, key)
	}
}

// Reset implements tweets.Limiter.
func (l *limiter) Reset(parent context.Context, key string) {
	ctx, cancel := l.ctx(parent)
	defer cancel()
	if err := l.c.rdb.Del(ctx, l.prefix+key).Err(); err != nil {
		l.c.failed("limit.reset", err)
	}
	l.fallback.Reset(parent, key)
}
