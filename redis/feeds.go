package redis

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/tweetsdev/tweets"
)

// Feeds keeps readers' home timeline items in Redis, shared by every
// replica (it implements cache.Feeds). A feed is a sorted set of
// members "item:tweet:reposter:name", the item id zero-padded so that
// the set's lexical order is the timeline's; a hash beside it says
// whether it is filled, by which fill, and what cache.Feed tells. Every
// key carries a generation, so dropping every feed is one INCR.
//
// When Redis fails, calls return the error (the home timeline is then
// read from the database) and feeds may miss what was pushed meanwhile:
// the first call that succeeds afterwards drops them all.
type Feeds struct {
	c      *Client
	length int
	ttl    time.Duration
	lost   atomic.Bool
}

// Feeds returns feeds of up to length items, each kept for ttl after
// it is filled.
func (c *Client) Feeds(length int, ttl time.Duration) *Feeds {
	return &Feeds{c: c, length: length, ttl: ttl}
}

const feedPrefix = "tweets:home:"

// feedKeys is the Lua prologue naming a reader's keys in the current
// generation: k (the items) and m (the hash).
const feedKeys = `
local function keys(reader)
  local gen = redis.call('GET', 'tweets:home:gen') or '0'
  local k = 'tweets:home:' .. gen .. ':' .. reader
  return k, k .. ':meta'
end
`

var (
	startScript = goredis.NewScript(feedKeys + `
local k, m = keys(ARGV[1])
redis.call('HSET', m, 'state', 'filling', 'token', ARGV[2])
redis.call('PEXPIRE', m, ARGV[3])
return 1`)
	fillScript = goredis.NewScript(feedKeys + `
local k, m = keys(ARGV[1])
if redis.call('HGET', m, 'token') ~= ARGV[2] then return 0 end
local complete = ARGV[3]
for i = 7, #ARGV do redis.call('ZADD', k, 0, ARGV[i]) end
local n = redis.call('ZCARD', k)
local length = tonumber(ARGV[6])
if n > length then
  redis.call('ZREMRANGEBYRANK', k, 0, n - length - 1)
  complete = '0'
end
redis.call('HSET', m, 'state', 'ready', 'complete', complete, 'heavy', ARGV[4])
redis.call('PEXPIRE', m, ARGV[5])
redis.call('PEXPIRE', k, ARGV[5])
return 1`)
	readScript = goredis.NewScript(feedKeys + `
local k, m = keys(ARGV[1])
local meta = redis.call('HMGET', m, 'state', 'complete', 'heavy')
if meta[1] ~= 'ready' then return false end
local items = redis.call('ZREVRANGEBYLEX', k, ARGV[2], '-', 'LIMIT', 0, tonumber(ARGV[3]))
table.insert(items, 1, meta[3] or '')
table.insert(items, 1, meta[2] or '0')
return items`)
	pushScript = goredis.NewScript(feedKeys + `
local length = tonumber(ARGV[1])
for i = 3, #ARGV do
  local k, m = keys(ARGV[i])
  local ttl = redis.call('PTTL', m)
  if ttl > 0 then
    redis.call('ZADD', k, 0, ARGV[2])
    redis.call('PEXPIRE', k, ttl)
    local n = redis.call('ZCARD', k)
    if n > length then
      redis.call('ZREMRANGEBYRANK', k, 0, n - length - 1)
      redis.call('HSET', m, 'complete', '0')
    end
  end
end
return 1`)
	dropScript = goredis.NewScript(feedKeys + `
for i = 1, #ARGV do
  local k, m = keys(ARGV[i])
  redis.call('DEL', k, m)
end
return 1`)
)

// run runs a script, first dropping every feed if an earlier call
// failed.
func (f *Feeds) run(ctx context.Context, op string, s *goredis.Script, args ...any) (any, error) {
	ctx, cancel := context.WithTimeout(ctx, f.c.timeout)
	defer cancel()
	if f.lost.Load() {
		if err := f.c.rdb.Incr(ctx, feedPrefix+"gen").Err(); err != nil {
			f.c.failed("feeds.reset", err)
			return nil, err
		}
		f.lost.Store(false)
	}
	v, err := s.Run(ctx, f.c.rdb, nil, args...).Result()
	if err != nil && err != goredis.Nil {
		f.lost.Store(true)
		f.c.failed(op, err)
		return nil, err
	}
	return v, nil
}

// Start implements cache.Feeds.
func (f *Feeds) Start(ctx context.Context, reader tweets.ID) (string, error) {
	var b [8]byte
	_, _ = rand.Read(b[:])
	token := hex.EncodeToString(b[:])
	_, err := f.run(ctx, "feeds.start", startScript, reader.String(), token, f.ttl.Milliseconds())
	return token, err
}

// Fill implements cache.Feeds.
func (f *Feeds) Fill(ctx context.Context, reader tweets.ID, token string, feed tweets.HomeFeed) error {
	complete := "0"
	if feed.Complete {
		complete = "1"
	}
	heavy := make([]string, len(feed.Heavy))
	for i, h := range feed.Heavy {
		heavy[i] = h.String()
	}
	args := []any{reader.String(), token, complete, strings.Join(heavy, ","), f.ttl.Milliseconds(), f.length}
	for _, it := range feed.Items {
		args = append(args, member(it))
	}
	_, err := f.run(ctx, "feeds.fill", fillScript, args...)
	return err
}

// Read implements cache.Feeds.
func (f *Feeds) Read(ctx context.Context, reader, before tweets.ID, limit int) (tweets.HomeFeed, bool, error) {
	bound := "+"
	if before != 0 {
		bound = "(" + pad(before)
	}
	v, err := f.run(ctx, "feeds.read", readScript, reader.String(), bound, limit)
	if err != nil || v == nil {
		return tweets.HomeFeed{}, false, err
	}
	rows, ok := v.([]any)
	if !ok || len(rows) < 2 {
		return tweets.HomeFeed{}, false, fmt.Errorf("redis feeds: unexpected reply %T", v)
	}
	var feed tweets.HomeFeed
	feed.Complete = rows[0] == "1"
	if heavy, _ := rows[1].(string); heavy != "" {
		for h := range strings.SplitSeq(heavy, ",") {
			id, err := tweets.ParseID(h)
			if err != nil {
				return tweets.HomeFeed{}, false, err
			}
			feed.Heavy = append(feed.Heavy, id)
		}
	}
	for _, r := range rows[2:] {
		m, _ := r.(string)
		it, err := parseMember(m)
		if err != nil {
			return tweets.HomeFeed{}, false, err
		}
		feed.Items = append(feed.Items, it)
	}
	return feed, true, nil
}

// Push implements cache.Feeds.
func (f *Feeds) Push(ctx context.Context, readers []tweets.ID, it tweets.HomeItem) error {
	if len(readers) == 0 {
		return nil
	}
	args := []any{f.length, member(it)}
	for _, r := range readers {
		args = append(args, r.String())
	}
	_, err := f.run(ctx, "feeds.push", pushScript, args...)
	return err
}

// Drop implements cache.Feeds.
func (f *Feeds) Drop(ctx context.Context, readers ...tweets.ID) error {
	if len(readers) == 0 {
		return nil
	}
	args := make([]any, len(readers))
	for i, r := range readers {
		args[i] = r.String()
	}
	_, err := f.run(ctx, "feeds.drop", dropScript, args...)
	return err
}

// DropAll implements cache.Feeds: the next generation starts empty, and
// the old one's keys expire.
func (f *Feeds) DropAll(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, f.c.timeout)
	defer cancel()
	if err := f.c.rdb.Incr(ctx, feedPrefix+"gen").Err(); err != nil {
		f.lost.Store(true)
		f.c.failed("feeds.dropall", err)
		return err
	}
	return nil
}

// pad writes an id in 19 digits, the most an int64 has, so that lexical
// order is numeric order.
func pad(id tweets.ID) string { return fmt.Sprintf("%019d", int64(id)) }

func member(it tweets.HomeItem) string {
	return pad(it.ID) + ":" + it.Tweet.String() + ":" + it.Reposter.String() + ":" + it.Name
}

func parseMember(m string) (tweets.HomeItem, error) {
	parts := strings.SplitN(m, ":", 4)
	if len(parts) != 4 {
		return tweets.HomeItem{}, fmt.Errorf("redis feeds: malformed item %q", m)
	}
	var ids [3]tweets.ID
	for i := range ids {
		id, err := strconv.ParseInt(parts[i], 10, 64)
		if err != nil {
			return tweets.HomeItem{}, fmt.Errorf("redis feeds: malformed item %q", m)
		}
		ids[i] = tweets.ID(id)
	}
	return tweets.HomeItem{ID: ids[0], Tweet: ids[1], Reposter: ids[2], Name: parts[3]}, nil
}
