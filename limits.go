package tweets

import (
	"context"
	"time"
)

// Limiter hands out tokens per key: at most a fixed number of events in a
// window of time. Take checks and records in one step, so parallel
// requests cannot all pass a check before any of them is counted.
type Limiter interface {
	// Take records one event for key and reports true when key is under
	// its limit. Otherwise it records nothing and returns how long until
	// a token is free again.
	Take(ctx context.Context, key string) (retryAfter time.Duration, ok bool)
	// Return gives back one token taken for key, for an event that
	// turned out not to count (a log-in that succeeded).
	Return(ctx context.Context, key string)
	// Reset forgets every event of key.
	Reset(ctx context.Context, key string)
}

// Limits are the rate limits the Service applies. They live here, not in
// a transport, so the pages, the API and anything later share them.
type Limits struct {
	// LoginPair counts failed log-ins per account and client address: a
	// guesser at one address is stopped without locking anyone else out.
	LoginPair Limiter
	// LoginAddress counts failed log-ins per client address, across
	// accounts; successful log-ins never count.
	LoginAddress Limiter
	// LoginAccount is a much higher ceiling of failed log-ins per account
	// from browsers that have never logged in to it. A browser that has
	// (it holds a device token) is not subject to it, so a distributed
	// guesser cannot lock the owner out.
	LoginAccount Limiter
	// SignUp counts every sign-up attempt per client address.
	SignUp Limiter
	// Post counts every attempt to post per account, refused ones too:
	// each costs an upload and maybe an image decode.
	Post Limiter
	// Report counts reports filed per account.
	Report Limiter
	// API counts client API requests per account, or per address for
	// requests without a user's token, as Mastodon does.
	API Limiter
}

// LimitRule is one limit's size: Limit events in any window of Per.
type LimitRule struct {
	Limit int
	Per   time.Duration
}

// DefaultLimitRules are the sizes of the Limits, by name. The names also
// key shared counters (Redis), so they must stay stable.
var DefaultLimitRules = map[string]LimitRule{
	"login.pair":    {10, 15 * time.Minute},
	"login.address": {50, 15 * time.Minute},
	"login.account": {100, time.Hour},
	"signup":        {10, time.Hour},
	"post":          {30, time.Minute},
	"report":        {20, time.Hour},
	"api":           {300, 5 * time.Minute},
}

// NewLimits builds every limit with newLimiter, which gets each limit's
// name and size from rules (DefaultLimitRules for those it lacks). A
// rule of Limit 0 leaves its limit off.
func NewLimits(rules map[string]LimitRule, newLimiter func(name string, r LimitRule) Limiter) Limits {
	if rules == nil {
		rules = DefaultLimitRules
	}
	get := func(name string) Limiter {
		r, ok := rules[name]
		if !ok {
			r = DefaultLimitRules[name]
		}
		if r.Limit <= 0 {
			return nil
		}
		return newLimiter(name, r)
	}
	return Limits{
		LoginPair:    get("login.pair"),
		LoginAddress: get("login.address"),
		LoginAccount: get("login.account"),
		SignUp:       get("signup"),
		Post:         get("post"),
		Report:       get("report"),
		API:          get("api"),
	}
}

// Quota is where a key stands in its limit: what the API tells clients
// in its X-RateLimit headers, so that they can pace themselves.
type Quota struct {
	Limit, Remaining int
	// Reset is how long until the window frees what was used.
	Reset time.Duration
}

// Meter is a Limiter that can also tell where a key stands.
type Meter interface {
	Limiter
	// TakeQuota is Take, returning the key's quota after it.
	TakeQuota(ctx context.Context, key string) (q Quota, ok bool)
}

// ThrottleAPI counts one client API request by key (an account, or an
// address) and returns where the key stands; ok is false when Limit is
// zero: no limit applies, or its limiter cannot say. A request over the
// limit gets an error saying when to come back.
func (s *Service) ThrottleAPI(ctx context.Context, key string) (q Quota, ok bool, err error) {
	switch l := s.Limits.API.(type) {
	case nil:
		return Quota{}, false, nil
	case Meter:
		q, ok := l.TakeQuota(ctx, key)
		if !ok {
			return q, true, tooMany(q.Reset, "Too many requests from this account or address: try again in %s.", q.Reset.Round(time.Second))
		}
		return q, true, nil
	default:
		if wait, ok := l.Take(ctx, key); !ok {
			return Quota{}, false, tooMany(wait, "Too many requests. Try again later.")
		}
		return Quota{}, false, nil
	}
}

// tooMany is the refusal of a throttled request; RetryAfter lets every
// transport say when to come back (the Retry-After header).
func tooMany(wait time.Duration, format string, args ...any) *Error {
	e := Errorf(CodeTooMany, format, args...)
	e.RetryAfter = max(wait, time.Second)
	return e
}

// Gate bounds how many callers do a costly thing at once: hashing a
// password (19 MiB of memory each) or decoding an image. A nil Gate lets
// everyone through.
type Gate struct {
	slots   chan struct{}
	maxWait time.Duration
}

// NewGate lets n callers in at once; others wait up to maxWait, then are
// told to come back later.
func NewGate(n int, maxWait time.Duration) *Gate {
	return &Gate{slots: make(chan struct{}, max(n, 1)), maxWait: maxWait}
}

// errBusy is the answer when a gate stays full: the server is saturated,
// and the client should come back shortly.
func errBusy() *Error {
	return tooMany(5*time.Second, "The server is busy right now. Try again in a few seconds.")
}

// Enter waits for a slot and returns the function that frees it.
func (g *Gate) Enter(ctx context.Context) (leave func(), err error) {
	if g == nil {
		return func() {}, nil
	}
	select {
	case g.slots <- struct{}{}:
		return func() { <-g.slots }, nil
	default:
	}
	t := time.NewTimer(g.maxWait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
		return func() { <-g.slots }, nil
	case <-t.C:
		return nil, errBusy()
	case <-ctx.Done():
		return nil, errBusy()
	}
}
