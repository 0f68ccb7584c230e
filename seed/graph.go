package seed

import (
	"cmp"
	"context"
	"slices"
	"strconv"

	"github.com/tweetsdev/tweets"
)

// users makes the accounts, signed up over the month before the tweets
// begin, with a name, often a bio, and the shared password hash.
func (g *generator) users(ctx context.Context) error {
	n := g.o.Users
	p := g.phase("accounts", n)
	first := g.end - (tweetSpan + userSpan).Milliseconds()
	times := make([]int64, n)
	for i := range times {
		times[i] = first + g.rng.Int64N(userSpan.Milliseconds())
	}
	slices.Sort(times)
	ids := newClock(kindUser)
	g.userIDs = make([]tweets.ID, n)
	g.names = make([]string, n)
	g.byName = make(map[string]int, n)
	batch := make([]tweets.User, 0, g.o.Batch)
	for i := range n {
		first := firstNames[g.rng.IntN(len(firstNames))]
		u := tweets.User{ID: ids.next(times[i]), Username: first + "_" + strconv.Itoa(i+1), PasswordHash: PasswordHash,
			DisplayName: title(first) + " " + lastNames[g.rng.IntN(len(lastNames))]}
		u.CreatedAt = u.ID.Time()
		if g.rng.IntN(3) > 0 {
			u.Bio = g.bio()
		}
		g.userIDs[i], g.names[i] = u.ID, u.Username
		g.byName[tweets.NormalizeUsername(u.Username)] = i
		batch = append(batch, u)
		if len(batch) == cap(batch) || i == n-1 {
			us := batch
			if err := g.emit(ctx, p, i+1, len(us), func(ctx context.Context) error { return g.l.LoadUsers(ctx, us) }); err != nil {
				return err
			}
			batch = make([]tweets.User, 0, g.o.Batch)
		}
	}
	g.sum.Users, g.sum.FirstUser = n, g.names[0]
	// Popularity: the top account is drawn about one time in nine, the
	// median one almost never; authorship is flatter at the head.
	g.popular = newRanked(g.rng, n, 1.1, 1, 0.25)
	g.active = newRanked(g.rng, n, 1.1, 5, 0.2)
	return nil
}

func (g *generator) bio() string {
	var b []byte
	for i := range 3 + g.rng.IntN(8) {
		if i > 0 {
			b = append(b, ' ')
		}
		b = append(b, words[g.rng.IntN(len(words))]...)
	}
	return string(b)
}

type follow struct {
	from, to int
	ms       int64
}

// follows makes the graph: each account follows a heavy-tailed number
// of others, mostly popular ones, at some moment after both existed.
func (g *generator) follows(ctx context.Context) error {
	n := g.o.Users
	var fs []follow
	seen := map[int]bool{}
	for a := range n {
		k := min(heavy(g.rng, g.o.Follows), n-1, 5000)
		clear(seen)
		for tries := 0; len(seen) < k && tries < 4*k+20; tries++ {
			b := g.popular.draw()
			if b == a || seen[b] {
				continue
			}
			seen[b] = true
			from := max(g.userIDs[a].Time().UnixMilli(), g.userIDs[b].Time().UnixMilli())
			fs = append(fs, follow{from: a, to: b, ms: from + g.rng.Int64N(g.end-from)})
		}
	}
	slices.SortFunc(fs, func(x, y follow) int { return cmp.Compare(x.ms, y.ms) })
	g.followers = make([][]int, n)
	p := g.phase("follows", len(fs))
	ids := newClock(kindFollow)
	batch := make([]tweets.Follow, 0, g.o.Batch)
	for i, f := range fs {
		id := ids.next(f.ms)
		batch = append(batch, tweets.Follow{ID: id, FollowerID: g.userIDs[f.from], FolloweeID: g.userIDs[f.to], CreatedAt: id.Time()})
		g.notify(id, kindNotifyFollow, tweets.NotifyFollow, f.to, f.from, 0)
		g.followers[f.to] = append(g.followers[f.to], f.from)
		if len(batch) == cap(batch) || i == len(fs)-1 {
			b := batch
			if err := g.emit(ctx, p, i+1, len(b), func(ctx context.Context) error { return g.l.LoadFollows(ctx, b) }); err != nil {
				return err
			}
			batch = make([]tweets.Follow, 0, g.o.Batch)
		}
	}
	g.sum.Follows = len(fs)
	return nil
}
