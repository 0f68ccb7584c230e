// Package seed fills a database with a realistic data set for
// benchmarks: accounts with a power-law follow graph, tweets in bursts
// over past weeks with replies, quotes, mentions and hashtags, likes and
// reposts skewed toward popular accounts, and the notifications all of
// it makes. The rows are those the Service would have stored; they are
// made here without I/O and written through a tweets.BulkLoader.
//
// The same Options (Seed and End included) make the same rows.
package seed

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/tweetsdev/tweets"
)

// Password is the password of every seeded account, so that benchmarks
// can log in as any of them.
const Password = "seedpass123"

// PasswordHash is Password hashed once (argon2id, the default cost)
// and given to every seeded account. It also tells seeded accounts from
// the others: no account that signed up can have this salt.
const PasswordHash = "$argon2id$v=19$m=19456,t=2,p=1$98/3XY9JzcND1MUwqDapRg$t9W12B+XoH8mHWkhiFF3ZWfcrLag+Q/XmCUYR+miGLY" // #nosec G101 -- the published benchmark password's hash

// Bounds of Options, which the command checks its flags against.
const (
	MaxUsers   = 10_000_000
	MaxTweets  = 100_000_000
	MaxFollows = 1000 // mean accounts followed
	MaxLikes   = 100  // mean likes per tweet
	MaxReposts = 10   // mean reposts per tweet
)

// Options say how much to make.
type Options struct {
	Users   int     // accounts, at least 2
	Tweets  int     // tweets, replies and quotes included
	Follows float64 // mean accounts each account follows
	Likes   float64 // mean likes per tweet
	Reposts float64 // mean reposts per tweet
	Replies float64 // share of tweets that answer an earlier tweet
	Quotes  float64 // share of tweets that quote an earlier tweet
	Seed    uint64
	// End is the newest instant of the data: tweets span the four weeks
	// before it, accounts were made in the month before those.
	End time.Time
	// Force seeds a database that has accounts seed did not make.
	Force bool
	// Batch is the number of rows per write (0: 20,000).
	Batch int
}

// Tweet window and account ages, before End.
const (
	tweetSpan = 28 * 24 * time.Hour
	userSpan  = 30 * 24 * time.Hour
)

// Progress reports a phase: Done of Total items (accounts, follows,
// tweets...), and Rows written in it so far, derived rows (hashtags,
// mentions, notifications) included.
type Progress struct {
	Phase       string
	Done, Total int
	Rows        int64
	Elapsed     time.Duration
	Final       bool
}

// Summary counts what a run wrote, by kind.
type Summary struct {
	Removed                                  int           // accounts of an earlier seed, removed first
	Removing                                 time.Duration // how long that took
	Users, Follows, Tweets, Replies, Quotes  int
	Tags, Mentions, Likes, Reposts, Notified int
	Rows                                     int64
	// FirstUser is the name of an account to log in as.
	FirstUser string
}

// RefusedError is Run's answer for a database with accounts it did not
// make, unless forced.
type RefusedError struct{ Others int }

func (e *RefusedError) Error() string {
	if e.Others == 1 {
		return "the database has 1 account that seed did not make"
	}
	return fmt.Sprintf("the database has %d accounts that seed did not make", e.Others)
}

// Run removes the accounts of an earlier seed, then writes a new data
// set through l, calling report after each batch.
func Run(ctx context.Context, l tweets.BulkLoader, o Options, report func(Progress)) (Summary, error) {
	if o.Users < 2 {
		return Summary{}, errors.New("seed: at least 2 accounts")
	}
	if o.Batch <= 0 {
		o.Batch = 20_000
	}
	if report == nil {
		report = func(Progress) {}
	}
	seeded, others, err := l.CountAccounts(ctx, PasswordHash)
	if err != nil {
		return Summary{}, err
	}
	if others > 0 && !o.Force {
		return Summary{}, &RefusedError{Others: others}
	}
	g := newGenerator(o, l, report)
	if seeded > 0 {
		// One statement, which reports nothing until it is done: say
		// what is under way first.
		p := g.phase("remove earlier seed (accounts)", seeded)
		p.start = time.Now()
		p.done(0, 0)
		if g.sum.Removed, err = l.RemoveAccounts(ctx, PasswordHash); err != nil {
			return g.sum, err
		}
		g.sum.Removing = time.Since(p.start)
		p.done(seeded, 0)
	}
	// The generator runs beside the writes, so that making the rows and
	// storing them use a core each; it ends before Run returns.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	g.jobs = make(chan job, 2)
	generated := make(chan error, 1)
	go func() {
		defer close(g.jobs)
		for _, step := range []func(context.Context) error{g.users, g.follows, g.tweets, g.likes, g.reposts} {
			if err := step(ctx); err != nil {
				generated <- err
				return
			}
		}
		generated <- nil
	}()
	var rows int64
	for j := range g.jobs {
		if err == nil {
			if j.phase.start.IsZero() {
				j.phase.start = time.Now()
			}
			if err = j.write(ctx); err != nil {
				cancel() // the generator stops; the loop drains what it sent
				continue
			}
			rows += j.rows
			j.phase.done(j.items, j.rows)
		}
	}
	genErr := <-generated
	sum := g.sum
	sum.Rows += rows
	if err != nil {
		return sum, err
	}
	return sum, genErr
}

// generator holds the state the phases share.
type generator struct {
	o      Options
	l      tweets.BulkLoader
	report func(Progress)
	rng    *rand.Rand
	end    int64 // End in Unix milliseconds
	sum    Summary

	userIDs   []tweets.ID
	names     []string
	byName    map[string]int // username_key → account
	popular   *ranked        // whom accounts follow, mention, answer
	active    *ranked        // who writes
	followers [][]int        // of each account

	tweetIDs    []tweets.ID
	tweetAuthor []int
	latest      []int // each account's newest tweet so far, or -1

	notes []tweets.Notification // waiting for the next write
	jobs  chan job              // to the writer
}

func newGenerator(o Options, l tweets.BulkLoader, report func(Progress)) *generator {
	rng := rand.New(rand.NewPCG(o.Seed, 0x7477656574730000)) // #nosec G404 -- reproducible benchmark data, no secret
	return &generator{o: o, l: l, report: report, rng: rng, end: o.End.UnixMilli()}
}

// phase times and reports one phase.
type phase struct {
	g     *generator
	name  string
	total int
	rows  int64
	start time.Time
}

// phase starts a phase. Its clock starts with its first write.
func (g *generator) phase(name string, total int) *phase {
	return &phase{g: g, name: name, total: total}
}

// done reports items done so far and rows written since the last
// call. Only the writer calls it.
func (p *phase) done(items int, rows int64) {
	p.rows += rows
	p.g.report(Progress{Phase: p.name, Done: items, Total: p.total, Rows: p.rows, Elapsed: time.Since(p.start), Final: items >= p.total})
}

// notify queues a notification, as Service.notify makes them: none for
// acting on one's own.
func (g *generator) notify(id tweets.ID, kind int64, what tweets.NotificationKind, to, actor int, tweet tweets.ID) {
	if to == actor {
		return
	}
	g.notes = append(g.notes, tweets.Notification{ID: derived(id, kind), UserID: g.userIDs[to], Kind: what,
		ActorID: g.userIDs[actor], TweetID: tweet, CreatedAt: derived(id, kind).Time()})
}

// job is one write: a batch and the notifications made with it, and
// the progress it stands for.
type job struct {
	write func(context.Context) error
	phase *phase
	items int
	rows  int64
}

// emit hands a batch (written by write) and the notifications queued
// with it to the writer, waiting while it is two batches behind.
func (g *generator) emit(ctx context.Context, p *phase, items, rows int, write func(context.Context) error) error {
	notes := g.notes
	g.notes = nil
	g.sum.Notified += len(notes)
	j := job{phase: p, items: items, rows: int64(rows + len(notes)), write: func(ctx context.Context) error {
		if err := write(ctx); err != nil || len(notes) == 0 {
			return err
		}
		return g.l.LoadNotifications(ctx, notes)
	}}
	select {
	case g.jobs <- j:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
