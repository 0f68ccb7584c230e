package seed

import (
	"cmp"
	"context"
	"math"
	"slices"
	"time"

	"github.com/tweetsdev/tweets"
)

// action is one like or repost: who, of which tweet, when.
type action struct {
	user, tweet int
	ms          int64
}

// engagements draws mean actions per tweet, more for the tweets of
// accounts with more followers, by accounts that mostly follow the
// author, each account at most once per tweet and never on its own
// tweet, at a moment after the tweet. They come oldest first.
func (g *generator) engagements(mean float64) []action {
	m := len(g.tweetIDs)
	if m == 0 || mean <= 0 {
		return nil
	}
	weight := func(a int) float64 { return math.Pow(float64(len(g.followers[a])+1), 0.8) }
	var total float64
	for _, a := range g.tweetAuthor {
		total += weight(a)
	}
	scale := mean * float64(m) / total
	var out []action
	seen := map[int]bool{}
	for i, a := range g.tweetAuthor {
		k := min(poisson(g.rng, scale*weight(a)), g.o.Users-1)
		clear(seen)
		posted := g.tweetIDs[i].Time().UnixMilli()
		fans := g.followers[a]
		for tries := 0; len(seen) < k && tries < 4*k+20; tries++ {
			var u int
			if len(fans) > 0 && g.rng.Float64() < 0.7 {
				u = fans[g.rng.IntN(len(fans))]
			} else {
				u = g.rng.IntN(g.o.Users)
			}
			if u == a || seen[u] {
				continue
			}
			seen[u] = true
			// Most within hours; what would fall after End falls anywhere
			// between the tweet and End instead.
			at := posted + 1 + expMillis(g.rng, float64(3*time.Hour.Milliseconds()))
			if at > g.end {
				at = posted + g.rng.Int64N(g.end-posted+1)
			}
			out = append(out, action{user: u, tweet: i, ms: at})
		}
	}
	slices.SortFunc(out, func(x, y action) int { return cmp.Compare(x.ms, y.ms) })
	return out
}

// likes writes the likes and what Service.Like tells the authors.
func (g *generator) likes(ctx context.Context) error {
	return writeActions(ctx, g, "likes", g.o.Likes, &g.sum.Likes, kindLike, kindNotifyLike, tweets.NotifyLike, newLike, g.l.LoadLikes)
}

// reposts writes the reposts and what Service.Repost tells the authors.
func (g *generator) reposts(ctx context.Context) error {
	return writeActions(ctx, g, "reposts", g.o.Reposts, &g.sum.Reposts, kindRepost, kindNotifyRepost, tweets.NotifyRepost, newRepost, g.l.LoadReposts)
}

func newLike(id, user, tweet tweets.ID) tweets.Like {
	return tweets.Like{ID: id, UserID: user, TweetID: tweet, CreatedAt: id.Time()}
}

func newRepost(id, user, tweet tweets.ID) tweets.Repost {
	return tweets.Repost{ID: id, UserID: user, TweetID: tweet, CreatedAt: id.Time()}
}

// writeActions draws mean likes or reposts per tweet (made by row),
// counts them in count and writes them in batches with load, each with
// its notification.
func writeActions[T any](ctx context.Context, g *generator, name string, mean float64, count *int, kind, noteKind int64, what tweets.NotificationKind,
	row func(id, user, tweet tweets.ID) T, load func(context.Context, []T) error) error {
	as := g.engagements(mean)
	*count = len(as)
	p := g.phase(name, len(as))
	ids := newClock(kind)
	batch := make([]T, 0, g.o.Batch)
	for i, a := range as {
		id := ids.next(a.ms)
		tweet := g.tweetIDs[a.tweet]
		batch = append(batch, row(id, g.userIDs[a.user], tweet))
		g.notify(id, noteKind, what, g.tweetAuthor[a.tweet], a.user, tweet)
		if len(batch) == cap(batch) || i == len(as)-1 {
			b := batch
			if err := g.emit(ctx, p, i+1, len(b), func(ctx context.Context) error { return load(ctx, b) }); err != nil {
				return err
			}
			batch = make([]T, 0, g.o.Batch)
		}
	}
	return nil
}
