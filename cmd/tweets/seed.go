package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/tweetsdev/tweets/seed"
)

// seedCmd fills the configured database with generated data for
// benchmarks.
func seedCmd(ctx context.Context, e env, args []string) error {
	fs := flagSet(e, "seed", "seed [--users N] [--tweets N] [--seed N] [--force] [flags]\n\n"+
		"Fills the database with generated accounts, follows, tweets, replies, quotes,\n"+
		"likes, reposts and their notifications, for benchmarks. Accounts from an\n"+
		"earlier seed are removed first. Every account's password is "+seed.Password+".\n"+
		"Refuses a database with accounts that seed did not make unless --force.")
	users := fs.Int("users", 10_000, "number of `accounts` to make")
	tweetCount := fs.Int("tweets", 1_000_000, "number of `tweets` to make, replies and quotes included")
	follows := fs.Float64("follows", 20, "mean number of accounts each account follows")
	likes := fs.Float64("likes", 2, "mean likes per tweet (popular accounts' tweets get more)")
	reposts := fs.Float64("reposts", 0.1, "mean reposts per tweet")
	replies := fs.Float64("replies", 0.15, "share of tweets that answer an earlier one, 0 to 0.9")
	quotes := fs.Float64("quotes", 0.02, "share of tweets that quote an earlier one, 0 to 0.5")
	seedValue := fs.Uint64("seed", 1, "seed of the generator: the same seed and --end make the same data")
	endFlag := fs.String("end", "", "`time` (RFC 3339) of the newest data; default now")
	force := fs.Bool("force", false, "seed even though the database has accounts seed did not make (they are kept)")
	c, err := loadConfig(e, fs, args)
	if err != nil {
		return err
	}
	o := seed.Options{Users: *users, Tweets: *tweetCount, Follows: *follows, Likes: *likes, Reposts: *reposts,
		Replies: *replies, Quotes: *quotes, Seed: *seedValue, Force: *force, End: time.Now().UTC()}
	if *endFlag != "" {
		if o.End, err = time.Parse(time.RFC3339, *endFlag); err != nil {
			return usageError{fmt.Sprintf("--end %q is not a time like 2026-01-02T15:04:05Z", *endFlag)}
		}
	}
	if err := checkSeedOptions(o); err != nil {
		return err
	}
	store, err := openMigrated(ctx, c, newLogger(c, e.stderr))
	if err != nil {
		return err
	}
	defer store.Close()
	start := time.Now()
	loader, err := store.BulkLoader(ctx)
	if err != nil {
		return err
	}
	sum, err := seed.Run(ctx, loader, o, progressPrinter(e.stderr, isTerminal(e.stderr)))
	closeStart := time.Now()
	if cerr := loader.Close(ctx); err == nil {
		err = cerr
	}
	if refused := (*seed.RefusedError)(nil); errors.As(err, &refused) {
		return fmt.Errorf("%v: seed an empty database (or one only seed filled), or give --force to add to it", err)
	}
	if err != nil {
		return err
	}
	elapsed := time.Since(start) - sum.Removing
	fmt.Fprintf(e.stderr, "finishing (settings, statistics): %s\n", round(time.Since(closeStart)))
	if sum.Removed > 0 {
		fmt.Fprintf(e.stdout, "removed %d accounts of an earlier seed in %s\n", sum.Removed, round(sum.Removing))
	}
	fmt.Fprintf(e.stdout, "seeded %s: %d accounts, %d follows, %d tweets (%d replies, %d quotes; %d hashtags, %d mentions), %d likes, %d reposts, %d notifications\n",
		store.Dialect(), sum.Users, sum.Follows, sum.Tweets, sum.Replies, sum.Quotes, sum.Tags, sum.Mentions, sum.Likes, sum.Reposts, sum.Notified)
	fmt.Fprintf(e.stdout, "%d rows in %s (%s rows/s)\n", sum.Rows, round(elapsed), perSecond(sum.Rows, elapsed))
	fmt.Fprintf(e.stdout, "every seeded account's password is %s: log in as %s, for one\n", seed.Password, sum.FirstUser)
	return nil
}

// checkSeedOptions holds the flags to their bounds.
func checkSeedOptions(o seed.Options) error {
	for _, c := range []struct {
		flag      string
		v, lo, hi float64
	}{
		{"--users", float64(o.Users), 2, seed.MaxUsers},
		{"--tweets", float64(o.Tweets), 0, seed.MaxTweets},
		{"--follows", o.Follows, 0, math.Min(seed.MaxFollows, float64(o.Users-1))},
		{"--likes", o.Likes, 0, seed.MaxLikes},
		{"--reposts", o.Reposts, 0, seed.MaxReposts},
		{"--replies", o.Replies, 0, 0.9},
		{"--quotes", o.Quotes, 0, 0.5},
	} {
		if !(c.v >= c.lo && c.v <= c.hi) {
			return usageError{fmt.Sprintf("%s %g is out of range: give %g to %g", c.flag, c.v, c.lo, c.hi)}
		}
	}
	if o.Replies+o.Quotes > 0.9 {
		return usageError{fmt.Sprintf("--replies %g and --quotes %g add up to more than 0.9: leave some tweets that start a conversation", o.Replies, o.Quotes)}
	}
	return nil
}

// progressPrinter reports each phase at most every two seconds, and its
// last line always: on a terminal as one line rewritten in place,
// elsewhere (a log) as separate lines.
func progressPrinter(w io.Writer, inPlace bool) func(seed.Progress) {
	var last time.Time
	return func(p seed.Progress) {
		if !p.Final && time.Since(last) < 2*time.Second {
			return
		}
		last = time.Now()
		pct := 100.0
		if p.Total > 0 {
			pct = 100 * float64(p.Done) / float64(p.Total)
		}
		line := fmt.Sprintf("%s: %3.0f%% %d/%d, %d rows in %s (%s rows/s)", p.Phase, pct, p.Done, p.Total, p.Rows, round(p.Elapsed), perSecond(p.Rows, p.Elapsed))
		switch {
		case inPlace && p.Final:
			fmt.Fprintf(w, "\r\033[K%s\n", line)
		case inPlace:
			fmt.Fprintf(w, "\r\033[K%s", line)
		default:
			fmt.Fprintln(w, line)
		}
	}
}

// perSecond renders a rate with thousands separated: 123,456.
func perSecond(n int64, d time.Duration) string {
	if d <= 0 {
		return "-"
	}
	s := fmt.Sprintf("%d", int64(float64(n)/d.Seconds()))
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func round(d time.Duration) time.Duration { return d.Round(100 * time.Millisecond) }
