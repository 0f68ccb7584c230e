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

// Throttle returns a tweets.Throttle allowing limit failures per key in
// each window of length per, shared by every replica using this Redis.
// Keys are prefixed with name so that several throttles can coexist.
func (c *Client) Throttle(name string, limit int, per time.Duration) tweets.Throttle {
	return &throttle{c: c, prefix: "tweets:throttle:" + name + ":", limit: limit, per: per,
		fallback: &ratelimit.Window{Limit: limit, Per: per}}
}

// throttle counts in fixed windows: the first failure starts a counter
// that expires after per. Simpler than a sliding window and, for abuse
// limits, as good.
type throttle struct {
	c        *Client
	prefix   string
	limit    int
	per      time.Duration
	fallback *ratelimit.Window
}

func (t *throttle) ctx(parent context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(parent), t.c.timeout)
}

// Blocked implements tweets.Throttle.
func (t *throttle) Blocked(parent context.Context, key string) (time.Duration, bool) {
	ctx, cancel := t.ctx(parent)
	defer cancel()
	pipe := t.c.rdb.Pipeline()
	n := pipe.Get(ctx, t.prefix+key)
	ttl := pipe.PTTL(ctx, t.prefix+key)
	if _, err := pipe.Exec(ctx); err != nil && err != goredis.Nil {
		t.c.failed("throttle.blocked", err)
		return t.fallback.Blocked(parent, key)
	}
	count, _ := n.Int()
	if count < t.limit {
		return 0, false
	}
	return max(ttl.Val(), time.Second), true
}

// Fail implements tweets.Throttle.
func (t *throttle) Fail(parent context.Context, key string) {
	ctx, cancel := t.ctx(parent)
	defer cancel()
	pipe := t.c.rdb.TxPipeline()
	pipe.Incr(ctx, t.prefix+key)
	pipe.ExpireNX(ctx, t.prefix+key, t.per)
	if _, err := pipe.Exec(ctx); err != nil {
		t.c.failed("throttle.fail", err)
		t.fallback.Fail(parent, key)
	}
}

// Reset implements tweets.Throttle.
func (t *throttle) Reset(parent context.Context, key string) {
	ctx, cancel := t.ctx(parent)
	defer cancel()
	if err := t.c.rdb.Del(ctx, t.prefix+key).Err(); err != nil {
		t.c.failed("throttle.reset", err)
	}
	t.fallback.Reset(parent, key)
}
