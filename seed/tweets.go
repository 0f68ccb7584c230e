package seed

import (
	"cmp"
	"context"
	"math"
	"slices"
	"time"

	"github.com/tweetsdev/tweets"
)

// tweetTimes draws the moments of the tweets over the four weeks before
// End, oldest first: a daily rhythm (quiet at night, busy in the
// evening) with a quarter of the tweets in bursts around events.
func (g *generator) tweetTimes() []int64 {
	start := g.end - tweetSpan.Milliseconds()
	day := (24 * time.Hour).Milliseconds()
	bursts := make([]int64, 60)
	for i := range bursts {
		bursts[i] = start + g.rng.Int64N(tweetSpan.Milliseconds())
	}
	times := make([]int64, g.o.Tweets)
	for i := range times {
		var t int64
		if g.rng.Float64() < 0.25 {
			t = bursts[g.rng.IntN(len(bursts))] + expMillis(g.rng, float64(20*time.Minute.Milliseconds()))
		} else {
			// Hours weighted by 1.2 + sin: a peak in the evening, a
			// trough before dawn, by rejection.
			for {
				t = start + g.rng.Int64N(tweetSpan.Milliseconds())
				hour := float64(t%day) / float64(day) * 24
				if g.rng.Float64()*2.2 < 1.2+math.Sin((hour-13)/24*2*math.Pi) {
					break
				}
			}
		}
		times[i] = min(t, g.end)
	}
	slices.Sort(times)
	return times
}

// tweets writes the tweets in the order they were posted, so that each
// reply and quote points at an earlier tweet, with the notifications
// storeTweet makes.
func (g *generator) tweets(ctx context.Context) error {
	times := g.tweetTimes()
	m := len(times)
	p := g.phase("tweets", m)
	c := newComposer(g.rng)
	ids := newClock(kindTweet)
	g.tweetIDs = make([]tweets.ID, m)
	g.tweetAuthor = make([]int, m)
	g.latest = make([]int, g.o.Users)
	for i := range g.latest {
		g.latest[i] = -1
	}
	batch := make([]tweets.PostedTweet, 0, g.o.Batch)
	rows := 0
	for i, ms := range times {
		author := g.active.draw()
		t := tweets.Tweet{ID: ids.next(ms), AuthorID: g.userIDs[author], ReplyPolicy: tweets.ReplyEveryone}
		t.CreatedAt = t.ID.Time()
		parent, quoted := -1, -1
		switch r := g.rng.Float64(); {
		case i > 0 && r < g.o.Replies:
			parent = g.earlier(i)
			t.ReplyTo = g.tweetIDs[parent]
			g.sum.Replies++
		case i > 0 && r < g.o.Replies+g.o.Quotes:
			quoted = g.earlier(i)
			t.Quote = g.tweetIDs[quoted]
			g.sum.Quotes++
		}
		var names []string
		if parent >= 0 && g.rng.Float64() < 0.7 {
			names = append(names, g.names[g.tweetAuthor[parent]])
		}
		for range g.mentionCount() {
			names = append(names, g.names[g.popular.draw()])
		}
		var tags int
		t.Text, tags = c.text(names, parent >= 0)
		posted := tweets.PostedTweet{Tweet: t}
		for _, name := range tweets.Mentions(t.Text) {
			if u, ok := g.byName[name]; ok {
				posted.Mentioned = append(posted.Mentioned, g.userIDs[u])
			}
		}
		g.sum.Tags += tags
		g.sum.Mentions += len(posted.Mentioned)
		rows += 1 + tags + len(posted.Mentioned)
		g.tweetIDs[i], g.tweetAuthor[i] = t.ID, author
		g.latest[author] = i
		g.tweetNotes(t, author, parent, quoted, posted.Mentioned)
		batch = append(batch, posted)
		if len(batch) == cap(batch) || i == m-1 {
			b := batch
			if err := g.emit(ctx, p, i+1, rows, func(ctx context.Context) error { return g.l.LoadTweets(ctx, b) }); err != nil {
				return err
			}
			batch, rows = make([]tweets.PostedTweet, 0, g.o.Batch), 0
		}
	}
	g.sum.Tweets = m
	return nil
}

// earlier picks the tweet a reply or quote answers: half the time the
// newest tweet of a popular account, else one of the recent tweets.
func (g *generator) earlier(i int) int {
	if g.rng.IntN(2) == 0 {
		if j := g.latest[g.popular.draw()]; j >= 0 {
			return j
		}
	}
	back := int(float64(min(i, 5000)) * math.Pow(g.rng.Float64(), 3))
	return max(0, i-1-back)
}

// mentionCount draws how many accounts a tweet names besides the one
// it answers.
func (g *generator) mentionCount() int {
	switch r := g.rng.Float64(); {
	case r < 0.02:
		return 3
	case r < 0.05:
		return 2
	case r < 0.15:
		return 1
	}
	return 0
}

// tweetNotes queues what storeTweet tells: the author of the tweet
// answered and of the tweet quoted, then the accounts mentioned in the
// order of their ids (up to the Service's limit), less the author
// answered, who was told already.
func (g *generator) tweetNotes(t tweets.Tweet, author, parent, quoted int, mentioned []tweets.ID) {
	if parent >= 0 {
		g.notify(t.ID, kindNotifyReply, tweets.NotifyReply, g.tweetAuthor[parent], author, t.ID)
	}
	if quoted >= 0 {
		g.notify(t.ID, kindNotifyQuote, tweets.NotifyQuote, g.tweetAuthor[quoted], author, t.ID)
	}
	sorted := slices.Clone(mentioned)
	slices.SortFunc(sorted, func(a, b tweets.ID) int { return cmp.Compare(a, b) })
	for k, u := range sorted[:min(len(sorted), maxMentionNotices, maxMentionKinds)] {
		to := g.account(u)
		if parent >= 0 && to == g.tweetAuthor[parent] {
			continue
		}
		g.notify(t.ID, kindNotifyMention+int64(k), tweets.NotifyMention, to, author, t.ID)
	}
}

// maxMentionNotices is the Service's bound on the accounts one tweet
// notifies.
const maxMentionNotices = 10

// account finds the number of the account with the id: user IDs are
// made in order, so they are sorted.
func (g *generator) account(id tweets.ID) int {
	i, _ := slices.BinarySearch(g.userIDs, id)
	return i
}
